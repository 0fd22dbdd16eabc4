/**
 * A warehouse's receipt (944, 861, RECADV) vs what was shipped to it, per line:
 * - with asnNumber: against the lines of that ship notice (its order blocks for the receipt's PO,
 *   or all of them when the receipt names no PO); an ASN that never came is receipt_unknown_asn;
 * - without: against the PO's shipped quantities not yet received by other receipts (running
 *   totals); nothing shipped on the PO at all is receipt_unknown_asn as well.
 * Findings, each a violation (an exception for the operator under onViolation hold, never a silent
 * update): receipt_short / receipt_over (received, good and damaged, vs shipped, beyond
 * receiptTolerancePercent of the shipped quantity), receipt_damaged, receipt_unexpected_item (a line
 * nothing shipped), receipt_lot_mismatch, receipt_unit_mismatch (a unit the shipped line did not
 * use: its quantities are not compared), receipt_quantity_negative, receipt_unknown_po.
 * A receipt re-sent under the same receipt number is not counted twice. Several receipts against
 * one ship notice: each is compared with what the notice shipped less what earlier receipts of the
 * PO line took (at most what is still unreceived on the PO line over all its notices), so the rest
 * of a partial receipt passes; the first part shows short until the rest arrives.
 */
import type { CanonicalEnvelope, PurchaseOrder, ReceiptLine } from '../../../canonical/types.ts';
import { add, cmp, dec, type Decimal, format, max, percentOf, sub, zero } from './decimal.ts';
import { type LifecycleFacts, sumByPoLine } from './facts.ts';
import { describeLine, matchLine, type MatchableLine, samePoNumber } from './lines.ts';
import type { LifecycleFinding, LifecycleTolerances, RuleFindings } from './types.ts';
import { X12_TO_REC20 } from '../../../mapping/uom-table.ts';

interface Expected extends MatchableLine {
  /** what this receipt should bring: shipped, less what earlier receipts already took */
  quantity: Decimal;
  /** received by earlier receipts of the same PO line, when any (said in the findings) */
  before?: Decimal;
  unitOfMeasure?: string;
  lotNumber?: string;
  poNumber: string;
}

const QUANTITIES = ['quantityReceived', 'quantityDamaged', 'quantityOver', 'quantityShort', 'quantityExpected'] as const;
const sameText = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.trim().toUpperCase() === b.trim().toUpperCase();
/** a unit as the canonical model names it (X12 CA and Rec 20 CS are both a case): the ERP's PO may use either */
const unit = (u: string) => X12_TO_REC20[u.trim().toUpperCase()] ?? u.trim().toUpperCase();

