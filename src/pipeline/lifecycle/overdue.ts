/**
 * Overdue orders: outbound POs without a 997/999 within the partner's `acks.expectWithinMinutes`,
 * outbound POs without an 855 within a window, ship notices without an invoice within a window,
 * ship notices of a supplier whose goods a warehouse receives (rules.matchInvoiceTo: received)
 * without a receipt after rules.receiptOverdueDays, and shipments whose latest carrier milestone is
 * an exception (delayed, damaged, refused) or whose estimated delivery passed without a delivery.
 * Built on existing store queries (pending functional_ack jobs; documents by type and correlation).
 */
import type { CanonicalEnvelope } from '../../canonical/types.ts';
import type { PartnerProfile } from '../../config/types.ts';
import type { DocumentRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import { EXCEPTION_EVENTS, milestoneKey, sameNumber } from './correlate/refs.ts';
import { ACK_TARGET } from '../outbound/jobs.ts';
import type { OutboundConfig } from '../outbound/types.ts';

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
  reason: 'functional_ack_missing' | 'po_ack_missing' | 'invoice_missing' | 'receipt_missing' | 'shipment_exception' | 'shipment_late';
  partnerId: string;
  poNumber?: string;
  shipmentId?: string;
  documentId: string;
  since: string;
  dueAt: string;
  windowMinutes: number;
  /** shipment_exception / shipment_late: the latest milestone (status code as sent, event, when it happened, ETA) */
  milestone?: { statusCode: string; event?: string; reasonCode?: string; occurredAt: string; estimatedDeliveryAt?: string };
}

export interface OverdueReport {
  at: string;
  functionalAckMissing: OverdueItem[];
  poAckMissing: OverdueItem[];
  invoiceMissing: OverdueItem[];
  /** ship notices a warehouse has not reported received (suppliers with matchInvoiceTo: received) */
  receiptMissing: OverdueItem[];
  /** shipments whose latest milestone is an exception, or whose estimated delivery passed undelivered */
  shipmentExceptions: OverdueItem[];
}

/** rows read per query of the scans below: the newest `limit` documents of a type are read a page at a time, never all at once */
const SCAN_PAGE = 200;

/**
 * The newest `limit` documents of `type`, newest first, a page at a time: a scan of 5,000 purchase
 * orders of 100 lines held every row's envelope at once (66 MB of the main thread's heap during a
 * 1 GB interchange, each time the event sweep or /metrics ran the report).
 */
async function* newest(store: Store, type: string, limit: number): AsyncGenerator<DocumentRow> {
  let before: number | undefined;
  for (let left = limit; left > 0;) {
    const page = await store.findDocuments({ type, limit: Math.min(SCAN_PAGE, left), ...(before !== undefined ? { before } : {}) });
    for (const row of page) yield row;
    if (page.length < Math.min(SCAN_PAGE, left)) return;
    left -= page.length;
    before = page.at(-1)!.seq;
  }
}

