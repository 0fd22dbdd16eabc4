/**
 * What the lifecycle rules need to know about a document's purchase order(s), behind one small
 * interface, so the same rules run on two sources: the related documents themselves (the pure
 * `evaluateLifecycle` of the tests) and the per-PO-line running totals the correlator reads from
 * the store (totals-facts.ts), which cost O(lines) instead of O(earlier documents). Re-sends (same
 * shipment id or invoice number, trimmed, case ignored) are left out by both.
 * Quantities come per line *as the documents name it* (line number, buyer and vendor part), not per
 * PO line: which PO line a document line is depends on the PO's lines (lines.ts matchLine), so the
 * rule resolves each named line against the PO it has, exactly as it did on whole documents.
 */
import type { CanonicalEnvelope, PurchaseOrder, PurchaseOrderLine } from '../../../canonical/types.ts';
import { add, dec, type Decimal, zero } from './decimal.ts';
import { matchLine, type MatchableLine, samePoNumber } from './lines.ts';
import { normalizeKey } from './line-facts.ts';
import { findPurchaseOrder } from './po-lookup.ts';
import { type DocumentRefs, refsFromDocuments } from './refs.ts';
import type { LifecycleRelated } from './types.ts';

/** a quantity on a line as a document names it; signed (totals subtract what a re-send had) */
export interface LineQuantity extends MatchableLine {
  /** a JSON number straight from a document (converted only when its line matches), or a running total */
  quantity: number | Decimal;
}

export interface LifecycleFacts {
  /** the purchase order a PO number names, as the correlation found it */
  findPurchaseOrder(poNumber: string | undefined): PurchaseOrder | undefined;
  /**
   * quantities shipped on PO `poNumber` by the ship notices known for the document's PO numbers
   * (the document itself left out); with `exceptShipmentId`, ship notices with that shipment id
   * (trimmed, case ignored: re-sends of the document) left out as well
   */
  shipped(poNumber: string, exceptShipmentId?: string): LineQuantity[];
  /** the same for invoices, `exceptInvoiceNumber` leaving out re-sends of the document */
  invoiced(poNumber: string, exceptInvoiceNumber?: string): LineQuantity[];
  /** the same for receipts (quantities received in good condition), `exceptReceiptNumber` leaving out re-sends */
  received(poNumber: string, exceptReceiptNumber?: string): LineQuantity[];
  /** the documents this one names by number (refs.ts) */
  refs: DocumentRefs;
}


/** sums quantities per PO line (lines that match no PO line are left out) */
export function sumByPoLine(lines: readonly LineQuantity[], poLines: readonly PurchaseOrderLine[]): Map<PurchaseOrderLine, Decimal> {
  const out = new Map<PurchaseOrderLine, Decimal>();
  for (const line of lines) {
    const poLine = matchLine(line, poLines);
    if (!poLine) continue;
    const q = typeof line.quantity === 'number' ? dec(line.quantity) : line.quantity;
    out.set(poLine, add(out.get(poLine) ?? zero(), q));
  }
  return out;
}

export function shippedLines(asns: ReadonlyArray<CanonicalEnvelope<'ship_notice'>>, poNumber: string): LineQuantity[] {
  const out: LineQuantity[] = [];
  for (const asn of asns) {
    for (const order of asn.document.orders) {
      if (!samePoNumber(order.poNumber, poNumber)) continue;
      for (const l of order.lines) out.push({ ...named(l), quantity: l.quantityShipped });
    }
  }
  return out;
}

export function invoicedLines(invoices: ReadonlyArray<CanonicalEnvelope<'invoice'>>, poNumber: string): LineQuantity[] {
  const out: LineQuantity[] = [];
  for (const inv of invoices) {
    if (!samePoNumber(inv.document.poNumber, poNumber)) continue;
    for (const l of inv.document.lines) out.push({ ...named(l), quantity: l.quantityInvoiced });
  }
  return out;
}

export function receivedLines(receipts: ReadonlyArray<CanonicalEnvelope<'receipt'>>, poNumber: string): LineQuantity[] {
  const out: LineQuantity[] = [];
  for (const r of receipts) {
    if (!samePoNumber(receiptPo(r), poNumber)) continue;
    for (const l of r.document.lines) out.push({ ...named(l), quantity: l.quantityReceived });
  }
  return out;
}

/** the PO a receipt's quantities count against: its own PO number, else the first PO of the ship notice it names */
export function receiptPo(r: CanonicalEnvelope<'receipt'>): string | undefined {
  return r.document.poNumber?.trim() || r.correlationId;
}

function named(l: MatchableLine): MatchableLine {
  return {
    ...(l.lineNumber !== undefined ? { lineNumber: l.lineNumber } : {}),
    ...(l.buyerPartNumber !== undefined ? { buyerPartNumber: l.buyerPartNumber } : {}),
    ...(l.vendorPartNumber !== undefined ? { vendorPartNumber: l.vendorPartNumber } : {}),
  };
}

/** facts from the related documents themselves (what the correlator loaded before the totals) */
export function factsFromRelated(document: CanonicalEnvelope, related: LifecycleRelated): LifecycleFacts {
  return {
    findPurchaseOrder: (poNumber) => findPurchaseOrder(related, poNumber),
    shipped(poNumber, exceptShipmentId) {
      const notices = exceptShipmentId === undefined ? related.shipNotices : related.shipNotices.filter((s) => s.id !== document.id
        && normalizeKey(s.document.shipmentId) !== normalizeKey(exceptShipmentId));
      return shippedLines(notices, poNumber);
    },
    invoiced(poNumber, exceptInvoiceNumber) {
      const invoices = exceptInvoiceNumber === undefined ? related.invoices : related.invoices.filter((i) => i.id !== document.id
        && normalizeKey(i.document.invoiceNumber) !== normalizeKey(exceptInvoiceNumber));
      return invoicedLines(invoices, poNumber);
    },
    received(poNumber, exceptReceiptNumber) {
      const all = related.receipts ?? [];
      const receipts = exceptReceiptNumber === undefined ? all : all.filter((r) => r.id !== document.id
        && normalizeKey(r.document.receiptNumber) !== normalizeKey(exceptReceiptNumber));
      return receivedLines(receipts, poNumber);
    },
    refs: related.refs ?? refsFromDocuments(document, related),
  };
}
