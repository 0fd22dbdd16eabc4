/**
 * A database from before the per-PO-line totals (SQLite migration 0007, PostgreSQL 0005): the ship
 * notices and invoices it already holds are added to the totals once, when the migration is
 * applied, so correlation keeps seeing them; opening it again adds nothing. On PostgreSQL two
 * nodes starting at once add them once (the migration and its backfill share one transaction
 * under the migration lock). The database is taken back to before the migration by dropping
 * what the migration created and forgetting that it ran.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore } from '../../src/db/pg/pg-store.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import type { LineTotal, Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { doc } from './store-contract.ts';

const asn = (id: string, shipmentId: string, qty: number) => doc(id, {
  type: 'ship_notice', businessKey: shipmentId, correlationId: 'PO-1',
  envelope: { id, document: { shipmentId, orders: [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: qty }] }] } },
});
const inv = doc('i1', { type: 'invoice', businessKey: 'INV-1', correlationId: 'PO-1', envelope: { document: { invoiceNumber: 'INV-1', poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityInvoiced: 2.5 }] } } });

/** 4 + 1.5 shipped, 2.5 invoiced */
async function fill(s: Store): Promise<void> {
  await s.upsertDocument(doc('po', { correlationId: 'PO-1' }));
  await s.upsertDocument(asn('a1', 'SH-1', 4));
  await s.upsertDocument(asn('a2', 'SH-2', 1.5));
  await s.upsertDocument(inv);
}
const expected: LineTotal[] = [
  { kind: 'invoiced', lineNumber: '1', buyerPart: '', vendorPart: '', quantity: '2.5' },
  { kind: 'shipped', lineNumber: '1', buyerPart: '', vendorPart: '', quantity: '5.5' },
];
const totals = async (s: Store) => (await s.lineTotals('PO-1')).sort((a, b) => a.kind.localeCompare(b.kind));

describe('SQLite: a file from before migration 0007', () => {
  it('gets its stored ship notices and invoices added to the totals once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edigw-backfill-'));
    const file = path.join(dir, 'gateway.db');
    try {
      const first = createSqliteStore(file);
      await fill(first);
      await first.close();
      const raw = new Database(file);
      raw.exec(`DROP TABLE po_line_totals; DROP TABLE po_line_key_totals; DROP TABLE line_totals_backfill; DROP INDEX documents_correlation_type;
        DELETE FROM schema_migrations WHERE name = '0007_line_totals.sql';`);
      raw.close();

      const upgraded = createSqliteStore(file);
      expect(await totals(upgraded)).toEqual(expected);
      expect(await upgraded.lineTotals('PO-1', { kind: 'shipped', key: 'SH-2' })).toEqual([{ ...expected[1], quantity: '1.5' }]);
      await upgraded.close();
      const again = createSqliteStore(file);
      expect(await totals(again)).toEqual(expected);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const availability = postgresAvailability();
describe.skipIf(!availability.ok)('PostgreSQL: a database from before migration 0005', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });

  it('gets its stored ship notices and invoices added once, also when two nodes start at once', async () => {
    const url = await server.createDatabase('backfill');
    const first = await createPgStore({ url });
    await fill(first);
    await first.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP TABLE po_line_totals; DROP TABLE po_line_key_totals; DROP INDEX documents_correlation_type;
      DELETE FROM schema_migrations WHERE name = '0005_line_totals.sql'`);
    await client.end();

    const nodes = await Promise.all([createPgStore({ url }), createPgStore({ url })]);
    try {
      for (const n of nodes) expect(await totals(n)).toEqual(expected);
      expect(await nodes[0]!.lineTotals('PO-1', { kind: 'invoiced', key: 'INV-1' })).toEqual([expected[0]]);
    } finally {
      for (const n of nodes) await n.close();
    }
    const again = await createPgStore({ url });
    expect(await totals(again)).toEqual(expected);
    await again.close();
  });
});
