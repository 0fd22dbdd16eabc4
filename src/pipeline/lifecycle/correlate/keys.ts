/**
 * Business keys of a canonical document, for correlating PO ↔ 855 ↔ 856 ↔ receipt ↔ 810: the PO
 * numbers it concerns (trimmed, first-seen order, no duplicates), the shipment id of a ship notice and the
 * invoice number of an invoice. A receipt that names no PO concerns the POs of the ship notice it
 * names (refs.ts); warehouse and carrier documents concern the PO they name, or their order's.
 */
import type { CanonicalEnvelope, Invoice, PurchaseOrder, PurchaseOrderAck, ShipNotice } from '../../../canonical/types.ts';
import type { DocumentRefs } from './refs.ts';

export interface CorrelationKeys {
  poNumbers: string[];
  shipmentId?: string;
  invoiceNumber?: string;
}

export function correlationKeys(envelope: CanonicalEnvelope, refs: DocumentRefs = {}): CorrelationKeys {
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
    case 'receipt': {
      const r = (envelope as CanonicalEnvelope<'receipt'>).document;
      addPo(r.poNumber);
      if (poNumbers.length === 0) for (const order of refs.shipNotice?.document.orders ?? []) addPo(order.poNumber);
      return { poNumbers };
    }
    default:
      return { poNumbers };
  }
}
