/**
 * 810 vs PO and the goods (three-way match), per PO line:
 * - price: the invoiced unit price may differ from the PO unit price by priceTolerancePercent of it;
 * - quantity: the invoiced quantity may not exceed what was received (every warehouse receipt for
 *   the PO, when the supplier's profile says matchInvoiceTo: received) or else shipped (all ship
 *   notices for the PO), minus what earlier invoices already billed, by more than
 *   quantityTolerancePercent of that quantity. Invoicing less than shipped (partial billing) is not flagged. An earlier
 *   invoice with the same invoice number is a re-send and is not counted.
 */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import { add, beyondTolerance, cmp, dec, format, max, percentOf, sub, zero } from './decimal.ts';
import { invoicedLines, type LifecycleFacts, sumByPoLine } from './facts.ts';
import { describeLine, matchLine } from './lines.ts';
import type { LifecycleTolerances, RuleFindings } from './types.ts';

export function invoiceRules(envelope: CanonicalEnvelope<'invoice'>, facts: LifecycleFacts, tolerances: LifecycleTolerances): RuleFindings {
  const inv = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const po = facts.findPurchaseOrder(inv.poNumber);
  if (!po) {
    out.notices.push({
      code: 'invoice_unknown_po',
      message: inv.poNumber ? `810 ${inv.invoiceNumber} bills PO ${inv.poNumber}: no such purchase order is known` : `810 ${inv.invoiceNumber} names no PO number`,
    });
    return out;
  }
  const name = `810 ${inv.invoiceNumber}`;
  for (const line of inv.lines) {
    const poLine = matchLine(line, po.lines);
    if (!poLine) {
      out.violations.push({
        code: 'invoice_unknown_line', message: `${name} bills ${describeLine(line)} on PO ${po.poNumber}, which the PO does not have`,
        ...(line.lineNumber ? { lineNumber: line.lineNumber } : {}), found: format(dec(line.quantityInvoiced)),
      });
      continue;
    }
    if (line.unitPrice !== undefined && poLine.unitPrice !== undefined
      && beyondTolerance(dec(poLine.unitPrice), dec(line.unitPrice), tolerances.priceTolerancePercent)) {
      const expected = format(dec(poLine.unitPrice));
      const found = format(dec(line.unitPrice));
      out.violations.push({
        code: 'invoice_price_mismatch',
        message: `${name} bills PO ${po.poNumber} ${describeLine(poLine)} at ${found}; the PO price is ${expected} (tolerance ${tolerances.priceTolerancePercent}%)`,
        ...(poLine.lineNumber ? { lineNumber: poLine.lineNumber } : {}), expected, found,
      });
    }
  }

  // the goods received (the accounting three-way match) or, for a supplier whose goods no warehouse reports, shipped
  const basis = tolerances.matchInvoiceTo ?? 'shipped';
  const delivered = sumByPoLine(basis === 'received' ? facts.received(po.poNumber) : facts.shipped(po.poNumber), po.lines);
  const billedBefore = sumByPoLine(facts.invoiced(po.poNumber, inv.invoiceNumber), po.lines);
  const billingNow = sumByPoLine(invoicedLines([envelope], po.poNumber), po.lines);
  for (const poLine of po.lines) {
    const billing = billingNow.get(poLine);
    if (!billing) continue;
    const deliveredQty = delivered.get(poLine) ?? zero();
    const before = billedBefore.get(poLine) ?? zero();
    const unbilled = max(zero(), sub(deliveredQty, before));
    const allowed = add(unbilled, percentOf(deliveredQty, tolerances.quantityTolerancePercent));
    if (cmp(billing, allowed) > 0) {
      const at = `PO ${po.poNumber} ${describeLine(poLine)}`;
      out.violations.push({
        code: 'invoice_quantity_mismatch',
        message: basis === 'received'
          ? `${name} bills ${at}: invoiced ${format(billing)}, received ${format(deliveredQty)}${cmp(before, zero()) > 0 ? ` (already invoiced ${format(before)}; received and not yet invoiced: ${format(unbilled)})` : ''}`
          : `${name} bills ${format(billing)} of ${at}; shipped and not yet invoiced: ${format(unbilled)} (shipped ${format(deliveredQty)})`,
        ...(poLine.lineNumber ? { lineNumber: poLine.lineNumber } : {}), expected: format(unbilled), found: format(billing), basis,
      });
    }
  }
  return out;
}
