/**
 * The /metrics gauges of the overdue monitor are reused for a short time, so a Prometheus scrape
 * every 15 s from several replicas does not scan thousands of documents each time. The operators'
 * overdue report stays exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.ts';
import { openStore } from '../../db/open-store.ts';
import type { Store } from '../../db/store.ts';
import { createOverdueMonitor } from './overdue.ts';
import type { OutboundConfig } from '../outbound/types.ts';

const config: OutboundConfig = { partners: [], partner: () => undefined, byX12: () => undefined, byEdifact: () => undefined, mappingFor: () => undefined };

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'overdue-'));
  store = await openStore(path.join(dir, 'gateway.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** an outbound PO sent at `at`, never answered by an 855 */
async function outboundPo(poNumber: string, at: string) {
  await store.insertMessage({ id: `msg_${poNumber}`, receivedAt: at, direction: 'outbound', transport: 'pickup', partnerId: 'acme', metadata: {}, contentSha256: poNumber, raw: Buffer.from(poNumber), test: false, status: 'processed' });
  await store.upsertDocument({ id: `doc_${poNumber}`, messageId: `msg_${poNumber}`, partnerId: 'acme', type: 'purchase_order', direction: 'outbound', businessKey: poNumber, correlationId: poNumber, envelope: { document: { poNumber } }, status: 'held', test: false, at });
}

/** the store, counting how often the documents are scanned */
function countingScans(inner: Store): { store: Store; scans: () => number } {
  let n = 0;
  const store: Store = { ...inner, findDocuments: (f) => { n++; return inner.findDocuments(f); } };
  return { store, scans: () => n };
}

describe('overdue gauges for /metrics', () => {
  it('reuses the gauges for 30 s by the injected clock, then counts again', async () => {
    const clock = fixedClock('2026-11-20T08:00:00.000Z');
    await outboundPo('PO-1', clock.now().toISOString());
    clock.set('2026-11-23T10:00:00.000Z'); // 74 h later: past the 48 h window for an 855
    const counted = countingScans(store);
    const monitor = createOverdueMonitor({ store: counted.store, config: () => config, now: () => clock.now() });

    expect(await monitor.gauges()).toEqual({ overdue_functional_acks: 0, overdue_po_acks: 1, overdue_invoices: 0, overdue_receipts: 0, overdue_shipment_exceptions: 0 });
    const scansAfterFirst = counted.scans();
    await outboundPo('PO-2', '2026-11-20T09:00:00.000Z');

    clock.advance(29_999);
    expect((await monitor.gauges()).overdue_po_acks).toBe(1); // still the first count: PO-2 not seen yet
    expect(counted.scans()).toBe(scansAfterFirst);
    // the operators' report is never cached
    expect((await monitor.report()).poAckMissing.map((i) => i.poNumber).sort()).toEqual(['PO-1', 'PO-2']);

    clock.advance(1);
    expect((await monitor.gauges()).overdue_po_acks).toBe(2);
  });

  it('lets concurrent scrapes share one scan', async () => {
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const counted = countingScans(store);
    const monitor = createOverdueMonitor({ store: counted.store, config: () => config, now: () => clock.now() });
    const all = await Promise.all([monitor.gauges(), monitor.gauges(), monitor.gauges()]);
    expect(all.every((g) => g.overdue_po_acks === 0)).toBe(true);
    // one scan reads POs, ship notices and carrier statuses: three findDocuments calls, not nine
    expect(counted.scans()).toBe(3);
  });

  it('takes the maximum age as configuration (0: every scrape counts) and says it in the HELP text', async () => {
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const counted = countingScans(store);
    const fresh = createOverdueMonitor({ store: counted.store, config: () => config, now: () => clock.now(), gaugeMaxAgeMs: 0 });
    await fresh.gauges();
    await fresh.gauges();
    expect(counted.scans()).toBe(6);
    expect(fresh.gaugeHelp.overdue_po_acks).not.toMatch(/old/);

    const minute = createOverdueMonitor({ store, config: () => config, now: () => clock.now(), gaugeMaxAgeMs: 60_000 });
    expect(Object.keys(minute.gaugeHelp).sort()).toEqual(['overdue_functional_acks', 'overdue_invoices', 'overdue_po_acks', 'overdue_receipts', 'overdue_shipment_exceptions']);
    for (const help of Object.values(minute.gaugeHelp)) expect(help).toContain('up to 60 s old');
  });

  it('counts again when the clock is set back (a cached count from the future is not used)', async () => {
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const counted = countingScans(store);
    const monitor = createOverdueMonitor({ store: counted.store, config: () => config, now: () => clock.now() });
    await monitor.gauges();
    clock.advance(-1000);
    await monitor.gauges();
    expect(counted.scans()).toBe(6);
  });
});
