import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import type { DocumentRefs } from './refs.ts';

export interface LifecycleTolerances {
  /** invoice unit price may differ from the PO price by this % of the PO price */
  priceTolerancePercent: number;
  /** over-shipment (ASN) and over-invoicing (invoice vs shipped) allowed, as % of the reference quantity */
  quantityTolerancePercent: number;
  /** hold: a violation keeps the document from the ERP (exception); warn: it passes with warnings */
  onViolation: 'hold' | 'warn';
  /**
   * a warehouse's receipt vs the ship notice it names (the warehouse's profile): received short or
   * over by more than this % of the shipped quantity is an exception; default 0
   */
  receiptTolerancePercent?: number;
  /**
   * what an invoice's quantities are matched to (the supplier's profile): 'received' (the goods a
   * warehouse's receipt reports: the accounting three-way match) or 'shipped' (its ship notices,
   * for a supplier whose goods no warehouse reports); default 'shipped'
   */
  matchInvoiceTo?: 'received' | 'shipped';
  /** with matchInvoiceTo 'received': a ship notice without a receipt after this many days is overdue; default 5 */
  receiptOverdueDays?: number;
}

export interface LifecycleRelated {
  /** the purchase order as it stands now (changes applied) */
  purchaseOrder?: CanonicalEnvelope<'purchase_order'>;
  /** further purchase orders, for ship notices that cover several orders */
  purchaseOrders?: Array<CanonicalEnvelope<'purchase_order'>>;
  acks: Array<CanonicalEnvelope<'purchase_order_ack'>>;
  /** ship notices received before this document (the document itself, and earlier copies of the
   *  same shipment id, are ignored if present) */
  shipNotices: Array<CanonicalEnvelope<'ship_notice'>>;
  /** invoices received before this document (same rule for the same invoice number) */
  invoices: Array<CanonicalEnvelope<'invoice'>>;
  /** receipts received before this document (same rule for the same receipt number) */
  receipts?: Array<CanonicalEnvelope<'receipt'>>;
  /** warehouse orders we sent, warehouse shipments (945) and carrier statuses received (found by number) */
  warehouseOrders?: Array<CanonicalEnvelope<'warehouse_order'>>;
  warehouseShipments?: Array<CanonicalEnvelope<'warehouse_shipment'>>;
  statuses?: Array<CanonicalEnvelope<'shipment_status'>>;
  /** the documents this one names by number, when given directly (else found in the lists above) */
  refs?: DocumentRefs;
}

export interface LifecycleFinding {
  code: string;
  message: string;
  lineNumber?: string;
  expected?: string;
  found?: string;
  /** invoice_quantity_mismatch: what the invoice was matched to */
  basis?: 'received' | 'shipped';
}

export interface LifecycleResult {
  outcome: 'pass' | 'hold';
  warnings: Array<{ code: string; message: string }>;
  violations: LifecycleFinding[];
}

/** what one rule set reports: notices are always warnings; violations follow onViolation */
export interface RuleFindings {
  notices: Array<{ code: string; message: string }>;
  violations: LifecycleFinding[];
}
