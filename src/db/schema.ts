/**
 * The gateway's tables (SQLite dialect). Row types come from drizzle's $inferSelect: one source of
 * truth. Times are ISO-8601 UTC strings, JSON columns are text, raw bytes are blobs, so the same
 * schema maps 1:1 onto PostgreSQL (text, jsonb-as-text, bytea).
 */
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Every message that reached the gateway, with its exact bytes, stored before the sender is acknowledged. */
export const messages = sqliteTable('messages', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull(),
  receivedAt: text('received_at').notNull(),
  direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull().default('inbound'),
  transport: text('transport').notNull(),
  partnerId: text('partner_id'),
  metadata: text('metadata').notNull().default('{}'),
  contentSha256: text('content_sha256').notNull(),
  size: integer('size').notNull(),
  raw: blob('raw', { mode: 'buffer' }).notNull(),
  /** received → processed | failed | duplicate; processing is resumed at start for `received` */
  status: text('status', { enum: ['received', 'processed', 'failed', 'duplicate'] }).notNull(),
  format: text('format'),
  correlationId: text('correlation_id'),
  duplicateOf: text('duplicate_of'),
  test: integer('test', { mode: 'boolean' }).notNull().default(false),
  updatedAt: text('updated_at').notNull(),
  /** for outbound answers (functional acks, MDNs): the inbound message answered */
  relatedMessageId: text('related_message_id'),
  /** a transport's own key for the message (e.g. the AS2 MDN for a Message-ID from a sender) */
  externalId: text('external_id'),
  /** the node processing the message right now (migration 0005/0003), until claimUntil; null when nobody is */
  claimedBy: text('claimed_by'),
  claimUntil: text('claim_until'),
  /** retention (migration 0010, src/retention): the blob key once the raw bytes moved to the file store */
  rawRef: text('raw_ref'),
  archivedAt: text('archived_at'),
  /** the raw bytes were purged (metadata kept); purgePolicy is the JSON of the policy that purged them */
  purgedAt: text('purged_at'),
  purgePolicy: text('purge_policy'),
}, (t) => [
  index('messages_external').on(t.externalId),
  uniqueIndex('messages_id').on(t.id),
  index('messages_related').on(t.relatedMessageId),
  index('messages_status').on(t.status),
  index('messages_partner_hash').on(t.partnerId, t.contentSha256),
  index('messages_partner').on(t.partnerId, t.seq),
]);

/** Canonical documents produced from messages; `seq` orders the ERP feed (per partner: order received). */
export const documents = sqliteTable('documents', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull(),
  messageId: text('message_id').notNull(),
  partnerId: text('partner_id').notNull(),
  type: text('type').notNull(),
  direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
  /** PO number / shipment id / invoice number: what operators search by */
  businessKey: text('business_key'),
  correlationId: text('correlation_id'),
  envelope: text('envelope').notNull(),
  /** held: a rule or throttle keeps it back; ready: in the feed; delivered: the ERP acked it */
  status: text('status', { enum: ['held', 'ready', 'delivered'] }).notNull(),
  test: integer('test', { mode: 'boolean' }).notNull().default(false),
  leaseUntil: text('lease_until'),
  leaseCount: integer('lease_count').notNull().default(0),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deliveredAt: text('delivered_at'),
}, (t) => [
  uniqueIndex('documents_id').on(t.id),
  index('documents_feed').on(t.status, t.test, t.seq),
  index('documents_business_key').on(t.businessKey),
  index('documents_message').on(t.messageId),
  // documents_correlation dropped (sqlite 0011 / postgres 0009): documents_correlation_type (correlation_id, type, seq) serves those lookups
  index('documents_type').on(t.type, t.seq),
  index('documents_partner').on(t.partnerId, t.seq),
  // documents_ready_lease (lease_until WHERE status = 'ready'): partial, declared in migration 0006
]);

/** The exception queue: a stage failed for a message; it waits for a fix, then a replay or a discard. */
export const exceptions = sqliteTable('exceptions', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull(),
  messageId: text('message_id').notNull(),
  documentId: text('document_id'),
  partnerId: text('partner_id'),
  stage: text('stage').notNull(),
  code: text('code').notNull(),
  message: text('message').notNull(),
  detail: text('detail').notNull().default('{}'),
  status: text('status', { enum: ['open', 'replayed', 'discarded'] }).notNull(),
  createdAt: text('created_at').notNull(),
  resolvedAt: text('resolved_at'),
  resolvedBy: text('resolved_by'),
}, (t) => [
  uniqueIndex('exceptions_id').on(t.id),
  index('exceptions_status').on(t.status, t.partnerId),
  index('exceptions_message').on(t.messageId),
]);

