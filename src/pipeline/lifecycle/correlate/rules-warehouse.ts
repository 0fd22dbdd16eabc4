/**
 * A warehouse's shipment (945) vs the warehouse order (940) we sent it:
 * - warehouse_shipment_unknown_order (violation): no warehouse order with its order number was sent;
 * - warehouse_shipment_unknown_line (violation): a line the order does not have;
 * - warehouse_shipment_over_shipped (violation): more shipped on a line than the order asked for
 *   (this 945 alone: several partial 945s for one order are each compared with the whole order).
 */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import { cmp, dec, format } from './decimal.ts';
import type { LifecycleFacts } from './facts.ts';
import { describeLine, matchLine } from './lines.ts';
import type { RuleFindings } from './types.ts';

export function warehouseShipmentRules(envelope: CanonicalEnvelope<'warehouse_shipment'>, facts: LifecycleFacts): RuleFindings {
  const w = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const name = `945 ${w.shipmentId}`;
  const order = facts.refs.warehouseOrder?.document;
  if (!order) {
    out.violations.push({ code: 'warehouse_shipment_unknown_order', message: `${name} ships warehouse order ${w.orderNumber}: no warehouse order (940) with that number was sent`, expected: 'a warehouse order sent before', found: w.orderNumber });
    return out;
  }
  for (const line of w.lines) {
    const ordered = matchLine(line, order.lines);
    const at = line.lineNumber ? { lineNumber: line.lineNumber } : {};
    if (!ordered) {
      out.violations.push({ code: 'warehouse_shipment_unknown_line', message: `${name} ships ${describeLine(line)} on order ${order.orderNumber}, which the order does not have`, ...at, found: format(dec(line.quantityShipped)) });
      continue;
    }
    if (cmp(dec(line.quantityShipped), dec(ordered.quantityOrdered)) > 0) {
      out.violations.push({
        code: 'warehouse_shipment_over_shipped', message: `${name} ships ${format(dec(line.quantityShipped))} of order ${order.orderNumber} ${describeLine(ordered)}; the order asked for ${format(dec(ordered.quantityOrdered))}`,
        ...(ordered.lineNumber ? { lineNumber: ordered.lineNumber } : at), expected: format(dec(ordered.quantityOrdered)), found: format(dec(line.quantityShipped)),
      });
    }
  }
  return out;
}
