/**
 * Which business events a state change emits, built where the change is written so they commit in
 * its transaction (the store writes them: NewDocument.events, addException, resolveExceptions,
 * updateMessage to 'failed'). Sweeps (sweep.ts) emit the facts no write records: ack.overdue,
 * certificate.expiring, partner.poller_down.
 *
 * To emit another event:
 *   - with a document: put `newEvent({ type, ... })` in the NewDocument's `events` (documentEvents below)
 *     (written when the document is created or replaced, in its transaction);
 *   - on its own: `await store.events.append(null, [newEvent({...})])`.
 * Either way the event is published to every subscriber of its type by the job runner.
 */
import type { CanonicalEnvelope } from '../canonical/types.ts';
import type { NewException } from '../db/store.ts';
import type { NewEvent } from './event-store.ts';
import { newEvent } from './envelope.ts';

/** a released document's event as sent carries the canonical envelope up to this size; a larger one only its link */
export const INLINE_DOCUMENT_MAX_BYTES = 256 * 1024;

/**
 * document.released events as sinks and the log's API give them: with the document's canonical
 * envelope as it is stored now (`data.document`), up to INLINE_DOCUMENT_MAX_BYTES, else
 * `data.documentOmitted` and the link. One read by primary key per such event.
 */
export async function withDocuments<E extends { type: string; documentId: string | null; data: Record<string, unknown> }>(
  events: E[], getDocument: (id: string) => Promise<{ envelope: string } | undefined>,
): Promise<E[]> {
  const out: E[] = [];
  for (const e of events) {
    if (e.type !== 'document.released' || e.documentId === null) { out.push(e); continue; }
    const row = await getDocument(e.documentId);
    const size = row ? Buffer.byteLength(row.envelope) : 0;
    out.push({ ...e, data: { ...e.data, ...(row && size <= INLINE_DOCUMENT_MAX_BYTES ? { document: JSON.parse(row.envelope) as unknown }
      : { documentOmitted: row ? `${size} bytes, larger than ${INLINE_DOCUMENT_MAX_BYTES}: read it at the link` : 'the document is no longer stored' }) } });
  }
  return out;
}

export const documentLink = (id: string) => `/api/v1/documents/${encodeURIComponent(id)}`;

export interface DocumentFacts {
  envelope: CanonicalEnvelope;
  /** held by the correlate stage (an exception), not released */
  held: boolean;
  /** what the correlate stage found: holds (violations) and warnings, by code */
  findings: Array<{ code: string; message: string; detail?: Record<string, unknown> }>;
  at: string;
}

