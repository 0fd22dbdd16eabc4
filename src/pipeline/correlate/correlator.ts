/**
 * The correlate stage: loads what is known about the document's purchase order(s) (the PO, earlier
 * acks, ship notices and invoices) and applies the lifecycle rules with the partner's tolerances.
 * A violation holds the document back (an exception, not released) or passes it with warnings.
 */
import type { CanonicalEnvelope } from '../../canonical/types.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Store } from '../../db/store.ts';
import type { PartnerView } from '../config-port.ts';
import type { Correlate } from '../process-message.ts';
import { correlationKeys } from './keys.ts';
import { evaluateLifecycle } from './rules.ts';
import type { LifecycleRelated, LifecycleTolerances } from './types.ts';

const defaults: LifecycleTolerances = { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: 'hold' };

export function createCorrelator(store: Store): Correlate {
  return async (envelope: CanonicalEnvelope, partner: PartnerView) => {
    if (envelope.type === 'purchase_order') return { hold: [], warnings: [] };
    const related: LifecycleRelated = { acks: [], shipNotices: [], invoices: [], purchaseOrders: [] };
    for (const po of correlationKeys(envelope).poNumbers) {
      for (const row of await store.documentsByCorrelation(po)) {
        if (row.id === envelope.id) continue;
        const e = JSON.parse(row.envelope) as CanonicalEnvelope;
        if (e.type === 'purchase_order') {
          const p = e as CanonicalEnvelope<'purchase_order'>;
          if (p.document.poNumber === po) { related.purchaseOrder ??= p; related.purchaseOrders!.push(p); }
        } else if (e.type === 'purchase_order_ack') related.acks.push(e as CanonicalEnvelope<'purchase_order_ack'>);
        else if (e.type === 'ship_notice') related.shipNotices.push(e as CanonicalEnvelope<'ship_notice'>);
        else related.invoices.push(e as CanonicalEnvelope<'invoice'>);
      }
    }
    const result = evaluateLifecycle({ document: envelope, related, tolerances: { ...defaults, ...partner.rules } });
    const hold = result.outcome === 'hold'
      ? result.violations.map((v) => new GatewayError(v.code, v.message, {
        partnerId: partner.id, documentId: envelope.id, correlationId: envelope.correlationId,
        ...(v.lineNumber ? { lineNumber: v.lineNumber } : {}), ...(v.expected ? { expected: v.expected } : {}), ...(v.found ? { found: v.found } : {}),
      }))
      : [];
    return { hold, warnings: result.warnings };
  };
}
