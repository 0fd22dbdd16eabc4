import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';

export type SqliteDb = BetterSQLite3Database<typeof schema>;

export interface OpenedSqlite {
  db: SqliteDb;
  raw: Database.Database;
  durably<T>(fn: () => T): T;
  close(): void;
}

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations', 'sqlite');

/**
 * Opens (creating when absent) the SQLite file in WAL mode and applies pending migrations.
 * The connection runs with synchronous=NORMAL; commits someone relies on (a message before its
 * sender is acknowledged, an issued control number, an ERP ack) go through `durably`, which
 * fsyncs. In WAL mode that fsync also persists every earlier commit, and what a power loss can
 * take from NORMAL commits is pipeline progress that is recomputed from the stored message.
 */
export function openSqlite(file: string): OpenedSqlite {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  migrate(raw);
  return { db: drizzle(raw, { schema }), raw, durably: (fn) => durably(raw, fn), close: () => raw.close() };
}

/** Runs fn in a transaction committed with synchronous=FULL (fsync before it returns). */
function durably<T>(raw: Database.Database, fn: () => T): T {
  raw.pragma('synchronous = FULL');
  try {
    return raw.transaction(fn)();
  } finally {
    raw.pragma('synchronous = NORMAL');
  }
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
