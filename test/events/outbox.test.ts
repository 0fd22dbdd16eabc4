/**
 * The outbox's promises at the store: an event commits with its change or not at all (SQLite and
 * PostgreSQL: a failing event write takes the document's write back with it); on PostgreSQL a transaction that commits late, after a later one, still gets a seq
 * after every seq a reader has seen (the sequencer), so a subscriber's position never skips it.
 * And the events built for facts the pipeline's tests do not reach (order.changed, ack.rejected,
 * the sweeps) conform to their schemas, and a sweep noticing a fact twice writes it once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { CanonicalEnvelope } from '../../src/canonical/types.ts';
import { createPgStore } from '../../src/db/pg/pg-store.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import type { Store } from '../../src/db/store.ts';
import { documentEvents, exceptionEvents } from '../../src/events/business-events.ts';
import { cloudEvent, newEvent } from '../../src/events/envelope.ts';
import { FILTERED_SCAN_WINDOW, nextCursor } from '../../src/events/event-store.ts';
import { createEventValidator } from '../../src/events/schemas.ts';
import { sweepEvents } from '../../src/events/sweep.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const at = '2026-12-07T10:00:00.000Z';
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = (id: string, events = [newEvent({ type: 'document.released', at, partnerId: 'acme', documentId: id, data: { documentId: id } })]) => ({
  id, messageId: 'msg_1', partnerId: 'acme', type: 'invoice', direction: 'inbound' as const, businessKey: id, correlationId: 'PO-1',
  envelope: { id }, status: 'ready' as const, test: false, at, events,
});

async function rolledBackHasNoEvent(store: Store) {
  const before = await store.events.lastSeq();
  // the event's write fails after the document's (its data cannot be serialized): the document's transaction rolls back whole
  const broken = newEvent({ type: 'document.released', at, documentId: 'doc_rolled_back', data: { n: 1n } });
  await expect(store.upsertDocument(doc('doc_rolled_back', [broken]))).rejects.toThrow(/BigInt/);
  expect(await store.getDocument('doc_rolled_back')).toBeUndefined();
  expect(await store.events.lastSeq()).toBe(before);
  await store.upsertDocument(doc('doc_kept'));
  await store.events.sequence();
  const [e] = await store.events.list({ after: before, limit: 10 });
  expect(e).toMatchObject({ type: 'document.released', documentId: 'doc_kept', partnerId: 'acme' });
  // unchanged: stored again as it is, no second event
  await store.upsertDocument(doc('doc_kept'));
  await store.events.sequence();
  expect(await store.events.list({ after: before, limit: 10 })).toHaveLength(1);
  // an exception commits with exception.opened
  await store.addException({ id: 'exc_1', messageId: 'msg_1', documentId: null, partnerId: 'acme', stage: 'store', code: 'x12_functional_ack_rejected', message: 'rejected', detail: {}, at });
  await store.events.sequence();
  expect((await store.events.list({ after: before, limit: 10 })).map((x) => x.type)).toEqual(['document.released', 'exception.opened', 'ack.rejected']);
}

describe('outbox on SQLite', () => {
  it('a rolled-back change has no event; a committed one has it once', async () => {
    const store = createSqliteStore(path.join(dir, 'outbox.db'));
    try { await rolledBackHasNoEvent(store); } finally { await store.close(); }
  });
});

describe('the event log read with a filter', () => {
  it('looks at most FILTERED_SCAN_WINDOW positions past its cursor, and its next cursor walks the log to the rare event', async () => {
    const store = createSqliteStore(path.join(dir, 'window.db'));
    try {
      // 25,000 events: message.failed of partner bulk, one exception.opened of partner rare at seq 15,000
      const events = Array.from({ length: 25_000 }, (_, i) => i === 14_999
        ? newEvent({ type: 'exception.opened', at, partnerId: 'rare', subject: 'the one', data: { exceptionId: 'exc_1' } })
        : newEvent({ type: 'message.failed', at, partnerId: 'bulk', data: { messageId: `msg_${i}` } }));
      await store.events.append(null, events);
      const last = await store.events.lastSeq();
      expect(last).toBe(25_000);
      const walk: Array<number | null> = [];
      let after = 0;
      let found: string | null = null;
      for (let page = 0; page < 5 && !found; page++) {
        const f = { type: 'exception.opened', after, limit: 50 };
        const rows = await store.events.list(f);
        found = rows[0]?.subject ?? null;
        const next = nextCursor(f, rows, last);
        walk.push(next);
        if (next === null) break;
        after = next;
      }
      expect(found).toBe('the one');
      // the first window (1-10,000) holds none: the cursor moves to its end; the second (10,001-20,000)
      // holds it, and the page, not full, moves the cursor to that window's end too
      expect(walk).toEqual([FILTERED_SCAN_WINDOW, 2 * FILTERED_SCAN_WINDOW]);
      // past it, partner rare has nothing more: windows to the end of the log, then no cursor beyond the last event seen
      expect(nextCursor({ partnerId: 'rare', after: 20_000, limit: 50 }, await store.events.list({ partnerId: 'rare', after: 20_000, limit: 50 }), last)).toBeNull();
      // unfiltered reads are not windowed
      expect((await store.events.list({ after: 0, limit: 12_000 })).length).toBe(12_000);
    } finally { await store.close(); }
  });
});

const pgOk = postgresAvailability();
describe.skipIf(!pgOk.ok)('outbox on PostgreSQL', () => {
  let server: TestPostgres;
  let store: Store;
  afterAll(async () => { await store?.close(); await server?.stop(); });

  it('a rolled-back change has no event; a transaction that commits late is sequenced after what readers saw', async () => {
    server = await startTestPostgres();
    const url = await server.createDatabase('outbox');
    store = await createPgStore({ url });
    await rolledBackHasNoEvent(store);

    // T1 writes an event and stays open; T2 writes one and commits; the reader sequences and reads
    const pool = new pg.Pool({ connectionString: url });
    const t1 = await pool.connect();
    await t1.query('BEGIN');
    await store.events.append({ dialect: 'pg', client: t1 }, [newEvent({ type: 'message.failed', at, subject: 'late', data: { messageId: 'late' } })]);
    await store.events.append(null, [newEvent({ type: 'message.failed', at, subject: 'early', data: { messageId: 'early' } })]);
    await store.events.sequence();
    const seen = await store.events.lastSeq();
    const visible = await store.events.list({ after: seen - 1, limit: 10 });
    expect(visible.map((e) => e.subject)).toEqual(['early']);
    await t1.query('COMMIT');
    t1.release();
    await store.events.sequence();
    // the late one comes after the position a subscriber reached, not before it
    const next = await store.events.list({ after: seen, limit: 10 });
    expect(next.map((e) => e.subject)).toEqual(['late']);
    expect(next[0]!.seq).toBeGreaterThan(seen);
    await pool.end();
  }, 60_000);
});

describe('events of facts and sweeps', () => {
  const validate = createEventValidator();
  const conform = (events: ReturnType<typeof newEvent>[]) => events.flatMap((e, i) => validate(cloudEvent({ ...e, seq: i + 1 })).map((p) => `${e.type}: ${p}`));

  it('an ack with changes is order.acknowledged and order.changed; a rejected functional ack is ack.rejected', () => {
    const ack = {
      id: 'doc_ack', type: 'purchase_order_ack', version: 1, partnerId: 'acme', direction: 'inbound', receivedAt: at, correlationId: 'PO-9',
      source: { format: 'x12', message: '855', messageId: 'msg_9' },
      document: { poNumber: 'PO-9', status: 'accepted_with_changes', lines: [{ lineNumber: '1', status: 'changed', quantity: 8 }, { lineNumber: '2', status: 'accepted', quantity: 1 }] },
    } as unknown as CanonicalEnvelope;
    const events = documentEvents({ envelope: ack, held: true, at, findings: [{ code: 'ack_changed_quantity', message: '855 changes the quantity of line 1 from 10 to 8' }] });
    expect(events.map((e) => e.type)).toEqual(['order.acknowledged', 'order.changed']);
    expect(events[1]!.data).toMatchObject({ poNumber: 'PO-9', changes: [{ code: 'ack_changed_quantity' }], lines: [{ lineNumber: '1', status: 'changed' }] });
    const rejected = exceptionEvents({ id: 'exc_9', messageId: 'msg_out', documentId: 'doc_po', partnerId: 'acme', stage: 'functional_ack', code: 'x12_functional_ack_rejected', message: 'acme rejected our group 12', detail: {}, at });
    expect(rejected.map((e) => e.type)).toEqual(['exception.opened', 'ack.rejected']);
    expect(conform([...events, ...rejected])).toEqual([]);
  });

  it('a receipt is receipt.posted; one the receipt rules find short is receipt.discrepancy too, naming both numbers', () => {
    const receipt = {
      id: 'doc_rcv', type: 'receipt', version: 1, partnerId: 'keystone', direction: 'inbound', receivedAt: at, correlationId: 'PO-7',
      source: { format: 'x12', message: '944', messageId: 'msg_rcv' },
      document: { receiptNumber: 'RCV-1', receiptDate: '2026-12-07', poNumber: 'PO-7', asnNumber: 'ASN-7', lines: [{ lineNumber: '1', quantityReceived: 8 }] },
    } as unknown as CanonicalEnvelope;
    const clean = documentEvents({ envelope: receipt, held: false, at, findings: [] });
    expect(clean.map((e) => e.type)).toEqual(['document.released', 'receipt.posted']);
    expect(clean[1]!.data).toEqual({ receiptNumber: 'RCV-1', receiptDate: '2026-12-07', poNumber: 'PO-7', asnNumber: 'ASN-7', lines: 1, held: false });
    const short = { code: 'receipt_short', message: '944 RCV-1 for ASN ASN-7: line 1 shipped 10, received 8 (2 short)' };
    const held = documentEvents({ envelope: receipt, held: true, at, findings: [short, { code: 'price_changed', message: 'not a receipt finding' }] });
    expect(held.map((e) => e.type)).toEqual(['receipt.posted', 'receipt.discrepancy']);
    expect(held[1]!.data).toMatchObject({ receiptNumber: 'RCV-1', asnNumber: 'ASN-7', held: true, discrepancies: [short] });
    expect(conform([...clean, ...held])).toEqual([]);
  });

  it('a sweep writes each overdue ack, expiring certificate and poller outage once, however often it notices it', async () => {
    const sources = {
      certificates: () => [{ owner: 'acme', status: 'expiring', subject: 'CN=acme', notAfter: '2026-12-20T00:00:00.000Z', daysLeft: 13 }, { owner: 'beta', status: 'ok' }],
      pollers: () => [{ partnerId: 'acme', running: true, consecutiveFailures: 4, lastSuccessAt: '2026-12-07T08:00:00.000Z', lastError: { code: 'sftp_connect_failed', message: 'refused', at } },
        { partnerId: 'beta', running: true, consecutiveFailures: 1 }],
    };
    const report = { functionalAckMissing: [{ reason: 'functional_ack_missing', partnerId: 'acme', poNumber: 'PO-1', documentId: 'doc_po1', since: at, dueAt: at, windowMinutes: 60 }], poAckMissing: [] };
    const first = sweepEvents(sources, at, report);
    expect(first.map((e) => e.type)).toEqual(['ack.overdue', 'certificate.expiring', 'partner.poller_down']);
    expect(conform(first)).toEqual([]);
    const again = sweepEvents(sources, '2026-12-07T10:05:00.000Z', report);
    expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
    const store = createSqliteStore(path.join(dir, 'sweep.db'));
    try {
      await store.events.append(null, first);
      await store.events.append(null, again);
      expect((await store.events.list({ limit: 10 })).map((e) => e.type)).toEqual(['ack.overdue', 'certificate.expiring', 'partner.poller_down']);
    } finally { await store.close(); }
  });
});
