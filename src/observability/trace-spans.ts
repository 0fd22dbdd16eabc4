/**
 * The spans of a message's trace and their attributes, in one place: OpenTelemetry semantic
 * conventions where one fits (http.*, url.*, server.*, messaging.*, thread.id, error.type), the
 * gateway's own under `edigw.*` (edigw.partner, edigw.format, edigw.message_type, edigw.message_id,
 * edigw.document_id, ...). Never a secret (tokens, keys, headers) and never payload bytes.
 *
 * The trace of one message (span names; parents):
 *   edigw.intake (root: HTTP/AS2/portal SERVER, SFTP CONSUMER), its traceparent kept in the message's metadata
 *   ├─ edigw.process (the processing run; a replay adds another)
 *   │   ├─ edigw.split (the format's reader: the whole read of the interchange)
 *   │   ├─ edigw.unit (one document of the first MAX_TRACED_UNITS units)
 *   │   │   └─ edigw.identify, edigw.dedupe, edigw.translate (the mapping), edigw.validate, edigw.correlate, edigw.store
 *   │   └─ edigw.ack (the functional acks stored)
 *   │       └─ job ack.send (each attempt; job runner)
 *   ├─ (under edigw.unit) job erp.push (each attempt) └─ POST (CLIENT, the ERP; traceparent header sent)
 *   ├─ erp.feed.lease (the ERP pulled the document)
 *   └─ erp.feed.ack (the ERP acknowledged it)
 */
import type { InboundMessage } from '../core/ingest.ts';
import { inSpan, type SpanOptions, traceparentOf, tracingOn } from './tracing.ts';

/** units of one message that get their own spans; the rest are counted on edigw.process (edigw.units_not_traced) */
export const MAX_TRACED_UNITS = 100;

const HTTP_ROUTES: Partial<Record<InboundMessage['transport'], string>> = { http: '/api/v1/inbound', upload: '/api/v1/inbound', as2: '/as2' };

export function intakeSpan(m: InboundMessage, messageId: string, size: number): SpanOptions {
  const overHttp = m.transport !== 'sftp';
  const route = HTTP_ROUTES[m.transport];
  return {
    root: true,
    kind: overHttp ? 'server' : 'consumer',
    attributes: {
      'messaging.system': 'edigw', 'messaging.operation.type': 'receive', 'messaging.operation.name': 'intake',
      'messaging.destination.name': m.transport, 'messaging.message.id': messageId, 'messaging.message.body.size': size,
      ...(overHttp && route ? { 'http.request.method': 'POST', 'http.route': route } : {}),
      ...(m.transport === 'sftp' && m.metadata.remoteHost ? { 'server.address': m.metadata.remoteHost } : {}),
      'edigw.message_id': messageId, 'edigw.transport': m.transport, 'edigw.partner': m.partnerId,
      'edigw.message_type': m.metadata.message,
    },
  };
}

export function processSpan(messageId: string, traceparent: string | undefined, attrs: { partnerId: string | null; transport: string; by?: string; thread?: number }): SpanOptions {
  return {
    kind: 'consumer',
    ...(traceparent ? { parent: traceparent } : { root: true }),
    attributes: {
      'messaging.system': 'edigw', 'messaging.operation.type': 'process', 'messaging.operation.name': 'process', 'messaging.message.id': messageId,
      'edigw.message_id': messageId, 'edigw.partner': attrs.partnerId ?? undefined, 'edigw.transport': attrs.transport,
      ...(attrs.by && attrs.by !== 'system' ? { 'edigw.replayed_by': attrs.by } : {}),
    },
  };
}

/** a job attempt run by the job runner (ack.send, erp.push, partner.send, ...), child of the span that enqueued it */
export function jobSpan(job: { id: number; kind: string; queue: string; attempts: number; partnerId: string | null; payload: unknown }, traceparent: string): SpanOptions {
  const p = job.payload as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    kind: 'consumer', parent: traceparent,
    attributes: {
      'messaging.system': 'edigw', 'messaging.operation.type': 'process', 'messaging.operation.name': job.kind,
      'messaging.destination.name': job.queue, 'messaging.message.id': String(job.id),
      'edigw.job.kind': job.kind, 'edigw.job.attempt': job.attempts, 'edigw.partner': job.partnerId ?? undefined,
      'edigw.message_id': str(p.messageId), 'edigw.document_id': str(p.documentId),
    },
  };
}

/** the feed's hand-out or acknowledgement of one document, in its message's trace */
export function feedSpan(op: 'lease' | 'ack', d: { documentId: string; messageId: string; partnerId: string; type: string; traceparent: string }, batch: number): SpanOptions {
  return {
    kind: 'server', parent: d.traceparent,
    attributes: {
      'http.request.method': op === 'lease' ? 'GET' : 'POST', 'http.route': op === 'lease' ? '/api/v1/erp/documents' : '/api/v1/erp/documents/ack',
      'messaging.system': 'edigw', 'messaging.operation.type': op === 'lease' ? 'receive' : 'settle', 'messaging.operation.name': op,
      'messaging.destination.name': 'erp.feed', 'messaging.message.id': d.documentId, 'messaging.batch.message_count': batch,
      'edigw.document_id': d.documentId, 'edigw.message_id': d.messageId, 'edigw.partner': d.partnerId, 'edigw.document_type': d.type,
    },
  };
}

/** a job's attempt in a child span of the span that enqueued it (its payload's traceparent); just `fn()` otherwise */
export function inJobSpan<T>(job: Parameters<typeof jobSpan>[0], fn: () => Promise<T>): Promise<T> {
  const traceparent = tracingOn() ? traceparentOf(job.payload) : undefined;
  if (!traceparent) return fn();
  return Promise.resolve(inSpan(`job ${job.kind}`, jobSpan(job, traceparent), fn));
}

/** the ERP push's HTTP request (CLIENT), inside its erp.push job span; no query string (it may carry a token) */
export function erpPushSpan(url: URL, documentId: string): SpanOptions {
  return {
    kind: 'client',
    attributes: {
      'http.request.method': 'POST', 'server.address': url.hostname, 'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      'url.scheme': url.protocol.replace(':', ''), 'url.path': url.pathname, 'edigw.document_id': documentId,
    },
  };
}
