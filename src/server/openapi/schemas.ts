/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 takes them) of what the HTTP API answers: the views of
 * src/server/views.ts, the routes' own bodies, and the one error shape of src/server/errors.ts.
 * Objects allow more properties than listed (answers grow); what is listed is what a client may rely on.
 */
import { API_ERRORS } from '../errors.ts';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const nullableStr: Schema = { type: ['string', 'null'] };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullableDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({ type: 'object', required, properties });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
/** `next`: the cursor of the following page (pass as ?after=), null on the last page */
const next: Schema = { type: ['string', 'null'], description: 'pass as ?after= for the following page; null on the last page' };

const errorDetail: Schema = {
  type: 'object',
  description: 'more about the error, by code: partnerId, interchange/group/transaction control numbers, segment and element positions, expected/found, parameter (query_invalid), pointer (body_invalid), allowed (method_not_allowed)',
  properties: {
    partnerId: str, interchangeControlNumber: str, groupControlNumber: str, transactionControlNumber: str,
    segment: str, segmentPosition: { type: 'integer' }, elementPosition: { type: 'integer' }, componentPosition: { type: 'integer' },
    expected: str, found: str, parameter: str, pointer: str, allowed: arrayOf(str),
  },
};

/** the error body with the codes answered with `status` (one enum per status, from the vocabulary) */
export function errorSchemaFor(status: number): Schema {
  const codes = Object.entries(API_ERRORS).filter(([, e]) => e.status === status).map(([code]) => code);
  return obj({ error: obj({ code: { enum: codes }, message: str, detail: errorDetail }, ['code', 'message']) });
}

const pipelineError: Schema = obj({ stage: str, code: str, message: str, detail: { type: 'object' }, unit: { type: 'integer' } }, ['code', 'message']);

