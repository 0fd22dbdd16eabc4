/**
 * The timeline of a purchase order: every document correlated to the PO number (the PO, 855s,
 * 856s, warehouse receipts, 810s; a warehouse order's 940, 945s), the functional acks we sent for
 * them, the outbound PO's send outcome (sent, MDN) and the partner's 997/999, exceptions,
 * deliveries to the ERP, and the carriers' milestones of its shipments: each once (the same
 * shipment, status code and instant reported again is shown once), at the time it happened, not
 * when its status message arrived. Oldest first. Built only from existing store queries.
 */
import type { CanonicalEnvelope, ShipmentMilestone } from '../../canonical/types.ts';
import { EXCEPTION_EVENTS, milestoneKey } from './correlate/refs.ts';
import type { DocumentRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import { ackJobId, parseOutcome, sendJobId } from '../outbound/jobs.ts';

export interface TimelineEvent {
  at: string;
  kind: 'document' | 'sent' | 'mdn' | 'functional_ack_received' | 'functional_ack_sent' | 'exception' | 'delivered_to_erp' | 'milestone';
  summary: string;
  partnerId: string | null;
  documentId?: string;
  messageId?: string;
  detail?: Record<string, unknown>;
}

export interface OrderTimeline {
  poNumber: string;
  documents: Array<{ id: string; type: string; direction: string; partnerId: string; businessKey: string | null; status: string; messageId: string; createdAt: string }>;
  events: TimelineEvent[];
  /** the carriers' milestones of the order's shipments, once each, in the order they happened */
  milestones: OrderMilestone[];
  /** where the order stands: the latest of ordered, acknowledged, shipped, delivered (a carrier said so), received (a warehouse's receipt), invoiced */
  stage: 'unknown' | 'ordered' | 'acknowledged' | 'shipped' | 'delivered' | 'received' | 'invoiced';
}

export interface OrderMilestone extends ShipmentMilestone {
  shipmentId: string;
  /** the status document that reported it first */
  documentId: string;
  partnerId: string;
  /** delayed, damaged, refused or exception: the overdue report lists the shipment while this is its latest milestone */
  exception: boolean;
}

const stageOf: Record<string, OrderTimeline['stage']> = {
  purchase_order: 'ordered', purchase_order_ack: 'acknowledged', ship_notice: 'shipped', receipt: 'received', invoice: 'invoiced',
  warehouse_order: 'ordered', warehouse_shipment: 'shipped',
};
const rank: OrderTimeline['stage'][] = ['unknown', 'ordered', 'acknowledged', 'shipped', 'delivered', 'received', 'invoiced'];

export async function orderTimeline(store: Store, poNumber: string): Promise<OrderTimeline | undefined> {
  const byId = new Map<string, DocumentRow>();
  for (const d of await store.documentsByCorrelation(poNumber)) byId.set(d.id, d);
  for (const d of await store.findDocuments({ businessKey: poNumber, limit: 100 })) byId.set(d.id, d);
  const docs = [...byId.values()].sort((a, b) => a.seq - b.seq);
  if (docs.length === 0) return undefined;
  const events: TimelineEvent[] = [];
  const seenMessages = new Set<string>();
  const milestones = new Map<string, OrderMilestone>();
  let stage: OrderTimeline['stage'] = 'unknown';
  for (const d of docs) {
    if (d.type === 'shipment_status') addMilestones(milestones, d);
    const s = stageOf[d.type] ?? (d.type === 'shipment_status' && [...milestones.values()].some((m) => m.event === 'delivered') ? 'delivered' : 'unknown');
    if (rank.indexOf(s) > rank.indexOf(stage)) stage = s;
    events.push({ at: d.createdAt, kind: 'document', partnerId: d.partnerId, documentId: d.id, messageId: d.messageId,
      summary: `${d.direction} ${d.type} ${d.businessKey ?? ''}`.trim(), detail: { status: d.status, ...sourceOf(d) } });
    if (d.deliveredAt && d.direction === 'inbound') {
      events.push({ at: d.deliveredAt, kind: 'delivered_to_erp', partnerId: d.partnerId, documentId: d.id, summary: `${d.type} ${d.businessKey ?? ''} delivered to the ERP`.trim() });
    }
    const send = parseOutcome((await store.getDeliveryJob(sendJobId(d.id)))?.lastError);
    if (send) {
      events.push({ at: String(send.at ?? d.createdAt), kind: 'sent', partnerId: d.partnerId, documentId: d.id, messageId: d.messageId, summary: `send over ${String(send.channel)}: ${String(send.status)}${cxmlNote(send.cxml)}`, detail: send });
      if (send.mdn) events.push({ at: String(send.at ?? d.createdAt), kind: 'mdn', partnerId: d.partnerId, documentId: d.id, summary: `MDN ${String(send.status)}`, detail: send.mdn as Record<string, unknown> });
    }
    const ackJob = await store.getDeliveryJob(ackJobId(d.id));
    const fack = ackJob && ackJob.status !== 'pending' ? parseOutcome(ackJob.lastError) : undefined;
    if (fack) {
      events.push({ at: String(fack.at ?? ackJob!.updatedAt), kind: 'functional_ack_received', partnerId: d.partnerId, documentId: d.id,
        messageId: typeof fack.ackMessageId === 'string' ? fack.ackMessageId : undefined, summary: `${String(fack.type)} ${String(fack.ackStatus)} for group ${String(fack.groupControlNumber)}`, detail: fack });
    }
    if (!seenMessages.has(d.messageId)) {
      seenMessages.add(d.messageId);
      for (const r of await store.relatedMessages(d.messageId)) {
        const meta = JSON.parse(r.metadata) as Record<string, string>;
        events.push({ at: r.receivedAt, kind: 'functional_ack_sent', partnerId: r.partnerId, messageId: r.id, summary: `${meta.kind ?? 'ack'} sent for message ${d.messageId}`, detail: meta });
      }
      for (const e of await store.listExceptions({ messageId: d.messageId, limit: 100 })) {
        events.push({ at: e.createdAt, kind: 'exception', partnerId: e.partnerId, messageId: e.messageId, ...(e.documentId ? { documentId: e.documentId } : {}),
          summary: `${e.stage}: ${e.code} (${e.status})`, detail: { id: e.id, stage: e.stage, code: e.code, message: e.message, status: e.status } });
      }
    }
  }
  const ordered = [...milestones.values()].sort((a, b) => instant(a.occurredAt) - instant(b.occurredAt));
  for (const m of ordered) {
    const where = m.location ? [m.location.name, m.location.city, m.location.region].filter(Boolean).join(', ') : '';
    events.push({ at: new Date(instant(m.occurredAt)).toISOString(), kind: 'milestone', partnerId: m.partnerId, documentId: m.documentId,
      summary: `shipment ${m.shipmentId}: ${m.event ?? 'status'} (${m.statusCode}${m.reasonCode ? `, reason ${m.reasonCode}` : ''})${where ? ` at ${where}` : ''}${m.exception ? ' — needs attention' : ''}`,
      detail: { ...m } });
  }
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    poNumber,
    documents: docs.map((d) => ({ id: d.id, type: d.type, direction: d.direction, partnerId: d.partnerId, businessKey: d.businessKey, status: d.status, messageId: d.messageId, createdAt: d.createdAt })),
    events,
    milestones: ordered,
    stage,
  };
}

