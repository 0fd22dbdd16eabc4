CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  direction TEXT NOT NULL DEFAULT 'inbound',
  transport TEXT NOT NULL,
  partner_id TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  content_sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  raw BLOB NOT NULL,
  status TEXT NOT NULL,
  format TEXT,
  correlation_id TEXT,
  duplicate_of TEXT,
  test INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX messages_id ON messages (id);
CREATE INDEX messages_status ON messages (status);
CREATE INDEX messages_partner_hash ON messages (partner_id, content_sha256);

CREATE TABLE documents (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  type TEXT NOT NULL,
  direction TEXT NOT NULL,
  business_key TEXT,
  correlation_id TEXT,
  envelope TEXT NOT NULL,
  status TEXT NOT NULL,
  test INTEGER NOT NULL DEFAULT 0,
  lease_until TEXT,
  lease_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE UNIQUE INDEX documents_id ON documents (id);
CREATE INDEX documents_feed ON documents (status, test, seq);
CREATE INDEX documents_business_key ON documents (business_key);
CREATE INDEX documents_message ON documents (message_id);

CREATE TABLE exceptions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  document_id TEXT,
  partner_id TEXT,
  stage TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT
);
CREATE UNIQUE INDEX exceptions_id ON exceptions (id);
CREATE INDEX exceptions_status ON exceptions (status, partner_id);
CREATE INDEX exceptions_message ON exceptions (message_id);

CREATE TABLE delivery_jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX delivery_jobs_id ON delivery_jobs (id);
CREATE UNIQUE INDEX delivery_jobs_doc_target ON delivery_jobs (document_id, target);
CREATE INDEX delivery_jobs_due ON delivery_jobs (status, next_attempt_at);

CREATE TABLE control_numbers (
  partner_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  value INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX control_numbers_pk ON control_numbers (partner_id, kind);

CREATE TABLE interchanges (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  partner_id TEXT,
  standard TEXT NOT NULL,
  sender TEXT NOT NULL,
  receiver TEXT NOT NULL,
  control_number TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX interchanges_lookup ON interchanges (standard, sender, receiver, control_number);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
