/**
 * The jobs port: the one table of durable work (migrations sqlite 0008 / postgres 0006), on SQLite
 * (sqlite-jobs.ts) and PostgreSQL (pg-jobs.ts), behind one contract (test/jobs/). The runner
 * (runner.ts) is its only user besides `enqueue`, which any side effect's cause calls in its own
 * transaction. Times are ISO-8601 UTC strings; `holder` is a node id (as in ClaimMethods).
 *
 *   waiting --claim--> running --complete--> done
 *                        |  \--retryLater--> waiting (run_at later)
 *                        \--fail / attempts used up--> failed
 *   waiting | failed --cancel--> cancelled;   failed | cancelled --retry--> waiting (attempts 0)
 */
import type Database from 'better-sqlite3';
import type { ClientBase } from 'pg';

export type JobState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job<P = unknown> {
  id: number;
  kind: string;
  queue: string;
  key: string | null;
  /** the partner the job works for, if any (operators list by it) */
  partnerId: string | null;
  payload: P;
  state: JobState;
  /** attempts started (a claim counts one) */
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  /** what the task returned (JSON), once done */
  outcome: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  /** default: the kind */
  queue?: string;
  /** one job per key, ever: a second enqueue with the key adds nothing and returns the first */
  key?: string;
  /** the partner the job works for */
  partnerId?: string;
  maxAttempts: number;
  runAt: string;
  at: string;
}

export interface EnqueueResult {
  created: boolean;
  job: Job;
}

/**
 * The caller's open transaction, so a job commits with the state that causes it (a stored 997
 * and its send job). On SQLite: the store's better-sqlite3 connection, inside `db.transaction()`;
 * better-sqlite3 is synchronous, so `enqueue` writes the row before it returns (its promise only
 * reports the result, and a failure throws at once). On PostgreSQL: a client between BEGIN and COMMIT.
 */
export type JobTx = { dialect: 'sqlite'; db: Database.Database } | { dialect: 'pg'; client: ClientBase };

export interface ClaimRequest {
  holder: string;
  now: string;
  lockedUntil: string;
  limit: number;
  /** kinds this runner has tasks for */
  kinds: string[];
  /** only queues matching one of these patterns ('*' at the end matches any rest) */
  only?: string[];
  /** no queue matching one of these patterns */
  except?: string[];
  /** only a queue's head: its first job (by id) still waiting or running, so its jobs run one at a time, in order */
  ordered: boolean;
}

export interface JobFilter {
  kind?: string;
  state?: JobState;
  queue?: string;
  partnerId?: string;
  /** a page's cursor: only jobs with a smaller id (older), as the previous page's last id */
  before?: number;
  limit: number;
}

/** the filters a list uses, in a fixed order (one prepared statement per combination) */
export const JOB_FILTER_COLUMNS = [['kind', 'kind'], ['state', 'state'], ['queue', 'queue'], ['partnerId', 'partner_id']] as const;

