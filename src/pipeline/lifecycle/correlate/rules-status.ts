/**
 * Carrier status (214, IFTSTA, a carrier's JSON webhook) vs the shipment it reports on:
 * - status_unknown_shipment (violation): no ship notice (856) or warehouse shipment (945) with its
 *   shipment id (or asnNumber) is known; replayed once the shipment's document has come;
 * - status_duplicate (notice): a milestone with the same status code and instant was already
 *   reported, by another document or twice in this one: shown once on the order's timeline;
 * - status_exception (notice): a milestone that needs an operator's eye (delayed, damaged,
 *   refused, exception); the overdue report lists the shipment while it is its latest milestone.
 * Milestones are kept as the carrier sent them; the timeline orders them by when they happened.
 */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import type { LifecycleFacts } from './facts.ts';
import { EXCEPTION_EVENTS, milestoneKey } from './refs.ts';
import type { RuleFindings } from './types.ts';

export function statusRules(envelope: CanonicalEnvelope<'shipment_status'>, facts: LifecycleFacts): RuleFindings {
  const s = envelope.document;
  const out: RuleFindings = { notices: [], violations: [] };
  const name = `status of shipment ${s.shipmentId}`;
  if (!facts.refs.shipment) {
    const also = [s.asnNumber && `ASN ${s.asnNumber}`, s.proNumber && `PRO ${s.proNumber}`].filter(Boolean).join(', ');
    out.violations.push({
      code: 'status_unknown_shipment',
      message: `${name}${also ? ` (${also})` : ''}: no ship notice (856) or warehouse shipment (945) with shipment id ${s.shipmentId}${s.asnNumber ? ` or ${s.asnNumber}` : ''} is known`,
      expected: 'a ship notice or warehouse shipment received before', found: s.shipmentId,
    });
  }
  const seen = new Map<string, string>();
  for (const k of facts.refs.knownMilestones ?? []) seen.set(milestoneKey(k.shipmentId, k), k.documentId);
  for (const m of s.milestones) {
    const key = milestoneKey(s.shipmentId, m);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      out.notices.push({ code: 'status_duplicate', message: `${name}: milestone ${m.statusCode} at ${m.occurredAt} was already reported${earlier === envelope.id ? ' earlier in this document' : ` in document ${earlier}`}; shown once` });
      continue;
    }
    seen.set(key, envelope.id);
    if (m.event && EXCEPTION_EVENTS.has(m.event)) {
      const where = m.location ? ` at ${[m.location.name, m.location.city, m.location.region].filter(Boolean).join(', ')}` : '';
      out.notices.push({ code: 'status_exception', message: `${name}: ${m.event} (${m.statusCode}${m.reasonCode ? `, reason ${m.reasonCode}` : ''}) on ${m.occurredAt}${where}` });
    }
  }
  return out;
}
