-- Partner outbox and supplier portal (issue 18; SQLite: migration 0014).
-- partner_outbox: what waits for a partner to collect (our purchase orders and functional acks on
-- the pickup channel, the dispositions of its messages), handed out under a lease and acked, as the
-- ERP feed does with documents (src/portal/outbox.ts). One row per (partner, kind, message).
CREATE TABLE partner_outbox (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  document_id TEXT,
  summary TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  test BOOLEAN NOT NULL DEFAULT false,
  lease_until TEXT COLLATE "C",
  lease_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  delivered_at TEXT COLLATE "C"
);
CREATE UNIQUE INDEX partner_outbox_id ON partner_outbox (id);
CREATE UNIQUE INDEX partner_outbox_subject ON partner_outbox (partner_id, kind, message_id);
-- a partner's waiting items in order (the lease reads only these)
CREATE INDEX partner_outbox_ready ON partner_outbox (partner_id, seq) WHERE status = 'ready';
-- the portal's list of everything, newest first
CREATE INDEX partner_outbox_partner ON partner_outbox (partner_id, seq);

-- Portal accounts: one row per invited user of a partner. The invitation token and the password
-- are never stored: the token as SHA-256, the password as scrypt (src/portal/passwords.ts).
CREATE TABLE portal_users (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT,
  status TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT COLLATE "C",
  invite_hash TEXT,
  invite_expires_at TEXT COLLATE "C",
  invited_by TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  last_login_at TEXT COLLATE "C"
);
CREATE UNIQUE INDEX portal_users_id ON portal_users (id);
CREATE UNIQUE INDEX portal_users_email ON portal_users (email);
CREATE UNIQUE INDEX portal_users_invite ON portal_users (invite_hash) WHERE invite_hash IS NOT NULL;
CREATE INDEX portal_users_partner ON portal_users (partner_id, seq);

-- Portal sessions: the cookie's token as SHA-256, with the CSRF token every form post carries.
CREATE TABLE portal_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);
