/**
 * Line facts: what one stored ship notice, receipt or invoice adds to the running totals of its purchase
 * orders, per line *as the document names it* (line number, buyer part, vendor part, normalized
 * the way lines.ts matches them). The store keeps two sums of them in the transaction that stores
 * the document (po_line_totals: per PO and kind; po_line_key_totals: per PO, kind and business
 * key, so re-sends of a shipment id or invoice number can be left out), and correlation reads
 * those sums: O(lines of the document), however many documents the PO already has.
 * Which PO line a named line is depends on the PO's lines, so the rules resolve it when they run.
 */
import type { LineKind, LineTotalDelta } from '../../../db/store.ts';
import { add, dec, type Decimal, format, negate, parseDecimal } from './decimal.ts';
import { normalizeLineNumber } from './lines.ts';

/** how re-sends and PO numbers are compared: trimmed, case ignored */
export const normalizeKey = (v: unknown): string => (typeof v === 'string' ? v.trim().toUpperCase() : '');
const normalizePart = (v: unknown): string => normalizeKey(v);

interface Fact { poNumber: string; kind: LineKind; businessKey: string; lineNumber: string; buyerPart: string; vendorPart: string; quantity: Decimal }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function fact(poNumber: string, kind: LineKind, businessKey: string, line: Record<string, unknown>, quantity: unknown): Fact | undefined {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) return undefined;
  return {
    poNumber, kind, businessKey, quantity: dec(quantity),
    lineNumber: normalizeLineNumber(typeof line.lineNumber === 'string' ? line.lineNumber : undefined) ?? '',
    buyerPart: normalizePart(line.buyerPartNumber), vendorPart: normalizePart(line.vendorPartNumber),
  };
}

/**
 * The facts of a stored document (a ship notice's order blocks, a receipt's or an invoice's lines); none for
 * other types, for lines without a numeric quantity or blocks without a PO number. Tolerates any
 * shape: the store calls it on whatever envelope it is given.
 */
export function lineFactsOf(type: string, envelope: unknown): Fact[] {
  const doc = isObject(envelope) && isObject(envelope.document) ? envelope.document : undefined;
  if (!doc) return [];
  const out: Fact[] = [];
  if (type === 'ship_notice') {
    const key = normalizeKey(doc.shipmentId);
    for (const order of list(doc.orders)) {
      if (!isObject(order)) continue;
      const po = normalizeKey(order.poNumber);
      if (po === '') continue;
      for (const line of list(order.lines)) {
        const f = isObject(line) ? fact(po, 'shipped', key, line, line.quantityShipped) : undefined;
        if (f) out.push(f);
      }
    }
  } else if (type === 'receipt') {
    // a receipt without a PO number counts against the PO its ship notice named (the correlation id the correlator found)
    const po = normalizeKey(typeof doc.poNumber === 'string' && doc.poNumber.trim() !== '' ? doc.poNumber : (envelope as { correlationId?: unknown }).correlationId);
    if (po === '') return [];
    const key = normalizeKey(doc.receiptNumber);
    for (const line of list(doc.lines)) {
      const f = isObject(line) ? fact(po, 'received', key, line, line.quantityReceived) : undefined;
      if (f) out.push(f);
    }
  } else if (type === 'invoice') {
    const po = normalizeKey(doc.poNumber);
    if (po === '') return [];
    const key = normalizeKey(doc.invoiceNumber);
    for (const line of list(doc.lines)) {
      const f = isObject(line) ? fact(po, 'invoiced', key, line, line.quantityInvoiced) : undefined;
      if (f) out.push(f);
    }
  }
  return out;
}

const factKey = (f: Omit<Fact, 'quantity'>): string => JSON.stringify([f.poNumber, f.kind, f.businessKey, f.lineNumber, f.buyerPart, f.vendorPart]);

/**
 * What storing `next` in place of `previous` (absent: a new document) changes in the totals:
 * one delta per (PO, kind, business key, named line), zero changes left out, sorted by that key
 * so that every writer locks total rows in the same order (no deadlock between PostgreSQL nodes).
 */
export function lineTotalDeltas(
  previous: { type: string; envelope: unknown } | undefined, next: { type: string; envelope: unknown },
): LineTotalDelta[] {
  const sums = new Map<string, Fact>();
  const put = (f: Fact) => {
    const k = factKey(f);
    const had = sums.get(k);
    sums.set(k, had ? { ...had, quantity: add(had.quantity, f.quantity) } : f);
  };
  if (previous) for (const f of lineFactsOf(previous.type, previous.envelope)) put({ ...f, quantity: negate(f.quantity) });
  for (const f of lineFactsOf(next.type, next.envelope)) put(f);
  return [...sums.entries()]
    .filter(([, f]) => f.quantity.units !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, f]) => ({ ...f, quantity: format(f.quantity) }));
}

/** the same deltas summed per (PO, kind, named line) for po_line_totals, sorted by that key */
export function perLineDeltas(deltas: readonly LineTotalDelta[]): LineTotalDelta[] {
  const sums = new Map<string, LineTotalDelta & { sum: Decimal }>();
  for (const d of deltas) {
    const k = factKey({ ...d, businessKey: '' });
    const had = sums.get(k);
    const q = parseDecimal(d.quantity);
    sums.set(k, { ...d, businessKey: '', sum: had ? add(had.sum, q) : q });
  }
  return [...sums.entries()]
    .filter(([, d]) => d.sum.units !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { sum, ...d }]) => ({ ...d, quantity: format(sum) }));
}
