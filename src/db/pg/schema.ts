/**
 * The gateway's tables in the PostgreSQL dialect, column for column the SQLite schema
 * (src/db/schema.ts), so rows come back in exactly the shapes of MessageRow, DocumentRow, ...:
 * times stay ISO-8601 text (COLLATE "C" in the migration, so they compare as in SQLite), JSON
 * columns stay text (the strings the SQLite store returns, not jsonb's reformatting), `test` is a
 * boolean, raw bytes are bytea (a Buffer), and `seq` is a bigserial read as a JS number.
 * The DDL itself lives in src/db/migrations/postgres/*.sql; this file only describes it to drizzle.
 */
import { bigint, bigserial, boolean, customType, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const seq = () => bigserial('seq', { mode: 'number' }).primaryKey();

export const messages = pgTable('messages', {
  seq: seq(),
  id: text('id').notNull(),
  receivedAt: text('received_at').notNull(),
  direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull().default('inbound'),
  transport: text('transport').notNull(),
  partnerId: text('partner_id'),
  metadata: text('metadata').notNull().default('{}'),
  contentSha256: text('content_sha256').notNull(),
  size: integer('size').notNull(),
  raw: bytea('raw').notNull(),
  status: text('status', { enum: ['received', 'processed', 'failed', 'duplicate'] }).notNull(),
  format: text('format'),
  correlationId: text('correlation_id'),
  duplicateOf: text('duplicate_of'),
  test: boolean('test').notNull().default(false),
  updatedAt: text('updated_at').notNull(),
  relatedMessageId: text('related_message_id'),
  externalId: text('external_id'),
  /** the node processing the message right now (migration 0005/0003), until claimUntil; null when nobody is */
  claimedBy: text('claimed_by'),
  claimUntil: text('claim_until'),
  /** retention (migration 0008, src/retention): the blob key once the raw bytes moved to the file store */
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
]);

export const documents = pgTable('documents', {
  seq: seq(),
  id: text('id').notNull(),
  messageId: text('message_id').notNull(),
  partnerId: text('partner_id').notNull(),
  type: text('type').notNull(),
  direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
  businessKey: text('business_key'),
  correlationId: text('correlation_id'),
  envelope: text('envelope').notNull(),
  status: text('status', { enum: ['held', 'ready', 'delivered'] }).notNull(),
  test: boolean('test').notNull().default(false),
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
]);

export const exceptions = pgTable('exceptions', {
  seq: seq(),
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

export const deliveryJobs = pgTable('delivery_jobs', {
  seq: seq(),
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
]);

export const controlNumbers = pgTable('control_numbers', {
  partnerId: text('partner_id').notNull(),
  kind: text('kind').notNull(),
  value: bigint('value', { mode: 'number' }).notNull(),
  updatedAt: text('updated_at').notNull(),
}, (t) => [uniqueIndex('control_numbers_pk').on(t.partnerId, t.kind)]);

export const interchanges = pgTable('interchanges', {
  seq: seq(),
  messageId: text('message_id').notNull(),
  partnerId: text('partner_id'),
  standard: text('standard').notNull(),
  sender: text('sender').notNull(),
  receiver: text('receiver').notNull(),
  controlNumber: text('control_number').notNull(),
  receivedAt: text('received_at').notNull(),
}, (t) => [index('interchanges_lookup').on(t.standard, t.sender, t.receiver, t.controlNumber)]);

export const auditLog = pgTable('audit_log', {
  seq: seq(),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject'),
  detail: text('detail').notNull().default('{}'),
});

/** migration 0006: durable work, claimed with FOR UPDATE SKIP LOCKED by src/jobs/pg-jobs.ts (raw SQL) */
export const jobs = pgTable('jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
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
}, (t) => [
  uniqueIndex('jobs_key').on(t.key),
  index('jobs_kind').on(t.kind, t.state, t.id),
  index('jobs_state').on(t.state, t.id),
]);

/** the partner outbox and the supplier portal (migration 0012; statements in src/portal/portal-sql.ts) */
export const partnerOutbox = pgTable('partner_outbox', {
  seq: seq(),
  id: text('id').notNull(),
  partnerId: text('partner_id').notNull(),
  kind: text('kind', { enum: ['purchase_order', 'functional_ack', 'disposition'] }).notNull(),
  messageId: text('message_id').notNull(),
  documentId: text('document_id'),
  summary: text('summary').notNull().default('{}'),
  status: text('status', { enum: ['ready', 'delivered'] }).notNull(),
  test: boolean('test').notNull().default(false),
  leaseUntil: text('lease_until'),
  leaseCount: integer('lease_count').notNull().default(0),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  deliveredAt: text('delivered_at'),
});
export const portalUsers = pgTable('portal_users', {
  seq: seq(),
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
export const portalSessions = pgTable('portal_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  partnerId: text('partner_id').notNull(),
  csrf: text('csrf').notNull(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
});
