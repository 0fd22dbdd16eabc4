/** Messages, exceptions, interchanges and the audit log on PostgreSQL. */
import { and, asc, desc, eq, getTableColumns, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Pool } from 'pg';
import { exceptionEvents, exceptionsResolvedEvent, messageFailedEvent } from '../../events/business-events.ts';
import type { EventStore } from '../../events/event-store.ts';
import type { JobStore } from '../../jobs/job-store.ts';
import type { NewMessage, Store } from '../store.ts';
import { CountDeltas } from '../row-counts.ts';
import { writeCountDeltas } from './batch-context.ts';
import { createBatchInsert } from './batch-insert.ts';
import * as schema from './schema.ts';

const { auditLog, exceptions, interchanges, messages } = schema;
type Db = NodePgDatabase<typeof schema>;

export type MessageMethods = Pick<Store, 'insertMessage' | 'getMessage' | 'findByContent' | 'findByExternalId' | 'relatedMessages'
  | 'messagesToResume' | 'updateMessage' | 'listMessages' | 'addException' | 'getException' | 'listExceptions'
  | 'resolveExceptions' | 'recordInterchange' | 'findInterchange' | 'audit'>;

/** the columns updateMessage may set, by field */
const MESSAGE_COLUMNS = { status: 'status', partnerId: 'partner_id', format: 'format', correlationId: 'correlation_id', duplicateOf: 'duplicate_of', test: 'test' } as const;

/** keeps a write's row counts in its transaction (PgBatching.count); by default written at once */
type Count = (tx: Db, deltas: CountDeltas) => Promise<void>;

