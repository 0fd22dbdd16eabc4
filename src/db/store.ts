/**
 * The storage port the rest of the gateway uses. All SQL lives behind it (src/db/), so SQLite and
 * PostgreSQL implementations are interchangeable. Methods are async for PostgreSQL's sake.
 */
import type { EventStore, NewEvent } from '../events/event-store.ts';
import type { JobStore, NewJob } from '../jobs/job-store.ts';
import type { PortalMethods } from '../portal/portal-store.ts';
import type { As2EvidenceMethods } from '../transports/as2/evidence-store.ts';
import type { ConsoleMethods } from '../server/console/console-store.ts';
import type { TraceReads } from '../observability/trace-store.ts';
import type { RetentionMethods } from '../retention/retention-store.ts';
import type { AuditRow, DeliveryJobRow, DocumentRow, ExceptionRow, MessageRow } from './schema.ts';
import type { OpenExceptionCount } from './row-counts.ts';

export interface NewMessage {
  id: string;
  receivedAt: string;
  direction: 'inbound' | 'outbound';
  transport: string;
  partnerId: string | null;
  metadata: Record<string, string>;
  contentSha256: string;
  raw: Uint8Array;
  /**
   * set when the bytes were streamed into the file store as they arrived (a large message,
   * src/storage/spool.ts): the blob key, with `raw` empty and `size` the stored length
   */
  rawRef?: string;
  size?: number;
  test: boolean;
  /** default 'received' (to be processed); outbound messages are stored 'processed' */
  status?: 'received' | 'processed';
  relatedMessageId?: string;
  externalId?: string;
  /** jobs that commit in the message's transaction (the send of a stored functional ack): both or neither */
  jobs?: NewJob[];
}

export interface NewDocument {
  id: string;
  messageId: string;
  partnerId: string;
  type: string;
  direction: 'inbound' | 'outbound';
  businessKey: string | null;
  correlationId: string | null;
  envelope: unknown;
  status: 'held' | 'ready';
  test: boolean;
  at: string;
  /**
   * jobs that commit in the document's transaction when it is released: stored `ready` and
   * created or replaced (its ERP push, erp.push); nothing when held, kept or unchanged
   */
  jobs?: NewJob[];
  /**
   * business events (src/events/business-events.ts) that commit in the document's transaction when
   * it is created or replaced, held or not; nothing when kept or unchanged
   */
  events?: NewEvent[];
}

/** ship notices add to 'shipped', receipts to 'received', invoices to 'invoiced' (the running totals correlation reads) */
export type LineKind = 'shipped' | 'received' | 'invoiced';

/**
 * A running total of one PO line as documents name it (keys normalized: trimmed, upper-case,
 * line numbers without leading zeros; '' where the document gave none). Quantities are exact
 * decimal text ('12.5', '-3'), never floats.
 */
export interface LineTotal {
  kind: LineKind;
  lineNumber: string;
  buyerPart: string;
  vendorPart: string;
  quantity: string;
}

/** what storing one document changes in a PO's totals, under the document's business key */
export interface LineTotalDelta extends LineTotal {
  poNumber: string;
  businessKey: string;
}

export interface UpsertResult {
  /** created: new; replaced: existed, not yet delivered, envelope updated; kept: already delivered, left as it was */
  outcome: 'created' | 'replaced' | 'kept' | 'unchanged';
  previous?: DocumentRow;
}

export interface NewException {
  id: string;
  messageId: string;
  documentId?: string | null;
  partnerId: string | null;
  stage: string;
  code: string;
  message: string;
  detail: Record<string, unknown>;
  at: string;
  /** events beside exception.opened (which the store writes for every exception), in its transaction */
  events?: NewEvent[];
}

export interface ExceptionFilter {
  status?: 'open' | 'replayed' | 'discarded';
  partnerId?: string;
  messageId?: string;
  limit?: number;
  /** only rows older than this seq (the cursor of the previous page, newest first) */
  before?: number;
}

export interface FeedRequest {
  now: string;
  leaseUntil: string;
  limit: number;
  type?: string;
  partnerId?: string;
  test: boolean;
}

export interface InterchangeKey {
  standard: string;
  sender: string;
  receiver: string;
  controlNumber: string;
}

/**
 * Claims and leases: how several gateway nodes on one database share work. Times are ISO-8601 UTC
 * strings; `holder` is a node id (EDIGW_NODE_ID, or hostname and pid). Every call is one
 * conditional statement, so of two nodes asking at once exactly one wins.
 */
