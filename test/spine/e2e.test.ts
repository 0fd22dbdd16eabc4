import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const shipNotice = (id: string, po = 'PO-1001') => ({
  type: 'ship_notice',
  document: {
    shipmentId: id, shipDate: '2026-11-20',
    carrier: { scac: 'UPSN', trackingNumber: '1Z999' },
    orders: [{ poNumber: po, lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 12, unitOfMeasure: 'EA' }] }],
  },
});

let f: GatewayFixture;
beforeEach(async () => { f = await startGatewayFixture(); });
afterEach(async () => { await f.close(); });

const post = (body: unknown, query = '', init: RequestInit & { key?: string; token?: string } = {}) =>
  f.fetch(`/api/v1/inbound${query}`, {
    method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body), ...init,
  });
const pull = async (q = '') => (await (await f.fetch(`/api/v1/erp/documents${q}`, { token: tokens.erp })).json()) as { documents: Array<Record<string, any>> };
const ack = (ids: string[]) => f.fetch('/api/v1/erp/documents/ack', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });

describe('partner posts, ERP pulls and acks (real HTTP)', () => {
  it('delivers the canonical envelope once, and nothing comes back after the ack', async () => {
    const res = await post(shipNotice('SH-1'));
    expect(res.status).toBe(202);
    const { messageId, status } = await res.json() as { messageId: string; status: string };
    expect(status).toBe('received');
    await f.gw.idle();

    const msg = await (await f.fetch(`/api/v1/messages/${messageId}`, { key: f.keys.RESTCO_API_KEY })).json() as any;
    expect(msg.status).toBe('processed');
    expect(msg.documents).toHaveLength(1);

    const first = await pull();
    expect(first.documents).toHaveLength(1);
    const env = first.documents[0]!;
    expect(env).toMatchObject({
      type: 'ship_notice', version: 1, partnerId: 'restco', direction: 'inbound', correlationId: 'PO-1001',
      receivedAt: '2026-11-23T10:00:00.000Z', source: { format: 'json', messageId },
      document: { shipmentId: 'SH-1', orders: [{ poNumber: 'PO-1001' }] },
    });
    // under lease: not handed out again
    expect((await pull()).documents).toHaveLength(0);
    const acked = await (await ack([env.id, 'doc_unknown'])).json();
    expect(acked).toEqual({ acknowledged: [env.id], unknown: ['doc_unknown'] });
    f.clock.advance(10 * 60_000);
    expect((await pull()).documents).toHaveLength(0);
  });

  it('hands an unacked document out again after its lease, and keeps per-partner order', async () => {
    for (const id of ['SH-1', 'SH-2', 'SH-3']) expect((await post(shipNotice(id))).status).toBe(202);
    await f.gw.idle();
    const batch = await pull('?limit=2');
    expect(batch.documents.map((d) => d.document.shipmentId)).toEqual(['SH-1', 'SH-2']);
    // the partner has documents under lease: SH-3 waits so the ERP sees them in order
    expect((await pull()).documents).toHaveLength(0);
    f.clock.advance(61_000);
    const again = await pull();
    expect(again.documents.map((d) => d.document.shipmentId)).toEqual(['SH-1', 'SH-2', 'SH-3']);
    await ack(again.documents.map((d) => d.id));
    f.clock.advance(61_000);
    expect((await pull()).documents).toHaveLength(0);
  });

  it('answers ?wait=true with the documents or the precise schema errors', async () => {
    const ok = await post(shipNotice('SH-9'), '?wait=true');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'processed', documents: [{ type: 'ship_notice', document: { shipmentId: 'SH-9' } }] });

    const bad = shipNotice('SH-10');
    (bad.document as any).shipDate = '11/20/2026';
    const res = await post(bad, '?wait=true');
    expect(res.status).toBe(422);
    const body = await res.json() as any;
    expect(body.status).toBe('failed');
    expect(body.errors[0]).toMatchObject({ stage: 'validate', code: 'canonical_invalid', message: 'ship_notice is not valid: /shipDate must match YYYY-MM-DD' });
    const exc = await (await f.fetch('/api/v1/exceptions', { token: tokens.operator })).json() as any;
    expect(exc.exceptions).toHaveLength(1);
    expect(exc.exceptions[0]).toMatchObject({ messageId: body.messageId, stage: 'validate', code: 'canonical_invalid', partnerId: 'restco', status: 'open' });
  });
});

