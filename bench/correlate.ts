/**
 * Correlation against one purchase order (issue 12): N ship notices for the same PO, each run
 * through the correlate stage and then stored, as the pipeline does, on a real SQLite store.
 * Beside it, the same count against distinct POs (each ship notice has no history to read) as the
 * baseline. Linear correlation keeps the ratio one-PO / distinct about 1 at every size; when each
 * ship notice re-reads every earlier one it grows with N.
 * Sizes: 1,000 / 3,000 / 6,000 (quick: 200 / 600); BENCH_CORRELATE_COUNTS=1000,3000 overrides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CanonicalEnvelope } from '../src/canonical/types.ts';
import { createSqliteStore } from '../src/db/sqlite-store.ts';
import { createCorrelator } from '../src/pipeline/lifecycle/correlate/correlator.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const partner = { id: 'acme', status: 'production' as const, rules: { quantityTolerancePercent: 0, onViolation: 'warn' as const } };
const at = '2026-11-23T10:00:00.000Z';

function envelope(id: string, type: CanonicalEnvelope['type'], correlationId: string, document: unknown): CanonicalEnvelope {
  return {
    id, type, version: 1, partnerId: 'acme', direction: 'inbound', receivedAt: at, correlationId,
    source: { format: 'x12', version: '004010' }, document,
  } as CanonicalEnvelope;
}

/** 5 lines of 1,000,000 each: 3,000 ship notices of 3 per line never over-ship */
const poDoc = (po: string) => ({
  poNumber: po, poDate: '2026-11-01', purpose: 'original', currency: 'USD',
  lines: Array.from({ length: 5 }, (_, i) => ({ lineNumber: String(i + 1), buyerPartNumber: `BP-${i}`, quantity: 1_000_000, unitOfMeasure: 'EA', unitPrice: 2.5 })),
});
const asnDoc = (n: number, po: string) => ({
  shipmentId: `SH-${n}`, shipDate: '2026-11-20',
  orders: [{ poNumber: po, lines: Array.from({ length: 5 }, (_, i) => ({ lineNumber: String(i + 1), quantityShipped: 3 })) }],
});

/** seconds for `count` ship notices (correlate + store each); `samePo` puts them all on PO-1 */
async function correlateMany(count: number, samePo: boolean): Promise<{ seconds: number; firstMs: number; lastMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-correlate-'));
  const store = createSqliteStore(path.join(dir, 'gateway.db'));
  try {
    const correlate = createCorrelator(store);
    const pos = samePo ? ['PO-1'] : Array.from({ length: count }, (_, i) => `PO-${i + 1}`);
    for (const po of pos) {
      await store.upsertDocument({ id: `po-${po}`, messageId: 'm-po', partnerId: 'acme', type: 'purchase_order', direction: 'outbound', businessKey: po,
        correlationId: po, envelope: envelope(`po-${po}`, 'purchase_order', po, poDoc(po)), status: 'held', test: false, at });
    }
    const block = Math.max(1, Math.floor(count / 10));
    const times: number[] = [];
    const t0 = performance.now();
    let tb = t0;
    for (let n = 0; n < count; n++) {
      const po = samePo ? 'PO-1' : `PO-${n + 1}`;
      const env = envelope(`asn-${n}`, 'ship_notice', po, asnDoc(n, po));
      const verdict = await correlate(env, partner);
      if (verdict.hold.length > 0 || verdict.warnings.length > 0) throw new Error(`unexpected finding on ship notice ${n}: ${JSON.stringify(verdict)}`);
      await store.upsertDocument({ id: env.id, messageId: `m-${n}`, partnerId: 'acme', type: 'ship_notice', direction: 'inbound', businessKey: `SH-${n}`,
        correlationId: po, envelope: env, status: 'ready', test: false, at });
      if ((n + 1) % block === 0) { const now = performance.now(); times.push((now - tb) / block); tb = now; }
    }
    return { seconds: (performance.now() - t0) / 1000, firstMs: times[0] ?? 0, lastMs: times.at(-1) ?? 0 };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run: BenchArea = async ({ quick }) => {
  const counts = process.env.BENCH_CORRELATE_COUNTS
    ? process.env.BENCH_CORRELATE_COUNTS.split(',').map(Number)
    : quick ? [200, 600] : [1000, 3000, 6000];
  const rows: BenchRow[] = [];
  for (const count of counts) {
    const same = await correlateMany(count, true);
    const distinct = await correlateMany(count, false);
    rows.push({
      area: 'correlate', name: `${count.toLocaleString('en-US')} ship notices against one PO (correlate + store)`, value: same.seconds, unit: 's',
      baseline: { name: 'against distinct POs', value: distinct.seconds, unit: 's' },
      notes: `ms per ship notice, first tenth → last tenth: one PO ${same.firstMs.toFixed(2)} → ${same.lastMs.toFixed(2)}; distinct POs ${distinct.firstMs.toFixed(2)} → ${distinct.lastMs.toFixed(2)}`,
    });
  }
  return rows;
};
