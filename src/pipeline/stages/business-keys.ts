import type { DocumentType } from '../../canonical/schemas.ts';

/**
 * The business key operators search by (PO number, shipment id, invoice number) and the
 * correlation id that ties a PO to its acknowledgement, ship notices and invoices (the PO number).
 */
export function businessKeys(type: DocumentType, doc: unknown): { businessKey: string | null; correlationId: string | null } {
  const d = doc as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  switch (type) {
    case 'purchase_order':
    case 'purchase_order_ack':
      return { businessKey: str(d.poNumber), correlationId: str(d.poNumber) };
    case 'ship_notice': {
      const orders = Array.isArray(d.orders) ? d.orders as Array<Record<string, unknown>> : [];
      return { businessKey: str(d.shipmentId), correlationId: str(orders[0]?.poNumber) };
    }
    case 'invoice':
      return { businessKey: str(d.invoiceNumber), correlationId: str(d.poNumber) };
  }
}
