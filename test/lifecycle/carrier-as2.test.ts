/**
 * The example carrier's 214 over AS2 (partners/swiftfreight.yaml as shipped, its certificate
 * written where the profile names it): a message signed and encrypted with the openssl command line
 * gets a signed MDN, and its milestones join the order of the shipment they report on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAs2 } from '../as2/fixtures.ts';
import { createPki, mimeEntity, opensslEncrypt, opensslSign, opensslVerify, type Party, type Pki } from '../as2/openssl.ts';
import { repoRoot } from '../outbound/harness.ts';
import { FIXTURE_TIME, restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"';
const repoFile = (rel: string) => readFileSync(path.join(repoRoot, rel), 'utf8');
let pki: Pki;
let gateway: Party;
let swift: Party;
let f: GatewayFixture;

beforeAll(async () => {
  pki = createPki({ now: new Date(FIXTURE_TIME) });
  gateway = pki.party('EDIGW');
  swift = pki.party('SWIFTFREIGHT', 21);
  f = await startGatewayFixture({
    partners: { swiftfreight: repoFile('partners/swiftfreight.yaml'), restco: restcoYaml },
    mappings: { '_base/x12-004010-214.inbound.yaml': repoFile('mappings/_base/x12-004010-214.inbound.yaml') },
    files: { 'partners/certs/swiftfreight.cert.pem': swift.certPem },
    as2: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    env: { SWIFTFREIGHT_API_KEY: 'k', SWIFTFREIGHT_WEBHOOK_SECRET: 's' },
  });
  // the shipment the 214 reports on
  const asn = { type: 'ship_notice', document: { shipmentId: 'KS-SHP-5001', shipDate: '2026-12-04', orders: [{ poNumber: 'CUST-88', lines: [{ lineNumber: '1', quantityShipped: 12 }] }] } };
  expect((await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify(asn) })).status).toBe(200);
});
afterAll(async () => {
  await f?.close();
  pki?.cleanup();
});

describe('carrier 214 over AS2', () => {
  it('a signed, encrypted 214 gets a signed MDN and its milestones reach the order', async () => {
    const x12 = repoFile('fixtures/swiftfreight/214-arrived-delivered/input.edi');
    const body = opensslEncrypt(pki, opensslSign(pki, mimeEntity(['Content-Type: application/edi-x12'], x12), swift, 'sha256'), gateway, 'aes256');
    const res = await postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: '<214-2141@swiftfreight.example>', from: 'SWIFTFREIGHT', to: 'EDIGW', signedMdnMic: 'sha-256' });
    expect(res.status).toBe(200);
    const report = opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    await f.gw.idle();
    const t = await (await f.fetch('/api/v1/orders/CUST-88', { token: tokens.operator })).json() as any;
    expect(t.documents.map((d: any) => [d.partnerId, d.type])).toEqual([['restco', 'ship_notice'], ['swiftfreight', 'shipment_status']]);
    expect(t.milestones.map((m: any) => [m.statusCode, m.occurredAt])).toEqual([['X1', '2026-12-05T09:10:00-05:00'], ['D1', '2026-12-05T09:42:00-05:00']]);
    expect(t.stage).toBe('delivered');
    const status = await (await f.fetch(`/api/v1/documents/${t.milestones[0].documentId}`, { token: tokens.operator })).json() as any;
    const msg = await (await f.fetch(`/api/v1/messages/${status.messageId}`, { token: tokens.operator })).json() as any;
    expect(msg).toMatchObject({ transport: 'as2', partnerId: 'swiftfreight', metadata: { as2MessageId: '<214-2141@swiftfreight.example>' } });
  });
});
