import type { CanonicalEnvelope } from '../../canonical/types.ts';

export interface LifecycleTolerances {
  /** invoice unit price may differ from the PO price by this % of the PO price */
  priceTolerancePercent: number;
  /** over-shipment (ASN) and over-invoicing (invoice vs shipped) allowed, as % of the reference quantity */
  quantityTolerancePercent: number;
  /** hold: a violation keeps the document from the ERP (exception); warn: it passes with warnings */
  onViolation: 'hold' | 'warn';
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
}

export interface LifecycleFinding {
  code: string;
  message: string;
  lineNumber?: string;
  expected?: string;
  found?: string;
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
