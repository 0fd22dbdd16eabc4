/**
 * The jobs port on PostgreSQL, where several gateway nodes share the table. A claim is one
 * statement: `WITH due AS (SELECT id … ORDER BY run_at, id LIMIT n FOR UPDATE SKIP LOCKED)
 * UPDATE … FROM due RETURNING` (with a second branch for dead nodes' rows). A row another node is claiming right now is skipped, not waited
 * for; a row another node claimed and committed since this statement's snapshot is re-checked on
 * its new version (READ COMMITTED) and no longer matches. So of two nodes claiming at once each
 * row goes to one of them. Settling a job checks `locked_by`, so a node whose lock ran out (and
 * was reclaimed by another) cannot settle it any more.
 */
import type { Pool } from 'pg';
import { byRunAtThenId, JOB_FILTER_COLUMNS, jobOf, type JobStore, likePattern, queueDepthsOf, queueDepthsSql, type RawJobRow } from './job-store.ts';

const COLUMNS = 'id, kind, queue, key, partner_id, payload, state, attempts, max_attempts, run_at, locked_by, locked_until, last_error, outcome, created_at, updated_at';
/** one branch of the claim: its own partial index (jobs_due in claim order, jobs_lock for dead nodes' rows), up to the limit */
const pick = (due: string) => `SELECT j.id, j.run_at FROM jobs j WHERE ${due}
      AND j.kind = ANY($5::text[])
      AND ($6::text[] IS NULL OR j.queue LIKE ANY($6::text[]))
      AND ($7::text[] IS NULL OR NOT (j.queue LIKE ANY($7::text[])))
    ORDER BY j.run_at, j.id LIMIT $4 FOR UPDATE SKIP LOCKED`;
const claimSql = () => `WITH abandoned AS (${pick(`j.state = 'running' AND j.locked_until < $2 AND j.attempts < j.max_attempts`)}),
  due AS (${pick(`j.state = 'waiting' AND j.run_at <= $2`)}),
  picked AS (SELECT id FROM (SELECT * FROM abandoned UNION ALL SELECT * FROM due) AS c ORDER BY run_at, id LIMIT $4)
  UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = $1, locked_until = $3, updated_at = $2
  FROM picked WHERE jobs.id = picked.id
  RETURNING ${COLUMNS.split(', ').map((c) => `jobs.${c}`).join(', ')}`;
const CLAIM_ANY = claimSql();
// an ordered claim starts from the queues' heads (a loose index scan of jobs_queue: each queue with
// unfinished jobs once, then its first id), not from every due row: a partner's flood costs one seek
const CLAIM_HEADS = `WITH RECURSIVE qs AS (
    (SELECT queue AS name FROM jobs WHERE state IN ('waiting', 'running') ORDER BY queue LIMIT 1)
    UNION ALL
    SELECT (SELECT queue FROM jobs WHERE state IN ('waiting', 'running') AND queue > qs.name ORDER BY queue LIMIT 1) FROM qs WHERE qs.name IS NOT NULL),
  heads AS (SELECT (SELECT id FROM jobs WHERE queue = qs.name AND state IN ('waiting', 'running') ORDER BY id LIMIT 1) AS id FROM qs WHERE qs.name IS NOT NULL),
  picked AS (SELECT j.id FROM jobs j WHERE j.id IN (SELECT id FROM heads)
      AND ((j.state = 'waiting' AND j.run_at <= $2) OR (j.state = 'running' AND j.locked_until < $2 AND j.attempts < j.max_attempts))
      AND j.kind = ANY($5::text[])
      AND ($6::text[] IS NULL OR j.queue LIKE ANY($6::text[]))
      AND ($7::text[] IS NULL OR NOT (j.queue LIKE ANY($7::text[])))
    ORDER BY j.run_at, j.id LIMIT $4 FOR UPDATE OF j SKIP LOCKED)
  UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = $1, locked_until = $3, updated_at = $2
  FROM picked WHERE jobs.id = picked.id
  RETURNING ${COLUMNS.split(', ').map((c) => `jobs.${c}`).join(', ')}`;

