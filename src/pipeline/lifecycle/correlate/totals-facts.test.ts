/**
 * The running totals give the lifecycle rules the same facts as the documents themselves: on a
 * real SQLite store, 400 generated ship notices and invoices for two POs (re-sends of a shipment id
 * or invoice number in another case, replays of a stored document with new quantities, lines named
 * by number with leading zeros, by buyer or vendor part, unknown lines, ship notices covering both
 * POs, decimal quantities) are each judged twice: from the store's totals (factsFromTotals, what
 * the correlator does) and by the rules on every stored document (evaluateLifecycle with all of
 * them as related, the rules' own definition), then stored. The two must agree on every finding.
 * Plus hand-worked cases for what only the totals path has to get right: a replay does not count
 * itself, and a re-send's earlier copy is left out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalEnvelope, InvoiceLine, PurchaseOrder, ShipNoticeLine } from '../../../canonical/types.ts';
import { createSqliteStore } from '../../../db/sqlite-store.ts';
import type { Store } from '../../../db/store.ts';
import { format } from './decimal.ts';
import { factsFromRelated, type LifecycleFacts, sumByPoLine } from './facts.ts';
import { evaluateLifecycle, evaluateWithFacts } from './rules.ts';
import { factsFromTotals } from './totals-facts.ts';
import type { LifecycleTolerances } from './types.ts';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'edigw-totals-'));
  store = createSqliteStore(path.join(dir, 'gateway.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = <T extends CanonicalEnvelope['type']>(id: string, type: T, correlationId: string, document: unknown) => ({
  id, type, version: 1, partnerId: 'acme', direction: 'inbound', receivedAt: '2026-11-23T10:00:00Z', correlationId,
  source: { format: 'x12', version: '004010' }, document,
}) as CanonicalEnvelope<T>;

const po1: PurchaseOrder = {
  poNumber: 'PO-1', poDate: '2026-11-01', purpose: 'original', currency: 'USD', lines: [
    { lineNumber: '1', buyerPartNumber: 'BP-100', vendorPartNumber: 'VP-A', quantity: 250, unitOfMeasure: 'EA', unitPrice: 2.5 },
    { lineNumber: '2', buyerPartNumber: 'BP-200', vendorPartNumber: 'VP-B', quantity: 120.5, unitOfMeasure: 'KG', unitPrice: 19.99 },
    { lineNumber: '3', buyerPartNumber: 'BP-300', quantity: 70, unitOfMeasure: 'EA', unitPrice: 0.125 },
  ],
};
const po2: PurchaseOrder = {
  poNumber: 'PO-2', poDate: '2026-11-01', purpose: 'original', currency: 'USD', lines: [
    { lineNumber: '1', buyerPartNumber: 'BP-100', quantity: 60, unitOfMeasure: 'EA', unitPrice: 2.5 },
    { lineNumber: '2', buyerPartNumber: 'BP-900', quantity: 4, unitOfMeasure: 'EA', unitPrice: 9 },
  ],
};
const poEnvelopes = [env('po-1', 'purchase_order', 'PO-1', po1), env('po-2', 'purchase_order', 'PO-2', po2)];
const tolerances: LifecycleTolerances = { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: 'warn' };

/** what the rules read for a document, per PO line of each PO it names: shipped (without its shipment id; all of it for an invoice) and billed (without its number) */
function sums(facts: LifecycleFacts, e: CanonicalEnvelope) {
  const out: Record<string, Record<string, string>> = {};
  const put = (name: string, lines: ReturnType<LifecycleFacts['shipped']>, po: PurchaseOrder) => {
    // a line whose total is 0 reads as one without any (the rules take a missing line as 0)
    out[name] = Object.fromEntries([...sumByPoLine(lines, po.lines)].filter(([, q]) => q.units !== 0n).map(([l, q]) => [l.lineNumber!, format(q)]));
  };
  for (const po of [po1, po2]) {
    if (e.type === 'ship_notice' && (e as CanonicalEnvelope<'ship_notice'>).document.orders.some((o) => o.poNumber.trim() === po.poNumber)) {
      put(`${po.poNumber} shipped before`, facts.shipped(po.poNumber, (e as CanonicalEnvelope<'ship_notice'>).document.shipmentId), po);
    } else if (e.type === 'invoice' && po === po1) {
      put(`${po.poNumber} shipped`, facts.shipped(po.poNumber), po);
      put(`${po.poNumber} billed before`, facts.invoiced(po.poNumber, (e as CanonicalEnvelope<'invoice'>).document.invoiceNumber), po);
    }
  }
  return out;
}

async function put(e: CanonicalEnvelope): Promise<void> {
  const businessKey = e.type === 'ship_notice' ? (e as CanonicalEnvelope<'ship_notice'>).document.shipmentId
    : e.type === 'invoice' ? (e as CanonicalEnvelope<'invoice'>).document.invoiceNumber : e.correlationId;
  await store.upsertDocument({ id: e.id, messageId: `m-${e.id}`, partnerId: 'acme', type: e.type, direction: 'inbound', businessKey,
    correlationId: e.correlationId, envelope: e, status: 'ready', test: false, at: '2026-11-23T10:00:00Z' });
}

