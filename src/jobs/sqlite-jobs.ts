/**
 * The jobs port on SQLite: one prepared statement per operation. A claim is one
 * `UPDATE … WHERE id IN (SELECT … ORDER BY run_at, id LIMIT n) RETURNING *`: SQLite serializes
 * writers, so two runners on one file (or two stores) never claim one row. Settling a job checks
 * `locked_by`, so a node whose lock ran out (and was reclaimed) cannot settle it any more.
 */
import type Database from 'better-sqlite3';
import { byRunAtThenId, JOB_FILTER_COLUMNS, type JobFilter, jobOf, type JobStore, type JobTx, likePattern, queueDepthsOf, queueDepthsSql, type RawJobRow } from './job-store.ts';

/** due: waiting rows whose run_at came (index jobs_due, in claim order), and rows of dead nodes (index jobs_lock) */
const WAITING = `state = 'waiting' AND run_at <= @now`;
const ABANDONED = `state = 'running' AND locked_until < @now AND attempts < max_attempts`;

export function createSqliteJobs(raw: Database.Database): JobStore {
  const insert = raw.prepare(`INSERT INTO jobs (kind, queue, key, partner_id, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
    VALUES (@kind, @queue, @key, @partnerId, @payload, 'waiting', 0, @maxAttempts, @runAt, @at, @at) ON CONFLICT (key) DO NOTHING RETURNING *`);
  const byKey = raw.prepare<[string]>('SELECT * FROM jobs WHERE key = ?');
  const byId = raw.prepare<[number]>('SELECT * FROM jobs WHERE id = ?');
  // each branch reads its own partial index (INDEXED BY: the planner chose jobs_state or jobs_kind
  // and sorted every waiting row for each claim); jobs_due is in claim order and stops at the limit
  const pick = (due: string, index: string) => `SELECT id, run_at FROM jobs INDEXED BY ${index} WHERE ${due}
      AND kind IN (SELECT value FROM json_each(@kinds))
      AND (@only IS NULL OR EXISTS (SELECT 1 FROM json_each(@only) WHERE jobs.queue LIKE value ESCAPE '\\'))
      AND (@except IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(@except) WHERE jobs.queue LIKE value ESCAPE '\\'))
      ORDER BY run_at, id LIMIT @limit`;
  const claimSql = () => `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = @holder,
      locked_until = @until, updated_at = @now
    WHERE id IN (SELECT id FROM (SELECT * FROM (${pick(ABANDONED, 'jobs_lock')}) UNION ALL SELECT * FROM (${pick(WAITING, 'jobs_due')}))
      ORDER BY run_at, id LIMIT @limit)
    RETURNING *`;
  // a read first: an idle runner's poll takes no write lock (in WAL mode a reader never waits for
  // the processing threads' writers, while an UPDATE, even one that changes nothing, queues behind them)
  const anyDue = raw.prepare(`SELECT EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_due WHERE ${WAITING})
    OR EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_lock WHERE ${ABANDONED})`).pluck();
  const claimAny = raw.prepare(claimSql());
  // an ordered claim starts from the queues' heads, not from every due row: a loose index scan of
  // jobs_queue visits each queue with unfinished jobs once (its name, then its first id), so a
  // partner's flood of 100,000 waiting jobs costs one seek, not a walk past 99,999 non-heads
  const claimHeads = raw.prepare(`UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = @holder,
      locked_until = @until, updated_at = @now
    WHERE id IN (WITH RECURSIVE qs(name) AS (
        SELECT (SELECT queue FROM jobs INDEXED BY jobs_queue WHERE state IN ('waiting', 'running') AND queue >= '' ORDER BY queue LIMIT 1)
        UNION ALL
        SELECT (SELECT queue FROM jobs INDEXED BY jobs_queue WHERE state IN ('waiting', 'running') AND queue > qs.name ORDER BY queue LIMIT 1)
          FROM qs WHERE qs.name IS NOT NULL),
      heads(id) AS (SELECT (SELECT id FROM jobs INDEXED BY jobs_queue WHERE queue = qs.name AND state IN ('waiting', 'running') ORDER BY id LIMIT 1)
        FROM qs WHERE qs.name IS NOT NULL)
      SELECT j.id FROM heads CROSS JOIN jobs j ON j.id = heads.id
      WHERE ((j.state = 'waiting' AND j.run_at <= @now) OR (j.state = 'running' AND j.locked_until < @now AND j.attempts < j.max_attempts))
        AND j.kind IN (SELECT value FROM json_each(@kinds))
        AND (@only IS NULL OR EXISTS (SELECT 1 FROM json_each(@only) WHERE j.queue LIKE value ESCAPE '\\'))
        AND (@except IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(@except) WHERE j.queue LIKE value ESCAPE '\\'))
      ORDER BY j.run_at, j.id LIMIT @limit)
    RETURNING *`);
  const renew = raw.prepare<{ id: number; holder: string; until: string }>(`UPDATE jobs SET locked_until = @until
    WHERE id = @id AND state = 'running' AND locked_by = @holder RETURNING id`).pluck();
  const settle = (set: string) => raw.prepare(`UPDATE jobs SET ${set}, updated_at = @at
    WHERE id = @id AND state = 'running' AND locked_by = @holder`);
  const complete = settle(`state = 'done', outcome = @outcome, locked_by = NULL, locked_until = NULL`);
  const retryLater = settle(`state = 'waiting', attempts = attempts - @refund, last_error = @error, run_at = @runAt, locked_by = NULL, locked_until = NULL`);
  const passTurn = raw.prepare(`UPDATE jobs SET run_at = @at WHERE id = (SELECT id FROM jobs INDEXED BY jobs_queue
      WHERE queue = @queue AND id > @afterId AND state IN ('waiting', 'running') ORDER BY id LIMIT 1) AND state = 'waiting' AND run_at < @at`);
  const fail = settle(`state = 'failed', last_error = @error, locked_by = NULL, locked_until = NULL`);
  const abandoned = raw.prepare(`UPDATE jobs SET state = 'failed', locked_by = NULL, locked_until = NULL, updated_at = @now,
      last_error = 'abandoned: its node stopped while running attempt ' || attempts || ' of ' || max_attempts
        || CASE WHEN last_error IS NULL THEN '' ELSE ' (earlier error: ' || last_error || ')' END
    WHERE state = 'running' AND locked_until < @now AND attempts >= max_attempts`);
  const releaseRunning = raw.prepare(`UPDATE jobs SET state = 'waiting', run_at = @at, locked_by = NULL, locked_until = NULL, updated_at = @at
    WHERE state = 'running'`);
  const queueDepths = raw.prepare(queueDepthsSql('@cap'));
  const cancel = raw.prepare(`UPDATE jobs SET state = 'cancelled', updated_at = @at WHERE id = @id AND state IN ('waiting', 'failed')`);
  const retry = raw.prepare(`UPDATE jobs SET state = 'waiting', attempts = 0, run_at = @at, updated_at = @at
    WHERE id = @id AND state IN ('failed', 'cancelled')`);
  // one statement per combination of filters given (prepared when first used), so each reads its
  // index (jobs_kind, jobs_state, jobs_partner, the rowid) instead of one OR-NULL form that scans
  const lists = new Map<string, Database.Statement>();
  const listOf = (f: JobFilter) => {
    const terms: string[] = JOB_FILTER_COLUMNS.filter(([k]) => f[k] !== undefined).map(([k, col]) => `${col} = @${k}`);
    if (f.before !== undefined) terms.push('id < @before');
    const sqlText = `SELECT * FROM jobs${terms.length ? ` WHERE ${terms.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    let stmt = lists.get(sqlText);
    if (!stmt) { stmt = raw.prepare(sqlText); lists.set(sqlText, stmt); }
    return stmt;
  };

  const json = (v: unknown) => JSON.stringify(v ?? null);
  const patterns = (p?: string[]) => (p && p.length > 0 ? JSON.stringify(p.map(likePattern)) : null);

  return {
    dialect: 'sqlite',
    // not async: inside the caller's transaction the row is written before this returns, and a
    // failure throws at once, so the caller's better-sqlite3 transaction rolls back with it
    enqueue(tx: JobTx | null, j) {
      if (tx && (tx.dialect !== 'sqlite' || tx.db !== raw)) throw new Error('enqueue: the transaction belongs to another database connection');
      const params = { kind: j.kind, queue: j.queue ?? j.kind, key: j.key ?? null, partnerId: j.partnerId ?? null, payload: json(j.payload), maxAttempts: j.maxAttempts, runAt: j.runAt, at: j.at };
      const run = () => {
        const row = insert.get(params) as RawJobRow | undefined;
        return row ? { created: true, job: jobOf(row) } : { created: false, job: jobOf(byKey.get(j.key!) as RawJobRow) };
      };
      if (tx) return Promise.resolve(run());
      try {
        return Promise.resolve(raw.transaction(run)());
      } catch (e) {
        return Promise.reject(e);
      }
    },
    async claim(req) {
      if (req.limit <= 0 || req.kinds.length === 0) return [];
      if (!anyDue.get({ now: req.now })) return [];
      const rows = (req.ordered ? claimHeads : claimAny).all({
        holder: req.holder, until: req.lockedUntil, now: req.now, limit: req.limit, kinds: JSON.stringify(req.kinds),
        only: patterns(req.only), except: patterns(req.except),
      }) as RawJobRow[];
      return rows.map(jobOf).sort(byRunAtThenId);
    },
    async renew(ids, holder, until) {
      return raw.transaction(() => ids.filter((id) => renew.get({ id, holder, until }) !== undefined))();
    },
    async complete(id, holder, outcome, at) {
      return complete.run({ id, holder, outcome: json(outcome), at }).changes > 0;
    },
    async retryLater(id, holder, error, runAt, at, o) {
      return retryLater.run({ id, holder, error, runAt, at, refund: o?.countAttempt === false ? 1 : 0 }).changes > 0;
    },
    async passTurn(queue, afterId, at) {
      return passTurn.run({ queue, afterId, at }).changes;
    },
    async fail(id, holder, error, at) {
      return fail.run({ id, holder, error, at }).changes > 0;
    },
    async releaseRunning(at) {
      return releaseRunning.run({ at }).changes;
    },
    async failAbandoned(now) {
      return abandoned.run({ now }).changes;
    },
    async get(id) {
      const r = byId.get(id) as RawJobRow | undefined;
      return r && jobOf(r);
    },
    async getByKey(key) {
      const r = byKey.get(key) as RawJobRow | undefined;
      return r && jobOf(r);
    },
    async list(f) {
      const params = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
      return (listOf(f).all(params) as RawJobRow[]).map(jobOf);
    },
    async cancel(id, at) {
      return cancel.run({ id, at }).changes > 0;
    },
    async retry(id, at) {
      return retry.run({ id, at }).changes > 0;
    },
    async queueDepths(cap) {
      return queueDepthsOf(queueDepths.all({ cap }) as Array<{ kind: string; state: string; count: number; oldest: string | null }>);
    },
  };
}