export function createPgJobs(pool: Pool): JobStore {
  const json = (v: unknown) => JSON.stringify(v ?? null);
  const patterns = (p?: string[]) => (p && p.length > 0 ? p.map(likePattern) : null);
  const one = async (sqlText: string, params: unknown[]) => {
    const r = await pool.query<RawJobRow>(sqlText, params);
    return r.rows[0] && jobOf(r.rows[0]);
  };
  const settled = async (sqlText: string, params: unknown[]) => ((await pool.query(sqlText, params)).rowCount ?? 0) > 0;
  const SETTLE = `WHERE id = $1 AND state = 'running' AND locked_by = $2`;

  return {
    dialect: 'pg',
    async enqueue(tx, j) {
      if (tx && tx.dialect !== 'pg') throw new Error('enqueue: a SQLite transaction handed to the PostgreSQL jobs store');
      const q = tx ? tx.client : pool;
      const r = await q.query<RawJobRow>(`INSERT INTO jobs (kind, queue, key, payload, state, attempts, max_attempts, run_at, created_at, updated_at, partner_id)
        VALUES ($1, $2, $3, $4, 'waiting', 0, $5, $6, $7, $7, $8) ON CONFLICT (key) DO NOTHING RETURNING ${COLUMNS}`,
      [j.kind, j.queue ?? j.kind, j.key ?? null, json(j.payload), j.maxAttempts, j.runAt, j.at, j.partnerId ?? null]);
      if (r.rows[0]) return { created: true, job: jobOf(r.rows[0]) };
      // the key exists (committed before this statement, which waited on it if it was in flight)
      const existing = await q.query<RawJobRow>(`SELECT ${COLUMNS} FROM jobs WHERE key = $1`, [j.key]);
      return { created: false, job: jobOf(existing.rows[0]!) };
    },
    async claim(req) {
      if (req.limit <= 0 || req.kinds.length === 0) return [];
      const r = await pool.query<RawJobRow>(req.ordered ? CLAIM_HEADS : CLAIM_ANY,
        [req.holder, req.now, req.lockedUntil, req.limit, req.kinds, patterns(req.only), patterns(req.except)]);
      return r.rows.map(jobOf).sort(byRunAtThenId);
    },
    async renew(ids, holder, until) {
      if (ids.length === 0) return [];
      const r = await pool.query<{ id: string }>(`UPDATE jobs SET locked_until = $3
        WHERE id = ANY($1::bigint[]) AND state = 'running' AND locked_by = $2 RETURNING id`, [ids, holder, until]);
      return r.rows.map((row) => Number(row.id));
    },
    async complete(id, holder, outcome, at) {
      return settled(`UPDATE jobs SET state = 'done', outcome = $3, locked_by = NULL, locked_until = NULL, updated_at = $4 ${SETTLE}`, [id, holder, json(outcome), at]);
    },
    async retryLater(id, holder, error, runAt, at, o) {
      return settled(`UPDATE jobs SET state = 'waiting', attempts = attempts - $6, last_error = $3, run_at = $4, locked_by = NULL, locked_until = NULL, updated_at = $5 ${SETTLE}`,
        [id, holder, error, runAt, at, o?.countAttempt === false ? 1 : 0]);
    },
    async passTurn(queue, afterId, at) {
      const r = await pool.query(`UPDATE jobs SET run_at = $3 WHERE id = (SELECT id FROM jobs
          WHERE queue = $1 AND id > $2 AND state IN ('waiting', 'running') ORDER BY id LIMIT 1) AND state = 'waiting' AND run_at < $3`, [queue, afterId, at]);
      return r.rowCount ?? 0;
    },
    async fail(id, holder, error, at) {
      return settled(`UPDATE jobs SET state = 'failed', last_error = $3, locked_by = NULL, locked_until = NULL, updated_at = $4 ${SETTLE}`, [id, holder, error, at]);
    },
    async releaseRunning(at) {
      const r = await pool.query(`UPDATE jobs SET state = 'waiting', run_at = $1, locked_by = NULL, locked_until = NULL, updated_at = $1 WHERE state = 'running'`, [at]);
      return r.rowCount ?? 0;
    },
    async failAbandoned(now) {
      const r = await pool.query(`UPDATE jobs SET state = 'failed', locked_by = NULL, locked_until = NULL, updated_at = $1,
          last_error = 'abandoned: its node stopped while running attempt ' || attempts || ' of ' || max_attempts
            || CASE WHEN last_error IS NULL THEN '' ELSE ' (earlier error: ' || last_error || ')' END
        WHERE state = 'running' AND locked_until < $1 AND attempts >= max_attempts`, [now]);
      return r.rowCount ?? 0;
    },
    async get(id) {
      return one(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
    },
    async getByKey(key) {
      return one(`SELECT ${COLUMNS} FROM jobs WHERE key = $1`, [key]);
    },
    async list(f) {
      // only the filters given, so the planner reads their index (jobs_kind, jobs_state, jobs_partner, the primary key)
      const params: unknown[] = [];
      const terms = JOB_FILTER_COLUMNS.filter(([k]) => f[k] !== undefined).map(([k, col]) => { params.push(f[k]); return `${col} = $${params.length}`; });
      if (f.before !== undefined) { params.push(f.before); terms.push(`id < $${params.length}`); }
      params.push(f.limit);
      const r = await pool.query<RawJobRow>(`SELECT ${COLUMNS} FROM jobs${terms.length ? ` WHERE ${terms.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
      return r.rows.map(jobOf);
    },
    async cancel(id, at) {
      return settled(`UPDATE jobs SET state = 'cancelled', updated_at = $2 WHERE id = $1 AND state IN ('waiting', 'failed')`, [id, at]);
    },
    async retry(id, at) {
      return settled(`UPDATE jobs SET state = 'waiting', attempts = 0, run_at = $2, updated_at = $2 WHERE id = $1 AND state IN ('failed', 'cancelled')`, [id, at]);
    },
    async queueDepths(cap) {
      const r = await pool.query<{ kind: string; state: string; count: string; oldest: string | null }>(queueDepthsSql('$1'), [cap]);
      return queueDepthsOf(r.rows);
    },
  };
}
