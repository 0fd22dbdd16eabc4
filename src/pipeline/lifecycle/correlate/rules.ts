/**
 * Order-lifecycle rules (pure): a document is checked against what is already known about its
 * purchase order. PO ↔ 855 ↔ 856 ↔ receipt ↔ 810, and the warehouse and carrier documents against
 * the order or shipment they name (rules-receipt.ts, rules-warehouse.ts, rules-status.ts).
 * - 855: ack_changed_quantity / ack_changed_price / ack_changed_date (exact, no tolerance),
 *   ack_unknown_line; unknown PO -> ack_unknown_po (warning).
 * - 856: asn_over_shipped (over the open PO quantity, quantity tolerance), asn_unknown_line;
 *   unknown PO -> asn_unknown_po (warning).
 * - 810: invoice_price_mismatch (price tolerance), invoice_quantity_mismatch (three-way: vs received,
 *   or shipped where no receipt is expected; quantity tolerance), invoice_unknown_line; unknown PO ->
 *   invoice_unknown_po (warning).
 * - receipt (944/861): receipt_short/over/damaged/unexpected_item/lot_mismatch/unit_mismatch vs the
 *   ASN (receiptTolerancePercent), receipt_unknown_asn.
 * - 945: warehouse_shipment_unknown_order/unknown_line/over_shipped; 214: status_unknown_shipment,
 *   notices status_duplicate and status_exception.
 * Outcome: 'hold' when there is a violation and the partner's onViolation is 'hold'; otherwise
 * 'pass', with every violation also listed as a warning when onViolation is 'warn'.
 * Money and quantities are compared as exact decimals (decimal.ts), never as floats.
 */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import { GatewayError } from '../../../core/errors.ts';
import { factsFromRelated, type LifecycleFacts } from './facts.ts';
import { ackRules } from './rules-ack.ts';
import { asnRules } from './rules-asn.ts';
import { invoiceRules } from './rules-invoice.ts';
import { receiptRules } from './rules-receipt.ts';
import { statusRules } from './rules-status.ts';
import { warehouseShipmentRules } from './rules-warehouse.ts';
import type { LifecycleRelated, LifecycleResult, LifecycleTolerances, RuleFindings } from './types.ts';

export type { LifecycleFacts } from './facts.ts';
export type { LifecycleFinding, LifecycleRelated, LifecycleResult, LifecycleTolerances } from './types.ts';

/** the rules on the related documents themselves (see evaluateWithFacts for the running totals) */
export function evaluateLifecycle(input: {
  document: CanonicalEnvelope;
  related: LifecycleRelated;
  tolerances: LifecycleTolerances;
}): LifecycleResult {
  return evaluateWithFacts({ document: input.document, facts: factsFromRelated(input.document, input.related), tolerances: input.tolerances });
}

export function evaluateWithFacts(input: {
  document: CanonicalEnvelope;
  facts: LifecycleFacts;
  tolerances: LifecycleTolerances;
}): LifecycleResult {
  const { document, facts, tolerances } = input;
  checkTolerances(tolerances, document.partnerId);
  let findings: RuleFindings;
  switch (document.type) {
    case 'purchase_order_ack':
      findings = ackRules(document as CanonicalEnvelope<'purchase_order_ack'>, facts);
      break;
    case 'ship_notice':
      findings = asnRules(document as CanonicalEnvelope<'ship_notice'>, facts, tolerances);
      break;
    case 'invoice':
      findings = invoiceRules(document as CanonicalEnvelope<'invoice'>, facts, tolerances);
      break;
    case 'receipt':
      findings = receiptRules(document as CanonicalEnvelope<'receipt'>, facts, tolerances);
      break;
    case 'shipment_status':
      findings = statusRules(document as CanonicalEnvelope<'shipment_status'>, facts);
      break;
    case 'warehouse_shipment':
      findings = warehouseShipmentRules(document as CanonicalEnvelope<'warehouse_shipment'>, facts);
      break;
    default:
      findings = { notices: [], violations: [] };
  }
  const hold = tolerances.onViolation === 'hold' && findings.violations.length > 0;
  const warnings = [
    ...findings.notices,
    ...(tolerances.onViolation === 'warn' ? findings.violations.map(({ code, message }) => ({ code, message })) : []),
  ];
  return { outcome: hold ? 'hold' : 'pass', warnings, violations: findings.violations };
}

function checkTolerances(t: LifecycleTolerances, partnerId: string): void {
  for (const key of ['priceTolerancePercent', 'quantityTolerancePercent', 'receiptTolerancePercent', 'receiptOverdueDays'] as const) {
    const v = t[key];
    if (v === undefined && (key === 'receiptTolerancePercent' || key === 'receiptOverdueDays')) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new GatewayError('invalid_lifecycle_tolerance', `${key} must be a number >= 0`, { partnerId, expected: '>= 0', found: String(v) });
    }
  }
  if (t.matchInvoiceTo !== undefined && t.matchInvoiceTo !== 'received' && t.matchInvoiceTo !== 'shipped') {
    throw new GatewayError('invalid_lifecycle_tolerance', 'matchInvoiceTo must be received or shipped', { partnerId, expected: 'received|shipped', found: String(t.matchInvoiceTo) });
  }
  if (t.onViolation !== 'hold' && t.onViolation !== 'warn') {
    throw new GatewayError('invalid_lifecycle_tolerance', 'onViolation must be hold or warn', { partnerId, expected: 'hold|warn', found: String(t.onViolation) });
  }
}
