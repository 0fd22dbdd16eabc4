/**
 * The OpenAPI 3.1 document of the gateway's HTTP API, written by hand as a table of operations
 * (one entry per route the Hono app registers; test/server/openapi-conformance.test.ts fails when
 * a route and this table disagree). Error answers come from the vocabulary (src/server/errors.ts):
 * one response per status, its `code` an enum of that status's codes.
 *
 * Adding a route: add an `op(...)` to OPERATIONS with the route's Hono path as registered
 * ('/api/v1/things/:id'), its roles, query parameters, body, and answers; schemas go in schemas.ts.
 */
import { API_ERRORS } from '../errors.ts';
import { componentSchemas, errorSchemaFor, listOf, obj, ref, str, arrayOf } from './schemas.ts';

type Schema = Record<string, unknown>;
type Who = 'public' | 'partner' | 'operator' | 'admin' | 'erp' | 'portal';

interface Operation {
  method: 'get' | 'post';
  /** the path as the Hono app registers it */
  path: string;
  summary: string;
  tag: string;
  who: Who[];
  query?: Array<{ name: string; description: string; schema?: Schema; required?: boolean }>;
  body?: { contentType: string; schema: Schema }[];
  /** status -> JSON schema (object), or [content-type, schema] for another media type */
  ok: Record<number, Schema | [string, Schema]>;
  /** error statuses besides 401/403 (added for authenticated routes) and 500/503 (added to every route) */
  errors?: number[];
  headers?: Record<number, Record<string, string>>;
  /** mounted only under a condition (x-edigw-mounted-when): the conformance test does not require it in every app */
  when?: string;
  /** the route answers errors of its own vocabulary (the supplier portal's forms): `code` is any string */
  ownCodes?: boolean;
}

const limit = (max = 1000) => ({ name: 'limit', description: `rows per page (default 100, at most ${max})`, schema: { type: 'integer', minimum: 1, maximum: max } });
const after = { name: 'after', description: 'the `next` of the previous page', schema: { type: 'string' } };
const partner = { name: 'partner', description: 'only this partner\'s (404 partner_not_found when it is not configured)', schema: { type: 'string' } };
const json = (schema: Schema) => ({ contentType: 'application/json', schema });

