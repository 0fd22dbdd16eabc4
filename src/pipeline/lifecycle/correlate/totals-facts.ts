/**
 * The lifecycle facts of a document read from the store's running totals (Store.lineTotals, kept
 * by upsertDocument): per PO number the document names, its purchase order (the oldest stored
 * with that correlation id), the PO's totals per named line and what the document's own business
 * key (its re-sends) contributed. A few indexed reads, however many documents the PO already has.
 * A document stored before (a replay) is left out of its own totals: what its stored copy added
 * is taken out here, where its business key does not already leave it out.
 */
import type { CanonicalEnvelope, PurchaseOrder } from '../../../canonical/types.ts';
import type { LineKind, LineTotal, Store } from '../../../db/store.ts';
import { negate, parseDecimal } from './decimal.ts';
import type { LifecycleFacts, LineQuantity } from './facts.ts';
import { correlationKeys } from './keys.ts';
import { lineFactsOf, normalizeKey } from './line-facts.ts';
import { samePoNumber } from './lines.ts';
import { loadRefs } from './refs.ts';

export async function factsFromTotals(store: Store, envelope: CanonicalEnvelope): Promise<LifecycleFacts> {
  const own = ownKey(envelope);
  const stored = await store.getDocument(envelope.id);
  const storedFacts = stored ? lineFactsOf(stored.type, JSON.parse(stored.envelope)) : [];
  const orders: PurchaseOrder[] = [];
  const totals = new Map<string, { all: LineTotal[]; ofOwnKey: LineTotal[] }>();
  const refs = await loadRefs(store, envelope);
  for (const po of correlationKeys(envelope, refs).poNumbers) {
    const row = await store.firstCorrelated(po, 'purchase_order');
    if (row && row.id !== envelope.id) orders.push((JSON.parse(row.envelope) as CanonicalEnvelope<'purchase_order'>).document);
    const key = normalizeKey(po);
    if (!(envelope.type === 'ship_notice' || envelope.type === 'invoice' || envelope.type === 'receipt') || totals.has(key)) continue;
    totals.set(key, { all: await store.lineTotals(key), ofOwnKey: own ? await store.lineTotals(key, own) : [] });
  }

  const quantities = (poNumber: string, kind: LineKind, except: string | undefined): LineQuantity[] => {
    const po = normalizeKey(poNumber);
    const t = totals.get(po);
    if (!t) return [];
    const exceptKey = except === undefined ? undefined : normalizeKey(except);
    if (exceptKey !== undefined && (own?.kind !== kind || own.key !== exceptKey)) {
      throw new Error(`totals of PO ${poNumber} were read for the document's own ${own?.kind ?? 'no'} business key, not ${kind} ${except}`);
    }
    const out = t.all.filter((l) => l.kind === kind).map((l) => named(l, parseDecimal(l.quantity)));
    if (exceptKey !== undefined) out.push(...t.ofOwnKey.map((l) => named(l, negate(parseDecimal(l.quantity)))));
    for (const f of storedFacts) {
      if (f.poNumber === po && f.kind === kind && f.businessKey !== exceptKey) out.push(named(f, negate(f.quantity)));
    }
    return out;
  };

  return {
    findPurchaseOrder: (poNumber) => orders.find((o) => samePoNumber(o.poNumber, poNumber)),
    shipped: (poNumber, exceptShipmentId) => quantities(poNumber, 'shipped', exceptShipmentId),
    invoiced: (poNumber, exceptInvoiceNumber) => quantities(poNumber, 'invoiced', exceptInvoiceNumber),
    received: (poNumber, exceptReceiptNumber) => quantities(poNumber, 'received', exceptReceiptNumber),
    refs,
  };
}

/** the business key whose re-sends the rules leave out: a ship notice's shipment id, a receipt's or an invoice's number */
function ownKey(envelope: CanonicalEnvelope): { kind: LineKind; key: string } | undefined {
  if (envelope.type === 'ship_notice') return { kind: 'shipped', key: normalizeKey((envelope as CanonicalEnvelope<'ship_notice'>).document.shipmentId) };
  if (envelope.type === 'invoice') return { kind: 'invoiced', key: normalizeKey((envelope as CanonicalEnvelope<'invoice'>).document.invoiceNumber) };
  if (envelope.type === 'receipt') return { kind: 'received', key: normalizeKey((envelope as CanonicalEnvelope<'receipt'>).document.receiptNumber) };
  return undefined;
}

function named(l: { lineNumber: string; buyerPart: string; vendorPart: string }, quantity: LineQuantity['quantity']): LineQuantity {
  return {
    ...(l.lineNumber !== '' ? { lineNumber: l.lineNumber } : {}),
    ...(l.buyerPart !== '' ? { buyerPartNumber: l.buyerPart } : {}),
    ...(l.vendorPart !== '' ? { vendorPartNumber: l.vendorPart } : {}),
    quantity,
  };
}