export interface JobStore {
  readonly dialect: 'sqlite' | 'pg';
  /**
   * adds a job in the caller's transaction `tx`, or on its own (committed before it resolves) when tx is null.
   * On SQLite the row is written, or the error thrown, before enqueue returns (so a failure rolls the caller's transaction back).
   */
  enqueue(tx: JobTx | null, job: NewJob): Promise<EnqueueResult>;
  /**
   * Takes up to `limit` due jobs, earliest run_at then id first: waiting ones whose run_at has come,
   * and running ones whose lock ran out before `now` (their node is gone) with attempts left.
   * Each claimed row is running, locked by `holder` until `lockedUntil`, attempts + 1.
   */
  claim(req: ClaimRequest): Promise<Job[]>;
  /** extends the locks `holder` still has; returns the ids it still holds */
  renew(ids: number[], holder: string, lockedUntil: string, now: string): Promise<number[]>;
  /** running -> done with the outcome; false when `holder` no longer holds the job */
  complete(id: number, holder: string, outcome: unknown, at: string): Promise<boolean>;
  /**
   * running -> waiting until runAt, with the error; false when `holder` no longer holds the job.
   * With countAttempt false the attempt is given back (a peer that asked us to wait, a circuit that
   * is open, a partner's throttle: not the job's failure, so it does not use up its budget).
   */
  retryLater(id: number, holder: string, error: string, runAt: string, at: string, opts?: { countAttempt?: boolean }): Promise<boolean>;
  /**
   * an ordered queue's turn passes on: the queue's next waiting job after `afterId` is due no
   * earlier than `at`, so it goes behind the other queues' heads already due (round robin across
   * partners: one partner's backlog does not hold the others back); how many rows changed (0 or 1)
   */
  passTurn(queue: string, afterId: number, at: string): Promise<number>;
  /** running -> failed with the error; false when `holder` no longer holds the job */
  fail(id: number, holder: string, error: string, at: string): Promise<boolean>;
  /**
   * every running job -> waiting, due now (its attempt stays counted): for a database one process
   * owns (SQLite), where running jobs found at start belong to a run that died; how many
   */
  releaseRunning(at: string): Promise<number>;
  /** running jobs whose lock ran out with no attempts left -> failed (their last node died); how many */
  failAbandoned(now: string): Promise<number>;
  get(id: number): Promise<Job | undefined>;
  getByKey(key: string): Promise<Job | undefined>;
  /** newest first (id descending), each combination of filters read through an index */
  list(filter: JobFilter): Promise<Job[]>;
  /** operator: waiting or failed -> cancelled; false otherwise (a running job finishes first) */
  cancel(id: number, at: string): Promise<boolean>;
  /** operator: failed or cancelled -> waiting at `at` with a fresh attempt budget; false otherwise */
  retry(id: number, at: string): Promise<boolean>;
  /**
   * /metrics: waiting and running jobs by kind, with the oldest waiting one's creation time, read
   * over at most the first `cap` rows of each state (jobs_state: state, id), so a scrape costs at most
   * `cap` index entries per state however long the queue or the history of done jobs
   */
  queueDepths(cap: number): Promise<QueueDepth[]>;
}

export interface QueueDepth { kind: string; state: 'waiting' | 'running'; count: number; oldestCreatedAt: string | null }

/** the bounded read behind queueDepths, for SQLite (`@cap`) and PostgreSQL (`$1`): the cap */
export const queueDepthsSql = (cap: '@cap' | '$1'): string => `SELECT kind, state, count(*) AS count, min(created_at) AS oldest FROM (
    SELECT kind, state, created_at FROM (SELECT kind, state, created_at FROM jobs WHERE state = 'waiting' ORDER BY id LIMIT ${cap}) w
    UNION ALL SELECT kind, state, created_at FROM (SELECT kind, state, created_at FROM jobs WHERE state = 'running' ORDER BY id LIMIT ${cap}) r
  ) q GROUP BY kind, state`;

export function queueDepthsOf(rows: Array<{ kind: string; state: string; count: number | string; oldest: string | null }>): QueueDepth[] {
  return rows.map((r) => ({ kind: r.kind, state: r.state as QueueDepth['state'], count: Number(r.count), oldestCreatedAt: r.state === 'waiting' ? r.oldest : null }));
}

/** a queue pattern as a LIKE pattern (escape character '\'): 'send:*' -> 'send:%' */
export function likePattern(queue: string): string {
  const star = queue.endsWith('*');
  const base = (star ? queue.slice(0, -1) : queue).replace(/[\\%_]/g, (c) => `\\${c}`);
  return star ? `${base}%` : base;
}

/** a row as the drivers return it (snake_case, JSON as text; PostgreSQL's bigint id as a string) */
export interface RawJobRow {
  id: number | string;
  kind: string;
  queue: string;
  key: string | null;
  partner_id: string | null;
  payload: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  outcome: string | null;
  created_at: string;
  updated_at: string;
}

export function jobOf(r: RawJobRow): Job {
  return {
    id: Number(r.id), kind: r.kind, queue: r.queue, key: r.key, partnerId: r.partner_id ?? null, payload: JSON.parse(r.payload) as unknown, state: r.state,
    attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at, lockedBy: r.locked_by, lockedUntil: r.locked_until,
    lastError: r.last_error, outcome: r.outcome === null ? null : JSON.parse(r.outcome) as unknown, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** claims come back in claim order (RETURNING gives no order) */
export const byRunAtThenId = (a: Job, b: Job) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : a.id - b.id);
