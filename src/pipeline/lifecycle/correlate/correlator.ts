/**
 * The correlate stage: reads what is known about the document's purchase order(s) (the PO and the
 * running totals of its lines that earlier ship notices, receipts and invoices added, totals-facts.ts)
 * and the documents it names by number (the ASN a receipt receives, the shipment a carrier status
 * reports on, the 940 a 945 ships: refs.ts), and applies the lifecycle rules with the partner's
 * tolerances. A few indexed reads per document, however many documents the PO already has (issue
 * 12: it re-read and parsed all of them). A violation holds the document back (an exception, not
 * released) or passes it with warnings. A document that names no PO but a shipment or order whose
 * PO is known is correlated to that PO (`correlationId`), so the order's timeline shows it.
 */
import type { CanonicalEnvelope } from '../../../canonical/types.ts';
import { GatewayError } from '../../../core/errors.ts';
import type { Store } from '../../../db/store.ts';
import type { PartnerView } from '../../inbound/config-port.ts';
import type { Correlate } from '../../inbound/process-message.ts';
import type { LifecycleFacts } from './facts.ts';
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
        ...(v.basis ? { basis: v.basis } : {}),
      }))
      : [];
    const correlationId = resolvedCorrelation(envelope, facts);
    return { hold, warnings: result.warnings, ...(correlationId && correlationId !== envelope.correlationId ? { correlationId } : {}) };
  };
}

/** the PO (or order) a warehouse or carrier document belongs to: its own, else that of the document it names */
function resolvedCorrelation(envelope: CanonicalEnvelope, facts: LifecycleFacts): string | undefined {
  const own = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  switch (envelope.type) {
    case 'receipt': {
      const r = (envelope as CanonicalEnvelope<'receipt'>).document;
      return own(r.poNumber) ?? own(facts.refs.shipNotice?.document.orders[0]?.poNumber);
    }
    case 'warehouse_shipment': {
      const w = (envelope as CanonicalEnvelope<'warehouse_shipment'>).document;
      return own(w.poNumber) ?? facts.refs.warehouseOrder?.correlationId;
    }
    case 'shipment_status': {
      const s = (envelope as CanonicalEnvelope<'shipment_status'>).document;
      return facts.refs.shipment?.correlationId ?? own(s.poNumbers?.[0]);
    }
    default:
      return undefined;
  }
}
