-- One table for every piece of durable work (issue 13), column for column SQLite's 0008_jobs.sql:
--   waiting -> running -> done | waiting (retry at run_at) | failed;  waiting | failed -> cancelled (operator)
-- Several nodes claim due rows with FOR UPDATE SKIP LOCKED (src/jobs/pg-jobs.ts), so two nodes
-- never take one row; a running row whose locked_until passed belongs to a dead node and is
-- claimed again. `key` dedupes (one job per key, ever); `queue` orders (an ordered queue runs its
-- jobs one at a time, by id, across all nodes). payload and outcome are JSON text (as returned
-- by SQLite); times are ISO-8601 UTC text with COLLATE "C", compared byte-wise as in SQLite.
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  queue TEXT NOT NULL,
  key TEXT,
  payload TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'done', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  run_at TEXT COLLATE "C" NOT NULL,
  locked_by TEXT,
  locked_until TEXT COLLATE "C",
  last_error TEXT,
  outcome TEXT,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX jobs_key ON jobs (key);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'waiting';
CREATE INDEX jobs_lock ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_queue ON jobs (queue, id) WHERE state IN ('waiting', 'running');
CREATE INDEX jobs_kind ON jobs (kind, state, id);
CREATE INDEX jobs_state ON jobs (state, id);