/** deterministic pseudo-random numbers (mulberry32) */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('totals vs the documents themselves', () => {
  it('agree on every finding for 400 generated ship notices and invoices', async () => {
    for (const p of poEnvelopes) await put(p);
    const rnd = random(12);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const names: Array<Partial<ShipNoticeLine>> = [
      { lineNumber: '1' }, { lineNumber: '001' }, { buyerPartNumber: ' bp-200' }, { vendorPartNumber: 'VP-A' }, { lineNumber: '3' },
      { lineNumber: '2', buyerPartNumber: 'BP-900' }, { lineNumber: '9' }, { buyerPartNumber: 'BP-300' },
    ];
    const stored = new Map<string, CanonicalEnvelope>();
    const keys: string[] = [];
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const isAsn = rnd() < 0.6;
      const type = isAsn ? 'ship_notice' : 'invoice';
      const earlier = [...stored.values()].filter((e) => e.type === type);
      const id = earlier.length > 0 && rnd() < 0.15 ? pick(earlier).id : `${type}-${i}`;
      const key = keys.length > 0 && rnd() < 0.2 ? pick(keys) : `K-${i}`;
      keys.push(key);
      const keyAsSent = rnd() < 0.5 ? key.toLowerCase() : ` ${key}`;
      const lines = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({ ...pick(names), q: pick([0.5, 1, 2, 3.25, 0.1]) }));
      const e = isAsn
        ? env(id, 'ship_notice', 'PO-1', {
          shipmentId: keyAsSent, shipDate: '2026-11-20',
          orders: [
            { poNumber: rnd() < 0.5 ? 'PO-1' : ' PO-1 ', lines: lines().map(({ q, ...n }) => ({ ...n, quantityShipped: q })) },
            ...(rnd() < 0.3 ? [{ poNumber: 'PO-2', lines: lines().map(({ q, ...n }) => ({ ...n, quantityShipped: q })) }] : []),
          ],
        })
        : env(id, 'invoice', 'PO-1', {
          invoiceNumber: keyAsSent, invoiceDate: '2026-11-21', poNumber: 'PO-1', totalAmount: 0,
          lines: lines().map(({ q, ...n }): InvoiceLine => ({ ...n, quantityInvoiced: q })),
        });
      const others = [...stored.values()].filter((s) => s.id !== e.id);
      const related = {
        purchaseOrder: poEnvelopes[0], purchaseOrders: poEnvelopes, acks: [],
        shipNotices: others.filter((s) => s.type === 'ship_notice') as Array<CanonicalEnvelope<'ship_notice'>>,
        invoices: others.filter((s) => s.type === 'invoice') as Array<CanonicalEnvelope<'invoice'>>,
      };
      const reference = evaluateLifecycle({ document: e, tolerances, related });
      const totals = await factsFromTotals(store, e);
      expect(evaluateWithFacts({ document: e, facts: totals, tolerances }), `document ${i} (${e.id})`).toEqual(reference);
      // and the sums themselves, per PO line, that the rules compare with
      expect(sums(totals, e), `document ${i} (${e.id})`).toEqual(sums(factsFromRelated(e, related), e));
      if (reference.violations.length > 0) checked++;
      await put(e);
      stored.set(e.id, e);
    }
    // the sequence exercises the quantity rules, not only the happy path
    expect(checked).toBeGreaterThan(100);
  });
});

describe('what only the totals have to get right', () => {
  const ship = (id: string, shipmentId: string, qty: number) =>
    env(id, 'ship_notice', 'PO-1', { shipmentId, shipDate: '2026-11-20', orders: [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: qty }] }] });
  // 50 of line 1 ordered
  const small = env('po-small', 'purchase_order', 'PO-1', { ...po1, lines: [{ ...po1.lines[0]!, quantity: 50 }] });
  const verdict = async (e: CanonicalEnvelope) => evaluateWithFacts({ document: e, facts: await factsFromTotals(store, e), tolerances: { ...tolerances, onViolation: 'hold' } });

  it('a replayed ship notice is not counted against itself, even when the replay changed its shipment id', async () => {
    await put(small);
    await put(ship('a1', 'SH-1', 30));
    const first = ship('a2', 'SH-2', 20);
    await put(first);
    // 50 ordered, 30 + 20 shipped: a2 replayed as it was finds 30 before it, 20 open, ships 20
    expect((await verdict(first)).violations).toEqual([]);
    // replayed after a fix that renamed the shipment: still only a1's 30 before it
    expect((await verdict(ship('a2', 'SH-2B', 20))).violations).toEqual([]);
    // a new notice of 1 more: 50 before it, 0 open
    expect((await verdict(ship('a3', 'SH-3', 1))).violations).toEqual([expect.objectContaining({ code: 'asn_over_shipped', expected: '0', found: '1' })]);
  });

  it('a re-send of a shipment id leaves the earlier copy out, so it is judged as the original was', async () => {
    await put(small);
    await put(ship('a1', 'SH-1', 40));
    // a second message with SH-1 again (the same 40): before it, nothing else shipped
    expect((await verdict(ship('a1-again', ' sh-1', 40))).violations).toEqual([]);
    await put(ship('a1-again', ' sh-1', 40));
    // a new shipment of 20: 80 shipped before (the re-send counts, as it did on the documents), 0 open
    expect((await verdict(ship('a2', 'SH-2', 20))).violations).toEqual([expect.objectContaining({ code: 'asn_over_shipped', expected: '0', found: '20' })]);
  });
});
