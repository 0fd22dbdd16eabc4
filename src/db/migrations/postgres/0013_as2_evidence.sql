-- AS2 non-repudiation evidence (issue 15; SQLite: migration 0015): per exchange, the signed
-- message as received after decryption (or as we signed it) and the signed MDN, byte for byte,
-- with the MICs, certificates and timestamps in detail (src/transports/as2/evidence-store.ts).
CREATE TABLE as2_evidence (
  seq BIGSERIAL PRIMARY KEY,
  message_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  partner_id TEXT,
  as2_message_id TEXT NOT NULL,
  part TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body BYTEA NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX as2_evidence_message ON as2_evidence (message_id, seq);
-- an asynchronous MDN names only the AS2 Message-ID of what we sent
CREATE INDEX as2_evidence_as2_message ON as2_evidence (as2_message_id, direction, part);
