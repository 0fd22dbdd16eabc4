/**
 * The carrier's JSON status webhook over real HTTP: Swift Freight (partners/swiftfreight.yaml, its
 * shipped mapping) posts a tracking event with its API key and an HMAC-SHA256 signature of the body
 * (computed here by the openssl command line, not by the gateway's code). A good signature is
 * processed into a shipment_status on the shipment's order; a missing, forged or stale signature
 * is 401 with its own code, and the body is kept as a rejected message with an exception.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const SECRET = 'whsec-swift-3f9a1c';
const KEY = 'swift-api-key-77aa';
const event = readFileSync(path.join(repo, 'fixtures/swiftfreight/status-webhook-delayed/input.json'), 'utf8');

/** `sha256=<hex>` as the carrier computes it, by openssl */
const sign = (body: string, secret = SECRET) => `sha256=${execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-r'], { input: body }).toString('latin1').split(' ')[0]}`;

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({
    partners: {
      swiftfreight: readFileSync(path.join(repo, 'partners/swiftfreight.yaml'), 'utf8'),
      restco: 'id: restco\nname: RestCo\nstatus: production\nidentifiers: {}\nformats:\n  json: { canonical: true }\nhttp:\n  apiKeyEnv: RESTCO_API_KEY\n',
    },
    mappings: { 'swiftfreight/json-status.inbound.yaml': readFileSync(path.join(repo, 'mappings/swiftfreight/json-status.inbound.yaml'), 'utf8') },
    env: { SWIFTFREIGHT_API_KEY: KEY, SWIFTFREIGHT_WEBHOOK_SECRET: SECRET },
  });
  // the shipment the carrier reports on: a ship notice for customer PO CUST-88
  const asn = { type: 'ship_notice', document: { shipmentId: 'KS-SHP-5001', shipDate: '2026-12-03', orders: [{ poNumber: 'CUST-88', lines: [{ lineNumber: '1', quantityShipped: 12 }] }] } };
  const r = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify(asn) });
  expect(r.status).toBe(200);
});
afterAll(async () => { await f?.close(); });

const post = (body: string, signature?: string) => f.fetch('/api/v1/inbound?wait=true', {
  method: 'POST', key: KEY, body,
  headers: { 'content-type': 'application/json', ...(signature !== undefined ? { 'x-swift-signature': signature } : {}) },
});

async function refusedAs(res: Response, code: string, body: string) {
  expect(res.status).toBe(401);
  const answer = await res.json() as any;
  expect(answer.error).toMatchObject({ code, detail: { partnerId: 'swiftfreight', header: 'X-Swift-Signature' } });
  const id = answer.error.detail.messageId as string;
  const m = await (await f.fetch(`/api/v1/messages/${id}`, { token: tokens.operator })).json() as any;
  expect(m).toMatchObject({ status: 'failed', partnerId: 'swiftfreight', transport: 'http', documents: [] });
  expect(m.exceptions).toMatchObject([{ stage: 'receive', code, status: 'open' }]);
  expect(await (await f.fetch(`/api/v1/messages/${id}/raw`, { token: tokens.operator })).text()).toBe(body);
  return answer.error.message as string;
}

describe('carrier status webhook with an HMAC signature per partner', () => {
  it('a signed event becomes a shipment_status on the order of the shipment it names', async () => {
    const res = await post(event, sign(event));
    const r = await res.json() as any;
    expect(res.status, JSON.stringify(r)).toBe(200);
    expect(r.documents).toMatchObject([{ type: 'shipment_status', partnerId: 'swiftfreight', delivery: 'released', correlationId: 'CUST-88' }]);
    const doc = await (await f.fetch(`/api/v1/documents/${r.documents[0].id}`, { token: tokens.operator })).json() as any;
    expect(doc.correlationId).toBe('CUST-88');
    expect(doc.envelope.document.milestones).toEqual([expect.objectContaining({ statusCode: 'DELAYED', event: 'delayed', occurredAt: '2026-12-04T18:20:00-06:00' })]);
    expect(doc.envelope.warnings).toEqual([{ code: 'status_exception', message: 'status of shipment KS-SHP-5001: delayed (DELAYED, reason WEATHER) on 2026-12-04T18:20:00-06:00 at Memphis, TN' }]);
  });

  it('no signature: 401 webhook_signature_missing, the body kept as a refused message', async () => {
    const body = event.replace('evt_01HZX4K2V9', 'evt_nosig');
    expect(await refusedAs(await post(body), 'webhook_signature_missing', body)).toContain('X-Swift-Signature');
  });

  it('signed with another secret, or the body changed after signing: 401 webhook_signature_invalid', async () => {
    const body = event.replace('evt_01HZX4K2V9', 'evt_forged');
    await refusedAs(await post(body, sign(body, 'not-the-secret')), 'webhook_signature_invalid', body);
    const changed = body.replace('"delayed"', '"delivered"');
    await refusedAs(await post(changed, sign(body)), 'webhook_signature_invalid', changed);
  });

  it('a header that is not "sha256=" and 64 hex digits: 401 webhook_signature_malformed', async () => {
    const body = event.replace('evt_01HZX4K2V9', 'evt_bad');
    await refusedAs(await post(body, sign(body).slice('sha256='.length)), 'webhook_signature_malformed', body);
  });

  it('an operator uploading on the carrier\'s behalf needs no signature (the staff token authenticates)', async () => {
    const body = event.replace('evt_01HZX4K2V9', 'evt_upload');
    const res = await f.fetch('/api/v1/inbound?partner=swiftfreight&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
  });
});
