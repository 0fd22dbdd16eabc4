import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import path from 'node:path';
import { exceptionEvents, exceptionsResolvedEvent, messageFailedEvent } from '../events/business-events.ts';
import { createSqliteEvents } from '../events/sqlite-events.ts';
import { createSqliteJobs } from '../jobs/sqlite-jobs.ts';
import { withArchivedBytes } from '../retention/raw-bytes.ts';
import { createSqliteRetention } from '../retention/sqlite-retention.ts';
import { createSqlitePortal } from '../portal/portal-sql.ts';
import { createSqliteAs2Evidence } from '../transports/as2/evidence-store.ts';
import { createSqliteConsole } from '../server/console/console-store.ts';
import { createSqliteTraceReads } from '../observability/trace-store.ts';
import { createBlobStore } from '../storage/blob-store.ts';
import { createGroupCommit } from './group-commit.ts';
import { createWritePriority, type WritePriority } from './sqlite-write-priority.ts';
import { createSqliteClaims } from './sqlite-claims.ts';
import { createSqliteLineTotals } from './line-totals-sqlite.ts';
import { openSqlite, type SqliteDb } from './open-sqlite.ts';
import { outcomeKey } from './outcome-key.ts';
import { countsFromRows, OPEN_EXCEPTIONS_WHERE, openExceptionsFromRows } from './row-counts.ts';
import { prepareFeedLease } from './sqlite-feed.ts';
import { auditLog, controlNumbers, deliveryJobs, documents, exceptions, interchanges, messages, rowCounts } from './schema.ts';
import type { NewMessage, Store } from './store.ts';
import { documentSearchKeys } from './search-keys.ts';
import type Database from 'better-sqlite3';

const p = sql.placeholder;
/** a placeholder in UPDATE … SET (drizzle types SET values as SQL; bound as given: booleans as 0/1) */
const setTo = (name: string) => sql`${p(name)}`;
type MessageFields = Parameters<Store['updateMessage']>[1] & { claimedBy?: null; claimUntil?: null };

/**
 * The intake and pipeline paths' statements, built and prepared once (drizzle `.prepare()` on better-sqlite3):
 * building a drizzle query costs more than running it on these one-row lookups.
 */
