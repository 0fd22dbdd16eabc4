/**
 * Outbound purchase orders over AS2 to a partner that is itself a second, real gateway (its POST
 * /as2 decrypts, verifies, answers a signed MDN, translates the 850 and builds a 997). Keys and
 * certificates are made with the openssl command line. The partner's 997 comes back to us and
 * reconciles the PO; an MDN we cannot accept ends in the exception queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, type Party, type Pki } from '../as2/openssl.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { baseMappings, purchaseOrder, startOutboundFixture, tokens, type OutboundFixture } from './harness.ts';

let pki: Pki;
let ours: Party;
let globex: Party;
let mallory: Party;
let theirs: GatewayFixture;
let o: OutboundFixture;

const ourProfileAtGlobex = `id: buyer
name: Buyer (edi-gateway)
status: production
identifiers:
  x12: { qualifier: ZZ, id: EDIGW }
  as2: EDIGW
as2:
  url: http://127.0.0.1:9/as2
  certificate: ./certs/edigw.pem
acks: { x12: "997" }
`;

const globexProfile = (id: string, url: string, cert: string) => `id: ${id}
name: Globex over AS2
status: production
identifiers:
  x12: { qualifier: ZZ, id: GLOBEX }
  as2: GLOBEX-AS2
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
as2:
  url: ${url}
  certificate: ./certs/${cert}
  mdn: sync
outbound: { channel: as2 }
acks: { x12: "997", expectWithinMinutes: 30 }
`;

beforeAll(async () => {
  pki = createPki();
  ours = pki.party('EDIGW');
  globex = pki.party('GLOBEX-AS2');
  mallory = pki.party('MALLORY');
  theirs = await startGatewayFixture({
    partners: { buyer: ourProfileAtGlobex }, mappings: baseMappings(), realClock: true,
    files: { 'partners/certs/edigw.pem': ours.certPem },
    as2: { as2Id: 'GLOBEX-AS2', privateKeyPem: globex.keyPem, certificatePem: globex.certPem },
  });
  o = await startOutboundFixture({
    partners: {
      globex: globexProfile('globex', `${theirs.gw.url}/as2`, 'globex.pem'),
    },
    files: { 'partners/certs/globex.pem': globex.certPem, 'partners/certs/mallory.pem': mallory.certPem },
    as2: { as2Id: 'EDIGW', privateKeyPem: ours.keyPem, certificatePem: ours.certPem },
    realClock: true,
  });
}, 60_000);
afterAll(async () => {
  await o?.close();
  await theirs?.close();
  pki?.cleanup();
});

describe('outbound purchase orders over AS2 (a second gateway as the partner)', () => {
  it('sends the 850 signed and encrypted, gets a verified MDN, and the partner translates the PO', async () => {
    const res = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify({ partnerId: 'globex', type: 'purchase_order', document: purchaseOrder }) });
    expect(res.status).toBe(202);
    const r = await res.json() as any;
    await o.outbound.idle();
    const status = await (await o.api(`/api/v1/erp/outbound/${r.messageId}`, { token: tokens.operator })).json() as any;
    expect(status.send).toMatchObject({ state: 'delivered', channel: 'as2', status: 'mdn_ok', mdn: { signed: true, disposition: 'automatic-action/MDN-sent-automatically; processed' } });
    // the MIC we computed is kept, so an asynchronous MDN can be checked against it later
    expect(status.send.mic).toMatch(/^[A-Za-z0-9+/]+=*, sha-256$/);

    // the partner's side: the message arrived from us, its ERP sees our PO with our lines
    await theirs.gw.idle();
    const feed = await (await theirs.fetch('/api/v1/erp/documents', { token: tokens.erp })).json() as any;
    expect(feed.documents).toHaveLength(1);
    expect(feed.documents[0]).toMatchObject({ partnerId: 'buyer', type: 'purchase_order', document: { poNumber: 'PO-OUT-1001', lines: [{ quantity: 24, unitPrice: 12.5 }, { quantity: 6, unitPrice: 48.25 }] } });
    const msgs = (await (await theirs.fetch('/api/v1/messages?partner=buyer', { token: tokens.operator })).json() as any).messages;
    const received = msgs.find((m: any) => m.direction === 'inbound');
    expect(received.metadata.as2MessageId).toBe(status.send.as2MessageId);
    const ourBytes = await (await o.f.fetch(`/api/v1/messages/${r.messageId}/raw`, { token: tokens.operator })).text();
    expect(await (await theirs.fetch(`/api/v1/messages/${received.id}/raw`, { token: tokens.operator })).text()).toBe(ourBytes);

    // the 997 the partner's gateway built for our group comes back to us and reconciles the PO
    const ack = msgs.find((m: any) => m.direction === 'outbound' && m.transport === 'ack');
    const ackText = await (await theirs.fetch(`/api/v1/messages/${ack.id}/raw`, { token: tokens.operator })).text();
    expect(ackText).toContain(`AK1*PO*${r.groupControlNumber}`);
    const back = await (await o.f.fetch('/api/v1/inbound?partner=globex&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edi-x12' }, body: ackText })).json() as any;
    await o.processed(back.messageId);
    const after = await (await o.api(`/api/v1/erp/outbound/${r.messageId}`, { token: tokens.erp })).json() as any;
    expect(after.functionalAck).toMatchObject({ state: 'accepted', type: '997', groupControlNumber: r.groupControlNumber });
    const timeline = await (await o.api('/api/v1/orders/PO-OUT-1001', { token: tokens.operator })).json() as any;
    expect(timeline.events.map((e: any) => e.kind)).toEqual(['document', 'sent', 'mdn', 'functional_ack_received']);
  });

  it('an MDN that does not verify (wrong partner certificate in our profile) is mdn_error and an exception', async () => {
    // our profile now holds the wrong certificate: globex cannot decrypt, and its MDN does not verify
    o.f.writePartner('globex', globexProfile('globex', `${theirs.gw.url}/as2`, 'mallory.pem'));
    expect(o.f.gw.reloadConfig()).toBe(true);
    const res = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify({ partnerId: 'globex', type: 'purchase_order', document: { ...purchaseOrder, poNumber: 'PO-OUT-2001' } }) });
    const r = await res.json() as any;
    await o.outbound.idle();
    const status = await (await o.api(`/api/v1/erp/outbound/${r.messageId}`, { token: tokens.operator })).json() as any;
    expect(status.send).toMatchObject({ state: 'failed', channel: 'as2', status: 'mdn_error', code: 'as2_mdn_error' });
    const exc = (await (await o.f.fetch('/api/v1/exceptions?partner=globex', { token: tokens.operator })).json() as any).exceptions;
    expect(exc.map((e: any) => [e.stage, e.code])).toEqual([['send', 'as2_mdn_error']]);
  });
});