/** `db` joins an open write batch (batch-context.ts); `root` never does: insertMessage resolves only after its own commit */
export function createPgMessages(db: Db, pool: Pool, jobs: JobStore, root: Db = db, events?: EventStore, count: Count = writeCountDeltas): MessageMethods {
  /** the PostgreSQL client of a drizzle transaction, for events written in it */
  const txOf = (tx: unknown) => ({ dialect: 'pg' as const, client: (tx as { session: { client: import('pg').ClientBase } }).session.client });
  const rowsOf = (batch: NewMessage[]) => batch.map((m) => ({
    id: m.id, receivedAt: m.receivedAt, direction: m.direction, transport: m.transport,
    partnerId: m.partnerId, metadata: JSON.stringify(m.metadata), contentSha256: m.contentSha256,
    size: m.rawRef ? m.size ?? 0 : m.raw.byteLength, raw: Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength), rawRef: m.rawRef ?? null,
    status: m.status ?? 'received', test: m.test, updatedAt: m.receivedAt,
    relatedMessageId: m.relatedMessageId ?? null, externalId: m.externalId ?? null,
  }));

  return {
    /**
     * Resolves after PostgreSQL's COMMIT (synchronous_commit on: the WAL is flushed), so nothing is
     * acknowledged to a sender before its bytes are durable. Concurrent calls share multi-row
     * INSERTs (batch-insert.ts): at most 4 commits at once, leaving the rest of the pool to the
     * pipeline, and each commit carries whatever arrived meanwhile.
     */
    insertMessage: createBatchInsert<NewMessage>(async (batch) => {
      if (!batch.some((m) => m.jobs?.length)) {
        // the rows and their count changes in one statement (one round trip, one commit)
        await root.execute(sql`WITH ins AS ${root.insert(messages).values(rowsOf(batch)).returning({ status: messages.status })}
          INSERT INTO row_count_deltas (name, delta) SELECT 'messages:' || status, count(*) FROM ins GROUP BY status`);
        return;
      }
      // messages with jobs (a stored functional ack and its send): one transaction on one client, both or neither
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await drizzle(client, { schema }).insert(messages).values(rowsOf(batch));
        for (const m of batch) for (const j of m.jobs ?? []) await jobs.enqueue({ dialect: 'pg', client }, j);
        const deltas = new CountDeltas();
        for (const m of batch) deltas.add('messages', m.status ?? 'received');
        await writeCountDeltas(drizzle(client, { schema }), deltas);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    }),
    async getMessage(id) {
      const [row] = await db.select().from(messages).where(eq(messages.id, id));
      return row;
    },
    async findByContent(partnerId, hash, excludeId) {
      const [row] = await db.select().from(messages).where(and(
        partnerId === null ? isNull(messages.partnerId) : eq(messages.partnerId, partnerId),
        eq(messages.contentSha256, hash), eq(messages.direction, 'inbound'), ne(messages.status, 'duplicate'),
        sql`${messages.seq} < (SELECT m2.seq FROM messages m2 WHERE m2.id = ${excludeId})`,
      )).orderBy(asc(messages.seq)).limit(1);
      return row;
    },
    async findByExternalId(externalId) {
      const [row] = await db.select().from(messages).where(eq(messages.externalId, externalId)).orderBy(asc(messages.seq)).limit(1);
      return row;
    },
    async relatedMessages(messageId) {
      return db.select().from(messages).where(eq(messages.relatedMessageId, messageId)).orderBy(asc(messages.seq));
    },
    async messagesToResume(limit) {
      return db.select().from(messages).where(and(eq(messages.status, 'received'), eq(messages.direction, 'inbound')))
        .orderBy(asc(messages.seq)).limit(limit);
    },
    async updateMessage(id, fields, at) {
      if (fields.status === undefined) {
        await db.update(messages).set({ ...fields, updatedAt: at }).where(eq(messages.id, id));
        return;
      }
      // One statement: the row locked and read as it was (its status before), updated, and the count
      // changes appended. The status that ends processing clears the message's claim in the same
      // statement (a node dying before it released the claim leaves none behind on a processed message).
      const set = (Object.keys(MESSAGE_COLUMNS) as Array<keyof typeof MESSAGE_COLUMNS>).filter((k) => fields[k] !== undefined)
        .map((k) => sql`${sql.identifier(MESSAGE_COLUMNS[k])} = ${fields[k]}`);
      if (fields.status !== 'received') set.push(sql`claimed_by = NULL`, sql`claim_until = NULL`);
      set.push(sql`updated_at = ${at}`);
      const statement = (tx: Db) => tx.execute<{ partner_id: string | null }>(sql`WITH old AS (SELECT id, status FROM messages WHERE id = ${id} FOR UPDATE),
        upd AS (UPDATE messages m SET ${sql.join(set, sql`, `)} FROM old WHERE m.id = old.id RETURNING old.status AS before, m.status AS after, m.partner_id),
        counted AS (INSERT INTO row_count_deltas (name, delta)
          SELECT 'messages:' || c.status, c.delta FROM upd, LATERAL (VALUES (upd.before, -1), (upd.after, 1)) AS c(status, delta) WHERE upd.before <> upd.after)
        SELECT partner_id FROM upd`);
      if (fields.status !== 'failed' || !events) { await statement(db); return; }
      // the failure and its message.failed event commit together
      await db.transaction(async (tx) => {
        const { rows } = await statement(tx as unknown as Db);
        await events.append(txOf(tx), [messageFailedEvent({ messageId: id, partnerId: rows[0]?.partner_id ?? null, at })]);
      });
    },
    async listMessages(f) {
      // a page of messages never reads their bytes (a list of large messages would read them all)
      const { raw: _bytes, ...listed } = getTableColumns(messages);
      return db.select({ ...listed, raw: sql<Buffer>`''::bytea` }).from(messages).where(and(
        f.partnerId ? eq(messages.partnerId, f.partnerId) : undefined,
        f.status ? eq(messages.status, f.status as 'received') : undefined,
        f.before !== undefined ? lt(messages.seq, f.before) : undefined,
      )).orderBy(desc(messages.seq)).limit(f.limit);
    },

    async addException(e) {
      const row = {
        id: e.id, messageId: e.messageId, documentId: e.documentId ?? null, partnerId: e.partnerId, stage: e.stage,
        code: e.code, message: e.message, detail: JSON.stringify(e.detail), status: 'open' as const, createdAt: e.at,
      };
      // the exception, its events (exception.opened, ack.rejected) and its count commit together
      await db.transaction(async (tx) => {
        await tx.insert(exceptions).values(row);
        if (events) await events.append(txOf(tx), [...exceptionEvents(e), ...(e.events ?? [])]);
        await count(tx as unknown as Db, new CountDeltas().add('exceptions', 'open').openExceptions(e.partnerId, e.code));
      });
    },
    async getException(id) {
      const [row] = await db.select().from(exceptions).where(eq(exceptions.id, id));
      return row;
    },
    async listExceptions(f) {
      return db.select().from(exceptions).where(and(
        f.status ? eq(exceptions.status, f.status) : undefined,
        f.partnerId ? eq(exceptions.partnerId, f.partnerId) : undefined,
        f.messageId ? eq(exceptions.messageId, f.messageId) : undefined,
        f.before !== undefined ? lt(exceptions.seq, f.before) : undefined,
      )).orderBy(desc(exceptions.seq)).limit(f.limit ?? 100);
    },
    async resolveExceptions(messageId, status, by, at) {
      return db.transaction(async (tx) => {
        const rows = await tx.update(exceptions).set({ status, resolvedAt: at, resolvedBy: by })
          .where(and(eq(exceptions.messageId, messageId), eq(exceptions.status, 'open'))).returning({ partnerId: exceptions.partnerId, code: exceptions.code });
        if (rows.length > 0 && events) await events.append(txOf(tx), [exceptionsResolvedEvent({ messageId, partnerId: rows[0]!.partnerId ?? null, status, by, count: rows.length, at })]);
        if (rows.length > 0) {
          const deltas = new CountDeltas().move('exceptions', 'open', status, rows.length);
          for (const r of rows) deltas.openExceptions(r.partnerId, r.code, -1);
          await count(tx as unknown as Db, deltas);
        }
        return rows.length;
      });
    },

    async recordInterchange(messageId, partnerId, k, at) {
      // insert-if-absent in one statement (the message is processed by one node at a time; a
      // rare concurrent double only adds an identical row, which findInterchange tolerates)
      await db.execute(sql`
        INSERT INTO interchanges (message_id, partner_id, standard, sender, receiver, control_number, received_at)
        SELECT ${messageId}, ${partnerId}, ${k.standard}, ${k.sender}, ${k.receiver}, ${k.controlNumber}, ${at}
        WHERE NOT EXISTS (SELECT 1 FROM interchanges WHERE message_id = ${messageId} AND standard = ${k.standard}
          AND sender = ${k.sender} AND receiver = ${k.receiver} AND control_number = ${k.controlNumber})`);
    },
    async findInterchange(k, since, excludeMessageId) {
      const [row] = await db.select({ m: interchanges.messageId }).from(interchanges).where(and(
        eq(interchanges.standard, k.standard), eq(interchanges.sender, k.sender), eq(interchanges.receiver, k.receiver),
        eq(interchanges.controlNumber, k.controlNumber), gt(interchanges.receivedAt, since), ne(interchanges.messageId, excludeMessageId),
      )).orderBy(asc(interchanges.seq)).limit(1);
      return row?.m;
    },

    async audit(entry) {
      await db.insert(auditLog).values({ ...entry, detail: JSON.stringify(entry.detail ?? {}) });
    },
  };
}