/** a carrier status document's milestones, each once by (shipment, status code, instant): the first report wins */
function addMilestones(into: Map<string, OrderMilestone>, d: DocumentRow): void {
  let status: CanonicalEnvelope<'shipment_status'>['document'];
  try {
    status = (JSON.parse(d.envelope) as CanonicalEnvelope<'shipment_status'>).document;
  } catch {
    return;
  }
  for (const m of status.milestones ?? []) {
    const key = milestoneKey(status.shipmentId, m);
    if (into.has(key)) continue;
    into.set(key, { ...m, shipmentId: status.shipmentId, documentId: d.id, partnerId: d.partnerId, exception: m.event !== undefined && EXCEPTION_EVENTS.has(m.event) });
  }
}

const instant = (t: string): number => {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
};

function sourceOf(d: DocumentRow): Record<string, unknown> {
  try {
    const e = JSON.parse(d.envelope) as { source?: Record<string, unknown> };
    return e.source ? { source: e.source } : {};
  } catch {
    return {};
  }
}

/** ` (cXML 200 OK)` for a send over the http channel that got a cXML Response */
function cxmlNote(v: unknown): string {
  const c = v as { code?: unknown; text?: unknown } | undefined;
  return c && typeof c.code === 'number' ? ` (cXML ${c.code} ${String(c.text ?? '')})`.replace(' )', ')') : '';
}
