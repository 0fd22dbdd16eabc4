import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_AS2_PARTNER, X12_850, X12_ENTITY, postAs2 } from '../as2/fixtures.ts';
import { createPki, mimeEntity, opensslEncrypt, opensslMic, opensslSign, opensslVerify, splitSmime, type Party, type Pki } from '../as2/openssl.ts';
import { FIXTURE_TIME, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let pki: Pki;
let gateway: Party;
let acme: Party;
let f: GatewayFixture;
const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"';

beforeAll(async () => {
  pki = createPki({ now: new Date(FIXTURE_TIME) }); // one clock for the certificates and the gateway
  gateway = pki.party('EDIGW');
  acme = pki.party('ACME-AS2', 20);
  f = await startGatewayFixture({
    partners: { acme: ACME_AS2_PARTNER },
    mappings: { '_base/x12-004010-850.inbound.yaml': readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8') },
    files: { 'partners/certs/acme.pem': acme.certPem },
    as2: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
  });
});
afterAll(async () => {
  await f?.close();
  pki?.cleanup();
});

describe('AS2 through the whole gateway (messages built with openssl cms)', () => {
  it('a signed and encrypted 850 gets a signed MDN after its commit, and reaches the ERP feed', async () => {
    const body = opensslEncrypt(pki, opensslSign(pki, X12_ENTITY, acme, 'sha256'), gateway, 'aes256');
    const send = () => postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: '<po-1001@acme.example>', signedMdnMic: 'sha-256' });
    const res = await send();
    expect(res.status).toBe(200);
    const ct = res.headers.get('content-type') ?? '';
    const mdnBytes = new Uint8Array(await res.arrayBuffer());
    const report = opensslVerify(pki, ct, mdnBytes, gateway).toString('latin1');
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha256')}, sha-256`);

    await f.gw.idle();
    const docs = ((await (await f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json()) as any).documents;
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ partnerId: 'acme', type: 'purchase_order', document: { poNumber: 'PO-1001', lines: [{ quantity: 10, unitPrice: 9.5, vendorPartNumber: 'WIDGET-1' }] } });
    const msg = await (await f.fetch(`/api/v1/messages/${docs[0].source.messageId}`, { token: tokens.operator })).json() as any;
    expect(msg).toMatchObject({ transport: 'as2', partnerId: 'acme', metadata: { as2MessageId: '<po-1001@acme.example>' } });
    const raw = await (await f.fetch(`/api/v1/messages/${msg.id}/raw`, { token: tokens.operator })).text();
    expect(raw).toBe(X12_850);

    // the same Message-ID again: the original MDN, nothing ingested twice
    const again = await send();
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(mdnBytes);
    const all = ((await (await f.fetch('/api/v1/messages?partner=acme', { token: tokens.operator })).json()) as any).messages;
    expect(all.filter((m: any) => m.direction === 'inbound')).toHaveLength(1);
  });

  it("anti-spoofing over AS2: ACME's certificate carrying an interchange whose ISA sender is not ACME's is taken (the MDN says received) and refused by the pipeline with sender_mismatch", async () => {
    const spoofed = X12_850.replace('*ZZ*ACMESUPPLY     *', '*ZZ*SPOOFER        *').replace('GS*PO*ACMESUPPLY*', 'GS*PO*SPOOFER*').replace('000000001', '000000901').replace('000000001', '000000901');
    const body = opensslEncrypt(pki, opensslSign(pki, mimeEntity(['Content-Type: application/edi-x12'], spoofed), acme, 'sha256'), gateway, 'aes256');
    const res = await postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: '<spoof-1@acme.example>', signedMdnMic: 'sha-256' });
    const report = opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    await f.gw.idle();
    const exc = ((await (await f.fetch('/api/v1/exceptions?partner=acme', { token: tokens.operator })).json()) as any).exceptions;
    const mine = exc.find((e: any) => e.code === 'sender_mismatch');
    expect(mine).toMatchObject({ stage: 'identify', message: 'partner "acme" submitted an interchange whose sender ZZ:SPOOFER (ISA05/ISA06) is not one of its ids (ZZ:ACMESUPPLY)' });
    const raw = await (await f.fetch(`/api/v1/messages/${mine.messageId}/raw`, { token: tokens.operator })).text();
    expect(raw).toBe(spoofed);
  });

  it('refuses an unsigned message from a partner whose policy requires signing, with a negative MDN', async () => {
    const body = opensslEncrypt(pki, mimeEntity(['Content-Type: application/edi-x12'], X12_850), gateway, 'aes128');
    const res = await postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: '<unsigned-1@acme.example>', signedMdnMic: 'sha-256' });
    const report = opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
    expect(report).toContain('processed/error: insufficient-message-security');
    // the refused message keeps its raw bytes, with an exception saying why
    const exc = ((await (await f.fetch('/api/v1/exceptions?partner=acme', { token: tokens.operator })).json()) as any).exceptions;
    expect(exc[0]).toMatchObject({ stage: 'receive', code: 'as2_insufficient_security', message: 'partner acme must sign, message was not signed' });
    const raw = new Uint8Array(await (await f.fetch(`/api/v1/messages/${exc[0].messageId}/raw`, { token: tokens.operator })).arrayBuffer());
    expect(raw).toEqual(new Uint8Array(body));
  });

  it('answers an unknown AS2-From with 403 and ingests nothing', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const res = await postAs2(`${f.gw.url}/as2`, { contentType, body, messageId: '<x@stranger>', from: 'STRANGER' });
    expect(res.status).toBe(403);
  });

  it('reports a partner certificate expiring within 30 days in /api/v1/status and the admin API', async () => {
    const health = await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as any;
    expect(health.certificates).toHaveLength(1);
    expect(health.certificates[0]).toMatchObject({ owner: 'acme', status: 'expiring', subject: expect.stringContaining('CN=ACME-AS2') });
    expect(health.certificates[0].daysLeft).toBe(20);
    const all = await (await f.fetch('/api/v1/certificates', { token: tokens.operator })).json() as any;
    expect(all.certificates.map((c: any) => [c.owner, c.status])).toEqual([['gateway', 'ok'], ['acme', 'expiring']]);
  });
});
