/**
 * The correlate stage: reads what is known about the document's purchase order(s) (the PO and the
 * running totals of its lines that earlier ship notices and invoices added, totals-facts.ts) and
 * applies the lifecycle rules with the partner's tolerances. A few indexed reads per document,
 * however many documents the PO already has (issue 12: it re-read and parsed all of them).
 * A violation holds the document back (an exception, not released) or passes it with warnings.
 */
import type { CanonicalEnvelope } from '../../canonical/types.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Store } from '../../db/store.ts';
import type { PartnerView } from '../config-port.ts';
import type { Correlate } from '../process-message.ts';
import { evaluateWithFacts } from './rules.ts';
import { factsFromTotals } from './totals-facts.ts';
import type { LifecycleTolerances } from './types.ts';

const defaults: LifecycleTolerances = { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: 'hold' };

export function createCorrelator(store: Store): Correlate {
  return async (envelope: CanonicalEnvelope, partner: PartnerView) => {
    if (envelope.type === 'purchase_order') return { hold: [], warnings: [] };
    const facts = await factsFromTotals(store, envelope);
    const result = evaluateWithFacts({ document: envelope, facts, tolerances: { ...defaults, ...partner.rules } });
    const hold = result.outcome === 'hold'
      ? result.violations.map((v) => new GatewayError(v.code, v.message, {
        partnerId: partner.id, documentId: envelope.id, correlationId: envelope.correlationId,
        ...(v.lineNumber ? { lineNumber: v.lineNumber } : {}), ...(v.expected ? { expected: v.expected } : {}), ...(v.found ? { found: v.found } : {}),
      }))
      : [];
    return { hold, warnings: result.warnings };
  };
}
