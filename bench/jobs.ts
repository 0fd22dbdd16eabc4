/**
 * npm run bench -- jobs: the job runner (src/jobs/) claiming and completing no-op jobs, on SQLite
 * and PostgreSQL, beside a bare loop in the same run that does the same claims with the same
 * statement shape (UPDATE … RETURNING of up to `batch` due rows, then one UPDATE per job to mark it
 * done) and nothing else: the ratio is what the runner's bookkeeping costs (registry lookup,
 * per-queue slots, promises, outcome JSON, lock checks). PostgreSQL is a throwaway local server
 * with fsync on (test/support/postgres.ts) over loopback TCP; SQLite a temp file in WAL mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openSqlite } from '../src/db/open-sqlite.ts';
import { migratePg } from '../src/db/pg/migrate.ts';
import type { JobStore } from '../src/jobs/job-store.ts';
import { createPgJobs } from '../src/jobs/pg-jobs.ts';
import { createTaskRegistry, defineTask, jobFor } from '../src/jobs/registry.ts';
import { createJobRunner } from '../src/jobs/runner.ts';
import { createSqliteJobs } from '../src/jobs/sqlite-jobs.ts';
import { postgresAvailability, startTestPostgres } from '../test/support/postgres.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const BATCH = 32;
const noop = defineTask('bench.noop', async () => null);

async function fill(jobs: JobStore, n: number, at: string): Promise<void> {
  for (let i = 0; i < n; i++) await jobs.enqueue(null, jobFor(noop, { payload: { i }, at }));
}

/** jobs/s: n jobs claimed, run and completed by `runners` runners (one per store), BATCH at once each */
async function viaRunner(stores: JobStore[], n: number): Promise<number> {
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => { finished = r; });
  const counted = (s: JobStore): JobStore => ({
    ...s,
    async complete(...args) {
      const ok = await s.complete(...args);
      if (++done === n) finished();
      return ok;
    },
  });
  const start = performance.now();
  const runners = stores.map((s, i) => createJobRunner({
    jobs: counted(s), tasks: createTaskRegistry([noop]), holder: `bench-${i}`, defaultConcurrency: BATCH, pollMs: 50,
  }));
  for (const r of runners) r.start();
  await all;
  const secs = (performance.now() - start) / 1000;
  await Promise.all(runners.map((r) => r.stop()));
  return n / secs;
}

/** SQLite's bare loop; PostgreSQL's is the same with $n placeholders and SKIP LOCKED */
const CLAIM = `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ?, locked_until = ?, updated_at = ?
  WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_due WHERE state = 'waiting' AND run_at <= ? ORDER BY run_at, id LIMIT ${BATCH}) RETURNING id`;
const DONE = `UPDATE jobs SET state = 'done', outcome = 'null', locked_by = NULL, locked_until = NULL, updated_at = ?
  WHERE id = ? AND state = 'running' AND locked_by = ?`;

function bareSqlite(raw: ReturnType<typeof openSqlite>['raw'], n: number): number {
  const claim = raw.prepare(CLAIM).pluck();
  const done = raw.prepare(DONE);
  const start = performance.now();
  let count = 0;
  for (;;) {
    const now = new Date().toISOString();
    const ids = claim.all('bare', new Date(Date.now() + 300_000).toISOString(), now, now) as number[];
    if (ids.length === 0) break;
    for (const id of ids) done.run(now, id, 'bare');
    count += ids.length;
  }
  if (count !== n) throw new Error(`bare loop completed ${count} of ${n}`);
  return n / ((performance.now() - start) / 1000);
}

async function barePg(pool: pg.Pool, n: number): Promise<number> {
  const client = await pool.connect();
  const claim = `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2, updated_at = $3
    WHERE id IN (SELECT id FROM jobs WHERE state = 'waiting' AND run_at <= $4 ORDER BY run_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) RETURNING id`;
  const done = `UPDATE jobs SET state = 'done', outcome = 'null', locked_by = NULL, locked_until = NULL, updated_at = $1
    WHERE id = $2 AND state = 'running' AND locked_by = $3`;
  const start = performance.now();
  let count = 0;
  try {
    for (;;) {
      const now = new Date().toISOString();
      const r = await client.query<{ id: string }>(claim, ['bare', new Date(Date.now() + 300_000).toISOString(), now, now]);
      if (r.rows.length === 0) break;
      for (const row of r.rows) await client.query(done, [now, row.id, 'bare']);
      count += r.rows.length;
    }
  } finally {
    client.release();
  }
  if (count !== n) throw new Error(`bare loop completed ${count} of ${n}`);
  return n / ((performance.now() - start) / 1000);
}

export const run: BenchArea = async (opts) => {
  const n = opts.quick ? 2_000 : 20_000;
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-jobs-'));
  try {
    const sqlite = openSqlite(path.join(dir, 'jobs.db'));
    const jobs = createSqliteJobs(sqlite.raw);
    const at = new Date().toISOString();
    await fill(jobs, n, at);
    const bare = bareSqlite(sqlite.raw, n);
    sqlite.raw.exec('DELETE FROM jobs');
    await fill(jobs, n, at);
    const runner = await viaRunner([jobs], n);
    rows.push({
      area: 'jobs', name: `SQLite: ${n} no-op jobs claimed ${BATCH} at a time, run and completed by the runner`, value: runner, unit: 'jobs/s',
      baseline: { name: 'bare UPDATE … RETURNING claim + UPDATE done loop', value: bare, unit: 'jobs/s' },
    });
    sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const availability = postgresAvailability();
  if (!availability.ok) {
    rows.push({ area: 'jobs', name: 'PostgreSQL not available', value: 0, unit: 'jobs/s', notes: availability.reason });
    return rows;
  }
  const server = await startTestPostgres({ fsync: true });
  const pools: pg.Pool[] = [];
  try {
    const url = await server.createDatabase('bench_jobs');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const peer = new pg.Pool({ connectionString: url, max: 10 });
    pools.push(pool, peer);
    await migratePg(pool);
    const jobs = createPgJobs(pool);
    const at = new Date().toISOString();
    await fill(jobs, n, at);
    const bare = await barePg(pool, n);
    await pool.query('DELETE FROM jobs');
    await fill(jobs, n, at);
    const one = await viaRunner([jobs], n);
    rows.push({
      area: 'jobs', name: `PostgreSQL: ${n} no-op jobs, one runner (pool 10)`, value: one, unit: 'jobs/s',
      baseline: { name: 'bare UPDATE … RETURNING (SKIP LOCKED) claim + UPDATE done loop on one connection', value: bare, unit: 'jobs/s' },
    });
    await pool.query('DELETE FROM jobs');
    await fill(jobs, n, at);
    const two = await viaRunner([jobs, createPgJobs(peer)], n);
    rows.push({
      area: 'jobs', name: `PostgreSQL: ${n} no-op jobs, two runners (two pools of 10, one database)`, value: two, unit: 'jobs/s',
      baseline: { name: 'the same bare loop', value: bare, unit: 'jobs/s' },
    });
  } finally {
    for (const p of pools) await p.end();
    await server.stop();
  }
  return rows;
};