const OPERATIONS: Operation[] = [
  // health, metrics, contract
  { method: 'get', path: '/healthz', tag: 'operations', who: ['public'], summary: 'up/down and readiness (503 while draining or while the store cannot write): status, node, storage, ok/failed per check; the same for every caller', ok: { 200: ref('Health') }, errors: [] },
  { method: 'get', path: '/api/v1/status', tag: 'operations', who: ['operator'], summary: "the checks with their detail: SFTP pollers, ERP push circuit and lease, certificate warnings, missing secrets, refused reloads, disabled partners, event subscribers, stored counts (/healthz's status field; 200 while it answers)", ok: { 200: ref('Status') } },
  { method: 'get', path: '/metrics', tag: 'operations', who: ['public'], summary: 'Prometheus text exposition (version 0.0.4)', ok: { 200: ['text/plain', { type: 'string' }] } },
  { method: 'get', path: '/api/v1/openapi.json', tag: 'operations', who: ['public'], summary: 'this document', ok: { 200: { type: 'object', required: ['openapi', 'paths'] } } },
  { method: 'get', path: '/openapi.json', tag: 'operations', who: ['public'], summary: 'this document, at the path tools look for first (the same as /api/v1/openapi.json)', ok: { 200: { type: 'object', required: ['openapi', 'paths'] } } },
  { method: 'get', path: '/docs', tag: 'operations', who: ['public'], summary: 'the reference page of this document (Swagger UI, served by the gateway: works offline)', ok: { 200: ['text/html', { type: 'string' }] } },
  { method: 'get', path: '/docs/:file', tag: 'operations', who: ['public'], summary: 'the reference page\'s script, styles and icon', ok: { 200: ['application/octet-stream', { type: 'string' }] }, errors: [404] },
  { method: 'get', path: '/schemas/:name', tag: 'operations', who: ['public'], summary: 'a canonical JSON Schema (2020-12): envelope.v1.json, common.v1.json, or <type>.v1.json per document type (purchase_order.v1.json, ship_notice.v1.json…)', ok: { 200: ['application/schema+json', { type: 'object', required: ['$schema', '$id'] }] }, errors: [404] },
  // intake
  {
    method: 'post', path: '/api/v1/inbound', tag: 'intake', who: ['partner', 'operator'],
    summary: 'a partner posts a document (X12, EDIFACT, CSV, XML, cXML, JSON); staff name the partner with ?partner=',
    query: [
      { name: 'partner', description: 'staff uploads: the partner the document is from (400 query_invalid without it, 404 partner_not_found)' },
      { name: 'wait', description: 'true: process before answering, with the documents (200) or every error (422)', schema: { enum: ['true', 'false'] } },
      { name: 'message', description: 'the CSV/JSON mapping to read it with (or header X-EDI-Message)' },
    ],
    body: ['application/edi-x12', 'application/edifact', 'application/json', 'application/xml', 'text/csv', 'application/octet-stream'].map((t) => ({ contentType: t, schema: { type: 'string' } })),
    ok: { 202: ref('IntakeAccepted'), 200: { oneOf: [ref('IntakeProcessed'), ref('IntakeDuplicate')] }, 400: ref('IntakeRefused'), 422: ref('IntakeRefused') },
    errors: [400, 404, 413, 415],
  },
  // messages, documents, exceptions
  { method: 'get', path: '/api/v1/messages', tag: 'messages', who: ['operator'], summary: 'messages, newest first, a page at a time', query: [partner, { name: 'status', description: 'received, processed, failed…' }, limit(), after], ok: { 200: listOf('messages', 'Message') }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/messages/:id', tag: 'messages', who: ['operator', 'partner'], summary: 'a message with its documents, exceptions and the acknowledgements sent for it (a partner: its own only)', ok: { 200: ref('MessageDetail') }, errors: [404] },
  { method: 'get', path: '/api/v1/messages/:id/raw', tag: 'messages', who: ['operator'], summary: 'the exact bytes received (or sent), archived or not, with the Content-Type they came with', ok: { 200: ['*/*', { type: 'string' }] }, errors: [404, 410] },
  { method: 'get', path: '/api/v1/messages/:id/unmapped', tag: 'messages', who: ['operator'], summary: 'the unmapped-data report of an inbound X12/EDIFACT message: per set, the elements no mapping rule read (undeclared) and those its ignore: drops (declared, with the reason); the first 200 sets, 3 s of work at most (truncated says so)', ok: { 200: { type: 'object', required: ['messageId', 'supported', 'sets', 'skipped', 'totals'] } }, errors: [404, 410] },
  { method: 'post', path: '/api/v1/messages/:id/replay', tag: 'exceptions', who: ['operator'], summary: 're-run what failed for this message (pipeline or job), before and now', ok: { 200: ref('Replay') }, errors: [404, 409, 410] },
  { method: 'get', path: '/api/v1/documents', tag: 'documents', who: ['operator'], summary: 'documents by business number (PO, ASN, invoice), partner, type; newest first', query: [{ name: 'number', description: 'a business number' }, partner, { name: 'type', description: 'a canonical document type' }, limit(), after], ok: { 200: listOf('documents', 'Document') }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/documents/:id', tag: 'documents', who: ['operator'], summary: 'one document with its canonical envelope', ok: { 200: ref('Document') }, errors: [404] },
  { method: 'get', path: '/api/v1/exceptions', tag: 'exceptions', who: ['operator'], summary: 'the exception queue, newest first', query: [{ name: 'status', description: 'open (default), replayed or discarded', schema: { enum: ['open', 'replayed', 'discarded'] } }, partner, limit(), after], ok: { 200: listOf('exceptions', 'Exception') }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/exceptions/:id', tag: 'exceptions', who: ['operator'], summary: 'one exception', ok: { 200: ref('Exception') }, errors: [404] },
  { method: 'post', path: '/api/v1/exceptions/:id/replay', tag: 'exceptions', who: ['operator'], summary: 're-run what failed, before and now', ok: { 200: ref('Replay') }, errors: [404, 409, 410] },
  { method: 'post', path: '/api/v1/exceptions/:id/discard', tag: 'exceptions', who: ['operator'], summary: 'close the message\'s open exceptions without re-running', body: [json(obj({ reason: str }, []))], ok: { 200: ref('Discard') }, errors: [404, 409] },
  // configuration
  { method: 'get', path: '/api/v1/partners', tag: 'partners', who: ['operator'], summary: 'loaded partner profiles', ok: { 200: obj({ partners: arrayOf(ref('PartnerSummary')) }) } },
  { method: 'get', path: '/api/v1/partners/:id', tag: 'partners', who: ['operator'], summary: 'one loaded partner profile', ok: { 200: { type: 'object', required: ['id'] } }, errors: [404] },
  { method: 'get', path: '/api/v1/certificates', tag: 'partners', who: ['operator'], summary: 'AS2 certificates (ours and partners\'), days left', ok: { 200: obj({ certificates: arrayOf(ref('Certificate')) }) } },
  // ERP
  {
    method: 'get', path: '/api/v1/erp/documents', tag: 'erp', who: ['erp'], summary: 'canonical envelopes under a lease (at least once, per partner in order); Retry-After when a partner throttle held documents back',
    query: [{ name: 'limit', description: 'at most this many (default 50)', schema: { type: 'integer', minimum: 1 } }, { name: 'type', description: 'a document type' }, { name: 'partner', description: 'one partner\'s' }, { name: 'test', description: 'true: test documents instead', schema: { enum: ['true', 'false'] } }],
    ok: { 200: ref('FeedPage') }, errors: [400], headers: { 200: { 'Retry-After': 'seconds until a throttled partner has documents again (only when `throttled` is present)' } },
  },
  { method: 'post', path: '/api/v1/erp/documents/ack', tag: 'erp', who: ['erp'], summary: 'mark leased documents delivered', body: [json(obj({ ids: arrayOf(str) }))], ok: { 200: ref('FeedAck') }, errors: [400, 422] },
  { method: 'post', path: '/api/v1/erp/outbound', tag: 'erp', who: ['erp'], summary: 'send a purchase order to a partner: validated, rendered, stored, sent on its channel', body: [json(obj({ partnerId: str, type: { const: 'purchase_order' }, document: { type: 'object' } }))], ok: { 202: ref('OutboundSubmitted'), 200: ref('OutboundSubmitted') }, errors: [400, 404, 422] },
  { method: 'get', path: '/api/v1/erp/outbound/:messageId', tag: 'erp', who: ['erp', 'operator'], summary: 'where an outbound purchase order stands: send outcome, MDN, 997/999/CONTRL', ok: { 200: ref('OutboundStatus') }, errors: [404] },
  { method: 'get', path: '/api/v1/orders/overdue', tag: 'orders', who: ['erp', 'operator'], summary: 'POs without 997/855 in time, ASNs without invoice', ok: { 200: ref('OverdueReport') } },
  { method: 'get', path: '/api/v1/orders/:poNumber', tag: 'orders', who: ['erp', 'operator'], summary: 'everything known about a PO, in order', ok: { 200: ref('OrderTimeline') }, errors: [404] },
  // jobs
  { method: 'get', path: '/api/v1/jobs', tag: 'jobs', who: ['admin'], summary: 'durable work, newest first', query: [{ name: 'kind', description: 'ack.send, mdn.post, erp.push, partner.send…' }, { name: 'state', description: 'waiting, running, done, failed, cancelled' }, partner, limit(500), after], ok: { 200: { allOf: [listOf('jobs', 'Job'), { properties: { links: obj({ next: str }) } }] } }, errors: [400] },
  { method: 'get', path: '/api/v1/jobs/:id', tag: 'jobs', who: ['admin'], summary: 'one job', ok: { 200: ref('Job') }, errors: [404] },
  { method: 'post', path: '/api/v1/jobs/:id/retry', tag: 'jobs', who: ['admin'], summary: 'run a failed or cancelled job again (fresh attempts)', ok: { 200: ref('Job') }, errors: [404, 409] },
  { method: 'post', path: '/api/v1/jobs/:id/cancel', tag: 'jobs', who: ['admin'], summary: 'cancel a waiting or failed job', ok: { 200: ref('Job') }, errors: [404, 409] },
  // console
  { method: 'get', path: '/', tag: 'console', who: ['public'], summary: 'the operations console (a static page; it asks for a token)', ok: { 200: ['text/html', { type: 'string' }] } },
  { method: 'get', path: '/console', tag: 'console', who: ['public'], summary: 'redirects to /', ok: { 301: ['text/plain', { type: 'string' }] } },
  { method: 'get', path: '/console/*', tag: 'console', who: ['public'], summary: 'the console\'s assets', ok: { 200: ['application/octet-stream', { type: 'string' }] }, errors: [404] },
  { method: 'get', path: '/api/v1/console/whoami', tag: 'console', who: ['operator'], summary: 'the role and name the token stands for', ok: { 200: ref('WhoAmI') } },
  { method: 'get', path: '/api/v1/console/search', tag: 'console', who: ['operator'], summary: 'messages by any number they carry: PO (every PO of a ship notice), ASN/shipment, invoice, order, BOL, PRO, tracking, ISA13/GS06/ST02, UNB/UNH references, AS2 Message-ID, file name, error code; one index range (search_keys)', query: [{ name: 'q', description: 'the number (case and surrounding spaces ignored)', required: true }, partner, { name: 'from', description: 'received at or after (2026-12-07 or an ISO time)' }, { name: 'to', description: 'received before (a date: up to the end of that day)' }, { name: 'order', description: 'desc (newest first, default) or asc (oldest first)', schema: { enum: ['desc', 'asc'] } }, limit(500), after], ok: { 200: { type: 'object', required: ['query', 'messages', 'next'] } }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/console/messages/:id/told', tag: 'console', who: ['operator'], summary: 'what the partner was told about a message: each 997/999/TA1/CONTRL or MDN we sent, its disposition and the words per segment and element, linked', ok: { 200: { type: 'object', required: ['messageId', 'told'] } }, errors: [404] },
  { method: 'get', path: '/api/v1/console/partners/:id/days', tag: 'console', who: ['operator'], summary: 'per UTC day: messages received, failed, our functional acks and their mean latency (kept per day by triggers)', query: [{ name: 'days', description: 'how many days back, today included (default 30, 1 to 366)', schema: { type: 'integer', minimum: 1, maximum: 366 } }], ok: { 200: { type: 'object', required: ['partnerId', 'days'] } }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/console/messages', tag: 'console', who: ['operator'], summary: 'messages by partner and status, newest or oldest first, a page at a time', query: [partner, { name: 'status', description: 'received, processed, failed or duplicate', schema: { enum: ['received', 'processed', 'failed', 'duplicate'] } }, { name: 'order', description: 'desc (newest first, default) or asc (oldest first)', schema: { enum: ['desc', 'asc'] } }, limit(500), after], ok: { 200: listOf('messages', 'Message') }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/console/exceptions', tag: 'console', who: ['operator'], summary: 'the exception queue by status, partner and code, newest or oldest first, a page at a time', query: [{ name: 'status', description: 'open (default), replayed or discarded', schema: { enum: ['open', 'replayed', 'discarded'] } }, partner, { name: 'code', description: 'an error code (mapping_failed…)' }, { name: 'order', description: 'desc (newest first, default) or asc (oldest first)', schema: { enum: ['desc', 'asc'] } }, limit(500), after], ok: { 200: listOf('exceptions', 'Exception') }, errors: [400, 404] },
  { method: 'post', path: '/api/v1/console/exceptions/bulk', tag: 'console', who: ['operator'], summary: 'replay or discard the open exceptions a filter selects (partner, code), oldest first, at most 25 messages per request (next: pass as after, with until); dryRun: the count only. Each replay and discard is audited, and the bulk action once', body: [json(obj({ action: { enum: ['replay', 'discard'] }, partner: str, code: str, dryRun: { type: 'boolean' }, reason: str, after: { type: 'integer' }, until: { type: 'integer' } }, ['action']))], ok: { 200: { type: 'object', required: ['action', 'filter', 'until'] } }, errors: [404, 422] },
  { method: 'get', path: '/api/v1/audit', tag: 'console', who: ['operator'], summary: 'the audit log (replays, discards, job retries, acks sent, refused credentials), newest first', query: [{ name: 'action', description: 'replay, discard, bulk_replay, bulk_discard, ack_sent…' }, { name: 'actor', description: 'who (operator:name, admin:name, system)' }, { name: 'subject', description: 'what it concerned (a message id…)' }, limit(500), after], ok: { 200: { type: 'object', required: ['entries', 'next'] } }, errors: [400] },
  // a message's AS2 evidence and unmapped data (issue 15, 13)
  { method: 'get', path: '/api/v1/messages/:id/evidence', tag: 'messages', who: ['operator'], summary: 'the AS2 non-repudiation evidence of a message (signed message, MDN, MICs, certificates), each file base64; ?file=<name> answers one file\'s bytes', query: [{ name: 'file', description: 'one file of the evidence by name' }], ok: { 200: { type: 'object', required: ['messageId', 'files'] } }, errors: [400, 404] },
  { method: 'get', path: '/api/v1/messages/:id/unmapped', tag: 'messages', who: ['operator'], summary: 'the elements of an inbound message its mapping did not read, per transaction set (first 200 sets)', ok: { 200: { type: 'object', required: ['messageId', 'sets', 'totals'] } }, errors: [404] },
  // business events (issue 17)
  { method: 'get', path: '/api/v1/events', tag: 'events', who: ['operator'], summary: 'the business event log (CloudEvents 1.0), oldest first from ?after=', query: [{ name: 'type', description: 'an event type' }, partner, limit(), after], ok: { 200: listOf('events', 'CloudEvent') }, errors: [400] },
  { method: 'get', path: '/api/v1/subscribers', tag: 'events', who: ['operator'], summary: 'subscribers (subscribers/*.yaml) with their position, lag and circuit', ok: { 200: { type: 'object', required: ['subscribers'] } } },
  { method: 'get', path: '/api/v1/subscribers/:name/dead-letters', tag: 'events', who: ['operator'], summary: 'events a subscriber refused for good', query: [limit(), after], ok: { 200: { type: 'object', required: ['deadLetters', 'next'] } }, errors: [400, 404] },
  { method: 'post', path: '/api/v1/subscribers/:name/dead-letters/:id/replay', tag: 'events', who: ['admin'], summary: 'deliver a dead letter again', ok: { 202: { type: 'object', required: ['jobId'] } }, errors: [404] },
  { method: 'post', path: '/api/v1/subscribers/:name/replay', tag: 'events', who: ['admin'], summary: 'deliver a window of past events to a subscriber again', body: [json(obj({ since: str, until: str }, ['since']))], ok: { 202: { type: 'object', required: ['jobId', 'after', 'upTo', 'events'] } }, errors: [404, 422] },
  // partners' own API (issue 18)
  { method: 'get', path: '/api/v1/partner/outbox', tag: 'partner api', who: ['partner'], summary: 'what the gateway holds for the partner (documents to collect, dispositions of its messages) under a lease', query: [{ name: 'limit', description: 'at most this many (default 50)', schema: { type: 'integer', minimum: 1 } }], ok: { 200: { type: 'object', required: ['items', 'leaseExpiresAt'] } }, errors: [400] },
  { method: 'post', path: '/api/v1/partner/outbox/ack', tag: 'partner api', who: ['partner'], summary: 'mark outbox items collected', body: [json(obj({ ids: arrayOf(str) }))], ok: { 200: ref('FeedAck') }, errors: [400, 422] },
  { method: 'get', path: '/api/v1/partner/messages', tag: 'partner api', who: ['partner'], summary: 'the partner\'s own messages and what became of them, newest first', query: [limit(), after], ok: { 200: { type: 'object', required: ['messages', 'next'] } }, errors: [400] },
  // supplier portal (issue 18): the page, its assets and its session API
  { method: 'get', path: '/portal', tag: 'portal', who: ['public'], summary: 'redirects to /portal/', ok: { 301: ['text/plain', { type: 'string' }] } },
  { method: 'get', path: '/portal/', tag: 'portal', who: ['public'], summary: 'the supplier portal page', ok: { 200: ['text/html', { type: 'string' }] } },
  { method: 'get', path: '/portal/assets/*', tag: 'portal', who: ['public'], summary: 'the portal\'s assets', ok: { 200: ['application/octet-stream', { type: 'string' }] }, errors: [404], ownCodes: true },
  { method: 'get', path: '/portal/api/session', tag: 'portal', who: ['public'], summary: 'whether a portal user is signed in, and the CSRF token', ok: { 200: { type: 'object', required: ['signedIn'] } } },
  { method: 'post', path: '/portal/api/login', tag: 'portal', who: ['public'], summary: 'sign in (email, password); sets the session cookie', body: [json(obj({ email: str, password: str }))], ok: { 200: { type: 'object', required: ['signedIn'] } }, errors: [400, 401, 423], ownCodes: true },
  { method: 'post', path: '/portal/api/logout', tag: 'portal', who: ['portal'], summary: 'sign out', ok: { 200: { type: 'object', required: ['signedIn'] } }, ownCodes: true },
  { method: 'post', path: '/portal/api/invitations/accept', tag: 'portal', who: ['public'], summary: 'accept an invitation: set the password', body: [json(obj({ token: str, password: str }))], ok: { 200: { type: 'object', required: ['accepted'] } }, errors: [400], ownCodes: true },
  { method: 'get', path: '/portal/api/orders', tag: 'portal', who: ['portal'], summary: 'the purchase orders sent to the user\'s partner, newest first', query: [limit(), after], ok: { 200: { type: 'object', required: ['orders', 'next'] } }, errors: [400], ownCodes: true },
  { method: 'get', path: '/portal/api/orders/:po', tag: 'portal', who: ['portal'], summary: 'one purchase order with what was answered to it', ok: { 200: { type: 'object' } }, errors: [404], ownCodes: true },
  { method: 'post', path: '/portal/api/orders/:po/ack', tag: 'portal', who: ['portal'], summary: 'answer a purchase order (web EDI: an 855 in the partner\'s format)', body: [json({ type: 'object' })], ok: { 200: { type: 'object' }, 422: { type: 'object' } }, errors: [400, 404, 409], ownCodes: true },
  { method: 'post', path: '/portal/api/orders/:po/ship-notices', tag: 'portal', who: ['portal'], summary: 'a ship notice for the order (web EDI: an 856)', body: [json({ type: 'object' })], ok: { 200: { type: 'object' }, 422: { type: 'object' } }, errors: [400, 404, 409], ownCodes: true },
  { method: 'post', path: '/portal/api/orders/:po/invoices', tag: 'portal', who: ['portal'], summary: 'an invoice for the order (web EDI: an 810)', body: [json({ type: 'object' })], ok: { 200: { type: 'object' }, 422: { type: 'object' } }, errors: [400, 404, 409], ownCodes: true },
  { method: 'get', path: '/portal/api/messages', tag: 'portal', who: ['portal'], summary: 'the partner\'s messages, newest first', query: [limit(), after], ok: { 200: { type: 'object', required: ['messages', 'next'] } }, errors: [400], ownCodes: true },
  { method: 'get', path: '/portal/api/exceptions', tag: 'portal', who: ['portal'], summary: 'the partner\'s open exceptions', ok: { 200: { type: 'object', required: ['exceptions'] } }, ownCodes: true },
  { method: 'post', path: '/portal/api/upload', tag: 'portal', who: ['portal'], summary: 'upload an EDI file (X12, EDIFACT, XML, JSON, CSV)', body: [{ contentType: 'application/octet-stream', schema: { type: 'string' } }], ok: { 200: { type: 'object' }, 422: { type: 'object' } }, errors: [400, 409, 413, 415], ownCodes: true },
  { method: 'get', path: '/portal/api/outbox', tag: 'portal', who: ['portal'], summary: 'what the gateway holds for the partner, newest first', query: [limit(), after], ok: { 200: { type: 'object', required: ['items', 'next'] } }, errors: [400], ownCodes: true },
  { method: 'get', path: '/portal/api/outbox/:id/raw', tag: 'portal', who: ['portal'], summary: 'download one outbox document', ok: { 200: ['*/*', { type: 'string' }] }, errors: [404], ownCodes: true },
  { method: 'get', path: '/portal/api/certification', tag: 'portal', who: ['portal'], summary: 'the partner\'s certification steps toward production', ok: { 200: { type: 'object' } }, errors: [404], ownCodes: true },
  { method: 'post', path: '/api/v1/portal/invitations', tag: 'portal', who: ['operator'], summary: 'invite a supplier user (answers the invitation link)', body: [json(obj({ partnerId: str, email: str }))], ok: { 201: { type: 'object', required: ['link'] } }, errors: [400, 404, 409], ownCodes: true },
  { method: 'get', path: '/api/v1/portal/users', tag: 'portal', who: ['operator'], summary: 'portal users', query: [{ name: 'partner', description: 'one partner\'s' }], ok: { 200: { type: 'object', required: ['users'] } }, ownCodes: true },
  { method: 'get', path: '/api/v1/portal/certification/:partner', tag: 'portal', who: ['operator'], summary: 'a partner\'s certification steps', ok: { 200: { type: 'object' } }, errors: [404], ownCodes: true },
  { method: 'post', path: '/api/v1/portal/certification/:partner/approve', tag: 'portal', who: ['admin'], summary: 'switch a certified test partner to production (its profile file)', ok: { 200: { type: 'object', required: ['partnerId', 'status'] } }, errors: [404, 409], ownCodes: true },
  // AS2 (mounted when the gateway has an AS2 identity)
  { method: 'post', path: '/as2', tag: 'intake', who: ['public'], summary: 'AS2 (RFC 4130): signed/encrypted/compressed; answered with a sync MDN, or 200 and an async MDN later; the partner is known by AS2-From and its certificate', body: [{ contentType: 'application/pkcs7-mime', schema: { type: 'string' } }], ok: { 200: ['multipart/signed', { type: 'string' }] }, when: 'the gateway has an AS2 identity (EDIGW_AS2_ID and its key and certificate)' },
];

/** '/api/v1/messages/:id' -> '/api/v1/messages/{id}'; '/console/*' -> '/console/{path}' */
export function openApiPathOf(honoPath: string): string {
  return honoPath.split('/').map((part) => (part.startsWith(':') ? `{${part.slice(1).replace(/\{.*$/, '').replace(/\?$/, '')}}` : part === '*' ? '{path}' : part)).join('/');
}

const roleText: Record<Who, string> = { public: 'anyone', partner: 'a partner key (its own)', operator: 'operator or admin token', admin: 'admin token', erp: 'erp token', portal: 'a supplier portal session (cookie from POST /portal/api/login; CSRF header on writes)' };

function operationOf(o: Operation): Schema {
  const authenticated = !o.who.includes('public');
  const params = [
    ...[...o.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
    ...(o.path.endsWith('/*') ? [{ name: 'path', in: 'path', required: true, schema: { type: 'string' }, description: 'the rest of the path' }] : []),
    ...(o.query ?? []).map((q) => ({ name: q.name, in: 'query', required: q.required ?? false, description: q.description, schema: q.schema ?? { type: 'string' } })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, s] of Object.entries(o.ok)) {
    const [type, schema] = Array.isArray(s) ? s : ['application/json', s];
    const headers = o.headers?.[Number(status)];
    responses[status] = {
      description: Number(status) >= 400 ? 'the document was stored and refused: every error, the first as `error`' : 'ok',
      content: { [type]: { schema } },
      ...(headers ? { headers: Object.fromEntries(Object.entries(headers).map(([h, d]) => [h, { description: d, schema: { type: 'integer' } }])) } : {}),
    };
  }
  const errorStatuses = [...(o.errors ?? []), ...(authenticated ? [401, 403] : []), 500, 503];
  const errorRef = (status: number) => (o.ownCodes && status < 500 ? '#/components/responses/ErrorOwnCodes' : `#/components/responses/Error${status}`);
  for (const status of errorStatuses) {
    const key = String(status);
    if (responses[key]) {
      // a status with a route answer already (intake 400): either shape
      const current = responses[key] as { content: Record<string, { schema: Schema }> };
      current.content['application/json'] = { schema: { anyOf: [current.content['application/json']!.schema, ref(`Error${status}`)] } };
      continue;
    }
    responses[key] = { $ref: errorRef(status) };
  }
  return {
    operationId: `${o.method}${openApiPathOf(o.path).replace(/[{}]/g, '').split(/[/.]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('').replace(/[^A-Za-z0-9]/g, '')}`,
    summary: o.summary,
    tags: [o.tag],
    description: `Who: ${o.who.map((w) => roleText[w]).join('; ')}.`,
    ...(authenticated ? { security: [...(o.who.some((w) => w !== 'partner' && w !== 'portal') ? [{ bearer: [] }] : []), ...(o.who.includes('partner') ? [{ apiKey: [] }] : []), ...(o.who.includes('portal') ? [{ portalSession: [] }] : [])] } : { security: [] }),
    ...(o.when ? { 'x-edigw-mounted-when': o.when } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(o.body ? { requestBody: { required: true, content: Object.fromEntries(o.body.map((b) => [b.contentType, { schema: b.schema }])) } } : {}),
    responses,
  };
}

/** every status the vocabulary answers, as a reusable response and a schema */
function errorComponents(): { responses: Record<string, unknown>; schemas: Record<string, Schema> } {
  const statuses = [...new Set(Object.values(API_ERRORS).map((e) => e.status as number))].sort();
  const responses: Record<string, unknown> = {};
  const schemas: Record<string, Schema> = {};
  for (const status of statuses) {
    const codes = Object.entries(API_ERRORS).filter(([, e]) => e.status === status);
    schemas[`Error${status}`] = errorSchemaFor(status);
    responses[`Error${status}`] = {
      description: codes.map(([code, e]) => `\`${code}\`: ${e.summary}`).join('\n\n'),
      content: { 'application/json': { schema: ref(`Error${status}`) } },
      ...(status === 503 || status === 405 ? { headers: status === 503 ? { 'Retry-After': { schema: { type: 'integer' } } } : { Allow: { schema: { type: 'string' } } } } : {}),
    };
  }
  schemas.ErrorOwnCodes = { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, detail: { type: 'object' } } } } };
  responses.ErrorOwnCodes = { description: 'the one error shape, with codes of the route\'s own (form_invalid, login_failed, duplicate…)', content: { 'application/json': { schema: ref('ErrorOwnCodes') } } };
  return { responses, schemas };
}

/** the routes the document describes, as the Hono app registers them (the conformance test compares) */
export const documentedRoutes = (): Array<{ method: string; path: string; when?: string }> => OPERATIONS.map((o) => ({ method: o.method.toUpperCase(), path: o.path, ...(o.when ? { when: o.when } : {}) }));

let built: Schema | undefined;

export function openApiDocument(): Schema {
  if (built) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of OPERATIONS) (paths[openApiPathOf(o.path)] ??= {})[o.method] = operationOf(o);
  const errors = errorComponents();
  built = {
    // no jsonSchemaDialect: the default (the OAS 3.1 base dialect, JSON Schema 2020-12 with the OAS
    // vocabulary) fits these schemas, and Swagger UI (/docs) warns on any other value
    openapi: '3.1.0',
    info: {
      title: 'edi-gateway HTTP API',
      version: '1',
      description: 'Partner intake, the ERP feed and outbound channel, and operations. Every error answer is `{"error": {"code", "message", "detail"}}`; codes per status are listed in each error response. A path no route serves answers 404 `route_not_found`, a method a path does not take 405 `method_not_allowed` with `Allow`. Lists answer `next`: pass it as `after=`.',
    },
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a staff token (admin, operator) or the ERP token, or a partner\'s API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'a partner\'s API key' },
        portalSession: { type: 'apiKey', in: 'cookie', name: 'edigw_portal', description: 'a supplier portal user\'s session (POST /portal/api/login)' },
      },
      schemas: { ...componentSchemas, ...errors.schemas },
      responses: errors.responses,
    },
    paths,
  };
  return built;
}
