/**
 * The Store contract on a real PostgreSQL server (started for this file by test/support/postgres.ts,
 * or EDIGW_TEST_POSTGRES_URL), plus what only PostgreSQL has: connection errors and migrations
 * shared by nodes starting together.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.ts';
import { openStore } from '../../src/db/open-store.ts';
import { migratePg, pgMigrationsDir } from '../../src/db/pg/migrate.ts';
import { createPgStore } from '../../src/db/pg/pg-store.ts';
import type { Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { storeContract } from './store-contract.ts';

const availability = postgresAvailability();
/** every migration shipped, in the order they apply (0001_init.sql first) */
const allMigrations = () => readdirSync(pgMigrationsDir).filter((f) => f.endsWith('.sql')).sort();
if (!availability.ok) console.warn(availability.reason);

describe.skipIf(!availability.ok)('PostgreSQL store', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });

  storeContract('PostgreSQL', async () => {
    const url = await server.createDatabase('contract');
    const opened: Store[] = [await openStore(url)];
    return {
      store: opened[0]!,
      async peer() {
        const s = await openStore(url);
        opened.push(s);
        return s;
      },
      async cleanup() {
        for (const s of opened) await s.close();
      },
    };
  });

  it('concurrent message inserts share commits, yet a bad row fails only its own caller', async () => {
    const store = await openStore(await server.createDatabase('batch'));
    try {
      const m = (id: string) => ({ id, receivedAt: '2026-11-23T10:00:00.000Z', direction: 'inbound' as const, transport: 'http', partnerId: 'acme', metadata: {}, contentSha256: id, raw: new Uint8Array([1]), test: false });
      await store.insertMessage(m('dup'));
      // four commits run at once (a..d alone); e, dup, f, g wait and go as one INSERT, which fails
      const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e', 'dup', 'f', 'g'].map((id) => store.insertMessage(m(id))));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((await store.counts()).messages).toBe(8);
    } finally {
      await store.close();
    }
  });

  describe('connecting and migrating', () => {
    it('two nodes starting at once apply the migrations once, and a restart applies nothing', async () => {
      const url = await server.createDatabase('migrate');
      const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const { rows } = await c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
        expect(rows.map((r) => r.name)).toEqual(allMigrations());
        const again = await createPgStore({ url });
        await again.close();
        expect((await c.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]).toEqual({ n: allMigrations().length });
      } finally {
        await c.end();
        for (const s of stores) await s.close();
      }
    });

    it('an older database gets only the migrations it lacks; a failing one is rolled back and named', async () => {
      const pool = new pg.Pool({ connectionString: await server.createDatabase('upgrade') });
      const dir = mkdtempSync(path.join(tmpdir(), 'edigw-migrations-'));
      try {
        copyFileSync(path.join(pgMigrationsDir, '0001_init.sql'), path.join(dir, '0001_init.sql'));
        expect(await migratePg(pool, { dir })).toEqual(['0001_init.sql']);
        expect(await migratePg(pool)).toEqual(allMigrations().slice(1));
        expect(await migratePg(pool)).toEqual([]);
        copyFileSync(path.join(pgMigrationsDir, '0001_init.sql'), path.join(dir, '0001_init.sql'));
        writeFileSync(path.join(dir, '0009_bad.sql'), 'CREATE TABLE half_done (x int);\nALTER TABLE no_such_table ADD COLUMN y int;\n');
        const err = await migratePg(pool, { dir }).catch((e: unknown) => e) as GatewayError;
        expect(err.code).toBe('database_migration_failed');
        expect(err.message).toBe('PostgreSQL migration 0009_bad.sql failed: relation "no_such_table" does not exist');
        const { rows } = await pool.query("SELECT to_regclass('half_done') AS t, (SELECT count(*)::int FROM schema_migrations WHERE name = '0009_bad.sql') AS n");
        expect(rows[0]).toEqual({ t: null, n: 0 });
      } finally {
        await pool.end();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a server that does not answer is a database_unavailable error naming host, port and database', async () => {
      const err = await openStore('postgres://edigw:secret@127.0.0.1:1/gateway').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      const g = err as GatewayError;
      expect(g.code).toBe('database_unavailable');
      expect(g.message).toBe('cannot connect to PostgreSQL database "gateway" at 127.0.0.1:1 as "edigw": connect ECONNREFUSED 127.0.0.1:1');
      expect(g.detail).toMatchObject({ host: '127.0.0.1', port: 1, database: 'gateway', user: 'edigw', serverCode: 'ECONNREFUSED' });
      expect(g.message).not.toContain('secret');
    });

    it('a database that does not exist is refused with the server’s own reason', async () => {
      const url = new URL(await server.createDatabase('exists'));
      url.pathname = '/no_such_db';
      const err = await openStore(url.toString()).catch((e: unknown) => e) as GatewayError;
      expect(err.code).toBe('database_unavailable');
      expect(err.message).toBe(`cannot connect to PostgreSQL database "no_such_db" at 127.0.0.1:${url.port} as "${decodeURIComponent(url.username)}": database "no_such_db" does not exist`);
      expect(err.detail.serverCode).toBe('3D000');
    });

    it('close ends the pool and can be called twice', async () => {
      const store = await openStore(await server.createDatabase('close'));
      await store.close();
      await store.close();
      await expect(store.getMessage('x')).rejects.toThrow();
    });
  });
});
