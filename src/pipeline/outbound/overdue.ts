/**
 * Overdue orders: outbound POs without a 997/999 within the partner's `acks.expectWithinMinutes`,
 * outbound POs without an 855 within a window, ship notices without an invoice within a window.
 * Built on existing store queries (pending functional_ack jobs; documents by type and correlation).
 */
import type { CanonicalEnvelope } from '../../canonical/types.ts';
import type { Store } from '../../db/store.ts';
import { ACK_TARGET } from './jobs.ts';
import type { OutboundConfig } from './types.ts';

export interface OverdueWindows {
  /** used when the partner has no acks.expectWithinMinutes; default 24 h */
  functionalAckMinutes: number;
  /** an outbound PO without an 855 after this long; default 48 h */
  poAckMinutes: number;
  /** a ship notice without an invoice after this long; default 7 days */
  invoiceMinutes: number;
  /** how many recent documents of a type are scanned; default 5000 */
  scanLimit: number;
}

export const DEFAULT_OVERDUE_WINDOWS: OverdueWindows = { functionalAckMinutes: 24 * 60, poAckMinutes: 48 * 60, invoiceMinutes: 7 * 24 * 60, scanLimit: 5000 };

/**
 * How long the /metrics gauges are reused before the documents are scanned again; default 30 s.
 * Prometheus scrapes every 15 s from several replicas; each scan reads up to 3 × scanLimit rows.
 */
export const DEFAULT_GAUGE_MAX_AGE_MS = 30_000;

export interface OverdueItem {
  reason: 'functional_ack_missing' | 'po_ack_missing' | 'invoice_missing';
  partnerId: string;
  poNumber?: string;
  shipmentId?: string;
  documentId: string;
  since: string;
  dueAt: string;
  windowMinutes: number;
}

export interface OverdueReport {
  at: string;
  functionalAckMissing: OverdueItem[];
  poAckMissing: OverdueItem[];
  invoiceMissing: OverdueItem[];
}

export function createOverdueMonitor(deps: {
  store: Store; config: () => OutboundConfig; now: () => Date; windows?: Partial<OverdueWindows>;
  /** gauges() reuses a report this young (by `now`); 0 computes one per call */
  gaugeMaxAgeMs?: number;
}) {
  const w = { ...DEFAULT_OVERDUE_WINDOWS, ...deps.windows };
  const maxAgeMs = deps.gaugeMaxAgeMs ?? DEFAULT_GAUGE_MAX_AGE_MS;
  const staleness = maxAgeMs > 0 ? ` Recomputed at most every ${Math.round(maxAgeMs / 1000)} s, so up to ${Math.round(maxAgeMs / 1000)} s old.` : '';
  /** Prometheus HELP text per gauge name */
  const gaugeHelp: Record<string, string> = {
    overdue_functional_acks: `Outbound POs without a 997/999/CONTRL past the partner's window.${staleness}`,
    overdue_po_acks: `Outbound POs without an 855/ORDRSP past the window (newest ${w.scanLimit} POs scanned).${staleness}`,
    overdue_invoices: `Ship notices without an invoice past the window (newest ${w.scanLimit} ship notices scanned).${staleness}`,
  };
  let cached: { at: number; gauges: Record<string, number> } | undefined;
  let inFlight: Promise<Record<string, number>> | undefined;
  const due = (since: string, minutes: number) => new Date(new Date(since).getTime() + minutes * 60_000);

  async function report(): Promise<OverdueReport> {
    const { store } = deps;
    const now = deps.now();
    const out: OverdueReport = { at: now.toISOString(), functionalAckMissing: [], poAckMissing: [], invoiceMissing: [] };
    for (const partnerId of await store.deliveryPartners(ACK_TARGET)) {
      const minutes = deps.config().partner(partnerId)?.acks?.expectWithinMinutes ?? w.functionalAckMinutes;
      for (const job of await store.pendingDeliveries(ACK_TARGET, partnerId, w.scanLimit)) {
        const dueAt = due(job.createdAt, minutes);
        if (dueAt > now) continue;
        const env = JSON.parse(job.envelope) as CanonicalEnvelope<'purchase_order'>;
        out.functionalAckMissing.push({ reason: 'functional_ack_missing', partnerId, poNumber: env.document.poNumber, documentId: job.documentId, since: job.createdAt, dueAt: dueAt.toISOString(), windowMinutes: minutes });
      }
    }
    for (const po of await store.findDocuments({ type: 'purchase_order', limit: w.scanLimit })) {
      if (po.direction !== 'outbound' || !po.businessKey) continue;
      const dueAt = due(po.createdAt, w.poAckMinutes);
      if (dueAt > now) continue;
      const related = await store.documentsByCorrelation(po.businessKey);
      if (related.some((d) => d.type === 'purchase_order_ack' && d.partnerId === po.partnerId)) continue;
      out.poAckMissing.push({ reason: 'po_ack_missing', partnerId: po.partnerId, poNumber: po.businessKey, documentId: po.id, since: po.createdAt, dueAt: dueAt.toISOString(), windowMinutes: w.poAckMinutes });
    }
    for (const asn of await store.findDocuments({ type: 'ship_notice', limit: w.scanLimit })) {
      const dueAt = due(asn.createdAt, w.invoiceMinutes);
      if (dueAt > now) continue;
      const env = JSON.parse(asn.envelope) as CanonicalEnvelope<'ship_notice'>;
      const poNumbers = [...new Set((env.document.orders ?? []).map((o) => o.poNumber).filter((p): p is string => typeof p === 'string'))];
      let invoiced = false;
      for (const po of poNumbers) {
        if ((await store.documentsByCorrelation(po)).some((d) => d.type === 'invoice' && d.partnerId === asn.partnerId)) { invoiced = true; break; }
      }
      if (invoiced) continue;
      out.invoiceMissing.push({ reason: 'invoice_missing', partnerId: asn.partnerId, shipmentId: asn.businessKey ?? env.document.shipmentId, ...(poNumbers[0] ? { poNumber: poNumbers[0] } : {}),
        documentId: asn.id, since: asn.createdAt, dueAt: dueAt.toISOString(), windowMinutes: w.invoiceMinutes });
    }
    return out;
  }

  async function computeGauges(): Promise<Record<string, number>> {
    const at = deps.now().getTime();
    const r = await report();
    const gauges = { overdue_functional_acks: r.functionalAckMissing.length, overdue_po_acks: r.poAckMissing.length, overdue_invoices: r.invoiceMissing.length };
    if (maxAgeMs > 0) cached = { at, gauges };
    return gauges;
  }

  return {
    /** always computed now (operators' GET /api/v1/orders/overdue) */
    report,
    gaugeHelp,
    /**
     * gauges for /metrics: `edigw_overdue_<name> <count>`. A result younger than gaugeMaxAgeMs is
     * reused, and concurrent scrapes share one computation; a failed computation is not kept.
     */
    async gauges(): Promise<Record<string, number>> {
      const now = deps.now().getTime();
      // a clock set back (tests) makes the cached result unusable, as does age
      if (cached && now >= cached.at && now - cached.at < maxAgeMs) return { ...cached.gauges };
      inFlight ??= computeGauges().finally(() => { inFlight = undefined; });
      return { ...(await inFlight) };
    },
  };
}

export type OverdueMonitor = ReturnType<typeof createOverdueMonitor>;