/** the events of an inbound document stored (created or replaced): written in its transaction */
export function documentEvents(f: DocumentFacts): NewEvent[] {
  const e = f.envelope;
  const base = { at: f.at, partnerId: e.partnerId, correlationId: e.correlationId ?? null, documentId: e.id, documentType: e.type };
  const out: NewEvent[] = [];
  const doc = e.document as unknown as Record<string, unknown>;
  const findings = f.findings.map((x) => ({ code: x.code, message: x.message, ...(x.detail ? { detail: x.detail } : {}) }));
  // the envelope is not copied into the log (it would store every document twice): a sink adds it
  // when it sends the event (withDocuments), read from the document row
  if (!f.held) {
    out.push(newEvent({ ...base, type: 'document.released', data: { documentId: e.id, documentType: e.type, messageId: e.source?.messageId ?? null, link: documentLink(e.id) } }));
  }
  if (e.type === 'purchase_order_ack') {
    const status = String(doc.status ?? '');
    const lines = Array.isArray(doc.lines) ? doc.lines as Array<Record<string, unknown>> : [];
    out.push(newEvent({ ...base, type: 'order.acknowledged', data: { poNumber: doc.poNumber ?? null, status, lines: lines.length, held: f.held } }));
    const changes = findings.filter((x) => x.code.startsWith('ack_changed_'));
    const changedLines = lines.filter((l) => l.status === 'changed' || l.status === 'rejected' || l.status === 'backordered');
    if (status === 'accepted_with_changes' || changes.length > 0 || changedLines.length > 0) {
      out.push(newEvent({ ...base, type: 'order.changed', data: {
        poNumber: doc.poNumber ?? null, status, changes,
        lines: changedLines.map((l) => ({ lineNumber: l.lineNumber ?? null, status: l.status })),
      } }));
    }
  } else if (e.type === 'ship_notice') {
    const orders = Array.isArray(doc.orders) ? doc.orders as Array<Record<string, unknown>> : [];
    out.push(newEvent({ ...base, type: 'shipment.noticed', data: {
      shipmentId: doc.shipmentId ?? null, shipDate: doc.shipDate ?? null, poNumbers: orders.map((o) => o.poNumber).filter((p) => typeof p === 'string'),
      held: f.held, warnings: findings,
    } }));
  } else if (e.type === 'receipt') {
    const lines = Array.isArray(doc.lines) ? doc.lines as Array<Record<string, unknown>> : [];
    const data = { receiptNumber: doc.receiptNumber ?? null, receiptDate: doc.receiptDate ?? null, poNumber: doc.poNumber ?? null, asnNumber: doc.asnNumber ?? null };
    out.push(newEvent({ ...base, type: 'receipt.posted', subject: String(doc.receiptNumber ?? e.id), data: { ...data, lines: lines.length, held: f.held } }));
    // what the receipt rules found against the ASN or PO (short, over, damaged, unexpected item, lot, unit, unknown ASN)
    const discrepancies = findings.filter((x) => x.code.startsWith('receipt_'));
    if (discrepancies.length > 0) {
      out.push(newEvent({ ...base, type: 'receipt.discrepancy', subject: String(doc.receiptNumber ?? e.id), data: { ...data, held: f.held, discrepancies } }));
    }
  } else if (e.type === 'invoice') {
    const data = { invoiceNumber: doc.invoiceNumber ?? null, poNumber: doc.poNumber ?? null, totalAmount: doc.totalAmount ?? null, currency: doc.currency ?? null };
    out.push(f.held
      ? newEvent({ ...base, type: 'invoice.held', data: { ...data, reasons: findings } })
      : newEvent({ ...base, type: 'invoice.matched', data: { ...data, warnings: findings } }));
  }
  return out;
}

const REJECTED_ACK_CODES = new Set(['x12_functional_ack_rejected', 'edifact_contrl_rejected']);

/** exception.opened, and ack.rejected for a partner's functional ack that rejected what we sent */
export function exceptionEvents(x: NewException): NewEvent[] {
  const base = { at: x.at, partnerId: x.partnerId, documentId: x.documentId ?? null, correlationId: typeof x.detail.correlationId === 'string' ? x.detail.correlationId : null };
  const out = [newEvent({ ...base, type: 'exception.opened', subject: x.id, data: {
    exceptionId: x.id, messageId: x.messageId, documentId: x.documentId ?? null, stage: x.stage, code: x.code, message: x.message,
    link: `/api/v1/exceptions/${encodeURIComponent(x.id)}`,
  } })];
  if (REJECTED_ACK_CODES.has(x.code)) {
    out.push(newEvent({ ...base, type: 'ack.rejected', subject: x.messageId, data: { messageId: x.messageId, documentId: x.documentId ?? null, code: x.code, message: x.message, detail: x.detail } }));
  }
  return out;
}

/** exception.resolved: the open exceptions of a message replayed or discarded (written when any were) */
export function exceptionsResolvedEvent(r: { messageId: string; partnerId: string | null; status: 'replayed' | 'discarded'; by: string; count: number; at: string }): NewEvent {
  return newEvent({ type: 'exception.resolved', at: r.at, partnerId: r.partnerId, subject: r.messageId, data: {
    messageId: r.messageId, resolution: r.status, by: r.by, exceptions: r.count, link: `/api/v1/messages/${encodeURIComponent(r.messageId)}`,
  } });
}

/** message.failed: a message's processing (or intake) ended failed; its exceptions say why */
export function messageFailedEvent(m: { messageId: string; partnerId: string | null; at: string }): NewEvent {
  return newEvent({ type: 'message.failed', at: m.at, partnerId: m.partnerId, subject: m.messageId, data: {
    messageId: m.messageId, link: `/api/v1/messages/${encodeURIComponent(m.messageId)}`,
  } });
}
