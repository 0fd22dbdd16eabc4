/** 855 vs PO: changed quantity, price or delivery date on an acknowledged line is flagged exactly (no tolerance). */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import { cmp, dec, format } from './decimal.ts';
import { describeLine, matchLine } from './lines.ts';
import type { LifecycleFacts } from './facts.ts';
import type { RuleFindings } from './types.ts';

export function ackRules(envelope: CanonicalEnvelope<'purchase_order_ack'>, facts: LifecycleFacts): RuleFindings {
  const ack = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const po = facts.findPurchaseOrder(ack.poNumber);
  if (!po) {
    out.notices.push({ code: 'ack_unknown_po', message: `855 for PO ${ack.poNumber}: no such purchase order is known` });
    return out;
  }
  for (const line of ack.lines ?? []) {
    const poLine = matchLine(line, po.lines);
    if (!poLine) {
      out.violations.push({ code: 'ack_unknown_line', message: `855 for PO ${po.poNumber} acknowledges ${describeLine(line)}, which the PO does not have`, ...(line.lineNumber ? { lineNumber: line.lineNumber } : {}) });
      continue;
    }
    const lineNumber = poLine.lineNumber ?? line.lineNumber;
    const at = { ...(lineNumber ? { lineNumber } : {}) };
    const where = `PO ${po.poNumber} ${describeLine(poLine)}`;
    const ackUom = line.unitOfMeasure?.toUpperCase();
    const poUom = poLine.unitOfMeasure?.toUpperCase();
    const uomChanged = ackUom !== undefined && poUom !== undefined && ackUom !== poUom;
    if (line.quantity !== undefined && (uomChanged || cmp(dec(line.quantity), dec(poLine.quantity)) !== 0)) {
      const expected = `${format(dec(poLine.quantity))}${uomChanged ? ` ${poUom}` : ''}`;
      const found = `${format(dec(line.quantity))}${uomChanged ? ` ${ackUom}` : ''}`;
      out.violations.push({ code: 'ack_changed_quantity', message: `855 changes the quantity of ${where} from ${expected} to ${found}`, ...at, expected, found });
    }
    if (line.unitPrice !== undefined && poLine.unitPrice !== undefined && cmp(dec(line.unitPrice), dec(poLine.unitPrice)) !== 0) {
      const expected = format(dec(poLine.unitPrice));
      const found = format(dec(line.unitPrice));
      out.violations.push({ code: 'ack_changed_price', message: `855 changes the unit price of ${where} from ${expected} to ${found}`, ...at, expected, found });
    }
    if (line.scheduledDeliveryDate !== undefined && po.requestedDeliveryDate !== undefined && line.scheduledDeliveryDate !== po.requestedDeliveryDate) {
      out.violations.push({
        code: 'ack_changed_date',
        message: `855 schedules ${where} for ${line.scheduledDeliveryDate}; the PO requested ${po.requestedDeliveryDate}`,
        ...at, expected: po.requestedDeliveryDate, found: line.scheduledDeliveryDate,
      });
    }
  }
  return out;
}
