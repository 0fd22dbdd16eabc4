/**
 * Canonical documents and the ERP pull feed on PostgreSQL. Several gateway nodes share the
 * table; the comments say what keeps them from stepping on each other.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { ClientBase } from 'pg';
import type { EventStore } from '../../events/event-store.ts';
import type { JobStore } from '../../jobs/job-store.ts';
import type { Store } from '../store.ts';
import { CountDeltas } from '../row-counts.ts';
import { writeCountDeltas } from './batch-context.ts';
import { readPgLineTotals, recordPgLineTotals } from './line-totals.ts';
import * as schema from './schema.ts';

const { documents } = schema;
type Db = NodePgDatabase<typeof schema>;

/** transaction-scoped advisory lock key that serializes feed leasing across every node ('feed' in ASCII digits) */
const FEED_LOCK = 102_101_101_100;

export type DocumentMethods = Pick<Store, 'upsertDocument' | 'getDocument' | 'documentsForMessage' | 'documentSummariesForMessage' | 'findDocuments'
  | 'documentsByCorrelation' | 'firstCorrelated' | 'lineTotals' | 'leaseFeed' | 'ackFeed' | 'releaseFeed'>;

/** the PostgreSQL client of a drizzle transaction (node-postgres session), for jobs enqueued in it */
const clientOf = (tx: unknown) => (tx as { session: { client: ClientBase } }).session.client;

/** keeps a write's row counts in its transaction (PgBatching.count); by default written at once */
type Count = (tx: Db, deltas: CountDeltas) => Promise<void>;

