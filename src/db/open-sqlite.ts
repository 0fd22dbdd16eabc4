import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CountDeltas } from './row-counts.ts';
import { createSqliteBatching, type SqliteBatchingOptions } from './sqlite-batch.ts';
import * as schema from './schema.ts';

export type SqliteDb = BetterSQLite3Database<typeof schema>;

export interface OpenedSqlite {
  db: SqliteDb;
  raw: Database.Database;
  /** a commit someone relies on: synchronous=FULL (see sqlite-batch.ts) */
  durably<T>(fn: () => T): T;
  /** pipeline writes of one time slice in one transaction (see sqlite-batch.ts) */
  batch<T>(fn: () => Promise<T>): Promise<T>;
  /** synchronous writes and the row counts they change, atomically (see sqlite-batch.ts) */
  write<T>(fn: (counts: CountDeltas) => T): T;
  close(): void;
}

/**
 * How long a statement waits for another process's lock before failing with SQLITE_BUSY.
 * better-sqlite3 is synchronous: the wait holds the event loop, so every endpoint (and /healthz)
 * stands still for it. 5000 ms froze the gateway for up to 14.8 s under a held `BEGIN EXCLUSIVE`.
 * Our own commits (group commit, 100 rows) take a few milliseconds, and the other processes that
 * legitimately write the file (`edigw replay`, a migration at start) hold the lock for tens of
 * milliseconds, so 200 ms rides those out; a longer hold is an outage, answered 503 + Retry-After
 * (see storage-health.ts) rather than waited out on the event loop.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 200;

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations', 'sqlite');

/**
 * Opens (creating when absent) the SQLite file in WAL mode and applies pending migrations.
 * The connection runs with synchronous=NORMAL; commits someone relies on (a message before its
 * sender is acknowledged, an issued control number, an ERP ack) go through `durably`, which
 * fsyncs. In WAL mode that fsync also persists every earlier commit, and what a power loss can
 * take from NORMAL commits is pipeline progress that is recomputed from the stored message.
 */
export interface OpenSqliteOptions {
  /** the busy timeout of this connection; default SQLITE_BUSY_TIMEOUT_MS (a processing thread's waits longer) */
  busyTimeoutMs?: number;
  /** intake before processing (sqlite-write-priority.ts) */
  priority?: SqliteBatchingOptions['priority'];
}

export function openSqlite(file: string, opts: OpenSqliteOptions = {}): OpenedSqlite {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS}`);
  raw.pragma('foreign_keys = ON');
  migrate(raw);
  // the counts /healthz and /metrics read, one upsert per name a transaction (row-counts.ts)
  const upsertCount = raw.prepare<[string, number]>(`INSERT INTO row_counts (name, value) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`);
  const { durably, batch, write } = createSqliteBatching(raw, {
    applyCounts: (deltas) => { for (const [name, n] of deltas.nonZero()) upsertCount.run(name, n); },
    ...(opts.priority ? { priority: opts.priority } : {}),
  });
  return { db: drizzle(raw, { schema }), raw, durably, batch, write, close: () => raw.close() };
}

function migrate(raw: Database.Database): void {
  raw.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(raw.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
  for (const f of files) {
    if (applied.has(f)) continue;
    const sql = readFileSync(join(migrationsDir, f), 'utf8');
    raw.transaction(() => {
      raw.exec(sql);
      raw.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(f, new Date().toISOString());
    })();
  }
}
