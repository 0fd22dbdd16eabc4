-- Business events (issue 17): the transactional outbox and the event log in one table. A row is
-- written in the transaction of the state change it reports (src/events/sqlite-events.ts), so a
-- rolled-back change has no event. `seq` orders the log: SQLite has one writer at a time, so seq
-- order is commit order and a reader never sees seq N+1 before N. `id` is the CloudEvents id
-- (deterministic for events a sweep may notice twice: ON CONFLICT (id) DO NOTHING).
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  source TEXT NOT NULL,
  subject TEXT,
  time TEXT NOT NULL,
  partner_id TEXT,
  correlation_id TEXT,
  document_id TEXT,
  document_type TEXT,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX events_id ON events (id);
-- no index per filter of GET /api/v1/events?type=&partner=: each would cost every event written about
-- as much as a document row; a filtered read looks at most 10,000 positions past its cursor instead
-- (FILTERED_SCAN_WINDOW in src/events/event-store.ts)
-- replay --since: the first event of a window
CREATE INDEX events_time ON events (time);
-- each subscriber's position in the log: the last seq it has been given (or dead-lettered)
CREATE TABLE event_positions (
  subscriber TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
-- events a subscriber refused (a webhook's 4xx): visible, replayable
CREATE TABLE event_dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subscriber TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  status INTEGER,
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('dead', 'replayed')),
  created_at TEXT NOT NULL,
  replayed_at TEXT
);
CREATE INDEX event_dead_letters_subscriber ON event_dead_letters (subscriber, id);
