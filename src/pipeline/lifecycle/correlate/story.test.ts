/**
 * The order story of fixtures/x12/{850,855,856,810}-004010.edi (PO-45001), as the canonical
 * documents those files carry, transcribed by hand from the segments (noted beside each value),
 * run through the lifecycle rules in the order they arrive. Translation of the X12 files
 * themselves is the pipeline's job; this checks the rules on the real story's numbers.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalEnvelope, Invoice, PurchaseOrder, PurchaseOrderAck, ShipNotice } from '../../../canonical/types.ts';
import { evaluateLifecycle } from './rules.ts';

const env = <T extends CanonicalEnvelope['type']>(id: string, type: T, document: unknown) => ({
  id, type, version: 1, partnerId: 'acme', direction: 'inbound', receivedAt: '2024-03-16T09:15:00Z', correlationId: 'PO-45001',
  source: { format: 'x12', version: '004010' }, document,
}) as CanonicalEnvelope<T>;

const po = env('doc_850', 'purchase_order', {
  poNumber: 'PO-45001', poDate: '2024-03-15', purpose: 'original', currency: 'USD', // BEG03, BEG05, BEG01=00, CUR02
  requestedDeliveryDate: '2024-04-01',                                               // DTM*002
  lines: [
    { lineNumber: '1', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', gtin: '012345678905' },
    { lineNumber: '2', quantity: 6, unitOfMeasure: 'CA', unitPrice: 48, buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200' },
  ],
} satisfies PurchaseOrder);

const ack855 = env('doc_855', 'purchase_order_ack', {
  poNumber: 'PO-45001', ackDate: '2024-03-16', status: 'accepted_with_changes',      // BAK03, BAK09
  lines: [
    { lineNumber: '1', status: 'accepted', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5, scheduledDeliveryDate: '2024-04-05' }, // ACK*IA*24*EA*067*20240405
    { lineNumber: '2', status: 'changed', quantity: 4, unitOfMeasure: 'CA', unitPrice: 48, scheduledDeliveryDate: '2024-04-05' },   // ACK*IQ*4*CA*067*20240405
  ],
} satisfies PurchaseOrderAck);

const asn856 = env('doc_856', 'ship_notice', {
  shipmentId: 'SHP-7001', shipDate: '2024-04-04',                                    // BSN02, BSN03
  orders: [{ poNumber: 'PO-45001', lines: [                                          // PRF01
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', quantityShipped: 24, unitOfMeasure: 'EA' }, // LIN*1, SN1*1*24*EA
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantityShipped: 4, unitOfMeasure: 'CA', lotNumber: 'LOT-2024-03' }, // SN1*2*4*CA
  ] }],
} satisfies ShipNotice);

const inv810 = env('doc_810', 'invoice', {
  invoiceNumber: 'INV-9001', invoiceDate: '2024-04-05', poNumber: 'PO-45001', currency: 'USD', // BIG02, BIG01, BIG04
  lines: [
    { lineNumber: '1', quantityInvoiced: 24, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-100' }, // IT1*1*24*EA*12.50
    { lineNumber: '2', quantityInvoiced: 4, unitOfMeasure: 'CA', unitPrice: 48, buyerPartNumber: 'GAD-200' },    // IT1*2*4*CA*48.00
  ],
  totalAmount: 534,                                                                  // TDS*53400 (implied 2 decimals)
} satisfies Invoice);

const tolerances = { priceTolerancePercent: 1, quantityTolerancePercent: 0, onViolation: 'hold' as const };

describe('PO-45001: 850 -> 855 -> 856 -> 810', () => {
  it('855: the supplier moved both lines to 2024-04-05 and cut line 2 from 6 to 4 cases', () => {
    const r = evaluateLifecycle({ document: ack855, related: { purchaseOrder: po, acks: [], shipNotices: [], invoices: [] }, tolerances });
    expect(r.outcome).toBe('hold');
    expect(r.violations.map((v) => [v.code, v.lineNumber, v.expected, v.found])).toEqual([
      ['ack_changed_date', '1', '2024-04-01', '2024-04-05'],
      ['ack_changed_quantity', '2', '6', '4'],
      ['ack_changed_date', '2', '2024-04-01', '2024-04-05'],
    ]);
  });

  it('856: 24 EA and 4 CA are within the open quantities', () => {
    const r = evaluateLifecycle({ document: asn856, related: { purchaseOrder: po, acks: [ack855], shipNotices: [], invoices: [] }, tolerances });
    expect(r).toEqual({ outcome: 'pass', warnings: [], violations: [] });
  });

  it('a later ASN for the 2 backordered cases passes; one more case beyond that is over-shipped', () => {
    const backorder = env('doc_856b', 'ship_notice', { shipmentId: 'SHP-7002', shipDate: '2024-04-18', orders: [{ poNumber: 'PO-45001', lines: [{ lineNumber: '2', quantityShipped: 2, unitOfMeasure: 'CA' }] }] });
    const related = { purchaseOrder: po, acks: [ack855], shipNotices: [asn856], invoices: [] };
    expect(evaluateLifecycle({ document: backorder, related, tolerances }).violations).toEqual([]);
    const extra = env('doc_856c', 'ship_notice', { shipmentId: 'SHP-7003', shipDate: '2024-04-20', orders: [{ poNumber: 'PO-45001', lines: [{ vendorPartNumber: 'AC-G200', quantityShipped: 1 }] }] });
    const over = evaluateLifecycle({ document: extra, related: { ...related, shipNotices: [asn856, backorder] }, tolerances });
    expect(over.violations).toEqual([expect.objectContaining({ code: 'asn_over_shipped', lineNumber: '2', expected: '0', found: '1' })]);
  });

  it('810: billing what shipped at the PO price passes the three-way match', () => {
    const r = evaluateLifecycle({ document: inv810, related: { purchaseOrder: po, acks: [ack855], shipNotices: [asn856], invoices: [] }, tolerances });
    expect(r).toEqual({ outcome: 'pass', warnings: [], violations: [] });
  });

  it('810 billing the 6 cases ordered when 4 shipped, at 48.60 a case, is held on both rules', () => {
    const doc = { ...inv810, id: 'doc_810x', document: { ...inv810.document, lines: [inv810.document.lines[0]!, { lineNumber: '2', quantityInvoiced: 6, unitPrice: 48.6 }] } };
    const r = evaluateLifecycle({ document: doc, related: { purchaseOrder: po, acks: [ack855], shipNotices: [asn856], invoices: [] }, tolerances });
    expect(r.outcome).toBe('hold');
    expect(r.violations.map((v) => [v.code, v.expected, v.found])).toEqual([
      ['invoice_price_mismatch', '48', '48.6'],
      ['invoice_quantity_mismatch', '4', '6'],
    ]);
  });
});