function prepareIntakeStatements(db: SqliteDb) {
  const byContent = (withPartner: boolean) => db.select().from(messages).where(and(
    withPartner ? eq(messages.partnerId, p('partnerId')) : isNull(messages.partnerId),
    eq(messages.contentSha256, p('hash')), eq(messages.direction, 'inbound'), ne(messages.status, 'duplicate'),
    sql`${messages.seq} < (SELECT m2.seq FROM messages m2 WHERE m2.id = ${p('excludeId')})`,
  )).orderBy(asc(messages.seq)).limit(1).prepare();
  const interchangeKey = and(
    eq(interchanges.standard, p('standard')), eq(interchanges.sender, p('sender')),
    eq(interchanges.receiver, p('receiver')), eq(interchanges.controlNumber, p('controlNumber')),
  );
  /** one UPDATE per set of columns changed (at most 2^6) */
  const updates = new Map<string, { run(values: Record<string, unknown>): unknown }>();
  return {
    insertMessage: db.insert(messages).values({
      id: p('id'), receivedAt: p('receivedAt'), direction: p('direction'), transport: p('transport'), partnerId: p('partnerId'),
      metadata: p('metadata'), contentSha256: p('contentSha256'), size: p('size'), raw: p('raw'), rawRef: p('rawRef'), status: p('status'), test: p('test'),
      updatedAt: p('receivedAt'), relatedMessageId: p('relatedMessageId'), externalId: p('externalId'),
    }).prepare(),
    getMessage: db.select().from(messages).where(eq(messages.id, p('id'))).prepare(),
    byContentOfPartner: byContent(true),
    byContentOfNoPartner: byContent(false),
    updateMessage(fields: MessageFields) {
      const keys = (Object.keys(fields) as Array<keyof MessageFields>).filter((k) => fields[k] !== undefined).sort();
      const name = keys.join(',');
      let stmt = updates.get(name);
      if (!stmt) {
        const set = Object.fromEntries([...keys.map((k) => [k, setTo(k)]), ['updatedAt', setTo('updatedAt')]]) as Record<keyof MessageFields | 'updatedAt', SQL>;
        stmt = db.update(messages).set(set).where(eq(messages.id, p('id'))).prepare();
        updates.set(name, stmt);
      }
      return stmt;
    },
    getDocument: db.select().from(documents).where(eq(documents.id, p('id'))).prepare(),
    firstCorrelated: db.select().from(documents).where(and(eq(documents.correlationId, p('correlationId')), eq(documents.type, p('type'))))
      .orderBy(asc(documents.seq)).limit(1).prepare(),
    resolveExceptions: db.update(exceptions).set({ status: setTo('status'), resolvedAt: setTo('at'), resolvedBy: setTo('by') })
      .where(and(eq(exceptions.messageId, p('messageId')), eq(exceptions.status, 'open'))).prepare(),
    insertDocument: db.insert(documents).values({
      id: p('id'), messageId: p('messageId'), partnerId: p('partnerId'), type: p('type'), direction: p('direction'),
      businessKey: p('businessKey'), correlationId: p('correlationId'), envelope: p('envelope'), status: p('status'), test: p('test'),
      createdAt: p('at'), updatedAt: p('at'),
    }).prepare(),
    updateDocument: db.update(documents).set({
      envelope: setTo('envelope'), status: setTo('status'), businessKey: setTo('businessKey'), correlationId: setTo('correlationId'),
      type: setTo('type'), test: setTo('test'), updatedAt: setTo('at'),
    }).where(eq(documents.id, p('id'))).prepare(),
    interchangeOfMessage: db.select({ s: interchanges.seq }).from(interchanges)
      .where(and(eq(interchanges.messageId, p('messageId')), interchangeKey)).prepare(),
    insertInterchange: db.insert(interchanges).values({
      messageId: p('messageId'), partnerId: p('partnerId'), standard: p('standard'), sender: p('sender'),
      receiver: p('receiver'), controlNumber: p('controlNumber'), receivedAt: p('at'),
    }).prepare(),
    deliveryPartners: db.selectDistinct({ p: deliveryJobs.partnerId }).from(deliveryJobs)
      .where(and(eq(deliveryJobs.target, p('target')), eq(deliveryJobs.status, 'pending'))).prepare(),
    rowCounts: db.select({ name: rowCounts.name, value: sql<number>`sum(${rowCounts.value})` }).from(rowCounts).groupBy(rowCounts.name).prepare(),
    findInterchange: db.select({ m: interchanges.messageId }).from(interchanges).where(and(
      interchangeKey, gt(interchanges.receivedAt, p('since')), ne(interchanges.messageId, p('excludeMessageId')),
    )).orderBy(asc(interchanges.seq)).limit(1).prepare(),
  };
}

/** how long intake tries again a message batch the lock refused (group-commit.ts) before its 503 */
export const INTAKE_LOCK_WAIT_MS = 2_000;
/** a processing thread's busy timeout: its wait holds only its own thread, so it waits for intake instead of failing */
export const PROCESSING_BUSY_TIMEOUT_MS = 5_000;

export interface SqliteStoreOptions {
  blobDir?: string;
  /**
   * a processing thread's store: the HTTP thread's Store.writePriority. Its batches step aside while
   * the HTTP thread waits for the lock, and it waits PROCESSING_BUSY_TIMEOUT_MS itself (sqlite-write-priority.ts)
   */
  yieldTo?: SharedArrayBuffer;
}

/** the HTTP thread's writes that take the write lock outside a durable commit: each raises the priority flag while it runs */
const RAISING_WRITES = ['updateMessage', 'upsertDocument', 'leaseFeed', 'releaseFeed', 'addException', 'resolveExceptions', 'recordInterchange',
  'enqueueDelivery', 'leaseDelivery', 'updateDelivery', 'audit', 'claimMessage', 'releaseMessage', 'acquireLease', 'releaseLease', 'clearClaimsAndLeases'];
const RAISING_JOB_WRITES = ['enqueue', 'claim', 'renew', 'complete', 'retryLater', 'passTurn', 'fail', 'releaseRunning', 'failAbandoned', 'cancel', 'retry'];
const RAISING_EVENT_WRITES = ['append', 'setPosition', 'addDeadLetter', 'markReplayed'];

/** a copy of `obj` (a plain object of methods) with the named methods raising `p` while their synchronous part (the SQL) runs */
function raisingWrites<T extends object>(obj: T, names: string[], p: WritePriority): T {
  const o = { ...obj } as Record<string, unknown>;
  for (const name of names) {
    const fn = (obj as Record<string, unknown>)[name];
    if (typeof fn !== 'function') continue;
    o[name] = (...args: unknown[]) => {
      p.raise();
      try { return (fn as (...a: unknown[]) => unknown).apply(obj, args); } finally { p.lower(); }
    };
  }
  return o as T;
}

