/** Hand-made canonical envelopes for the ERP delivery tests. */
import type { CanonicalEnvelope, ShipNotice } from '../../src/canonical/types.ts';

export function shipNoticeEnvelope(partnerId: string, n: number, receivedAt = '2026-03-02T10:00:00.000Z'): CanonicalEnvelope<'ship_notice'> {
  const id = `doc_${partnerId}_${String(n).padStart(5, '0')}`;
  const document: ShipNotice = {
    shipmentId: `SH-${partnerId}-${n}`,
    shipDate: '2026-03-02',
    orders: [{ poNumber: `PO-${n}`, lines: [{ lineNumber: '1', buyerPartNumber: 'BP-100', quantityShipped: 12, unitOfMeasure: 'EA' }] }],
  };
  return {
    id, type: 'ship_notice', version: 1, partnerId, direction: 'inbound', receivedAt, correlationId: `PO-${n}`,
    source: { format: 'x12', version: '004010', message: '856', interchangeControlNumber: String(100000000 + n), transactionControlNumber: '0001' },
    document,
  };
}
