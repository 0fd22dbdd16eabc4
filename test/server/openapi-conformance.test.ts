/**
 * The OpenAPI document (GET /api/v1/openapi.json, src/server/openapi) against the running gateway:
 * (a) every route the Hono app registers is documented, and every documented route is registered;
 * (b) real answers, successes and errors, validate against the document's response schemas (ajv,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses it), for a status the document lists for that operation.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedRoutes, openApiPathOf } from '../../src/server/openapi/document.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
let doc: any;
const DOC_ID = 'https://edi-gateway.test/openapi.json';
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true });
(addFormats as unknown as typeof addFormats.default)(ajv);

const shipNotice = (id: string, shipDate = '2026-11-20') => JSON.stringify({
  type: 'ship_notice',
  document: { shipmentId: id, shipDate, carrier: { scac: 'UPSN', trackingNumber: '1Z999' },
    orders: [{ poNumber: `PO-${id}`, lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 12, unitOfMeasure: 'EA' }] }] },
});

beforeAll(async () => {
  f = await startGatewayFixture();
  const res = await f.fetch('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
  // the canonical schemas the document refers to, as the gateway serves them (relative ids and refs, resolved here under the document's base)
  for (const name of ['envelope', 'common', 'purchase_order', 'purchase_order_ack', 'ship_notice', 'invoice', 'warehouse_order', 'warehouse_shipment', 'receipt', 'stock_transfer', 'inventory_advice', 'shipment_status']) {
    const schema = await (await f.fetch(`/schemas/${name}.v1.json`)).json() as Record<string, unknown>;
    expect(schema.$id).toBe(`${name}.v1.json`);
    ajv.addSchema({ ...schema, $id: new URL(`/schemas/${name}.v1.json`, DOC_ID).href });
  }
  ajv.addSchema({ ...doc, $id: DOC_ID });
});
afterAll(async () => { await f?.close(); });

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** checks one real answer against the document: the status is listed for the operation, the body fits its schema */
async function conforms(method: string, honoPath: string, res: Response): Promise<unknown> {
  const path = openApiPathOf(honoPath);
  const op = doc.paths[path]?.[method.toLowerCase()];
  expect(op, `${method} ${path} is not in the document`).toBeDefined();
  const status = String(res.status);
  let response = op.responses[status];
  expect(response, `${method} ${path} answered ${status}, which the document does not list (lists ${Object.keys(op.responses).join(', ')})`).toBeDefined();
  let where = `#/${pointer('paths', path, method.toLowerCase(), 'responses', status)}`;
  if (response.$ref) { where = response.$ref; response = doc.components.responses[response.$ref.split('/').pop()]; }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const media = Object.keys(response.content ?? {});
  if (!type.includes('json') || media.includes('*/*') || type !== 'application/json') {
    if (!media.includes('*/*')) expect(media, `${method} ${path} ${status} answered ${type}`).toContain(type);
    return res.text();
  }
  expect(media).toContain('application/json');
  const body = await res.json();
  const validate = ajv.getSchema(`${DOC_ID}${where}/${pointer('content', 'application/json', 'schema')}`)!;
  expect(validate, `no schema at ${where}`).toBeDefined();
  const ok = validate(body);
  expect(ok, `${method} ${honoPath} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`).toBe(true);
  return body;
}

/** a fallback answer (no route, wrong method): checked against the document's reusable error response */
async function conformsToError(res: Response, status: number): Promise<any> {
  expect(res.status).toBe(status);
  const body = await res.json();
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/Error${status}`)!;
  expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
  return body;
}

const call = (method: string, path: string, init: RequestInit & { token?: string; key?: string } = {}) => f.fetch(path, { ...init, method });

describe('the OpenAPI document describes the routes the gateway serves', () => {
  it('is OpenAPI 3.1 and every schema in it compiles', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const name of Object.keys(doc.components.schemas)) expect(ajv.getSchema(`${DOC_ID}#/${pointer('components', 'schemas', name)}`), name).toBeDefined();
  });

  it('every route registered in the app is in the document, and every documented route is registered', () => {
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    // app.use() middleware is method ALL; a handler after middleware appears once per handler
    const registered = new Set(f.gw.routes().filter((r) => r.method !== 'ALL').map(key));
    const documented = documentedRoutes();
    const missing = [...registered].filter((r) => !documented.some((d) => key(d) === r));
    expect(missing.map((r) => {
      const [method, path] = r.split(' ');
      return `${r} is registered but not in the OpenAPI document: add { method: '${method!.toLowerCase()}', path: '${path}', tag, who, summary, ok: { 200: <schema> }, errors } to OPERATIONS in src/server/openapi/document.ts (its answer schemas in src/server/openapi/schemas.ts), then run npx vitest run test/server/openapi-conformance.test.ts`;
    }), 'routes missing from the OpenAPI document').toEqual([]);
    const stale = documented.filter((d) => !d.when && !registered.has(key(d))).map(key);
    expect(stale.map((r) => `${r} is in src/server/openapi/document.ts but no such route is registered: remove it, or give it when: '<the condition it is mounted under>'`), 'documented routes the app does not register').toEqual([]);
  });
});