/** Push deliveries to the ERP (when EDIGW_ERP_URL is set) and outbound sends to partners. */
export const deliveryJobs = sqliteTable('delivery_jobs', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull(),
  documentId: text('document_id').notNull(),
  partnerId: text('partner_id').notNull(),
  target: text('target').notNull(),
  status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: text('next_attempt_at').notNull(),
  leaseUntil: text('lease_until'),
  lastError: text('last_error'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [
  uniqueIndex('delivery_jobs_id').on(t.id),
  uniqueIndex('delivery_jobs_doc_target').on(t.documentId, t.target),
  index('delivery_jobs_due').on(t.status, t.nextAttemptAt),
  index('delivery_jobs_partner').on(t.target, t.partnerId, t.status, t.seq),
  index('delivery_jobs_pending').on(t.target, t.status, t.partnerId),
  // delivery_jobs_outcome_as2 / _mdn (expression indexes on last_error): declared in migration 0006
]);

/** Interchange control numbers: the last one issued per partner and kind (isa, gs, st, unb, unh). */
export const controlNumbers = sqliteTable('control_numbers', {
  partnerId: text('partner_id').notNull(),
  kind: text('kind').notNull(),
  value: integer('value').notNull(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [uniqueIndex('control_numbers_pk').on(t.partnerId, t.kind)]);

/** Interchanges received, for duplicate detection by control number within a window. */
export const interchanges = sqliteTable('interchanges', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  messageId: text('message_id').notNull(),
  partnerId: text('partner_id'),
  standard: text('standard').notNull(),
  sender: text('sender').notNull(),
  receiver: text('receiver').notNull(),
  controlNumber: text('control_number').notNull(),
  receivedAt: text('received_at').notNull(),
}, (t) => [index('interchanges_lookup').on(t.standard, t.sender, t.receiver, t.controlNumber)]);

/**
 * Row counts by table and status ('messages:received', 'documents:ready', …), kept by triggers in
 * the transaction that changes a row (migration 0006), so /healthz and /metrics never count a table.
 */
export const rowCounts = sqliteTable('row_counts', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

/** Who did what: replays, discards, acks, refused credentials. */
export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject'),
  detail: text('detail').notNull().default('{}'),
});

/**
 * Durable work (migration 0008): one row per job, the row is its state machine. Claimed and
 * settled by src/jobs/ (raw SQL: UPDATE … RETURNING here, FOR UPDATE SKIP LOCKED on PostgreSQL);
 * payload and outcome are JSON text. Partial indexes jobs_due, jobs_lock, jobs_queue: in the migration.
 */
export const jobs = sqliteTable('jobs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind').notNull(),
  queue: text('queue').notNull(),
  key: text('key'),
  payload: text('payload').notNull().default('{}'),
  state: text('state', { enum: ['waiting', 'running', 'done', 'failed', 'cancelled'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull(),
  runAt: text('run_at').notNull(),
  lockedBy: text('locked_by'),
  lockedUntil: text('locked_until'),
  lastError: text('last_error'),
  outcome: text('outcome'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  /** migration 0009 */
  partnerId: text('partner_id'),
}, (t) => [
  uniqueIndex('jobs_key').on(t.key),
  index('jobs_partner').on(t.partnerId, t.id),
  index('jobs_kind').on(t.kind, t.state, t.id),
  index('jobs_state').on(t.state, t.id),
]);

export type MessageRow = typeof messages.$inferSelect;
export type DocumentRow = typeof documents.$inferSelect;
export type ExceptionRow = typeof exceptions.$inferSelect;
export type DeliveryJobRow = typeof deliveryJobs.$inferSelect;
export type InterchangeRow = typeof interchanges.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;

/**
 * The partner outbox and the supplier portal's accounts and sessions (migration 0014; statements
 * in src/portal/portal-sql.ts, rows typed in src/portal/portal-store.ts).
 */
export const partnerOutbox = sqliteTable('partner_outbox', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull(),
  partnerId: text('partner_id').notNull(),
  kind: text('kind', { enum: ['purchase_order', 'functional_ack', 'disposition'] }).notNull(),
  messageId: text('message_id').notNull(),
  documentId: text('document_id'),
  summary: text('summary').notNull().default('{}'),
  status: text('status', { enum: ['ready', 'delivered'] }).notNull(),
  test: integer('test', { mode: 'boolean' }).notNull().default(false),
  leaseUntil: text('lease_until'),
  leaseCount: integer('lease_count').notNull().default(0),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deliveredAt: text('delivered_at'),
});
export const portalUsers = sqliteTable('portal_users', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull(),
  partnerId: text('partner_id').notNull(),
  email: text('email').notNull(),
  passwordHash: text('password_hash'),
  status: text('status', { enum: ['invited', 'active'] }).notNull(),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: text('locked_until'),
  inviteHash: text('invite_hash'),
  inviteExpiresAt: text('invite_expires_at'),
  invitedBy: text('invited_by').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  lastLoginAt: text('last_login_at'),
});
export const portalSessions = sqliteTable('portal_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  partnerId: text('partner_id').notNull(),
  csrf: text('csrf').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});
