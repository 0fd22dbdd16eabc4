-- One table for every piece of durable work (issue 13): the row is the state machine
--   waiting -> running -> done | waiting (retry at run_at) | failed;  waiting | failed -> cancelled (operator)
-- A runner claims due rows with one UPDATE … RETURNING (src/jobs/sqlite-jobs.ts); a running row
-- whose locked_until passed belongs to a node that is gone and is claimed again. `key` dedupes
-- (one job per key, ever); `queue` orders (an ordered queue runs its jobs one at a time, by id).
-- payload and outcome are JSON text; times are ISO-8601 UTC text compared as strings.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  queue TEXT NOT NULL,
  key TEXT,
  payload TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'done', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  run_at TEXT NOT NULL,
  locked_by TEXT,
  locked_until TEXT,
  last_error TEXT,
  outcome TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX jobs_key ON jobs (key);
-- the claim: due waiting rows by run_at then id
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'waiting';
-- the claim of a dead node's rows
CREATE INDEX jobs_lock ON jobs (locked_until) WHERE state = 'running';
-- an ordered queue's head (its first unfinished job)
CREATE INDEX jobs_queue ON jobs (queue, id) WHERE state IN ('waiting', 'running');
-- operators' lists by kind and state
CREATE INDEX jobs_kind ON jobs (kind, state, id);
CREATE INDEX jobs_state ON jobs (state, id);
