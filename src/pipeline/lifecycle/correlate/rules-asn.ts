/**
 * 856 vs PO: per PO line, the quantity on this ship notice may not exceed the open quantity
 * (ordered minus shipped on earlier ship notices) by more than quantityTolerancePercent of the
 * ordered quantity. An earlier ship notice with the same shipment id is a re-send and is not counted.
 */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import { add, cmp, dec, format, max, percentOf, sub, zero } from './decimal.ts';
import { type LifecycleFacts, shippedLines, sumByPoLine } from './facts.ts';
import { describeLine, matchLine } from './lines.ts';
import type { LifecycleTolerances, RuleFindings } from './types.ts';

export function asnRules(envelope: CanonicalEnvelope<'ship_notice'>, facts: LifecycleFacts, tolerances: LifecycleTolerances): RuleFindings {
  const asn = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const checked = new Set<string>();
  for (const order of asn.orders) {
    const po = facts.findPurchaseOrder(order.poNumber);
    if (!po) {
      out.notices.push({ code: 'asn_unknown_po', message: `856 ${asn.shipmentId} ships against PO ${order.poNumber}: no such purchase order is known` });
      continue;
    }
    for (const line of order.lines) {
      if (!matchLine(line, po.lines)) {
        out.violations.push({
          code: 'asn_unknown_line', message: `856 ${asn.shipmentId} ships ${describeLine(line)} on PO ${po.poNumber}, which the PO does not have`,
          ...(line.lineNumber ? { lineNumber: line.lineNumber } : {}), found: format(dec(line.quantityShipped)),
        });
      }
    }
    // several order blocks for one PO are summed once
    const key = order.poNumber.trim().toUpperCase();
    if (checked.has(key)) continue;
    checked.add(key);
    const now = sumByPoLine(shippedLines([envelope], order.poNumber), po.lines);
    const before = sumByPoLine(facts.shipped(order.poNumber, asn.shipmentId), po.lines);
    for (const poLine of po.lines) {
      const shipping = now.get(poLine);
      if (!shipping) continue;
      const ordered = dec(poLine.quantity);
      const open = max(zero(), sub(ordered, before.get(poLine) ?? zero()));
      const allowed = add(open, percentOf(ordered, tolerances.quantityTolerancePercent));
      if (cmp(shipping, allowed) > 0) {
        out.violations.push({
          code: 'asn_over_shipped',
          message: `856 ${asn.shipmentId} ships ${format(shipping)} of PO ${po.poNumber} ${describeLine(poLine)}; open quantity is ${format(open)} (ordered ${format(ordered)})`,
          ...(poLine.lineNumber ? { lineNumber: poLine.lineNumber } : {}), expected: format(open), found: format(shipping),
        });
      }
    }
  }
  return out;
}