export interface ClaimMethods {
  /**
   * true when several gateway processes may use this database at once (PostgreSQL); false for the
   * embedded SQLite file, which one process owns: a claim or lease found there at start belongs to
   * a process that is gone.
   */
  readonly sharedByNodes: boolean;
  /**
   * Takes (or renews) the processing claim of a message until `until`: true when nobody holds it,
   * the holder's claim ran out before `now`, or `holder` already holds it. With `onlyReceived`, only
   * a message still waiting to be processed (status `received`) can be claimed. With `renew`, only
   * extends a claim `holder` still holds: a claim the final status cleared (updateMessage ends a
   * message's processing and its claim in one statement) is not taken again by a late renewal.
   */
  claimMessage(id: string, holder: string, until: string, now: string, opts?: { onlyReceived?: boolean; renew?: boolean }): Promise<boolean>;
  /** gives the claim back (only when `holder` holds it) */
  releaseMessage(id: string, holder: string): Promise<void>;
  /**
   * ids of inbound messages waiting to be processed (`received`) that nobody holds a live claim on,
   * received before `receivedBefore` when given (younger ones may still be in the queue of the
   * node that took them in), oldest first
   */
  resumableMessageIds(q: { now: string; receivedBefore?: string; limit: number }): Promise<string[]>;
  /**
   * Takes (or renews) the named lease until `until`: true when nobody holds it, the holder's lease
   * ran out before `now`, or `holder` already holds it.
   */
  acquireLease(name: string, holder: string, until: string, now: string): Promise<boolean>;
  /** gives the lease back at once (only when `holder` holds it) */
  releaseLease(name: string, holder: string): Promise<void>;
  /** the lease's holder and end, whether or not it ran out */
  getLease(name: string): Promise<{ holder: string; until: string } | undefined>;
  /** drops every message claim and lease (a single-node database at start); returns how many claims there were */
  clearClaimsAndLeases(): Promise<number>;
}

export interface Store extends ClaimMethods {
  /**
   * SQLite, the HTTP thread's store: the flag its writes raise while they wait for the file's write
   * lock; a processing thread opens its store with it (openStore `yieldTo`) and steps aside for
   * them (sqlite-write-priority.ts). Absent on PostgreSQL.
   */
  readonly writePriority?: SharedArrayBuffer;
  /** durable work (src/jobs/): the jobs table on this store's connection */
  readonly jobs: JobStore;
  /**
   * the business events' outbox and log (src/events/): addException writes exception.opened (and
   * ack.rejected), resolveExceptions exception.resolved, updateMessage to 'failed' message.failed,
   * upsertDocument its `events`, each in the change's own transaction
   */
  readonly events: EventStore;
  /** retention's statements and file store (src/retention/) */
  readonly retention: RetentionMethods;
  /** the partner outbox and the supplier portal's accounts and sessions (src/portal/) */
  readonly portal: PortalMethods;
  /** AS2 non-repudiation evidence: signed messages and MDNs as exchanged (src/transports/as2/evidence-store.ts) */
  readonly as2Evidence: As2EvidenceMethods;
  /** the console's searches, per-day counts and filtered lists (src/server/console/console-store.ts) */
  readonly console: ConsoleMethods;
  /** tracing's read (src/observability/trace-store.ts): the traceparent of the messages of fed documents, used only when tracing is on */
  readonly traces: TraceReads;
  /**
   * A message's raw bytes, wherever they are: the row's own, or the file store's once retention
   * archived them; a purged message throws `message_purged`. getMessage and findByExternalId already
   * return an archived message with its bytes (through this); rows from the lists (listMessages,
   * relatedMessages, findByContent, messagesToResume) carry an empty `raw` once archived: read those
   * through readRaw.
   */
  readRaw(m: MessageRow): Promise<Buffer>;
  /**
   * Runs a stretch of pipeline writes (the units of one time slice) as one transaction where that
   * saves work: SQLite commits them once instead of once per document (see sqlite-batch.ts);
   * PostgreSQL runs each write on its own. Commits callers rely on (insertMessage, control numbers,
   * feed acks) stay durable at once inside a batch.
   */
  batch<T>(fn: () => Promise<T>): Promise<T>;
  /** Commits the message (group commit: concurrent calls share one transaction) and resolves after the commit. */
  insertMessage(m: NewMessage): Promise<void>;
  getMessage(id: string): Promise<MessageRow | undefined>;
  /**
   * the earliest inbound message received before `excludeId` with the same bytes from the same
   * partner, if any: duplicate detection keys on direction (our own outbound 997's bytes posted back
   * to us are not a duplicate of the ack we sent)
   */
  findByContent(partnerId: string | null, contentSha256: string, excludeId: string): Promise<MessageRow | undefined>;
  findByExternalId(externalId: string): Promise<MessageRow | undefined>;
  /** outbound messages answering a message (functional acks, MDNs), oldest first */
  relatedMessages(messageId: string): Promise<MessageRow[]>;
  messagesToResume(limit: number): Promise<MessageRow[]>;
  updateMessage(id: string, fields: Partial<Pick<MessageRow, 'status' | 'partnerId' | 'format' | 'correlationId' | 'duplicateOf' | 'test'>>, at: string): Promise<void>;
  /** newest first; `before`: only rows older than this seq (the previous page's cursor); raw is empty in the rows (read it by id) */
  listMessages(filter: { partnerId?: string; status?: string; limit: number; before?: number }): Promise<MessageRow[]>;