/** what the report reads of a partner's rules (PartnerProfile's; the outbound config carries whole profiles) */
type RulesOf = (partnerId: string) => PartnerProfile['rules'] | undefined;
const DEFAULT_RECEIPT_OVERDUE_DAYS = 5;

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
    overdue_receipts: `Ship notices without a warehouse receipt past the supplier's rules.receiptOverdueDays (newest ${w.scanLimit} ship notices scanned).${staleness}`,
    overdue_shipment_exceptions: `Shipments whose latest carrier milestone is delayed, damaged, refused or an exception, or whose estimated delivery passed (newest ${w.scanLimit} status documents scanned).${staleness}`,
  };
  const rulesOf: RulesOf = (id) => (deps.config().partner(id) as { rules?: PartnerProfile['rules'] } | undefined)?.rules;
  let cached: { at: number; gauges: Record<string, number> } | undefined;
  let inFlight: Promise<Record<string, number>> | undefined;
  const due = (since: string, minutes: number) => new Date(new Date(since).getTime() + minutes * 60_000);

  async function report(): Promise<OverdueReport> {
    const { store } = deps;
    const now = deps.now();
    const out: OverdueReport = { at: now.toISOString(), functionalAckMissing: [], poAckMissing: [], invoiceMissing: [], receiptMissing: [], shipmentExceptions: [] };
    for (const partnerId of await store.deliveryPartners(ACK_TARGET)) {
      const minutes = deps.config().partner(partnerId)?.acks?.expectWithinMinutes ?? w.functionalAckMinutes;
      for (const job of await store.pendingDeliveries(ACK_TARGET, partnerId, w.scanLimit)) {
        const dueAt = due(job.createdAt, minutes);
        if (dueAt > now) continue;
        const env = JSON.parse(job.envelope) as CanonicalEnvelope<'purchase_order'>;
        out.functionalAckMissing.push({ reason: 'functional_ack_missing', partnerId, poNumber: env.document.poNumber, documentId: job.documentId, since: job.createdAt, dueAt: dueAt.toISOString(), windowMinutes: minutes });
      }
    }
    for await (const po of newest(store, 'purchase_order', w.scanLimit)) {
      if (po.direction !== 'outbound' || !po.businessKey) continue;
      const dueAt = due(po.createdAt, w.poAckMinutes);
      if (dueAt > now) continue;
      const related = await store.documentsByCorrelation(po.businessKey);
      if (related.some((d) => d.type === 'purchase_order_ack' && d.partnerId === po.partnerId)) continue;
      out.poAckMissing.push({ reason: 'po_ack_missing', partnerId: po.partnerId, poNumber: po.businessKey, documentId: po.id, since: po.createdAt, dueAt: dueAt.toISOString(), windowMinutes: w.poAckMinutes });
    }
    for await (const asn of newest(store, 'ship_notice', w.scanLimit)) {
      await receiptMissing(store, asn, now, out);
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
    await shipmentExceptions(store, now, out);
    return out;
  }

  /** a ship notice of a supplier whose goods a warehouse receives, without a receipt naming it (or its PO) in time */
  async function receiptMissing(store: Store, asn: DocumentRow, now: Date, out: OverdueReport) {
    const rules = rulesOf(asn.partnerId);
    if (rules?.matchInvoiceTo !== 'received') return;
    const minutes = (rules.receiptOverdueDays ?? DEFAULT_RECEIPT_OVERDUE_DAYS) * 24 * 60;
    const dueAt = due(asn.createdAt, minutes);
    if (dueAt > now) return;
    const env = JSON.parse(asn.envelope) as CanonicalEnvelope<'ship_notice'>;
    const shipmentId = env.document.shipmentId;
    const poNumbers = [...new Set((env.document.orders ?? []).map((o) => o.poNumber).filter((p): p is string => typeof p === 'string'))];
    let received = false;
    for (const po of poNumbers) {
      for (const d of await store.documentsByCorrelation(po)) {
        if (d.type !== 'receipt') continue;
        const r = (JSON.parse(d.envelope) as CanonicalEnvelope<'receipt'>).document;
        if (sameNumber(r.asnNumber, shipmentId) || !r.asnNumber?.trim()) { received = true; break; }
      }
      if (received) break;
    }
    if (received) return;
    out.receiptMissing.push({ reason: 'receipt_missing', partnerId: asn.partnerId, shipmentId, ...(poNumbers[0] ? { poNumber: poNumbers[0] } : {}),
      documentId: asn.id, since: asn.createdAt, dueAt: dueAt.toISOString(), windowMinutes: minutes });
  }

  /** per shipment of the newest status documents: its latest milestone by when it happened */
  async function shipmentExceptions(store: Store, now: Date, out: OverdueReport) {
    const latest = new Map<string, { m: OverdueItem['milestone'] & object; at: number; row: { id: string; partnerId: string; correlationId: string | null; createdAt: string }; shipmentId: string }>();
    const seen = new Set<string>();
    for await (const row of newest(store, 'shipment_status', w.scanLimit)) {
      const s = (JSON.parse(row.envelope) as CanonicalEnvelope<'shipment_status'>).document;
      for (const m of s.milestones ?? []) {
        if (seen.has(milestoneKey(s.shipmentId, m))) continue;
        seen.add(milestoneKey(s.shipmentId, m));
        const at = Date.parse(m.occurredAt);
        const key = s.shipmentId.trim().toUpperCase();
        const had = latest.get(key);
        if (Number.isNaN(at) || (had && had.at >= at)) continue;
        latest.set(key, { at, row, shipmentId: s.shipmentId, m: {
          statusCode: m.statusCode, occurredAt: m.occurredAt, ...(m.event ? { event: m.event } : {}), ...(m.reasonCode ? { reasonCode: m.reasonCode } : {}),
          ...(m.estimatedDeliveryAt ? { estimatedDeliveryAt: m.estimatedDeliveryAt } : {}),
        } });
      }
    }
    for (const { m, row, shipmentId } of latest.values()) {
      const item = { partnerId: row.partnerId, shipmentId, ...(row.correlationId ? { poNumber: row.correlationId } : {}), documentId: row.id, milestone: m, windowMinutes: 0 };
      if (m.event && EXCEPTION_EVENTS.has(m.event)) {
        out.shipmentExceptions.push({ reason: 'shipment_exception', ...item, since: m.occurredAt, dueAt: m.occurredAt });
      } else if (m.event !== 'delivered' && m.estimatedDeliveryAt && Date.parse(m.estimatedDeliveryAt) < now.getTime()) {
        out.shipmentExceptions.push({ reason: 'shipment_late', ...item, since: m.occurredAt, dueAt: m.estimatedDeliveryAt });
      }
    }
  }

  async function computeGauges(): Promise<Record<string, number>> {
    const at = deps.now().getTime();
    const r = await report();
    const gauges = {
      overdue_functional_acks: r.functionalAckMissing.length, overdue_po_acks: r.poAckMissing.length, overdue_invoices: r.invoiceMissing.length,
      overdue_receipts: r.receiptMissing.length, overdue_shipment_exceptions: r.shipmentExceptions.length,
    };
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
