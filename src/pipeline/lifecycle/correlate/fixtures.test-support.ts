/** Hand-made canonical documents for the lifecycle rule tests: one PO and builders for 855/856/810. */
import type {
  CanonicalEnvelope, Invoice, InvoiceLine, PurchaseOrder, PurchaseOrderAck, PurchaseOrderAckLine, ShipNotice, ShipNoticeOrder,
} from '../../../canonical/types.ts';

let n = 0;
function envelope<T extends CanonicalEnvelope['type']>(type: T, document: unknown): CanonicalEnvelope<T> {
  n++;
  return {
    id: `doc_${String(n).padStart(4, '0')}`, type, version: 1, partnerId: 'acme', direction: 'inbound',
    receivedAt: '2026-03-02T10:00:00Z', correlationId: 'PO-1001',
    source: { format: 'x12', version: '004010' }, document,
  } as CanonicalEnvelope<T>;
}

/** PO-1001: line 1 BP-100 100 EA @ 2.50; line 2 BP-200 10 CA @ 19.99; line 3 BP-300 5 EA @ 0.125 */
export const po: PurchaseOrder = {
  poNumber: 'PO-1001', poDate: '2026-03-01', purpose: 'original', currency: 'USD', requestedDeliveryDate: '2026-04-01',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'BP-100', vendorPartNumber: 'VP-A1', quantity: 100, unitOfMeasure: 'EA', unitPrice: 2.5 },
    { lineNumber: '2', buyerPartNumber: 'BP-200', vendorPartNumber: 'VP-B2', quantity: 10, unitOfMeasure: 'CA', unitPrice: 19.99 },
    { lineNumber: '3', buyerPartNumber: 'BP-300', quantity: 5, unitOfMeasure: 'EA', unitPrice: 0.125 },
  ],
};
export const poEnvelope = envelope('purchase_order', po);

export const ack = (lines: PurchaseOrderAckLine[], poNumber = 'PO-1001'): CanonicalEnvelope<'purchase_order_ack'> =>
  envelope('purchase_order_ack', { poNumber, ackDate: '2026-03-02', status: 'accepted_with_changes', lines } satisfies PurchaseOrderAck);

export const asn = (shipmentId: string, orders: ShipNoticeOrder[]): CanonicalEnvelope<'ship_notice'> =>
  envelope('ship_notice', { shipmentId, shipDate: '2026-03-10', orders } satisfies ShipNotice);

/** an ASN shipping `qty` of PO-1001 line `line` */
export const ship = (shipmentId: string, line: string, qty: number): CanonicalEnvelope<'ship_notice'> =>
  asn(shipmentId, [{ poNumber: 'PO-1001', lines: [{ lineNumber: line, quantityShipped: qty }] }]);

/** poNumber null: the invoice names no PO */
export const invoice = (invoiceNumber: string, lines: InvoiceLine[], poNumber: string | null = 'PO-1001'): CanonicalEnvelope<'invoice'> =>
  envelope('invoice', { invoiceNumber, invoiceDate: '2026-03-11', ...(poNumber ? { poNumber } : {}), lines, totalAmount: 0 } satisfies Invoice);

export const strict = { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: 'hold' as const };
export const none = { acks: [], shipNotices: [], invoices: [] };