  /**
   * Stores a document. In the same transaction it keeps the per-PO-line running totals
   * (lineTotals): a ship notice's or invoice's quantities are added when it is created, and on
   * 'replaced' what the previous envelope had is taken out first, so a replayed or re-stored
   * document is never counted twice ('kept' and 'unchanged' change nothing).
   */
  upsertDocument(d: NewDocument): Promise<UpsertResult>;
  getDocument(id: string): Promise<DocumentRow | undefined>;
  /** in order; at most `limit` when given (a large interchange has hundreds of thousands) */
  documentsForMessage(messageId: string, limit?: number): Promise<DocumentRow[]>;
  /** the same without their envelopes (what a message's view lists), in order, at most `limit` */
  documentSummariesForMessage(messageId: string, limit: number): Promise<Array<Pick<DocumentRow, 'id' | 'type' | 'status' | 'businessKey'>>>;
  /** newest first; `before`: only rows older than this seq (the previous page's cursor) */
  findDocuments(filter: { businessKey?: string; partnerId?: string; type?: string; limit: number; before?: number }): Promise<DocumentRow[]>;
  /** related documents by correlation id (PO number), oldest first */
  documentsByCorrelation(correlationId: string): Promise<DocumentRow[]>;
  /** the oldest document of `type` with this correlation id (the purchase order a PO number names) */
  firstCorrelated(correlationId: string, type: string): Promise<DocumentRow | undefined>;
  /**
   * The running totals of PO `poNumber` (normalized: trimmed, upper-case) kept by upsertDocument:
   * every kind's totals per named line; with `businessKey`, only what the documents of that kind
   * and normalized business key (a shipment id's re-sends) contributed.
   */
  lineTotals(poNumber: string, businessKey?: { kind: LineKind; key: string }): Promise<LineTotal[]>;
  leaseFeed(req: FeedRequest): Promise<DocumentRow[]>;
  ackFeed(ids: string[], at: string): Promise<{ acknowledged: string[]; unknown: string[] }>;
  /** gives leased documents back at once (a throttle kept them from this batch) */
  releaseFeed(ids: string[]): Promise<void>;

  addException(e: NewException): Promise<void>;
  getException(id: string): Promise<ExceptionRow | undefined>;
  listExceptions(filter: ExceptionFilter): Promise<ExceptionRow[]>;
  /** marks the open exceptions of a message resolved (replayed or discarded) */
  resolveExceptions(messageId: string, status: 'replayed' | 'discarded', by: string, at: string): Promise<number>;

  /** records that a message carried an interchange; idempotent per message */
  recordInterchange(messageId: string, partnerId: string | null, key: InterchangeKey, at: string): Promise<void>;
  /** the first message that carried this interchange key since `since`, other than `excludeMessageId` */
  findInterchange(key: InterchangeKey, since: string, excludeMessageId: string): Promise<string | undefined>;

  /** adds a push job for a document (once per document and target); false when it already exists */
  enqueueDelivery(job: { id: string; documentId: string; partnerId: string; target: string; at: string }): Promise<boolean>;
  /** partners with pending jobs for a target */
  deliveryPartners(target: string): Promise<string[]>;
  /** a partner's first pending jobs in enqueue order, with the document's envelope and message */
  pendingDeliveries(target: string, partnerId: string, limit: number): Promise<Array<DeliveryJobRow & { envelope: string; messageId: string }>>;
  /** a target's pending jobs of every partner, oldest first, whether or not they point at a document (e.g. async MDN posts) */
  pendingJobs(target: string, limit: number): Promise<DeliveryJobRow[]>;
  getDeliveryJob(id: string): Promise<DeliveryJobRow | undefined>;
  /** the job of a target whose recorded outcome (lastError JSON) has `key` = `value`, e.g. an AS2 Message-ID */
  findDeliveryByOutcome(target: string, key: string, value: string): Promise<DeliveryJobRow | undefined>;
  /** takes the lease when the job is pending and not leased at `now` */
  leaseDelivery(id: string, until: string, now: string): Promise<boolean>;
  updateDelivery(id: string, fields: Partial<Pick<DeliveryJobRow, 'status' | 'attempts' | 'nextAttemptAt' | 'leaseUntil' | 'lastError'>>, at: string): Promise<void>;

  /** atomically issues the next control number (1..max, rolling over to 1), never reusing one after a crash */
  nextControlNumber(partnerId: string, kind: string, max: number, at: string): Promise<number>;

  audit(entry: Omit<AuditRow, 'seq' | 'detail'> & { detail?: Record<string, unknown> }): Promise<void>;
  counts(): Promise<Record<string, number>>;
  /** open exceptions per partner and error code, from row_counts (a row per pair, whatever the history) */
  openExceptionCounts(): Promise<OpenExceptionCount[]>;
  close(): Promise<void>;
}
