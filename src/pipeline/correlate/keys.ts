/**
 * Business keys of a canonical document, for correlating PO ↔ 855 ↔ 856 ↔ 810: the PO numbers it
 * concerns (trimmed, first-seen order, no duplicates), the shipment id of a ship notice and the
 * invoice number of an invoice.
 */
import type { CanonicalEnvelope, Invoice, PurchaseOrder, PurchaseOrderAck, ShipNotice } from '../../canonical/types.ts';

export interface CorrelationKeys {
  poNumbers: string[];
  shipmentId?: string;
  invoiceNumber?: string;
}

export function correlationKeys(envelope: CanonicalEnvelope): CorrelationKeys {
  const poNumbers: string[] = [];
  const addPo = (v: string | undefined): void => {
    const t = v?.trim();
    if (t && !poNumbers.includes(t)) poNumbers.push(t);
  };
  switch (envelope.type) {
    case 'purchase_order':
      addPo((envelope.document as PurchaseOrder).poNumber);
      return { poNumbers };
    case 'purchase_order_ack':
      addPo((envelope.document as PurchaseOrderAck).poNumber);
      return { poNumbers };
    case 'ship_notice': {
      const asn = envelope.document as ShipNotice;
      for (const order of asn.orders) addPo(order.poNumber);
      const shipmentId = asn.shipmentId.trim();
      return { poNumbers, ...(shipmentId ? { shipmentId } : {}) };
    }
    case 'invoice': {
      const inv = envelope.document as Invoice;
      addPo(inv.poNumber);
      const invoiceNumber = inv.invoiceNumber.trim();
      return { poNumbers, ...(invoiceNumber ? { invoiceNumber } : {}) };
    }
    default:
      return { poNumbers };
  }
}
