-- Business events (issue 17), as SQLite's 0012_events.sql, with one difference: on PostgreSQL
-- transactions commit in any order, so a sequence value taken at insert could become visible after
-- a larger one (a pump would skip it). Rows are inserted with seq NULL (pending_id orders them) and
-- the sequencer (src/events/pg-events.ts, under a transaction advisory lock, one at a time) gives
-- committed rows their seq: seq order is then visibility order. Readers read only sequenced rows.
CREATE SEQUENCE events_seq;
CREATE TABLE events (
  pending_id BIGSERIAL PRIMARY KEY,
  seq BIGINT,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  subject TEXT,
  time TEXT COLLATE "C" NOT NULL,
  partner_id TEXT,
  correlation_id TEXT,
  document_id TEXT,
  document_type TEXT,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX events_id ON events (id);
CREATE UNIQUE INDEX events_seq_key ON events (seq);
CREATE INDEX events_unsequenced ON events (pending_id) WHERE seq IS NULL;
CREATE INDEX events_time ON events (time);
CREATE TABLE event_positions (
  subscriber TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE event_dead_letters (
  id BIGSERIAL PRIMARY KEY,
  subscriber TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  status INTEGER,
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('dead', 'replayed')),
  created_at TEXT COLLATE "C" NOT NULL,
  replayed_at TEXT COLLATE "C"
);
CREATE INDEX event_dead_letters_subscriber ON event_dead_letters (subscriber, id);
