/**
 * The partner outbox: what waits for a partner that collects (the pickup channel, or an http
 * partner's non-cXML documents): our purchase orders and functional acks once their send job
 * found nothing to send ("stored"), and the disposition of each of the partner's own messages
 * (processed or failed, its documents, its errors). The partner pulls it under a lease and acks it
 * (GET/POST /api/v1/partner/outbox, routes-partner.ts), as the ERP pulls its feed; what is not
 * acked comes back after the lease. An order is `delivered` only when the partner acks it.
 */
import type { Store } from '../db/store.ts';
import type { MessageRow } from '../db/schema.ts';
import type { MessageOutcome } from '../pipeline/inbound/process-message.ts';
import { parseOutcome, sendJobId } from '../pipeline/outbound/jobs.ts';
import type { OutboxKind, OutboxRow } from './portal-store.ts';

/** an outbox item's id: stable per (partner, kind, message), so a re-offered item keeps it */
export const outboxItemId = (kind: OutboxKind, messageId: string): string => `obx_${kind === 'purchase_order' ? 'po' : kind === 'functional_ack' ? 'ack' : 'disp'}_${messageId}`;

/** a stored outbound message (PO or ack) the send job found nothing to send for: the partner collects it */
export async function offerStoredMessage(store: Store, msg: MessageRow, documentId: string | null, at: string): Promise<void> {
  if (!msg.partnerId) return;
  const meta = JSON.parse(msg.metadata) as Record<string, string>;
  const kind: OutboxKind = msg.transport === 'ack' ? 'functional_ack' : 'purchase_order';
  const summary = kind === 'functional_ack'
    ? { ack: meta.kind ?? 'ack', ackFor: meta.ackFor, interchangeControlNumber: meta.interchangeControlNumber, contentType: meta.contentType }
    : { poNumber: meta.poNumber, format: meta.format, message: meta.message, fileName: meta.fileName, contentType: meta.contentType, interchangeControlNumber: meta.interchangeControlNumber };
  await store.portal.offerOutbox({ id: outboxItemId(kind, msg.id), partnerId: msg.partnerId, kind, messageId: msg.id, documentId, summary, test: msg.test, at });
}

/** whether a partner collects what we have for it (no channel, pickup, or http: its non-cXML documents wait for pickup) */
export function collects(partner: { outbound?: { channel?: string } } | undefined): boolean {
  const channel = partner?.outbound?.channel ?? 'pickup';
  return channel === 'pickup' || channel === 'http';
}

/** what happened to one of the partner's messages, for its outbox */
export async function offerDisposition(store: Store, outcome: MessageOutcome, at: string, test: boolean): Promise<void> {
  if (!outcome.partnerId) return;
  const summary = {
    status: outcome.status, format: outcome.format,
    documents: outcome.units.filter((u) => u.documentId && u.type).slice(0, 100).map((u) => ({ id: u.documentId, type: u.type, status: u.status, businessKey: u.envelope ? businessKeyOf(u.envelope.document) : undefined })),
    errors: [...outcome.errors, ...outcome.units.filter((u) => u.error).map((u) => ({ ...u.error!, unit: u.position }))].slice(0, 20)
      .map((e) => ({ stage: e.stage, code: e.code, message: e.message })),
  };
  await store.portal.offerOutbox({ id: outboxItemId('disposition', outcome.messageId), partnerId: outcome.partnerId, kind: 'disposition', messageId: outcome.messageId, summary, test, at });
}

function businessKeyOf(doc: unknown): string | undefined {
  const d = doc as Record<string, unknown> | undefined;
  const k = d?.poNumber ?? d?.shipmentId ?? d?.invoiceNumber;
  return typeof k === 'string' ? k : undefined;
}

/**
 * What an ack of the partner changes: a purchase order it collected is delivered (its send
 * tracking row, which the pickup channel leaves pending), with an audit entry per item.
 */
export async function settleCollected(store: Store, rows: OutboxRow[], actor: string, at: string): Promise<void> {
  for (const r of rows) {
    if (r.kind === 'purchase_order' && r.documentId) {
      const tracking = await store.getDeliveryJob(sendJobId(r.documentId));
      if (tracking && tracking.status === 'pending') {
        const before = parseOutcome(tracking.lastError) ?? {};
        const outcome = { ...before, status: 'collected', detail: `collected by ${r.partnerId} (outbox item ${r.id})`, collectedAt: at, at };
        await store.updateDelivery(tracking.id, { status: 'delivered', leaseUntil: null, lastError: JSON.stringify(outcome) }, at);
      }
    }
  }
  if (rows.length > 0) {
    await store.audit({ at, actor, action: 'partner_outbox_ack', subject: rows[0]!.partnerId, detail: { items: rows.map((r) => ({ id: r.id, kind: r.kind, messageId: r.messageId })) } });
  }
}

/** the item as the partner sees it */
export function outboxItemView(r: OutboxRow) {
  const links = { raw: r.kind === 'disposition' ? undefined : `/api/v1/messages/${r.messageId}/raw`, message: r.kind === 'disposition' ? `/api/v1/messages/${r.messageId}` : undefined };
  return {
    id: r.id, kind: r.kind, messageId: r.messageId, ...(r.documentId ? { documentId: r.documentId } : {}), status: r.status,
    ...(r.test ? { test: true } : {}), createdAt: r.createdAt, ...(r.deliveredAt ? { deliveredAt: r.deliveredAt } : {}), leaseCount: r.leaseCount,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
    links: Object.fromEntries(Object.entries(links).filter(([, v]) => v)),
  };
}