describe('bad input gets a precise status and loses nothing', () => {
  it('refuses a body over the limit with 413', async () => {
    const res = await post('{"x":"' + 'a'.repeat(1024 * 1024) + '"}');
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('message_too_large');
  });

  it('keeps malformed JSON, answers 400 with line and column, and queues an exception', async () => {
    const res = await post('{\n  "type": "ship_notice",\n  "document": {,}\n}');
    expect(res.status).toBe(400);
    const body = await res.json() as any;
    expect(body.errors[0].code).toBe('json_malformed');
    expect(body.errors[0].message).toMatch(/^malformed JSON at line 3, column 16/);
    // the first error again as `error`, the shape of every API error (src/server/errors.ts)
    expect(body.error).toMatchObject({ code: 'json_malformed', detail: { line: 3, column: 16 } });
    const raw = await f.fetch(`/api/v1/messages/${body.messageId}/raw`, { token: tokens.operator });
    expect(await raw.text()).toBe('{\n  "type": "ship_notice",\n  "document": {,}\n}');
    // a partner's bytes are a download, never a page a browser would render or sniff
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(raw.headers.get('content-disposition')).toBe(`attachment; filename="${body.messageId}.raw"`);
  });

  it('refuses a content type it cannot read with 415', async () => {
    const res = await post('%PDF-1.4', '', { headers: { 'content-type': 'application/pdf' } });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.message).toMatch(/^Content-Type "application\/pdf" is not accepted/);
  });

  it('401 without or with a wrong key, 403 for the wrong role, 404 for an unknown partner', async () => {
    expect((await post(shipNotice('A'), '', { key: 'nope' })).status).toBe(401);
    expect((await f.fetch('/api/v1/inbound', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await f.fetch('/api/v1/exceptions', { token: tokens.erp })).status).toBe(403);
    expect((await f.fetch('/api/v1/erp/documents', { key: f.keys.RESTCO_API_KEY })).status).toBe(403);
    // the feed is the ERP's alone (README): an admin pull would lease documents away from the ERP
    expect((await f.fetch('/api/v1/erp/documents', { token: tokens.admin })).status).toBe(403);
    expect((await f.fetch('/api/v1/erp/documents/ack', { method: 'POST', token: tokens.admin, headers: { 'content-type': 'application/json' }, body: '{"ids":[]}' })).status).toBe(403);
    const up = await post(shipNotice('A'), '?partner=ghost', { key: undefined, token: tokens.operator });
    expect(up.status).toBe(404);
    expect(f.logger.entries.some((e) => e.msg === 'refused credentials')).toBe(true);
  });

  it('lets staff upload on a partner\'s behalf and records who did', async () => {
    const res = await post(shipNotice('UP-1'), '?partner=restco&wait=true', { key: undefined, token: tokens.operator });
    expect(res.status).toBe(200);
    const { messageId } = await res.json() as any;
    const msg = await (await f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.admin })).json() as any;
    expect(msg).toMatchObject({ partnerId: 'restco', transport: 'upload', metadata: { uploadedBy: 'operator:test-operator' } });
  });

  it('stores the same bytes again as a duplicate of the first, without a second document', async () => {
    const a = await (await post(shipNotice('D-1'))).json() as any;
    const b = await post(shipNotice('D-1'));
    expect(b.status).toBe(200);
    expect(await b.json()).toMatchObject({ status: 'duplicate', duplicateOf: a.messageId });
    await f.gw.idle();
    expect((await pull()).documents).toHaveLength(1);
  });
});

describe('the pull feed honours the partner throttle toward the ERP', () => {
  it('hands out at most the burst, then the rate as time passes, in order', async () => {
    await f.close();
    f = await startGatewayFixture({ partners: { restco: restcoYaml + 'throttle: { ratePerSecond: 1, burst: 2 }\n' } });
    for (const id of ['T-1', 'T-2', 'T-3', 'T-4']) expect((await post(shipNotice(id))).status).toBe(202);
    await f.gw.idle();
    const firstRes = await f.fetch('/api/v1/erp/documents', { token: tokens.erp });
    const first = await firstRes.json() as any;
    expect(first.documents.map((d: any) => d.document.shipmentId)).toEqual(['T-1', 'T-2']);
    expect(first.throttled).toBe(2);
    // the burst of 2 is spent; at 1 per second the next token comes in 1 s (fixed clock): try again then
    expect(firstRes.headers.get('retry-after')).toBe('1');
    expect(first.retryAfterSeconds).toBe(1);
    await ack(first.documents.map((d: any) => d.id));
    expect((await pull()).documents).toHaveLength(0);
    f.clock.advance(1000);
    expect((await pull()).documents.map((d) => d.document.shipmentId)).toEqual(['T-3']);
  });
});
