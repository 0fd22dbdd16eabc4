/**
 * The timeline of a purchase order: every document correlated to the PO number (the PO, 855s,
 * 856s, 810s), the functional acks we sent for them, the outbound PO's send outcome (sent, MDN)
 * and the partner's 997/999, exceptions, and deliveries to the ERP, oldest first.
 * Built only from existing store queries.
 */
import type { DocumentRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import { ackJobId, parseOutcome, sendJobId } from './jobs.ts';

export interface TimelineEvent {
  at: string;
  kind: 'document' | 'sent' | 'mdn' | 'functional_ack_received' | 'functional_ack_sent' | 'exception' | 'delivered_to_erp';
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
  /** where the order stands: the latest of ordered, acknowledged, shipped, invoiced */
  stage: 'unknown' | 'ordered' | 'acknowledged' | 'shipped' | 'invoiced';
}

const stageOf: Record<string, OrderTimeline['stage']> = { purchase_order: 'ordered', purchase_order_ack: 'acknowledged', ship_notice: 'shipped', invoice: 'invoiced' };
const rank: OrderTimeline['stage'][] = ['unknown', 'ordered', 'acknowledged', 'shipped', 'invoiced'];

export async function orderTimeline(store: Store, poNumber: string): Promise<OrderTimeline | undefined> {
  const byId = new Map<string, DocumentRow>();
  for (const d of await store.documentsByCorrelation(poNumber)) byId.set(d.id, d);
  for (const d of await store.findDocuments({ businessKey: poNumber, limit: 100 })) byId.set(d.id, d);
  const docs = [...byId.values()].sort((a, b) => a.seq - b.seq);
  if (docs.length === 0) return undefined;
  const events: TimelineEvent[] = [];
  const seenMessages = new Set<string>();
  let stage: OrderTimeline['stage'] = 'unknown';
  for (const d of docs) {
    const s = stageOf[d.type] ?? 'unknown';
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
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    poNumber,
    documents: docs.map((d) => ({ id: d.id, type: d.type, direction: d.direction, partnerId: d.partnerId, businessKey: d.businessKey, status: d.status, messageId: d.messageId, createdAt: d.createdAt })),
    events,
    stage,
  };
}

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
