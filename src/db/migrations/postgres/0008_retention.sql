-- Retention (issue 11; SQLite: migration 0010): the raw bytes of old messages move out of the row into
-- the content-addressed file store (src/storage/blob-store.ts, a directory every node shares); the row
-- stays with its metadata (src/retention/).
--   hot:      raw inline, raw_ref NULL
--   archived: raw = '', raw_ref = SHA-256 of the bytes (the blob's key), archived_at set
--   purged:   raw = '', raw_ref NULL, purged_at and purge_policy (JSON: which policy, which window) set
-- Adding nullable columns without a default rewrites nothing.
ALTER TABLE messages
  ADD COLUMN raw_ref TEXT,
  ADD COLUMN archived_at TEXT COLLATE "C",
  ADD COLUMN purged_at TEXT COLLATE "C",
  ADD COLUMN purge_policy TEXT;
-- the archive pass: a partner's oldest messages still holding their bytes (only hot rows are in it)
CREATE INDEX messages_hot ON messages (partner_id, received_at) WHERE archived_at IS NULL AND purged_at IS NULL;
-- the purge pass: a partner's oldest messages not yet purged
CREATE INDEX messages_unpurged ON messages (partner_id, received_at) WHERE purged_at IS NULL;
-- a blob is deleted only when no other row names it
CREATE INDEX messages_raw_ref ON messages (raw_ref) WHERE raw_ref IS NOT NULL;
