/**
 * The partner outbox over real HTTP (issue 18): a pickup partner collects our purchase order and
 * the 997s we answer its messages with under a lease and acks them, as the ERP pulls its feed; the
 * order is `delivered` only once acked. Its messages list what we answered, explained in words.
 * Another partner's key sees none of it: its ids are 404 / unknown, never told apart from missing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../outbound/harness.ts';
import { portalMappings } from './support.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const acmeYaml = `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
http: { apiKeyEnv: ACME_API_KEY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
acks: { x12: "997" }
`;
const otherYaml = `id: other
name: Other Co
status: production
identifiers:
  x12: { qualifier: ZZ, id: OTHERCO }
http: { apiKeyEnv: OTHER_API_KEY }
outbound: { channel: pickup }
`;
const acmeKey = 'acme-key-0123456789';
const otherKey = 'other-key-abcdef';
const po = {
  poNumber: 'PO-45001', poDate: '2024-03-15', currency: 'USD',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantity: 6, unitOfMeasure: 'CA', unitPrice: 48 },
  ],
};
const fixture = (rel: string) => readFileSync(path.join(repoRoot, 'fixtures/acme', rel, 'input.edi'), 'latin1');

let f: GatewayFixture;
let orderMessage = '';
const json = async (res: Response) => ({ status: res.status, body: await res.json() as any });
const asAcme = (p: string, init: RequestInit = {}) => f.fetch(p, { ...init, key: acmeKey }).then(json);
const asOther = (p: string, init: RequestInit = {}) => f.fetch(p, { ...init, key: otherKey }).then(json);
const ack = (who: typeof asAcme, ids: unknown) => who('/api/v1/partner/outbox/ack', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
const post = async (text: string) => {
  const r = await asAcme('/api/v1/inbound?wait=true', { method: 'POST', headers: { 'content-type': 'application/edi-x12' }, body: text });
  await f.gw.idle();
  return r;
};

beforeAll(async () => {
  f = await startGatewayFixture({ partners: { acme: acmeYaml, other: otherYaml }, mappings: portalMappings(), env: { ACME_API_KEY: acmeKey, OTHER_API_KEY: otherKey } });
  const res = await f.fetch('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partnerId: 'acme', type: 'purchase_order', document: po }) });
  expect(res.status).toBe(202);
  orderMessage = (await res.json() as any).messageId;
  await f.gw.idle();
});
afterAll(async () => { await f?.close(); });

describe('partner outbox', () => {
  it('a pickup order is stored, not delivered, until the partner acks it', async () => {
    const status = (await json(await f.fetch(`/api/v1/erp/outbound/${orderMessage}`, { token: tokens.erp }))).body;
    expect(status.send).toMatchObject({ state: 'pending', channel: 'pickup', status: 'stored' });
  });

  it('hands the order out under a lease; the partner fetches its bytes with its own key, another partner gets 404', async () => {
    const first = await asAcme('/api/v1/partner/outbox');
    expect(first.status).toBe(200);
    expect(first.body.leaseExpiresAt).toBe('2026-11-23T10:01:00.000Z');
    expect(first.body.items).toHaveLength(1);
    const item = first.body.items[0];
    expect(item).toMatchObject({ kind: 'purchase_order', messageId: orderMessage, status: 'ready', leaseCount: 1, summary: { poNumber: 'PO-45001', format: 'x12', message: '850' } });
    const raw = await f.fetch(item.links.raw, { key: acmeKey });
    expect(raw.status).toBe(200);
    const text = await raw.text();
    expect(text.startsWith('ISA*')).toBe(true);
    expect(text).toContain('BEG*00*SA*PO-45001');
    // another partner: the same URL is a 404 with the same words as an id that does not exist
    const foreign = await f.fetch(item.links.raw, { key: otherKey });
    const missing = await f.fetch('/api/v1/messages/msg_doesnotexist/raw', { key: otherKey });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await foreign.json() as any).error.code).toBe((await missing.json() as any).error.code);
    expect((await asOther('/api/v1/partner/outbox')).body.items).toEqual([]);
    // under the lease nothing is handed out again; after it, the same item comes back
    expect((await asAcme('/api/v1/partner/outbox')).body.items).toEqual([]);
    f.clock.advance(61_000);
    const again = await asAcme('/api/v1/partner/outbox');
    expect(again.body.items.map((i: any) => [i.id, i.leaseCount])).toEqual([[item.id, 2]]);
  });

  it('an ack marks the order delivered; unknown and foreign ids are said unknown, nothing else changes', async () => {
    const items = (await asAcme('/api/v1/partner/outbox')).body.items;
    expect(items).toEqual([]); // still leased from the last pull
    const listed = (await f.fetch(`/api/v1/erp/outbound/${orderMessage}`, { token: tokens.erp }).then(json)).body;
    expect(listed.send.state).toBe('pending');
    const id = `obx_po_${orderMessage}`;
    const byOther = await ack(asOther, [id]);
    expect(byOther.body).toEqual({ acknowledged: [], unknown: [id] });
    expect((await f.fetch(`/api/v1/erp/outbound/${orderMessage}`, { token: tokens.erp }).then(json)).body.send.state).toBe('pending');
    const mine = await ack(asAcme, [id, 'obx_nothing']);
    expect(mine.body).toEqual({ acknowledged: [id], unknown: ['obx_nothing'] });
    const after = (await f.fetch(`/api/v1/erp/outbound/${orderMessage}`, { token: tokens.erp }).then(json)).body;
    expect(after.send).toMatchObject({ state: 'delivered', channel: 'pickup', status: 'collected' });
    f.clock.advance(61_000);
    expect((await asAcme('/api/v1/partner/outbox')).body.items).toEqual([]);
  });

  it('bad requests are precise', async () => {
    expect((await asAcme('/api/v1/partner/outbox?limit=0')).body.error).toEqual({ code: 'query_invalid', message: 'limit must be an integer from 1 to 500, got "0"', detail: { parameter: 'limit', expected: 'an integer from 1 to 500', found: '0' } });
    expect((await ack(asAcme, 'x')).body.error).toMatchObject({ code: 'body_invalid', detail: { pointer: '/ids' } });
    const malformed = await asAcme('/api/v1/partner/outbox/ack', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.body.error.code).toBe('json_malformed');
    // staff tokens do not lease a partner's items away from it
    expect((await f.fetch('/api/v1/partner/outbox', { token: tokens.admin })).status).toBe(403);
    expect((await f.fetch('/api/v1/partner/outbox')).status).toBe(401);
  });

  it('the 997 we answer a message with and its disposition wait in the outbox; the messages list explains the 997 in words', async () => {
    const sent = await post(fixture('855-ack'));
    expect(sent.status).toBe(200);
    // TD5 04 (transport method, ID 1/2) with 5 characters: the set is rejected
    const bad = await post(fixture('856-ship-notice').replace('TD5*B*2*UPSN*M*', 'TD5*B*2*UPSN*MOTOR*').replace(/000000331/g, '000000341').replace('*331*', '*341*').replace('GE*1*331', 'GE*1*341'));
    expect(bad.status).toBe(422);
    const pulled = (await asAcme('/api/v1/partner/outbox')).body.items;
    const kinds = pulled.map((i: any) => `${i.kind}:${i.messageId === sent.body.messageId || i.summary.ackFor === sent.body.messageId ? 'good' : 'bad'}`);
    expect(kinds.sort()).toEqual(['disposition:bad', 'disposition:good', 'functional_ack:bad', 'functional_ack:good']);
    const disp = pulled.find((i: any) => i.kind === 'disposition' && i.messageId === bad.body.messageId);
    expect(disp.summary.status).toBe('failed');
    expect(disp.summary.errors[0]).toMatchObject({ code: 'x12_element_too_long' });
    const ackItem = pulled.find((i: any) => i.kind === 'functional_ack' && i.summary.ackFor === bad.body.messageId);
    const raw = await f.fetch(ackItem.links.raw, { key: acmeKey });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toContain('AK5*R');
    expect((await f.fetch(ackItem.links.raw, { key: otherKey })).status).toBe(404);

    const page1 = await asAcme('/api/v1/partner/messages?limit=1');
    expect(page1.body.messages).toHaveLength(1);
    const newest = page1.body.messages[0];
    expect(newest.id).toBe(bad.body.messageId);
    expect(newest.acknowledgements[0].explained).toEqual(['transaction set 856 0001 rejected: segment TD5 at position 6, element 4 must be at most 2 characters (found "MOTOR")']);
    expect(newest.exceptions[0]).toMatchObject({ code: 'x12_element_too_long' });
    const page2 = await asAcme(`/api/v1/partner/messages?limit=1&after=${page1.body.next}`);
    expect(page2.body.messages[0]).toMatchObject({ id: sent.body.messageId, documents: [{ type: 'purchase_order_ack', businessKey: 'PO-45001' }] });
    expect(page2.body.messages[0].acknowledgements[0].explained).toEqual(['transaction set 855 0001 accepted']);
    expect((await asAcme('/api/v1/partner/messages?after=abc')).body.error).toMatchObject({ code: 'query_invalid', detail: { parameter: 'after' } });
    // the other partner lists only its own (none)
    expect((await asOther('/api/v1/partner/messages')).body).toEqual({ messages: [], next: null });
  });
});
