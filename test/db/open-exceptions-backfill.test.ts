/**
 * The open exceptions per partner and code (row_counts 'open_exceptions:…', SQLite migration 0020,
 * PostgreSQL 0018) on a database from before them: the exceptions open when the migration runs are
 * counted once; resolved ones are not; opening the database again adds nothing. The database is
 * taken back to before the migration by deleting its rows and forgetting that it ran.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore } from '../../src/db/pg/pg-store.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import type { Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const T0 = '2026-12-01T10:00:00.000Z';
/** acme: two open mapping_failed (messages m1, m2) and one discarded; one open of no partner */
async function fill(s: Store): Promise<void> {
  const exc = (id: string, messageId: string, partnerId: string | null, code: string) =>
    s.addException({ id, messageId, partnerId, stage: 'map', code, message: 'm', detail: {}, at: T0 });
  await exc('e1', 'm1', 'acme', 'mapping_failed');
  await exc('e2', 'm2', 'acme', 'mapping_failed');
  await exc('e3', 'm3', 'acme', 'canonical_invalid');
  await exc('e4', 'm4', null, 'partner_unknown');
  expect(await s.resolveExceptions('m3', 'discarded', 'operator:test', T0)).toBe(1);
}
const expected = [
  { partnerId: 'acme', code: 'canonical_invalid', open: 0 },
  { partnerId: 'acme', code: 'mapping_failed', open: 2 },
  { partnerId: null, code: 'partner_unknown', open: 1 },
];
/** as the store keeps them (a resolved pair stays at 0) and as the migration counts them (open pairs only) */
const sorted = async (s: Store) => (await s.openExceptionCounts()).sort((a, b) => a.code.localeCompare(b.code));

describe('SQLite: a file from before migration 0020', () => {
  it('counts the exceptions open at the migration once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edigw-open-exc-'));
    const file = path.join(dir, 'gateway.db');
    try {
      const first = createSqliteStore(file);
      await fill(first);
      expect(await sorted(first)).toEqual(expected);
      await first.close();
      const raw = new Database(file);
      raw.exec(`DELETE FROM row_counts WHERE name LIKE 'open_exceptions:%'; DELETE FROM schema_migrations WHERE name = '0020_open_exceptions_by_partner.sql';`);
      raw.close();

      const upgraded = createSqliteStore(file);
      expect(await sorted(upgraded)).toEqual(expected.filter((e) => e.open > 0));
      await upgraded.close();
      const again = createSqliteStore(file);
      expect(await sorted(again)).toEqual(expected.filter((e) => e.open > 0));
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const availability = postgresAvailability();
describe.skipIf(!availability.ok)('PostgreSQL: a database from before migration 0018', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres({ fsync: false }); });
  afterAll(async () => { await server?.stop(); });

  it('counts the exceptions open at the migration once', async () => {
    const url = await server.createDatabase('open_exc');
    const first = await createPgStore({ url });
    await fill(first);
    expect(await sorted(first)).toEqual(expected);
    await first.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DELETE FROM row_count_deltas WHERE name LIKE 'open_exceptions:%'; DELETE FROM row_counts WHERE name LIKE 'open_exceptions:%';
      DELETE FROM schema_migrations WHERE name = '0018_open_exceptions_by_partner.sql'`);
    await client.end();

    const upgraded = await createPgStore({ url });
    expect(await sorted(upgraded)).toEqual(expected.filter((e) => e.open > 0));
    await upgraded.close();
    const again = await createPgStore({ url });
    expect(await sorted(again)).toEqual(expected.filter((e) => e.open > 0));
    await again.close();
  });
});