export function createPgDocuments(db: Db, jobs: JobStore, events?: EventStore, count: Count = writeCountDeltas): DocumentMethods {
  return {
    /**
     * Same outcomes as SQLite. The INSERT ... ON CONFLICT DO NOTHING settles a race between two
     * nodes producing the same document (a message resumed by both): one creates it; the other
     * finds the row, locks it (FOR UPDATE) and compares, so it sees the winner's envelope.
     * The per-PO-line totals change in the same transaction (line-totals.ts): only the node whose
     * INSERT created the row adds the document, and a replacement, under the row lock, takes out
     * what the previous envelope had.
     */
    async upsertDocument(d) {
      const envelope = JSON.stringify(d.envelope);
      // the released document and its jobs (its ERP push) commit together
      const released = async (tx: unknown) => {
        if (d.status === 'ready') for (const j of d.jobs ?? []) await jobs.enqueue({ dialect: 'pg', client: clientOf(tx) }, j);
        if (d.events?.length && events) await events.append({ dialect: 'pg', client: clientOf(tx) }, d.events);
      };
      return db.transaction(async (tx) => {
        const created = await tx.insert(documents).values({
          id: d.id, messageId: d.messageId, partnerId: d.partnerId, type: d.type, direction: d.direction,
          businessKey: d.businessKey, correlationId: d.correlationId, envelope, status: d.status, test: d.test,
          createdAt: d.at, updatedAt: d.at,
        }).onConflictDoNothing({ target: documents.id }).returning({ seq: documents.seq });
        if (created.length > 0) {
          await recordPgLineTotals(tx, undefined, { type: d.type, envelope: d.envelope });
          await released(tx);
          await count(tx as unknown as Db, new CountDeltas().add('documents', d.status));
          return { outcome: 'created' as const };
        }
        const [previous] = await tx.select().from(documents).where(eq(documents.id, d.id)).for('update');
        if (!previous) throw new Error(`document ${d.id} vanished during upsert`);
        if (previous.status === 'delivered') return { outcome: 'kept' as const, previous };
        if (previous.envelope === envelope && previous.status === d.status) return { outcome: 'unchanged' as const, previous };
        await tx.update(documents).set({
          envelope, status: d.status, businessKey: d.businessKey, correlationId: d.correlationId,
          type: d.type, test: d.test, updatedAt: d.at,
        }).where(eq(documents.id, d.id));
        await recordPgLineTotals(tx, previous, { type: d.type, envelope: d.envelope });
        await released(tx);
        await count(tx as unknown as Db, new CountDeltas().move('documents', previous.status, d.status));
        return { outcome: 'replaced' as const, previous };
      });
    },
    async getDocument(id) {
      const [row] = await db.select().from(documents).where(eq(documents.id, id));
      return row;
    },
    async documentSummariesForMessage(messageId, limit) {
      return db.select({ id: documents.id, type: documents.type, status: documents.status, businessKey: documents.businessKey })
        .from(documents).where(eq(documents.messageId, messageId)).orderBy(asc(documents.seq)).limit(limit);
    },
    async documentsForMessage(messageId, limit) {
      const q = db.select().from(documents).where(eq(documents.messageId, messageId)).orderBy(asc(documents.seq));
      return limit === undefined ? q : q.limit(limit);
    },
    async findDocuments(f) {
      return db.select().from(documents).where(and(
        f.businessKey ? eq(documents.businessKey, f.businessKey) : undefined,
        f.partnerId ? eq(documents.partnerId, f.partnerId) : undefined,
        f.type ? eq(documents.type, f.type) : undefined,
        f.before !== undefined ? lt(documents.seq, f.before) : undefined,
      )).orderBy(desc(documents.seq)).limit(f.limit);
    },
    async documentsByCorrelation(correlationId) {
      return db.select().from(documents).where(eq(documents.correlationId, correlationId)).orderBy(asc(documents.seq));
    },
    async firstCorrelated(correlationId, type) {
      const [row] = await db.select().from(documents).where(and(eq(documents.correlationId, correlationId), eq(documents.type, type)))
        .orderBy(asc(documents.seq)).limit(1);
      return row;
    },
    async lineTotals(poNumber, businessKey) {
      return readPgLineTotals(db, poNumber, businessKey);
    },

    /**
     * Hands out the oldest ready documents under a lease, atomically across nodes.
     * - One feed lease at a time in the whole cluster: the transaction first takes
     *   pg_advisory_xact_lock(FEED_LOCK), released at COMMIT. A second node's lease waits for it
     *   (a few milliseconds: one UPDATE), then runs on a fresh READ COMMITTED snapshot that
     *   already sees the first node's leases.
     * - So the per-partner guard is exact: a partner with a document under a live lease (leased by
     *   any node) is skipped, and each partner's documents go out in `seq` order.
     * - SKIP LOCKED alone would not do: two nodes would each lock a different document of the same
     *   partner and hand them out at once, out of order.
     * - The candidate rows are also locked (FOR UPDATE) and the UPDATE re-checks them, so an ack
     *   or upsert committing meanwhile (they do not take the advisory lock) is never overwritten
     *   with a stale lease.
     */
    async leaseFeed(req) {
      return db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${FEED_LOCK})`);
        const busy = tx.selectDistinct({ p: documents.partnerId }).from(documents)
          .where(and(eq(documents.status, 'ready'), gt(documents.leaseUntil, req.now)));
        const leasable = and(
          eq(documents.status, 'ready'),
          eq(documents.test, req.test),
          or(isNull(documents.leaseUntil), lt(documents.leaseUntil, req.now)),
          req.type ? eq(documents.type, req.type) : undefined,
          req.partnerId ? eq(documents.partnerId, req.partnerId) : undefined,
        );
        // Two statements, not UPDATE ... WHERE seq IN (SELECT ... LIMIT n FOR UPDATE): PostgreSQL may
        // re-run such a subquery per row, and FOR UPDATE then skips the rows this UPDATE already
        // changed, so LIMIT let everything through (the contract test caught it).
        const candidates = await tx.select({ seq: documents.seq }).from(documents)
          .where(and(leasable, notInArray(documents.partnerId, busy)))
          .orderBy(asc(documents.seq)).limit(req.limit).for('update');
        if (candidates.length === 0) return [];
        const rows = await tx.update(documents)
          .set({ leaseUntil: req.leaseUntil, leaseCount: sql`${documents.leaseCount} + 1` })
          .where(and(inArray(documents.seq, candidates.map((c) => c.seq)), leasable))
          .returning();
        return rows.sort((a, b) => a.seq - b.seq);
      });
    },
    async ackFeed(ids, at) {
      if (ids.length === 0) return { acknowledged: [], unknown: [] };
      return db.transaction(async (tx) => {
        // rows locked in seq order, the order leaseFeed locks them in, so an ack racing a lease
        // (of documents whose lease ran out) waits instead of deadlocking
        const rows = await tx.select({ id: documents.id, status: documents.status }).from(documents).where(inArray(documents.id, ids))
          .orderBy(asc(documents.seq)).for('update');
        const found = rows.map((r) => r.id);
        if (found.length > 0) {
          await tx.update(documents).set({ status: 'delivered', deliveredAt: at, leaseUntil: null, updatedAt: at })
            .where(and(inArray(documents.id, found), ne(documents.status, 'delivered')));
          const deltas = new CountDeltas();
          for (const r of rows) deltas.move('documents', r.status, 'delivered');
          await count(tx as unknown as Db, deltas);
        }
        const known = new Set(found);
        return { acknowledged: found, unknown: ids.filter((i) => !known.has(i)) };
      });
    },
    async releaseFeed(ids) {
      if (ids.length === 0) return;
      await db.update(documents).set({ leaseUntil: null, leaseCount: sql`${documents.leaseCount} - 1` })
        .where(and(inArray(documents.id, ids), ne(documents.status, 'delivered')));
    },
  };
}
