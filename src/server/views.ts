import type { DocumentRow, ExceptionRow, MessageRow } from '../db/schema.ts';
import type { MessageOutcome } from '../pipeline/inbound/process-message.ts';

/** What the HTTP API shows of stored rows: no raw bytes inline, JSON columns parsed. */
export function messageView(m: MessageRow) {
  return {
    id: m.id, status: m.status, partnerId: m.partnerId, direction: m.direction, transport: m.transport,
    receivedAt: m.receivedAt, updatedAt: m.updatedAt, format: m.format, size: m.size, contentSha256: m.contentSha256,
    correlationId: m.correlationId, duplicateOf: m.duplicateOf, metadata: JSON.parse(m.metadata) as Record<string, string>,
    // retention (src/retention): raw bytes moved to the file store / deleted
    ...(m.archivedAt ? { archivedAt: m.archivedAt } : {}), ...(m.purgedAt ? { purgedAt: m.purgedAt } : {}),
  };
}

export function documentView(d: DocumentRow) {
  return {
    id: d.id, type: d.type, status: d.status, partnerId: d.partnerId, messageId: d.messageId, businessKey: d.businessKey,
    correlationId: d.correlationId, test: d.test, createdAt: d.createdAt, deliveredAt: d.deliveredAt, leaseCount: d.leaseCount,
    envelope: JSON.parse(d.envelope) as unknown,
  };
}

export function exceptionView(e: ExceptionRow) {
  return {
    id: e.id, messageId: e.messageId, documentId: e.documentId, partnerId: e.partnerId, stage: e.stage, code: e.code,
    message: e.message, detail: JSON.parse(e.detail) as unknown, status: e.status, createdAt: e.createdAt,
    resolvedAt: e.resolvedAt, resolvedBy: e.resolvedBy,
  };
}

export function outcomeView(o: MessageOutcome) {
  return {
    messageId: o.messageId,
    status: o.status,
    partnerId: o.partnerId,
    format: o.format,
    documents: o.units.filter((u) => u.envelope).map((u) => ({ ...u.envelope!, delivery: u.status })),
    ...(o.documentsNotShown ? { documentsNotShown: o.documentsNotShown, documentsLink: `/api/v1/messages/${o.messageId}` } : {}),
    errors: [
      ...o.errors,
      ...o.units.filter((u) => u.error).map((u) => ({ ...u.error!, unit: u.position })),
    ],
  };
}
