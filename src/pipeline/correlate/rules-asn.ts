/**
 * 856 vs PO: per PO line, the quantity on this ship notice may not exceed the open quantity
 * (ordered minus shipped on earlier ship notices) by more than quantityTolerancePercent of the
 * ordered quantity. An earlier ship notice with the same shipment id is a re-send and is not counted.
 */
import type { CanonicalEnvelope, PurchaseOrderLine } from '../../canonical/types.ts';
import { add, cmp, dec, type Decimal, format, max, percentOf, sub, zero } from './decimal.ts';
import { describeLine, matchLine, samePoNumber } from './lines.ts';
import { findPurchaseOrder } from './po-lookup.ts';
import type { LifecycleRelated, LifecycleTolerances, RuleFindings } from './types.ts';

/** quantity shipped per PO line of `poNumber` on the given ship notices */
export function shippedByLine(
  shipNotices: ReadonlyArray<CanonicalEnvelope<'ship_notice'>>, poNumber: string, poLines: readonly PurchaseOrderLine[],
): Map<PurchaseOrderLine, Decimal> {
  const shipped = new Map<PurchaseOrderLine, Decimal>();
  for (const asn of shipNotices) {
    for (const order of asn.document.orders) {
      if (!samePoNumber(order.poNumber, poNumber)) continue;
      for (const line of order.lines) {
        const poLine = matchLine(line, poLines);
        if (poLine) shipped.set(poLine, add(shipped.get(poLine) ?? zero(), dec(line.quantityShipped)));
      }
    }
  }
  return shipped;
}

export function earlierShipNotices(envelope: CanonicalEnvelope<'ship_notice'>, related: LifecycleRelated): Array<CanonicalEnvelope<'ship_notice'>> {
  return related.shipNotices.filter((s) => s.id !== envelope.id
    && s.document.shipmentId.trim().toUpperCase() !== envelope.document.shipmentId.trim().toUpperCase());
}

export function asnRules(envelope: CanonicalEnvelope<'ship_notice'>, related: LifecycleRelated, tolerances: LifecycleTolerances): RuleFindings {
  const asn = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const earlier = earlierShipNotices(envelope, related);
  const checked = new Set<string>();
  for (const order of asn.orders) {
    const po = findPurchaseOrder(related, order.poNumber);
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
    const now = shippedByLine([envelope], order.poNumber, po.lines);
    const before = shippedByLine(earlier, order.poNumber, po.lines);
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
