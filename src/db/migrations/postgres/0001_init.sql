-- The PostgreSQL schema, equal to the SQLite migrations 0001-0004 taken together (src/db/pg/schema.ts
-- describes it to drizzle). Times are ISO-8601 UTC text compared byte-wise (COLLATE "C", whatever the
-- database's collation), JSON columns are text, raw bytes bytea, flags boolean.
CREATE TABLE messages (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL,
  direction TEXT NOT NULL DEFAULT 'inbound',
  transport TEXT NOT NULL,
  partner_id TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  content_sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  raw BYTEA NOT NULL,
  status TEXT NOT NULL,
  format TEXT,
  correlation_id TEXT,
  duplicate_of TEXT,
  test BOOLEAN NOT NULL DEFAULT false,
  updated_at TEXT COLLATE "C" NOT NULL,
  related_message_id TEXT,
  external_id TEXT
);
CREATE UNIQUE INDEX messages_id ON messages (id);
CREATE INDEX messages_status ON messages (status);
CREATE INDEX messages_partner_hash ON messages (partner_id, content_sha256);
CREATE INDEX messages_related ON messages (related_message_id);
CREATE INDEX messages_external ON messages (external_id);

CREATE TABLE documents (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  type TEXT NOT NULL,
  direction TEXT NOT NULL,
  business_key TEXT,
  correlation_id TEXT,
  envelope TEXT NOT NULL,
  status TEXT NOT NULL,
  test BOOLEAN NOT NULL DEFAULT false,
  lease_until TEXT COLLATE "C",
  lease_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  delivered_at TEXT COLLATE "C"
);
CREATE UNIQUE INDEX documents_id ON documents (id);
CREATE INDEX documents_feed ON documents (status, test, seq);
CREATE INDEX documents_business_key ON documents (business_key);
CREATE INDEX documents_message ON documents (message_id);
CREATE INDEX documents_correlation ON documents (correlation_id);

CREATE TABLE exceptions (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  document_id TEXT,
  partner_id TEXT,
  stage TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  resolved_at TEXT COLLATE "C",
  resolved_by TEXT
);
CREATE UNIQUE INDEX exceptions_id ON exceptions (id);
CREATE INDEX exceptions_status ON exceptions (status, partner_id);
CREATE INDEX exceptions_message ON exceptions (message_id);

CREATE TABLE delivery_jobs (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT COLLATE "C" NOT NULL,
  lease_until TEXT COLLATE "C",
  last_error TEXT,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX delivery_jobs_id ON delivery_jobs (id);
CREATE UNIQUE INDEX delivery_jobs_doc_target ON delivery_jobs (document_id, target);
CREATE INDEX delivery_jobs_due ON delivery_jobs (status, next_attempt_at);
CREATE INDEX delivery_jobs_partner ON delivery_jobs (target, partner_id, status, seq);

CREATE TABLE control_numbers (
  partner_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  value BIGINT NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX control_numbers_pk ON control_numbers (partner_id, kind);

CREATE TABLE interchanges (
  seq BIGSERIAL PRIMARY KEY,
  message_id TEXT NOT NULL,
  partner_id TEXT,
  standard TEXT NOT NULL,
  sender TEXT NOT NULL,
  receiver TEXT NOT NULL,
  control_number TEXT NOT NULL,
  received_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX interchanges_lookup ON interchanges (standard, sender, receiver, control_number);

CREATE TABLE audit_log (
  seq BIGSERIAL PRIMARY KEY,
  at TEXT COLLATE "C" NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);

-- SQLite's json_valid + json_extract in one: the text as jsonb, or NULL when it is not JSON
-- (delivery_jobs.last_error holds JSON written by the gateway, but a NULL-safe lookup never throws).
CREATE FUNCTION edigw_try_jsonb(t TEXT) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN t::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;
