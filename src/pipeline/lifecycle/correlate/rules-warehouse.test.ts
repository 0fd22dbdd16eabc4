/**
 * The warehouse and carrier rules on hand-made documents: a receipt against its ASN (short, over,
 * damaged, unexpected item, lot and unit mismatch, an ASN that never came), the three-way match
 * against goods received, a 945 for an order never sent, carrier milestones for a shipment
 * nobody announced, repeated and exception milestones.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalEnvelope, Receipt, ShipmentStatus, WarehouseOrder, WarehouseShipment } from '../../../canonical/types.ts';
import { asn, invoice, none, poEnvelope, strict } from './fixtures.test-support.ts';
import { evaluateLifecycle } from './rules.ts';

let n = 0;
const env = <T extends CanonicalEnvelope['type']>(type: T, document: unknown, correlationId = 'PO-1001') => ({
  id: `doc_w${++n}`, type, version: 1, partnerId: 'keystone', direction: 'inbound', receivedAt: '2026-03-12T10:00:00Z', correlationId,
  source: { format: 'json' }, document,
}) as CanonicalEnvelope<T>;

// ASN SHP-1: PO-1001 line 1 100 EA lot L-1, line 2 10 CA
const shp1 = asn('SHP-1', [{ poNumber: 'PO-1001', lines: [
  { lineNumber: '1', buyerPartNumber: 'BP-100', quantityShipped: 100, unitOfMeasure: 'EA', lotNumber: 'L-1' },
  { lineNumber: '2', buyerPartNumber: 'BP-200', quantityShipped: 10, unitOfMeasure: 'CA' },
] }]);
const receipt = (lines: Receipt['lines'], extra: Partial<Receipt> = {}) =>
  env('receipt', { receiptNumber: 'RCV-1', receiptDate: '2026-03-12', asnNumber: 'SHP-1', lines, ...extra } satisfies Receipt);
const related = (extra: object = {}) => ({ ...none, purchaseOrder: poEnvelope, shipNotices: [shp1], ...extra });
const codes = (r: ReturnType<typeof evaluateLifecycle>) => r.violations.map((v) => [v.code, v.lineNumber, v.expected, v.found]);

describe('receipt vs ASN', () => {
  it('all shipped, in the shipped lot and unit: passes', () => {
    const r = evaluateLifecycle({ document: receipt([
      { lineNumber: '1', quantityReceived: 100, unitOfMeasure: 'EA', lotNumber: 'L-1' }, { lineNumber: '2', quantityReceived: 10, unitOfMeasure: 'CA' },
    ]), related: related(), tolerances: strict });
    expect(r).toEqual({ outcome: 'pass', warnings: [], violations: [] });
  });

  it('2 short on line 2, 3 damaged of line 1, another lot, an item nothing shipped: each an exception naming both numbers', () => {
    const r = evaluateLifecycle({ document: receipt([
      { lineNumber: '1', quantityReceived: 97, quantityDamaged: 3, unitOfMeasure: 'EA', lotNumber: 'L-9' },
      { lineNumber: '2', quantityReceived: 8, unitOfMeasure: 'CA' },
      { vendorPartNumber: 'VP-ZZ', quantityReceived: 4 },
    ]), related: related(), tolerances: strict });
    expect(r.outcome).toBe('hold');
    expect(codes(r)).toEqual([
      ['receipt_lot_mismatch', '1', 'L-1', 'L-9'],
      ['receipt_unexpected_item', undefined, 'a line that was shipped', '4'],
      ['receipt_damaged', '1', '0', '3'],          // 97 good + 3 damaged = the 100 shipped: not short
      ['receipt_short', '2', '10', '8'],
    ]);
    expect(r.violations.find((v) => v.code === 'receipt_short')!.message).toBe('receipt RCV-1 for ASN SHP-1: PO PO-1001 line 2 shipped 10, received 8 (2 short)');
  });

  it('a line not in the receipt at all is short by all of it; over beyond the tolerance; within it passes', () => {
    const only1 = evaluateLifecycle({ document: receipt([{ lineNumber: '1', quantityReceived: 103 }]), related: related(), tolerances: strict });
    expect(codes(only1)).toEqual([['receipt_over', '1', '100', '103'], ['receipt_short', '2', '10', '0']]);
    const tolerant = evaluateLifecycle({ document: receipt([{ lineNumber: '1', quantityReceived: 103 }, { lineNumber: '2', quantityReceived: 10 }]), related: related(), tolerances: { ...strict, receiptTolerancePercent: 3 } });
    expect(tolerant.violations).toEqual([]);
  });

  it('a unit the shipped line never used, and a negative quantity, are refused rather than compared', () => {
    const r = evaluateLifecycle({ document: receipt([{ lineNumber: '1', quantityReceived: 100, unitOfMeasure: 'EA' }, { lineNumber: '2', quantityReceived: 120, unitOfMeasure: 'EA' }, { lineNumber: '2', quantityReceived: -1 }]), related: related(), tolerances: strict });
    expect(codes(r)).toEqual([['receipt_quantity_negative', '2', '>= 0', '-1'], ['receipt_unit_mismatch', '2', 'CA', 'EA']]);
  });

  it('a receipt for an ASN that never came', () => {
    const r = evaluateLifecycle({ document: receipt([{ lineNumber: '1', quantityReceived: 5 }], { asnNumber: 'SHP-404' }), related: related(), tolerances: strict });
    expect(codes(r)).toEqual([['receipt_unknown_asn', undefined, 'a ship notice received before', 'SHP-404']]);
    const noAsn = evaluateLifecycle({ document: receipt([{ lineNumber: '1', quantityReceived: 5 }], { asnNumber: undefined, poNumber: 'PO-1001' }), related: related({ shipNotices: [] }), tolerances: strict });
    expect(codes(noAsn)).toEqual([['receipt_unknown_asn', undefined, 'a ship notice received before', 'PO PO-1001']]);
  });

  it('an ASN received in two parts: the first is short until the rest comes; the rest passes, measured against what is left', () => {
    const first = receipt([{ lineNumber: '1', quantityReceived: 100 }, { lineNumber: '2', quantityReceived: 6 }], { receiptNumber: 'RCV-A' });
    expect(codes(evaluateLifecycle({ document: first, related: related(), tolerances: strict }))).toEqual([['receipt_short', '2', '10', '6']]);
    // the rest of line 2 under another receipt number: 10 shipped, 6 received before, 4 expected, 4 received
    const rest = receipt([{ lineNumber: '2', quantityReceived: 4 }], { receiptNumber: 'RCV-B' });
    expect(evaluateLifecycle({ document: rest, related: related({ receipts: [first] }), tolerances: strict }).violations).toEqual([]);
    // a third part beyond the ASN: over by all of it, saying what was received before
    const third = receipt([{ lineNumber: '2', quantityReceived: 2 }], { receiptNumber: 'RCV-C' });
    const over = evaluateLifecycle({ document: third, related: related({ receipts: [first, rest] }), tolerances: strict });
    expect(codes(over)).toEqual([['receipt_over', '2', '0', '2']]);
    expect(over.violations[0]!.message).toBe('receipt RCV-C for ASN SHP-1: PO PO-1001 line 2 shipped 10 of which 10 received before, received 2 (2 over)');
  });

  it('without an ASN number: against the PO shipped less what other receipts received', () => {
    const earlier = receipt([{ lineNumber: '2', quantityReceived: 6 }], { receiptNumber: 'RCV-0', asnNumber: undefined, poNumber: 'PO-1001' });
    const now = receipt([{ lineNumber: '1', quantityReceived: 100 }, { lineNumber: '2', quantityReceived: 3 }], { receiptNumber: 'RCV-2', asnNumber: undefined, poNumber: 'PO-1001' });
    const r = evaluateLifecycle({ document: now, related: related({ receipts: [earlier] }), tolerances: strict });
    expect(codes(r)).toEqual([['receipt_short', '2', '4', '3']]); // 10 shipped, 6 received before: 4 expected
  });
});

describe('three-way match against goods received', () => {
  const received8 = receipt([{ lineNumber: '1', quantityReceived: 100 }, { lineNumber: '2', quantityReceived: 8 }]);
  const bill = invoice('INV-7', [{ lineNumber: '2', quantityInvoiced: 10, unitPrice: 19.99 }]);
  it('billing the 10 shipped when 8 were received holds it: "invoiced 10, received 8"', () => {
    const r = evaluateLifecycle({ document: bill, related: related({ receipts: [received8] }), tolerances: { ...strict, matchInvoiceTo: 'received' } });
    expect(r.violations).toEqual([{ code: 'invoice_quantity_mismatch', lineNumber: '2', expected: '8', found: '10', basis: 'received',
      message: '810 INV-7 bills PO PO-1001 line 2: invoiced 10, received 8' }]);
  });
  it('falls back to the ASN where the supplier expects no receipt', () => {
    expect(evaluateLifecycle({ document: bill, related: related({ receipts: [received8] }), tolerances: strict }).violations).toEqual([]);
  });
  it('nothing received yet: received 0', () => {
    expect(evaluateLifecycle({ document: bill, related: related(), tolerances: { ...strict, matchInvoiceTo: 'received' } }).violations[0]).toMatchObject({ expected: '0', found: '10' });
  });
});

describe('945 vs the 940 we sent', () => {
  const order = env('warehouse_order', { orderNumber: 'WO-1', poNumber: 'CUST-9', lines: [{ lineNumber: '1', vendorPartNumber: 'VP-A1', quantityOrdered: 12 }] } satisfies WarehouseOrder, 'CUST-9');
  const shipment = (orderNumber: string, qty: number) => env('warehouse_shipment', { orderNumber, shipmentId: 'WS-1', shipDate: '2026-03-13', lines: [{ lineNumber: '1', quantityShipped: qty }, { vendorPartNumber: 'VP-X', quantityShipped: 1 }] } satisfies WarehouseShipment, 'CUST-9');
  it('an unknown order; an unknown line and more than ordered', () => {
    expect(codes(evaluateLifecycle({ document: shipment('WO-404', 12), related: { ...none, warehouseOrders: [order] }, tolerances: strict }))).toEqual([['warehouse_shipment_unknown_order', undefined, 'a warehouse order sent before', 'WO-404']]);
    expect(codes(evaluateLifecycle({ document: shipment('WO-1', 13), related: { ...none, warehouseOrders: [order] }, tolerances: strict }))).toEqual([
      ['warehouse_shipment_over_shipped', '1', '12', '13'], ['warehouse_shipment_unknown_line', undefined, undefined, '1'],
    ]);
  });
});

describe('carrier status vs the shipment', () => {
  const ws = env('warehouse_shipment', { orderNumber: 'WO-1', shipmentId: 'WS-1', shipDate: '2026-03-13', lines: [] } satisfies WarehouseShipment, 'CUST-9');
  const status = (shipmentId: string, milestones: ShipmentStatus['milestones']) => env('shipment_status', { shipmentId, milestones } satisfies ShipmentStatus, 'CUST-9');
  it('a shipment nobody announced is an exception', () => {
    const r = evaluateLifecycle({ document: status('WS-404', [{ statusCode: 'AF', event: 'pickup', occurredAt: '2026-03-13T08:00:00-05:00' }]), related: { ...none, warehouseShipments: [ws] }, tolerances: strict });
    expect(codes(r)).toEqual([['status_unknown_shipment', undefined, 'a ship notice or warehouse shipment received before', 'WS-404']]);
  });
  it('the same milestone again (same code, same instant in another offset) is a notice; a damaged one too', () => {
    const first = status('WS-1', [{ statusCode: 'X1', event: 'arrived', occurredAt: '2026-03-14T09:00:00-05:00' }]);
    const again = status('ws-1', [{ statusCode: 'X1', event: 'arrived', occurredAt: '2026-03-14T14:00:00Z' }, { statusCode: 'A7', event: 'refused', reasonCode: 'AO', occurredAt: '2026-03-14T10:00:00-05:00', location: { city: 'Memphis', region: 'TN' } }]);
    const r = evaluateLifecycle({ document: again, related: { ...none, warehouseShipments: [ws], statuses: [first] }, tolerances: strict });
    expect(r.outcome).toBe('pass');
    expect(r.warnings.map((w) => w.code)).toEqual(['status_duplicate', 'status_exception']);
    expect(r.warnings[1]!.message).toBe('status of shipment ws-1: refused (A7, reason AO) on 2026-03-14T10:00:00-05:00 at Memphis, TN');
  });
});
