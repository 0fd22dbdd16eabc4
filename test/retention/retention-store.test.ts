/** The retention contract (retention-contract.ts) on SQLite and on a real PostgreSQL server (test/support/postgres.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { retentionContract } from './retention-contract.ts';

retentionContract('SQLite (blobs/ beside the file)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-retention-'));
  const file = path.join(dir, 'gateway.db');
  const opened: Store[] = [await openStore(file)];
  return {
    store: opened[0]!,
    blobDir: path.join(dir, 'blobs'),
    async peer() { const s = await openStore(file); opened.push(s); return s; },
    async cleanup() { for (const s of opened) await s.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});

const availability = postgresAvailability();
if (!availability.ok) console.warn(availability.reason);

describe.skipIf(!availability.ok)('PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });

  retentionContract('PostgreSQL (a shared EDIGW_BLOB_DIR)', async () => {
    const url = await server.createDatabase('retention');
    const blobDir = mkdtempSync(path.join(tmpdir(), 'edigw-blobs-'));
    const opened: Store[] = [await openStore(url, { blobDir })];
    return {
      store: opened[0]!,
      blobDir,
      async peer() { const s = await openStore(url, { blobDir }); opened.push(s); return s; },
      async cleanup() { for (const s of opened) await s.close(); rmSync(blobDir, { recursive: true, force: true }); },
    };
  });
});