export const componentSchemas: Record<string, Schema> = {
  ErrorDetail: errorDetail,
  Message: obj({
    id: str, status: str, partnerId: nullableStr, direction: { enum: ['inbound', 'outbound'] }, transport: str,
    receivedAt: dateTime, updatedAt: dateTime, format: nullableStr, size: { type: 'integer' }, contentSha256: str,
    correlationId: nullableStr, duplicateOf: nullableStr, metadata: { type: 'object', additionalProperties: true },
    archivedAt: dateTime, purgedAt: dateTime,
  }, ['id', 'status', 'partnerId', 'direction', 'transport', 'receivedAt', 'size', 'contentSha256', 'metadata']),
  /** the canonical envelope as published at GET /schemas/envelope.v1.json (each document type's schema beside it) */
  CanonicalEnvelope: { $ref: '/schemas/envelope.v1.json', description: 'a canonical document in its envelope: /schemas/envelope.v1.json, one schema per document type beside it' },
  Document: obj({
    id: str, type: str, status: str, partnerId: str, messageId: str, businessKey: nullableStr, correlationId: nullableStr,
    test: { type: 'boolean' }, createdAt: dateTime, deliveredAt: nullableDateTime, leaseCount: { type: 'integer' }, envelope: ref('CanonicalEnvelope'),
  }, ['id', 'type', 'status', 'partnerId', 'messageId', 'createdAt', 'envelope']),
  Exception: obj({
    id: str, messageId: str, documentId: nullableStr, partnerId: nullableStr, stage: str, code: str, message: str,
    detail: { type: 'object' }, status: { enum: ['open', 'replayed', 'discarded'] }, createdAt: dateTime, resolvedAt: nullableDateTime, resolvedBy: nullableStr,
  }, ['id', 'messageId', 'stage', 'code', 'message', 'status', 'createdAt']),
  Job: obj({
    id: { type: 'integer' }, kind: str, queue: nullableStr, key: nullableStr, partnerId: nullableStr,
    state: { enum: ['waiting', 'running', 'done', 'failed', 'cancelled'] }, attempts: { type: 'integer' }, maxAttempts: { type: 'integer' },
    runAt: str, lockedBy: nullableStr, lockedUntil: nullableStr, lastError: nullableStr, payload: {}, outcome: {}, createdAt: str, updatedAt: str,
  }, ['id', 'kind', 'state', 'attempts', 'maxAttempts', 'runAt', 'createdAt']),
  MessageDetail: {
    allOf: [ref('Message'), obj({
      documents: arrayOf(obj({ id: str, type: str, status: str, businessKey: nullableStr }, ['id', 'type', 'status'])),
      documentsTruncated: { type: 'boolean' },
      exceptions: arrayOf(ref('Exception')),
      acknowledgements: arrayOf(obj({ messageId: str, links: obj({ raw: str }) }, ['messageId'])),
    }, ['documents', 'exceptions', 'acknowledgements'])],
  },
  /** what processing a message gave: ?wait=true, replay `after` */
  Outcome: obj({
    messageId: str, status: str, partnerId: nullableStr, format: str,
    documents: arrayOf({ type: 'object' }), documentsNotShown: { type: 'integer' }, documentsLink: str, errors: arrayOf(pipelineError),
  }, ['messageId', 'status', 'documents', 'errors']),
  IntakeAccepted: obj({ messageId: str, status: { enum: ['received'] }, links: obj({ self: str }) }),
  IntakeDuplicate: obj({ messageId: str, status: { enum: ['duplicate'] }, duplicateOf: str, message: str, links: obj({ self: str }) }),
  IntakeProcessed: { allOf: [ref('Outcome'), obj({ links: obj({ self: str }) })] },
  /** refused by the pipeline: every error in `errors`, the first as `error` (its code is the pipeline's: json_malformed, canonical_invalid, x12_…) */
  IntakeRefused: { allOf: [ref('Outcome'), obj({ error: obj({ code: str, message: str, detail: { type: 'object' } }, ['code', 'message']), links: obj({ self: str }) }, ['links'])] },
  Health: {
    type: 'object', additionalProperties: false, required: ['status', 'storage', 'checks'],
    properties: {
      status: { enum: ['ok', 'draining', 'unavailable'] }, node: { type: 'string' },
      storage: { type: 'object', additionalProperties: false, required: ['writable'], properties: { writable: { type: 'boolean' }, reason: str, since: str } },
      checks: { type: 'object', additionalProperties: { enum: ['ok', 'failed'] } },
    },
  },
  Status: obj({
    status: { enum: ['ok', 'draining', 'unavailable'] }, node: { type: 'string' },
    storage: obj({ writable: { type: 'boolean' }, reason: str, since: str, retryAfterSeconds: { type: 'integer' } }, ['writable']),
    checks: { type: 'object', additionalProperties: { enum: ['ok', 'failed'] } },
    sftp: { type: 'array', description: 'one entry per SFTP poller (partnerId, running, lease, consecutiveFailures, lastError)' },
    erpPush: { type: 'object', description: 'the ERP push target: circuit, lease' },
    config: { type: 'object', description: 'refusedReload (problems, files), disabledPartners (id, file, problems)' },
    certificates: { type: 'array', description: 'certificates that are not ok (expiring within 30 days, expired, unreadable)' },
    missingSecrets: { type: 'array', description: 'secret variables a partner needs that are not set' },
    events: { type: 'object', description: 'subscribers: a refused reload, each circuit not closed' },
    counts: { type: 'object', description: 'stored messages, documents, exceptions by status (row_counts)' },
  }, ['status', 'storage', 'checks', 'counts']),
  FeedPage: obj({
    documents: arrayOf(ref('CanonicalEnvelope')), leaseExpiresAt: dateTime,
    throttled: { type: 'integer', description: 'documents of this pull a partner throttle held back' },
    retryAfterSeconds: { type: 'integer' },
  }, ['documents', 'leaseExpiresAt']),
  FeedAck: obj({ acknowledged: arrayOf(str), unknown: arrayOf(str) }),
  Replay: obj({ messageId: str, before: { type: 'object' }, after: ref('Outcome'), job: ref('Job') }, ['messageId', 'before', 'after']),
  Discard: obj({ messageId: str, discarded: { type: 'integer' } }),
  PartnerSummary: obj({ id: str, name: str, status: str }, ['id', 'status']),
  Certificate: obj({ owner: str, status: str, daysLeft: { type: 'integer' }, notAfter: str, subject: str, detail: str }, ['owner', 'status']),
  OutboundSubmitted: obj({
    messageId: str, documentId: str, partnerId: str, poNumber: str, channel: str, fileName: str,
    interchangeControlNumber: str, groupControlNumber: str, transactionControlNumber: str, duplicate: { type: 'boolean' },
  }, ['messageId', 'documentId', 'partnerId', 'poNumber', 'channel']),
  OutboundStatus: obj({ messageId: str, documentId: str, partnerId: nullableStr, metadata: {}, createdAt: str, send: { type: 'object' }, functionalAck: { type: 'object' } }, ['messageId', 'partnerId']),
  OrderTimeline: { type: 'object', description: 'everything known about the purchase order, in order (src/pipeline/lifecycle/timeline.ts)' },
  OverdueReport: obj({ counts: { type: 'object' } }, ['counts']),
  WhoAmI: obj({ role: str, name: str }),
  CloudEvent: obj({ specversion: { const: '1.0' }, id: str, source: str, type: str, time: dateTime, data: {} }, ['specversion', 'id', 'source', 'type']),
};

export const listOf = (key: string, item: string): Schema => obj({ [key]: arrayOf(ref(item)), next });
export { ref, arrayOf, obj, str, next };
