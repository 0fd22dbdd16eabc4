/**
 * Applies the plain SQL migrations in src/db/migrations/postgres/ in name order, each in its own
 * transaction, recording each in schema_migrations (as the SQLite runner does). Several gateway
 * nodes may start at once against one database: the whole run holds a session advisory lock, so
 * one node applies the pending migrations while the others wait and then find nothing to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';
import { GatewayError } from '../../core/errors.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import { backfillPgLineTotals } from './line-totals.ts';

export const pgMigrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations', 'postgres');

/** pg_advisory_lock key of the migration run ('edigw' + 1 in ASCII digits); any constant shared by all nodes works */
const MIGRATION_LOCK = 101_100_105_103_119_1;

/** JavaScript steps of a migration, run in its transaction after its SQL */
const steps: Record<string, (client: PoolClient) => Promise<void>> = {
  // the ship notices and invoices stored before the totals existed
  '0005_line_totals.sql': (client) => backfillPgLineTotals(drizzle(client)),
};

/** applies what is pending; returns the names applied by this call (empty when another node already did) */
export async function migratePg(pool: Pool, opts: { dir?: string; now?: () => string } = {}): Promise<string[]> {
  const dir = opts.dir ?? pgMigrationsDir;
  const now = opts.now ?? (() => new Date().toISOString());
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const client = await pool.connect();
  const appliedNow: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      const applied = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      for (const f of files) {
        if (applied.has(f)) continue;
        const sql = readFileSync(join(dir, f), 'utf8');
        try {
          await client.query('BEGIN');
          await client.query(sql);
          await steps[f]?.(client);
          await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [f, now()]);
          await client.query('COMMIT');
          appliedNow.push(f);
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          const reason = e instanceof Error ? e.message : String(e);
          throw new GatewayError('database_migration_failed', `PostgreSQL migration ${f} failed: ${reason}`, { migration: f, reason }, { cause: e });
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    }
  } finally {
    client.release();
  }
  return appliedNow;
}