export function receiptRules(envelope: CanonicalEnvelope<'receipt'>, facts: LifecycleFacts, tolerances: LifecycleTolerances): RuleFindings {
  const r = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const name = `receipt ${r.receiptNumber}`;
  const at = (line: MatchableLine | undefined) => (line?.lineNumber ? { lineNumber: line.lineNumber } : {});
  const lines: ReceiptLine[] = [];
  for (const line of r.lines) {
    const negative = QUANTITIES.find((q) => typeof line[q] === 'number' && line[q]! < 0);
    if (negative) {
      out.violations.push({ code: 'receipt_quantity_negative', message: `${name} reports ${negative} ${line[negative]} on ${describeLine(line)}: quantities are not negative`, ...at(line), expected: '>= 0', found: String(line[negative]) });
    } else {
      lines.push(line);
    }
  }

  let expected: Expected[];
  let against: string;
  if (r.asnNumber?.trim()) {
    const asn = facts.refs.shipNotice;
    if (!asn) {
      out.violations.push({ code: 'receipt_unknown_asn', message: `${name} receives ASN ${r.asnNumber}, which never came: no ship notice with shipment id ${r.asnNumber} is known`, expected: 'a ship notice received before', found: r.asnNumber });
      return out;
    }
    against = `ASN ${asn.document.shipmentId}`;
    expected = [];
    for (const order of asn.document.orders) {
      if (r.poNumber?.trim() && !samePoNumber(order.poNumber, r.poNumber)) continue;
      const open = unreceived(order.poNumber, facts, r.receiptNumber);
      for (const l of order.lines) {
        const shipped = dec(l.quantityShipped);
        const left = open(l);
        const quantity = left !== undefined && cmp(left, shipped) < 0 ? left : shipped;
        expected.push({ ...named(l), quantity, ...(cmp(quantity, shipped) < 0 ? { before: sub(shipped, quantity) } : {}), poNumber: order.poNumber,
          ...(l.unitOfMeasure ? { unitOfMeasure: l.unitOfMeasure } : {}), ...(l.lotNumber ? { lotNumber: l.lotNumber } : {}) });
      }
    }
  } else if (r.poNumber?.trim()) {
    const po = facts.findPurchaseOrder(r.poNumber);
    if (!po) {
      out.violations.push({ code: 'receipt_unknown_po', message: `${name} receives goods of PO ${r.poNumber}, and names no ASN: no such purchase order is known`, found: r.poNumber });
      return out;
    }
    const { shipped, received: before } = poLineTotals(po, facts, r.receiptNumber);
    if (shipped.size === 0) {
      out.violations.push({ code: 'receipt_unknown_asn', message: `${name} receives goods of PO ${po.poNumber}, and no ship notice for that PO ever came`, expected: 'a ship notice received before', found: `PO ${po.poNumber}` });
      return out;
    }
    against = `the ship notices of PO ${po.poNumber}`;
    expected = po.lines.filter((l) => shipped.has(l)).map((l) => ({
      ...named(l), poNumber: po.poNumber, quantity: max(zero(), sub(shipped.get(l)!, before.get(l) ?? zero())), ...(l.unitOfMeasure ? { unitOfMeasure: l.unitOfMeasure } : {}),
    }));
  } else {
    out.violations.push({ code: 'receipt_unreferenced', message: `${name} names neither an ASN (shipment id) nor a PO number: there is nothing to match it to`, expected: 'asnNumber or poNumber' });
    return out;
  }

  // each receipt line to the shipped line it reports (the one with its lot, when several match)
  const got = new Map<Expected, { good: Decimal; damaged: Decimal }>();
  const unitMismatch = new Set<Expected>();
  for (const line of lines) {
    const candidates = expected.filter((e) => matchLine(line, [e]) !== undefined);
    const hit = candidates.find((e) => sameText(e.lotNumber, line.lotNumber)) ?? candidates[0];
    if (!hit) {
      out.violations.push({ code: 'receipt_unexpected_item', message: `${name} reports ${describeLine(line)} (${format(dec(line.quantityReceived))} received), which ${against} did not ship`, ...at(line), expected: 'a line that was shipped', found: format(dec(line.quantityReceived)) });
      continue;
    }
    const where = `PO ${hit.poNumber} ${describeLine(hit)}`;
    if (line.lotNumber && hit.lotNumber && !sameText(line.lotNumber, hit.lotNumber)) {
      out.violations.push({ code: 'receipt_lot_mismatch', message: `${name}: ${where} received lot ${line.lotNumber}; ${against} shipped lot ${hit.lotNumber}`, ...at(hit), expected: hit.lotNumber, found: line.lotNumber });
    }
    if (line.unitOfMeasure && hit.unitOfMeasure && unit(line.unitOfMeasure) !== unit(hit.unitOfMeasure)) {
      out.violations.push({ code: 'receipt_unit_mismatch', message: `${name}: ${where} received ${format(dec(line.quantityReceived))} ${line.unitOfMeasure}; ${against} shipped it in ${hit.unitOfMeasure}, so the quantities are not compared`, ...at(hit), expected: hit.unitOfMeasure, found: line.unitOfMeasure });
      unitMismatch.add(hit);
    }
    const had = got.get(hit) ?? { good: zero(), damaged: zero() };
    got.set(hit, { good: add(had.good, dec(line.quantityReceived)), damaged: add(had.damaged, dec(line.quantityDamaged ?? 0)) });
  }

  for (const e of expected) {
    if (unitMismatch.has(e)) continue;
    const { good, damaged } = got.get(e) ?? { good: zero(), damaged: zero() };
    const arrived = add(good, damaged);
    const where = `PO ${e.poNumber} ${describeLine(e)}`;
    const allowed = percentOf(e.quantity, tolerances.receiptTolerancePercent ?? 0);
    const finding = (code: string, message: string): LifecycleFinding => ({ code, message, ...at(e), expected: format(e.quantity), found: format(arrived) });
    const shipped = e.before ? `shipped ${format(add(e.quantity, e.before))} of which ${format(e.before)} received before` : `shipped ${format(e.quantity)}`;
    if (cmp(arrived, sub(e.quantity, allowed)) < 0) {
      out.violations.push(finding('receipt_short', `${name} for ${against}: ${where} ${shipped}, received ${format(arrived)} (${format(sub(e.quantity, arrived))} short)`));
    } else if (cmp(arrived, add(e.quantity, allowed)) > 0) {
      out.violations.push(finding('receipt_over', `${name} for ${against}: ${where} ${shipped}, received ${format(arrived)} (${format(sub(arrived, e.quantity))} over)`));
    }
    if (cmp(damaged, zero()) > 0) {
      out.violations.push({ code: 'receipt_damaged', message: `${name} for ${against}: ${where}: ${format(damaged)} of ${format(arrived)} received damaged`, ...at(e), expected: '0', found: format(damaged) });
    }
  }
  return out;
}

/**
 * What is still unreceived on each line of PO `poNumber`: shipped by all its ship notices less what
 * its other receipts (not `receiptNumber`) took; undefined for a line no earlier receipt touched, or
 * a PO the correlation does not know.
 */
function unreceived(poNumber: string, facts: LifecycleFacts, receiptNumber: string): (line: MatchableLine) => Decimal | undefined {
  const po = facts.findPurchaseOrder(poNumber);
  if (!po) return () => undefined;
  const { shipped, received } = poLineTotals(po, facts, receiptNumber);
  if (received.size === 0) return () => undefined;
  return (line) => {
    const poLine = matchLine(line, po.lines);
    const took = poLine ? received.get(poLine) : undefined;
    return poLine && took ? max(zero(), sub(shipped.get(poLine) ?? zero(), took)) : undefined;
  };
}

/** per line of `po`: shipped by all its ship notices, and received by its receipts other than `receiptNumber` */
function poLineTotals(po: PurchaseOrder, facts: LifecycleFacts, receiptNumber: string) {
  return { shipped: sumByPoLine(facts.shipped(po.poNumber), po.lines), received: sumByPoLine(facts.received(po.poNumber, receiptNumber), po.lines) };
}

function named(l: MatchableLine): MatchableLine {
  return {
    ...(l.lineNumber !== undefined ? { lineNumber: l.lineNumber } : {}),
    ...(l.buyerPartNumber !== undefined ? { buyerPartNumber: l.buyerPartNumber } : {}),
    ...(l.vendorPartNumber !== undefined ? { vendorPartNumber: l.vendorPartNumber } : {}),
  };
}
