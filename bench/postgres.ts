/**
 * The Store on PostgreSQL against SQLite in the same run: intake (insertMessage with many requests
 * in flight, each resolved after its commit) and the ERP feed (lease 100 + ack 100). PostgreSQL
 * is a throwaway local server with fsync on (test/support/postgres.ts), over TCP on loopback;
 * SQLite is a temp file in WAL mode with its group commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgStore } from '../src/db/pg/pg-store.ts';
import { createSqliteStore } from '../src/db/sqlite-store.ts';
import type { NewMessage, Store } from '../src/db/store.ts';
import { postgresAvailability, startTestPostgres } from '../test/support/postgres.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const T0 = '2026-11-23T10:00:00.000Z';
const body = new Uint8Array(1024).fill(0x41);
const message = (id: string): NewMessage => ({
  id, receivedAt: T0, direction: 'inbound', transport: 'http', partnerId: 'acme', metadata: { contentType: 'application/edi-x12' },
  contentSha256: `sha-${id}`, raw: body, test: false,
});

/** inserts n messages with `inFlight` concurrent callers; rows/s */
async function intake(store: Store, n: number, inFlight: number, prefix: string): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < n) await store.insertMessage(message(`${prefix}-${next++}`));
  }));
  return n / ((performance.now() - start) / 1000);
}

/** n documents over 10 partners, then lease 100 / ack 100 until the feed is empty; documents/s */
async function feed(store: Store, n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    await store.upsertDocument({
      id: `d${i}`, messageId: `m${i}`, partnerId: `p${i % 10}`, type: 'invoice', direction: 'inbound', businessKey: `INV-${i}`,
      correlationId: null, envelope: { id: `d${i}`, document: { invoiceNumber: `INV-${i}` } }, status: 'ready', test: false, at: T0,
    });
  }
  const start = performance.now();
  let done = 0;
  for (;;) {
    const rows = await store.leaseFeed({ now: T0, leaseUntil: '2026-11-23T11:00:00.000Z', limit: 100, test: false });
    if (rows.length === 0) break;
    await store.ackFeed(rows.map((r) => r.id), T0);
    done += rows.length;
  }
  return done / ((performance.now() - start) / 1000);
}

export const run: BenchArea = async (opts) => {
  const availability = postgresAvailability();
  if (!availability.ok) return [{ area: 'postgres', name: 'PostgreSQL not available', value: 0, unit: 'rows/s', notes: availability.reason }];
  const n = opts.quick ? 2_000 : 20_000;
  const docs = opts.quick ? 1_000 : 10_000;
  const server = await startTestPostgres({ fsync: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-pg-'));
  const rows: BenchRow[] = [];
  try {
    const pg = await createPgStore({ url: await server.createDatabase('bench') });
    const sqlite = createSqliteStore(path.join(dir, 'gateway.db'));
    try {
      for (const inFlight of [1, 64]) {
        const onSqlite = await intake(sqlite, inFlight === 1 ? Math.min(n, 500) : n, inFlight, `s${inFlight}`);
        const onPg = await intake(pg, inFlight === 1 ? Math.min(n, 500) : n, inFlight, `p${inFlight}`);
        rows.push({
          area: 'postgres', name: `intake, 1 KB messages, ${inFlight} in flight (PostgreSQL, pool 10)`, value: onPg, unit: 'rows/s',
          baseline: { name: 'SQLite group commit', value: onSqlite, unit: 'rows/s' },
        });
      }
      const feedSqlite = await feed(sqlite, docs);
      const feedPg = await feed(pg, docs);
      rows.push({
        area: 'postgres', name: `ERP feed lease 100 + ack 100, ${docs} documents (PostgreSQL)`, value: feedPg, unit: 'documents/s',
        baseline: { name: 'SQLite', value: feedSqlite, unit: 'documents/s' },
      });
    } finally {
      await pg.close();
      await sqlite.close();
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
