import type { DocumentType } from '../../../canonical/schemas.ts';

/**
 * The business key operators search by (PO number, shipment id, invoice number, receipt number...)
 * and that tells a re-sent document from a new one, and the correlation id that ties a PO to its
 * acknowledgement, ship notices, receipts and invoices (the PO number). Each canonical schema's
 * description states its type's choice.
 */
export function businessKeys(type: DocumentType, doc: unknown): { businessKey: string | null; correlationId: string | null } {
  const d = doc as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const first = (v: unknown) => (Array.isArray(v) ? str(v[0]) : null);
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
    case 'warehouse_order':
      return { businessKey: str(d.orderNumber), correlationId: str(d.poNumber) ?? str(d.orderNumber) };
    case 'warehouse_shipment':
      return { businessKey: str(d.shipmentId), correlationId: str(d.poNumber) ?? str(d.orderNumber) };
    case 'receipt':
      return { businessKey: str(d.receiptNumber), correlationId: str(d.poNumber) };
    case 'stock_transfer':
      return { businessKey: str(d.transferNumber), correlationId: str(d.poNumber) ?? str(d.transferNumber) };
    case 'inventory_advice':
      return { businessKey: str(d.adviceNumber), correlationId: null };
    case 'shipment_status': {
      const m = Array.isArray(d.milestones) ? d.milestones[0] as Record<string, unknown> | undefined : undefined;
      const shipment = str(d.shipmentId);
      const milestone = m ? `${String(m.statusCode ?? '')}@${String(m.occurredAt ?? '')}` : null;
      return {
        businessKey: shipment && milestone ? `${shipment}/${milestone}` : shipment,
        correlationId: first(d.poNumbers) ?? str(d.asnNumber),
      };
    }
  }
}