/** The embedded default: one SQLite file in WAL mode; archived raw bytes in `blobDir` (default: blobs/ beside the file). */
export function createSqliteStore(file: string, opts: SqliteStoreOptions = {}): Store {
  // intake before processing (sqlite-write-priority.ts): the HTTP thread's store raises the flag, a processing thread's yields to it
  const priority = createWritePriority(opts.yieldTo);
  const raising = opts.yieldTo ? undefined : priority;
  const { db, raw, durably, batch, write, close } = openSqlite(file, {
    priority: { side: raising ? 'raise' : 'yield', flag: priority },
    ...(raising ? {} : { busyTimeoutMs: PROCESSING_BUSY_TIMEOUT_MS }),
  });
  const blobDir = opts.blobDir ?? (file === ':memory:' ? undefined : path.join(path.dirname(file), 'blobs'));
  const retention = createSqliteRetention(raw, blobDir ? createBlobStore(blobDir) : undefined);
  const withBytes = withArchivedBytes(retention.readRaw);
  const q = prepareIntakeStatements(db);
  const lineTotals = createSqliteLineTotals(raw);

  const jobs = raising ? raisingWrites(createSqliteJobs(raw), RAISING_JOB_WRITES, raising) : createSqliteJobs(raw);
  const events = raising ? raisingWrites(createSqliteEvents(raw), RAISING_EVENT_WRITES, raising) : createSqliteEvents(raw);
  const inTx = { dialect: 'sqlite' as const, db: raw };
  const partnerOfMessage = raw.prepare<[string]>('SELECT partner_id FROM messages WHERE id = ?').pluck();
  const statusOfMessage = raw.prepare<[string]>('SELECT status FROM messages WHERE id = ?').pluck();
  const statusesOfDocuments = raw.prepare<[string]>("SELECT id, status FROM documents WHERE id IN (SELECT value FROM json_each(?))");
  const resolveOpen = raw.prepare(`UPDATE exceptions SET status = @status, resolved_at = @at, resolved_by = @by
    WHERE message_id = @messageId AND status = 'open' RETURNING partner_id AS partnerId, code`);
  const openExceptionRows = raw.prepare(`SELECT name, value FROM row_counts WHERE ${OPEN_EXCEPTIONS_WHERE}`);
  const searchKeys = createSearchKeyWriter(raw);
  const insertMessages = createGroupCommit<NewMessage>((batch) => {
    durably(() => write((counts) => {
      for (const m of batch) {
        q.insertMessage.run({
          id: m.id, receivedAt: m.receivedAt, direction: m.direction, transport: m.transport,
          partnerId: m.partnerId, metadata: JSON.stringify(m.metadata), contentSha256: m.contentSha256,
          size: m.rawRef ? m.size ?? 0 : m.raw.byteLength, raw: Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength), rawRef: m.rawRef ?? null,
          status: m.status ?? 'received', test: m.test, relatedMessageId: m.relatedMessageId ?? null, externalId: m.externalId ?? null,
        });
        // written (or thrown) synchronously, in this transaction: the message and its jobs commit together
        for (const j of m.jobs ?? []) void jobs.enqueue({ dialect: 'sqlite', db: raw }, j);
        counts.add('messages', m.status ?? 'received');
      }
    }));
  }, { lockWaitMs: INTAKE_LOCK_WAIT_MS, ...(raising ? { priority: raising } : {}) });

  const leaseFeedStatement = prepareFeedLease(db);
  const nextControlTx = (partnerId: string, kind: string, max: number, at: string) => durably(() => {
    const row = db.select().from(controlNumbers)
      .where(and(eq(controlNumbers.partnerId, partnerId), eq(controlNumbers.kind, kind))).get();
    const next = !row || row.value >= max ? 1 : row.value + 1;
    if (row) {
      db.update(controlNumbers).set({ value: next, updatedAt: at })
        .where(and(eq(controlNumbers.partnerId, partnerId), eq(controlNumbers.kind, kind))).run();
    } else {
      db.insert(controlNumbers).values({ partnerId, kind, value: next, updatedAt: at }).run();
    }
    return next;
  });

  const store: Store = {
    ...createSqliteClaims(raw),
    ...(raising ? { writePriority: priority.buffer } : {}),
    jobs,
    events,
    retention,
    portal: createSqlitePortal(raw),
    as2Evidence: createSqliteAs2Evidence(raw),
    console: createSqliteConsole(raw),
    traces: createSqliteTraceReads(raw),
    readRaw: retention.readRaw,
    batch,
    insertMessage: insertMessages,
    async getMessage(id) {
      return withBytes(q.getMessage.get({ id }));
    },
    async findByContent(partnerId, hash, excludeId) {
      return partnerId === null
        ? q.byContentOfNoPartner.get({ hash, excludeId })
        : q.byContentOfPartner.get({ partnerId, hash, excludeId });
    },
    async findByExternalId(externalId) {
      return withBytes(db.select().from(messages).where(eq(messages.externalId, externalId)).orderBy(asc(messages.seq)).limit(1).get());
    },
    async relatedMessages(messageId) {
      return db.select().from(messages).where(eq(messages.relatedMessageId, messageId)).orderBy(asc(messages.seq)).all();
    },
    async messagesToResume(limit) {
      return db.select().from(messages).where(and(eq(messages.status, 'received'), eq(messages.direction, 'inbound'))).orderBy(asc(messages.seq)).limit(limit).all();
    },
    async updateMessage(id, fields, at) {
      // the status that ends processing clears the message's claim in the same statement (a node
      // dying before it released the claim leaves none behind on a processed message)
      const set = fields.status !== undefined && fields.status !== 'received' ? { ...fields, claimedBy: null, claimUntil: null } : fields;
      const update = () => q.updateMessage(set).run({ ...set, ...(fields.test !== undefined ? { test: fields.test ? 1 : 0 } : {}), updatedAt: at, id });
      if (fields.status === undefined) { update(); return; }
      write((counts) => {
        const before = statusOfMessage.get(id) as string | undefined;
        update();
        if (before !== undefined) counts.move('messages', before, fields.status!);
        // the failure and its message.failed event commit together
        if (fields.status === 'failed') void events.append(inTx, [messageFailedEvent({ messageId: id, partnerId: fields.partnerId ?? (partnerOfMessage.get(id) as string | null | undefined) ?? null, at })]);
      });
    },
    async listMessages(f) {
      // a page of messages never reads their bytes (a list of large messages would read them all)
      const { raw: _bytes, ...listed } = getTableColumns(messages);
      return db.select({ ...listed, raw: sql<Buffer>`x''` }).from(messages).where(and(
        f.partnerId ? eq(messages.partnerId, f.partnerId) : undefined,
        f.status ? eq(messages.status, f.status as 'received') : undefined,
        f.before !== undefined ? lt(messages.seq, f.before) : undefined,
      )).orderBy(desc(messages.seq)).limit(f.limit).all();
    },

    async upsertDocument(d) {
      const envelope = JSON.stringify(d.envelope);
      // written (or thrown) synchronously, in this transaction: the released document and its push commit together
      const released = () => {
        if (d.status === 'ready') for (const j of d.jobs ?? []) void jobs.enqueue({ dialect: 'sqlite', db: raw }, j);
        if (d.events?.length) void events.append(inTx, d.events);
      };
      return write((counts) => {
        const previous = q.getDocument.get({ id: d.id });
        if (!previous) {
          q.insertDocument.run({
            id: d.id, messageId: d.messageId, partnerId: d.partnerId, type: d.type, direction: d.direction,
            businessKey: d.businessKey, correlationId: d.correlationId, envelope, status: d.status, test: d.test, at: d.at,
          });
          lineTotals.record(undefined, { type: d.type, envelope: d.envelope });
          searchKeys.add(d);
          released();
          counts.add('documents', d.status);
          return { outcome: 'created' as const };
        }
        if (previous.status === 'delivered') return { outcome: 'kept' as const, previous };
        if (previous.envelope === envelope && previous.status === d.status) return { outcome: 'unchanged' as const, previous };
        q.updateDocument.run({
          id: d.id, envelope, status: d.status, businessKey: d.businessKey, correlationId: d.correlationId, type: d.type, test: d.test ? 1 : 0, at: d.at,
        });
        lineTotals.record(previous, { type: d.type, envelope: d.envelope });
        released();
        counts.move('documents', previous.status, d.status);
        return { outcome: 'replaced' as const, previous };
      });
    },
    async getDocument(id) {
      return q.getDocument.get({ id });
    },
    async documentSummariesForMessage(messageId, limit) {
      return db.select({ id: documents.id, type: documents.type, status: documents.status, businessKey: documents.businessKey })
        .from(documents).where(eq(documents.messageId, messageId)).orderBy(asc(documents.seq)).limit(limit).all();
    },
    async documentsForMessage(messageId, limit) {
      const q = db.select().from(documents).where(eq(documents.messageId, messageId)).orderBy(asc(documents.seq));
      return (limit === undefined ? q : q.limit(limit)).all();
    },
    async findDocuments(f) {
      return db.select().from(documents).where(and(
        f.businessKey ? eq(documents.businessKey, f.businessKey) : undefined,
        f.partnerId ? eq(documents.partnerId, f.partnerId) : undefined,
        f.type ? eq(documents.type, f.type) : undefined,
        f.before !== undefined ? lt(documents.seq, f.before) : undefined,
      )).orderBy(desc(documents.seq)).limit(f.limit).all();
    },
    async documentsByCorrelation(correlationId) {
      return db.select().from(documents).where(eq(documents.correlationId, correlationId)).orderBy(asc(documents.seq)).all();
    },
    async firstCorrelated(correlationId, type) {
      return q.firstCorrelated.get({ correlationId, type });
    },
    async lineTotals(poNumber, businessKey) {
      return lineTotals.read(poNumber, businessKey);
    },
    async leaseFeed(req) {
      return leaseFeedStatement(req);
    },
    async ackFeed(ids, at) {
      if (ids.length === 0) return { acknowledged: [], unknown: [] };
      return durably(() => write((counts) => {
        const rows = statusesOfDocuments.all(JSON.stringify(ids)) as Array<{ id: string; status: string }>;
        const found = rows.map((r) => r.id);
        db.update(documents).set({ status: 'delivered', deliveredAt: at, leaseUntil: null, updatedAt: at })
          .where(and(inArray(documents.id, found), ne(documents.status, 'delivered'))).run();
        for (const r of rows) counts.move('documents', r.status, 'delivered');
        const known = new Set(found);
        return { acknowledged: found, unknown: ids.filter((i) => !known.has(i)) };
      }));
    },
    async releaseFeed(ids) {
      if (ids.length === 0) return;
      db.update(documents).set({ leaseUntil: null, leaseCount: sql`${documents.leaseCount} - 1` }).where(and(inArray(documents.id, ids), ne(documents.status, 'delivered'))).run();
    },

    async addException(e) {
      // the exception and its events (exception.opened, ack.rejected) commit together
      write((counts) => {
        db.insert(exceptions).values({
          id: e.id, messageId: e.messageId, documentId: e.documentId ?? null, partnerId: e.partnerId, stage: e.stage,
          code: e.code, message: e.message, detail: JSON.stringify(e.detail), status: 'open', createdAt: e.at,
        }).run();
        void events.append(inTx, [...exceptionEvents(e), ...(e.events ?? [])]);
        counts.add('exceptions', 'open').openExceptions(e.partnerId, e.code);
      });
    },
    async getException(id) {
      return db.select().from(exceptions).where(eq(exceptions.id, id)).get();
    },
    async listExceptions(f) {
      return db.select().from(exceptions).where(and(
        f.status ? eq(exceptions.status, f.status) : undefined,
        f.partnerId ? eq(exceptions.partnerId, f.partnerId) : undefined,
        f.messageId ? eq(exceptions.messageId, f.messageId) : undefined,
        f.before !== undefined ? lt(exceptions.seq, f.before) : undefined,
      )).orderBy(desc(exceptions.seq)).limit(f.limit ?? 100).all();
    },
    async resolveExceptions(messageId, status, by, at) {
      return write((counts) => {
        const resolved = resolveOpen.all({ messageId, status, at, by }) as Array<{ partnerId: string | null; code: string }>;
        if (resolved.length > 0) void events.append(inTx, [exceptionsResolvedEvent({ messageId, partnerId: resolved[0]!.partnerId ?? null, status, by, count: resolved.length, at })]);
        counts.move('exceptions', 'open', status, resolved.length);
        for (const r of resolved) counts.openExceptions(r.partnerId, r.code, -1);
        return resolved.length;
      });
    },

    async recordInterchange(messageId, partnerId, k, at) {
      const key = { standard: k.standard, sender: k.sender, receiver: k.receiver, controlNumber: k.controlNumber };
      if (!q.interchangeOfMessage.get({ messageId, ...key })) q.insertInterchange.run({ messageId, partnerId, ...key, at });
    },
    async findInterchange(k, since, excludeMessageId) {
      return q.findInterchange.get({ standard: k.standard, sender: k.sender, receiver: k.receiver, controlNumber: k.controlNumber, since, excludeMessageId })?.m;
    },

    async enqueueDelivery(j) {
      const r = db.insert(deliveryJobs).values({
        id: j.id, documentId: j.documentId, partnerId: j.partnerId, target: j.target, status: 'pending',
        nextAttemptAt: j.at, createdAt: j.at, updatedAt: j.at,
      }).onConflictDoNothing().run();
      return r.changes > 0;
    },
    async deliveryPartners(target) {
      return q.deliveryPartners.all({ target }).map((r) => r.p);
    },
    async pendingDeliveries(target, partnerId, limit) {
      return db.select({ job: deliveryJobs, envelope: documents.envelope, messageId: documents.messageId })
        .from(deliveryJobs).innerJoin(documents, eq(documents.id, deliveryJobs.documentId))
        .where(and(eq(deliveryJobs.target, target), eq(deliveryJobs.partnerId, partnerId), eq(deliveryJobs.status, 'pending')))
        .orderBy(asc(deliveryJobs.seq)).limit(limit).all()
        .map((r) => ({ ...r.job, envelope: r.envelope, messageId: r.messageId }));
    },
    async pendingJobs(target, limit) {
      return db.select().from(deliveryJobs)
        .where(and(eq(deliveryJobs.target, target), eq(deliveryJobs.status, 'pending')))
        .orderBy(asc(deliveryJobs.seq)).limit(limit).all();
    },
    async findDeliveryByOutcome(target, key, value) {
      const path = sql.raw(`'$.${outcomeKey(key)}'`);
      return db.select().from(deliveryJobs).where(and(
        eq(deliveryJobs.target, target), sql`json_valid(${deliveryJobs.lastError}) AND json_extract(${deliveryJobs.lastError}, ${path}) = ${value}`,
      )).orderBy(desc(deliveryJobs.seq)).limit(1).get();
    },
    async getDeliveryJob(id) {
      return db.select().from(deliveryJobs).where(eq(deliveryJobs.id, id)).get();
    },
    async leaseDelivery(id, until, now) {
      return db.update(deliveryJobs).set({ leaseUntil: until }).where(and(
        eq(deliveryJobs.id, id), eq(deliveryJobs.status, 'pending'),
        or(isNull(deliveryJobs.leaseUntil), lt(deliveryJobs.leaseUntil, now)),
      )).run().changes > 0;
    },
    async updateDelivery(id, fields, at) {
      if (fields.status === 'delivered') durably(() => db.update(deliveryJobs).set({ ...fields, updatedAt: at }).where(eq(deliveryJobs.id, id)).run());
      else db.update(deliveryJobs).set({ ...fields, updatedAt: at }).where(eq(deliveryJobs.id, id)).run();
    },

    async nextControlNumber(partnerId, kind, max, at) {
      return nextControlTx(partnerId, kind, max, at);
    },
    async audit(entry) {
      db.insert(auditLog).values({ ...entry, detail: JSON.stringify(entry.detail ?? {}) }).run();
    },
    async counts() {
      return countsFromRows(q.rowCounts.all());
    },
    async openExceptionCounts() {
      return openExceptionsFromRows(openExceptionRows.all() as Array<{ name: string; value: number }>);
    },
    async close() {
      close();
    },
  };
  return raising ? raisingWrites(store, RAISING_WRITES, raising) : store;
}

/**
 * Writes a new document's search keys (search-keys.ts) in its transaction, at its message's
 * receipt time. A large interchange's documents share their interchange and group numbers: each
 * (key, message) is written once, the same message's repeats skipped here before the unique index.
 */
function createSearchKeyWriter(raw: Database.Database) {
  const insert = raw.prepare('INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at) VALUES (?, ?, ?, ?, ?)');
  const receivedAt = raw.prepare<[string]>('SELECT received_at FROM messages WHERE id = ?').pluck();
  let message: { id: string; at: string; written: Set<string> } | undefined;
  return {
    add(d: { messageId: string; partnerId: string; envelope: unknown; businessKey: string | null | undefined; at: string }): void {
      if (message?.id !== d.messageId) {
        message = { id: d.messageId, at: (receivedAt.get(d.messageId) as string | undefined) ?? d.at, written: new Set() };
      }
      for (const k of documentSearchKeys(d.envelope, d.businessKey)) {
        const shared = k.kind === 'interchange' || k.kind === 'group';
        if (shared && message.written.has(k.key)) continue;
        insert.run(k.key, k.kind, d.messageId, d.partnerId, message.at);
        if (shared) message.written.add(k.key);
      }
    },
  };
}
