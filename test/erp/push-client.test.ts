import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpPushClient } from '../../src/erp/push-client.ts';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { shipNoticeEnvelope } from './envelopes.ts';

describe('ERP push client over real HTTP', () => {
  let erp: TestErpServer;
  beforeAll(async () => { erp = await startErpServer({ token: 'erp-secret' }); });
  afterAll(async () => { await erp.close(); });
  const client = () => createErpPushClient({ url: erp.url, token: 'erp-secret', fetch, timeoutMs: 300 });

  it('POSTs the envelope as JSON with the bearer token and the document id as Idempotency-Key', async () => {
    const env = shipNoticeEnvelope('acme', 1);
    const out = await client().push(env);
    expect(out).toMatchObject({ kind: 'delivered', status: 201, duplicate: false });
    const got = erp.received.at(-1)!;
    expect(got.authorization).toBe('Bearer erp-secret');
    expect(got.idempotencyKey).toBe(env.id);
    expect(got.body).toEqual(env);
  });

  it('409 for a key the ERP already has counts as delivered', async () => {
    const env = shipNoticeEnvelope('acme', 2);
    await client().push(env);
    const again = await client().push(env);
    expect(again).toMatchObject({ kind: 'delivered', status: 409, duplicate: true });
  });

  it('a garbage body on 2xx is delivered, and the body is kept', async () => {
    erp.next({ kind: 'garbage' });
    const out = await client().push(shipNoticeEnvelope('acme', 3));
    expect(out.kind).toBe('delivered');
    expect(out.kind === 'delivered' && out.body).toContain('not json');
  });

  it('500 is retryable with the answer kept', async () => {
    erp.next({ kind: 'fail' });
    const out = await client().push(shipNoticeEnvelope('acme', 4));
    expect(out).toMatchObject({ kind: 'retryable', code: 'erp_server_error', status: 500, body: '{"error":"internal error"}' });
  });

  it('429 is retryable and carries Retry-After', async () => {
    erp.next({ kind: 'throttle', retryAfter: '7' });
    const out = await client().push(shipNoticeEnvelope('acme', 5));
    expect(out).toMatchObject({ kind: 'retryable', code: 'erp_throttled', status: 429, retryAfter: '7' });
  });

  it('a 4xx rejection is permanent, with the ERP answer', async () => {
    erp.next({ kind: 'reject', status: 422 });
    const out = await client().push(shipNoticeEnvelope('acme', 6));
    expect(out).toMatchObject({ kind: 'permanent', code: 'erp_rejected', status: 422 });
    expect(out.kind === 'permanent' && JSON.parse(out.body)).toEqual({ error: 'invalid document', field: 'document.lines' });
  });

  it('a refused token (401) is retryable: the gateway\'s configuration, not the document, is wrong', async () => {
    const out = await createErpPushClient({ url: erp.url, token: 'wrong', fetch, timeoutMs: 300 }).push(shipNoticeEnvelope('acme', 7));
    expect(out).toMatchObject({ kind: 'retryable', code: 'erp_unauthorized', status: 401 });
  });

  it('a redirect is not followed: permanent, naming the URL as the problem', async () => {
    erp.next({ kind: 'reject', status: 307, body: 'moved' });
    const out = await client().push(shipNoticeEnvelope('acme', 10));
    expect(out).toMatchObject({ kind: 'permanent', code: 'erp_redirected', status: 307, body: 'moved' });
  });

  it('no answer within the timeout is a retryable timeout', async () => {
    erp.next({ kind: 'stall' });
    const out = await client().push(shipNoticeEnvelope('acme', 8));
    expect(out).toMatchObject({ kind: 'retryable', code: 'erp_timeout' });
  });

  it('a closed port is a retryable connection error', async () => {
    const down = await startErpServer();
    const url = down.url;
    await down.close();
    const out = await createErpPushClient({ url, token: 't', fetch, timeoutMs: 1000 }).push(shipNoticeEnvelope('acme', 9));
    expect(out).toMatchObject({ kind: 'retryable', code: 'erp_connection_failed' });
    expect(out.kind === 'retryable' && out.message).toMatch(/ECONNREFUSED/);
  });
});

describe('ERP push client configuration', () => {
  it('refuses a URL that is not http(s) and a non-positive timeout, with precise codes', () => {
    expect(() => createErpPushClient({ url: 'ftp://erp.example/x', token: 't', fetch, timeoutMs: 100 })).toThrow(expect.objectContaining({ code: 'invalid_erp_url' }));
    expect(() => createErpPushClient({ url: 'not a url', token: 't', fetch, timeoutMs: 100 })).toThrow(expect.objectContaining({ code: 'invalid_erp_url' }));
    expect(() => createErpPushClient({ url: 'http://127.0.0.1:1/x', token: 't', fetch, timeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'invalid_erp_timeout' }));
  });
});
