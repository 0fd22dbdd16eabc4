/**
 * Store.traces.documentTraces (tracing's one read, used by the ERP feed's spans) on SQLite and
 * PostgreSQL: for document ids, each known document's message, partner, type and the traceparent
 * intake kept in the message's metadata; unknown ids left out; a message stored with tracing off
 * (no traceparent) or with a value that is not one gives no traceparent; more ids than one
 * statement takes (1000) are read in several.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const at = '2026-12-08T01:00:00.000Z';

async function fill(store: Store): Promise<string[]> {
  const messages: Array<[string, Record<string, string>]> = [
    ['msg_traced', { contentType: 'application/edi-x12', traceparent: TP }],
    ['msg_untraced', { contentType: 'application/edi-x12' }],
    ['msg_bad', { traceparent: 'not-a-traceparent' }],
  ];
  for (const [id, metadata] of messages) {
    await store.insertMessage({ id, receivedAt: at, direction: 'inbound', transport: 'http', partnerId: 'buyerco', metadata, contentSha256: id.padEnd(64, '0'), raw: Buffer.from(id), test: false });
  }
  const docs = [['doc_a', 'msg_traced', 'purchase_order'], ['doc_b', 'msg_traced', 'purchase_order'], ['doc_c', 'msg_untraced', 'invoice'], ['doc_d', 'msg_bad', 'ship_notice']];
  for (const [id, messageId, type] of docs) {
    await store.upsertDocument({ id: id!, messageId: messageId!, partnerId: 'buyerco', type: type!, direction: 'inbound', businessKey: null, correlationId: null, envelope: { id }, status: 'ready', test: false, at });
  }
  return docs.map((d) => d[0]!);
}

async function check(store: Store) {
  await fill(store);
  // 1500 ids, most unknown: known ones in the first and the second statement
  const ids = Array.from({ length: 1500 }, (_, i) => `doc_unknown_${i}`);
  ids[0] = 'doc_a'; ids[1200] = 'doc_b'; ids[7] = 'doc_c'; ids[1499] = 'doc_d';
  const got = (await store.traces.documentTraces(ids)).sort((x, y) => x.documentId.localeCompare(y.documentId));
  expect(got).toEqual([
    { documentId: 'doc_a', messageId: 'msg_traced', partnerId: 'buyerco', type: 'purchase_order', traceparent: TP },
    { documentId: 'doc_b', messageId: 'msg_traced', partnerId: 'buyerco', type: 'purchase_order', traceparent: TP },
    { documentId: 'doc_c', messageId: 'msg_untraced', partnerId: 'buyerco', type: 'invoice' },
    { documentId: 'doc_d', messageId: 'msg_bad', partnerId: 'buyerco', type: 'ship_notice' },
  ]);
  expect(await store.traces.documentTraces([])).toEqual([]);
}

describe('documentTraces on SQLite', () => {
  it('gives each known document its message and traceparent', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edigw-traces-'));
    const store = await openStore(path.join(dir, 'gateway.db'));
    try { await check(store); } finally { await store.close(); rmSync(dir, { recursive: true, force: true }); }
  });
});

const availability = postgresAvailability();
describe.skipIf(!availability.ok)(`documentTraces on PostgreSQL${availability.ok ? '' : ` (skipped: ${availability.reason})`}`, () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });
  it('gives each known document its message and traceparent', async () => {
    const store = await openStore(await server.createDatabase('traces'));
    try { await check(store); } finally { await store.close(); }
  });
});