describe('real answers validate against the document', () => {
  it('intake: 202, 200 with ?wait=true, 200 duplicate, 400 malformed JSON, 422 schema errors, and its error answers', async () => {
    const post = (body: string, opts: { query?: string; key?: string; token?: string; type?: string } = {}) =>
      call('POST', `/api/v1/inbound${opts.query ?? ''}`, { ...(opts.token ? { token: opts.token } : { key: opts.key ?? f.keys.RESTCO_API_KEY }), headers: { 'content-type': opts.type ?? 'application/json' }, body });
    const accepted = await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-1'))) as any;
    expect(accepted.status).toBe('received');
    const processed = await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-2'), { query: '?wait=true' })) as any;
    expect(processed.status).toBe('processed');
    const dup = await post(shipNotice('OA-2'), { query: '?wait=true' });
    expect(dup.status).toBe(200);
    expect(await conforms('POST', '/api/v1/inbound', dup)).toMatchObject({ status: 'duplicate' });
    const malformed = await post('{"type": "ship_notice", "document": {,}}');
    expect(malformed.status).toBe(400);
    expect(await conforms('POST', '/api/v1/inbound', malformed)).toMatchObject({ error: { code: 'json_malformed' } });
    const invalid = await post(shipNotice('OA-3', '20 Nov 2026'), { query: '?wait=true' });
    expect(invalid.status).toBe(422);
    expect(await conforms('POST', '/api/v1/inbound', invalid)).toMatchObject({ error: { code: 'canonical_invalid' }, errors: [{ stage: 'validate', code: 'canonical_invalid' }] });
    expect(await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-4'), { key: 'no-such-key' }))).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-4'), { type: 'image/png' }))).toMatchObject({ error: { code: 'unsupported_media_type' } });
    expect(await conforms('POST', '/api/v1/inbound', await post('', {}))).toMatchObject({ error: { code: 'body_empty' } });
    expect(await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-4'), { token: tokens.operator }))).toMatchObject({ error: { code: 'query_invalid', detail: { parameter: 'partner' } } });
    expect(await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-4'), { token: tokens.operator, query: '?partner=nosuch' }))).toMatchObject({ error: { code: 'partner_not_found', detail: { partnerId: 'nosuch' } } });
    expect(await conforms('POST', '/api/v1/inbound', await post(shipNotice('OA-4'), { token: tokens.erp, query: '?partner=restco' }))).toMatchObject({ error: { code: 'forbidden' } });
    await f.gw.idle();
  });

  it('messages, documents, exceptions, partners, certificates: lists, one row, and not found', async () => {
    const op = { token: tokens.operator };
    const messages = await conforms('GET', '/api/v1/messages', await call('GET', '/api/v1/messages?limit=2', op)) as any;
    expect(messages.messages.length).toBe(2);
    expect(messages.next).toMatch(/^\d+$/);
    const id = messages.messages[0].id;
    await conforms('GET', '/api/v1/messages/:id', await call('GET', `/api/v1/messages/${id}`, op));
    expect(await conforms('GET', '/api/v1/messages/:id', await call('GET', '/api/v1/messages/msg_nosuch', op))).toMatchObject({ error: { code: 'message_not_found', detail: { messageId: 'msg_nosuch' } } });
    await conforms('GET', '/api/v1/messages/:id/raw', await call('GET', `/api/v1/messages/${id}/raw`, op));
    expect(await conforms('GET', '/api/v1/messages', await call('GET', '/api/v1/messages?after=abc', op))).toMatchObject({ error: { code: 'query_invalid', detail: { parameter: 'after', found: 'abc' } } });
    expect(await conforms('GET', '/api/v1/messages', await call('GET', '/api/v1/messages?partner=nosuch', op))).toMatchObject({ error: { code: 'partner_not_found' } });
    expect(await conforms('GET', '/api/v1/messages', await call('GET', '/api/v1/messages', { token: tokens.erp }))).toMatchObject({ error: { code: 'forbidden' } });

    const documents = await conforms('GET', '/api/v1/documents', await call('GET', '/api/v1/documents?partner=restco', op)) as any;
    expect(documents.documents.length).toBeGreaterThan(0);
    await conforms('GET', '/api/v1/documents/:id', await call('GET', `/api/v1/documents/${documents.documents[0].id}`, op));
    expect(await conforms('GET', '/api/v1/documents/:id', await call('GET', '/api/v1/documents/doc_nosuch', op))).toMatchObject({ error: { code: 'document_not_found' } });

    const exceptions = await conforms('GET', '/api/v1/exceptions', await call('GET', '/api/v1/exceptions', op)) as any;
    expect(exceptions.exceptions.length).toBeGreaterThan(0);
    await conforms('GET', '/api/v1/exceptions/:id', await call('GET', `/api/v1/exceptions/${exceptions.exceptions[0].id}`, op));
    expect(await conforms('GET', '/api/v1/exceptions', await call('GET', '/api/v1/exceptions?status=closed', op))).toMatchObject({ error: { code: 'query_invalid', detail: { parameter: 'status' } } });
    expect(await conforms('GET', '/api/v1/exceptions/:id', await call('GET', '/api/v1/exceptions/exc_nosuch', op))).toMatchObject({ error: { code: 'exception_not_found' } });
    const malformedExc = exceptions.exceptions.find((e: any) => e.code === 'json_malformed');
    const invalidExc = exceptions.exceptions.find((e: any) => e.code === 'canonical_invalid');
    // a replay before any fix: the same error again, before and now
    expect(await conforms('POST', '/api/v1/exceptions/:id/replay', await call('POST', `/api/v1/exceptions/${invalidExc.id}/replay`, op))).toMatchObject({ after: { status: 'failed', errors: [{ code: 'canonical_invalid' }] } });
    await conforms('POST', '/api/v1/exceptions/:id/discard', await call('POST', `/api/v1/exceptions/${malformedExc.id}/discard`, { ...op, headers: { 'content-type': 'application/json' }, body: '{"reason":"test"}' }));
    expect(await conforms('POST', '/api/v1/exceptions/:id/replay', await call('POST', `/api/v1/exceptions/${malformedExc.id}/replay`, op))).toMatchObject({ error: { code: 'exception_discarded' } });
    expect(await conforms('POST', '/api/v1/messages/:id/replay', await call('POST', '/api/v1/messages/msg_nosuch/replay', op))).toMatchObject({ error: { code: 'message_not_found' } });

    await conforms('GET', '/api/v1/partners', await call('GET', '/api/v1/partners', op));
    await conforms('GET', '/api/v1/partners/:id', await call('GET', '/api/v1/partners/restco', op));
    expect(await conforms('GET', '/api/v1/partners/:id', await call('GET', '/api/v1/partners/nosuch', op))).toMatchObject({ error: { code: 'partner_not_found' } });
    await conforms('GET', '/api/v1/certificates', await call('GET', '/api/v1/certificates', op));
    await conforms('GET', '/api/v1/console/whoami', await call('GET', '/api/v1/console/whoami', op));
  });

  it('the ERP feed, its ack, the outbound channel and orders', async () => {
    const erp = { token: tokens.erp };
    const page = await conforms('GET', '/api/v1/erp/documents', await call('GET', '/api/v1/erp/documents?limit=10', erp)) as any;
    expect(page.documents.length).toBeGreaterThan(0);
    const ack = await call('POST', '/api/v1/erp/documents/ack', { ...erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [page.documents[0].id, 'doc_nosuch'] }) });
    expect(await conforms('POST', '/api/v1/erp/documents/ack', ack)).toEqual({ acknowledged: [page.documents[0].id], unknown: ['doc_nosuch'] });
    expect(await conforms('POST', '/api/v1/erp/documents/ack', await call('POST', '/api/v1/erp/documents/ack', { ...erp, body: 'ids' }))).toMatchObject({ error: { code: 'json_malformed' } });
    expect(await conforms('POST', '/api/v1/erp/documents/ack', await call('POST', '/api/v1/erp/documents/ack', { ...erp, body: '{"ids": "doc_1"}' }))).toMatchObject({ error: { code: 'body_invalid', detail: { pointer: '/ids' } } });
    expect(await conforms('GET', '/api/v1/erp/documents', await call('GET', '/api/v1/erp/documents?limit=0', erp))).toMatchObject({ error: { code: 'query_invalid', detail: { parameter: 'limit', found: '0' } } });
    expect(await conforms('GET', '/api/v1/erp/documents', await call('GET', '/api/v1/erp/documents', { token: tokens.admin }))).toMatchObject({ error: { code: 'forbidden' } });

    const outbound = (body: unknown) => call('POST', '/api/v1/erp/outbound', { ...erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await conforms('POST', '/api/v1/erp/outbound', await outbound({ type: 'purchase_order', document: {} }))).toMatchObject({ error: { code: 'body_invalid', detail: { pointer: '/partnerId' } } });
    expect(await conforms('POST', '/api/v1/erp/outbound', await outbound({ partnerId: 'nosuch', type: 'purchase_order', document: {} }))).toMatchObject({ error: { code: 'partner_not_found', detail: { partnerId: 'nosuch' } } });
    expect(await conforms('GET', '/api/v1/erp/outbound/:messageId', await call('GET', '/api/v1/erp/outbound/msg_nosuch', erp))).toMatchObject({ error: { code: 'message_not_found' } });

    await conforms('GET', '/api/v1/orders/overdue', await call('GET', '/api/v1/orders/overdue', erp));
    await conforms('GET', '/api/v1/orders/:poNumber', await call('GET', '/api/v1/orders/PO-OA-2', erp));
    expect(await conforms('GET', '/api/v1/orders/:poNumber', await call('GET', '/api/v1/orders/PO-NOSUCH', erp))).toMatchObject({ error: { code: 'order_not_found' } });
  });

  it('jobs, health, metrics, the console, and the fallbacks (404 route_not_found, 405 with Allow)', async () => {
    const admin = { token: tokens.admin };
    await conforms('GET', '/api/v1/jobs', await call('GET', '/api/v1/jobs', admin));
    expect(await conforms('GET', '/api/v1/jobs', await call('GET', '/api/v1/jobs?state=stuck', admin))).toMatchObject({ error: { code: 'query_invalid', detail: { parameter: 'state', found: 'stuck' } } });
    expect(await conforms('GET', '/api/v1/jobs/:id', await call('GET', '/api/v1/jobs/999999', admin))).toMatchObject({ error: { code: 'job_not_found' } });
    expect(await conforms('POST', '/api/v1/jobs/:id/retry', await call('POST', '/api/v1/jobs/999999/retry', admin))).toMatchObject({ error: { code: 'job_not_found' } });
    expect(await conforms('GET', '/api/v1/jobs', await call('GET', '/api/v1/jobs', { token: tokens.operator }))).toMatchObject({ error: { code: 'forbidden' } });

    expect(await conforms('GET', '/healthz', await call('GET', '/healthz'))).toMatchObject({ status: 'ok', checks: { storage: 'ok' } });
    // the same answer with a token: the details are /api/v1/status's (staff only)
    const staffHealth = await conforms('GET', '/healthz', await call('GET', '/healthz', { token: tokens.operator }));
    expect(Object.keys(staffHealth as object).sort()).toEqual(['checks', 'node', 'status', 'storage']);
    const status = await conforms('GET', '/api/v1/status', await call('GET', '/api/v1/status', { token: tokens.operator })) as any;
    expect(status).toMatchObject({ status: 'ok', checks: { storage: 'ok' }, counts: expect.any(Object), sftp: expect.any(Array), missingSecrets: expect.any(Array) });
    expect(await conforms('GET', '/api/v1/status', await call('GET', '/api/v1/status'))).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await conforms('GET', '/api/v1/status', await call('GET', '/api/v1/status', { key: f.keys.RESTCO_API_KEY }))).toMatchObject({ error: { code: 'forbidden' } });
    expect(await conforms('GET', '/metrics', await call('GET', '/metrics'))).toContain('# TYPE ');
    await conforms('GET', '/', await call('GET', '/'));
    expect(await conforms('GET', '/schemas/:name', await call('GET', '/schemas/purchase_order.v1.json'))).toContain('"$id":"purchase_order.v1.json"');
    // the same document at the root path the issue names (tools such as Scalar and Swagger UI try /openapi.json first)
    expect(await conforms('GET', '/openapi.json', await call('GET', '/openapi.json'))).toMatchObject({ openapi: '3.1.0', paths: { '/api/v1/inbound': {} } });
    expect(await conforms('GET', '/schemas/:name', await call('GET', '/schemas/nosuch.v1.json'))).toMatchObject({ error: { code: 'route_not_found' } });
    await conforms('GET', '/console/*', await call('GET', '/console/nosuch.js'));

    expect(await conformsToError(await call('GET', '/api/v1/nosuch', admin), 404)).toMatchObject({ error: { code: 'route_not_found' } });
    const wrong = await call('DELETE', '/api/v1/messages', admin);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect(await conformsToError(wrong, 405)).toMatchObject({ error: { code: 'method_not_allowed', detail: { allowed: ['GET', 'HEAD'] } } });
  });
});
