/**
 * AS2 bodies over the stream threshold, through the whole gateway: spooled to the file store as
 * they arrive and unwrapped streamed (src/transports/as2/stream-unpack.ts). Every message is built
 * by `openssl cms`; every MDN is checked by `openssl cms -verify`, its MIC against `openssl dgst`
 * of the signed entity. The threshold is 4 KiB here so that a 60 KB interchange streams; the
 * memory logger proves no message fell back to the in-memory unwrap.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_AS2_PARTNER, postAs2 } from '../as2/fixtures.ts';
import { createPki, mimeEntity, opensslEncrypt, opensslMic, opensslSign, opensslVerify, type Party, type Pki } from '../as2/openssl.ts';
import { FIXTURE_TIME, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let pki: Pki;
let gateway: Party;
let acme: Party;
let f: GatewayFixture;
const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"';
const AUTH_ENVELOPED = 'application/pkcs7-mime; smime-type=authEnveloped-data; name="smime.p7m"';

/** an X12 850 interchange of `n` purchase orders (PO-1..PO-n), each with one line, ISA13 `control` */
function interchange(n: number, control: string): string {
  const sets = Array.from({ length: n }, (_, i) => {
    const st = String(i + 1).padStart(4, '0');
    return [`ST*850*${st}`, `BEG*00*SA*PO-${i + 1}**20261123`, `PO1*1*${i + 1}*EA*9.5**VP*WIDGET-${i + 1}`, 'CTT*1', `SE*5*${st}`].join('~\n');
  });
  return [
    `ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*EDIGW          *261123*1200*U*00401*${control}*0*P*>`,
    'GS*PO*ACMESUPPLY*EDIGW*20261123*1200*1*X*004010', ...sets, `GE*${n}*1`, `IEA*1*${control}`, '',
  ].join('~\n');
}

const entity = (x12: string) => mimeEntity(['Content-Type: application/edi-x12', 'Content-Disposition: attachment; filename=big850.edi'], x12);

beforeAll(async () => {
  pki = createPki({ now: new Date(FIXTURE_TIME) });
  gateway = pki.party('EDIGW');
  acme = pki.party('ACME-AS2');
  f = await startGatewayFixture({
    partners: { acme: ACME_AS2_PARTNER },
    mappings: { '_base/x12-004010-850.inbound.yaml': readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8') },
    files: { 'partners/certs/acme.pem': acme.certPem },
    as2: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    streamThresholdBytes: 4096,
  });
});
afterAll(async () => {
  await f?.close();
  pki?.cleanup();
});

async function mdnReport(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
}

const fallbacks = () => f.logger.entries.filter((e) => e.msg === 'as2 streamed unwrap failed, unwrapping in memory');

async function messageFor(as2MessageId: string): Promise<any> {
  const list = ((await (await f.fetch('/api/v1/messages?partner=acme&limit=200', { token: tokens.operator })).json()) as any).messages;
  return list.find((m: any) => m.direction === 'inbound' && m.transport === 'as2' && m.metadata?.as2MessageId === as2MessageId);
}

describe('AS2 bodies over the stream threshold (spooled, unwrapped streamed)', () => {
  it.each([
    ['DER enveloped-data, AES-256-CBC', 'aes256', false, ENVELOPED, '000000101'],
    ['BER enveloped-data as openssl cms -stream writes it', 'aes256', true, ENVELOPED, '000000102'],
    ['authEnveloped-data, AES-256-GCM', 'aes-256-gcm', false, AUTH_ENVELOPED, '000000103'],
  ] as const)('%s: signed MDN with the MIC openssl computes, payload byte for byte, every PO in the ERP feed', async (_name, cipher, stream, contentType, control) => {
    const x12 = interchange(600, control);
    const signedEntity = entity(x12);
    const body = opensslEncrypt(pki, opensslSign(pki, signedEntity, acme, 'sha256'), gateway, cipher, undefined, stream);
    expect(body.length).toBeGreaterThan(40_000); // well over the 4 KiB threshold
    const id = `<big-${control}@acme.example>`;
    const before = fallbacks().length;
    const report = await mdnReport(await postAs2(`${f.gw.url}/as2`, { contentType, body, messageId: id, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, signedEntity, 'sha256')}, sha-256`);
    expect(fallbacks().slice(before)).toEqual([]);

    await f.gw.idle();
    const msg = await messageFor(id);
    expect(msg).toMatchObject({ transport: 'as2', partnerId: 'acme' });
    expect(await (await f.fetch(`/api/v1/messages/${msg.id}/raw`, { token: tokens.operator })).text()).toBe(x12);
    // the first and the last of the 600 orders, from this message
    for (const po of ['PO-1', 'PO-600']) {
      const docs = ((await (await f.fetch(`/api/v1/documents?number=${po}&partner=acme`, { token: tokens.operator })).json()) as any).documents;
      expect(docs.filter((d: any) => d.source?.messageId === msg.id || d.messageId === msg.id), po).toHaveLength(1);
    }
  }, 60_000);

  it('a signature that does not match the content: negative MDN (integrity-check-failed), the body kept as received', async () => {
    const good = opensslSign(pki, entity(interchange(400, '000000104')), acme, 'sha256');
    // one byte of the signed content changed after signing: PO-7 becomes PO-8 in the first part
    const text = good.toString('latin1');
    const at = text.indexOf('BEG*00*SA*PO-7**');
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(`${text.slice(0, at)}BEG*00*SA*PO-8**${text.slice(at + 16)}`, 'latin1');
    const body = opensslEncrypt(pki, tampered, gateway, 'aes256');
    const id = '<tampered-104@acme.example>';
    const report = await mdnReport(await postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: id, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: integrity-check-failed\r\n');
    const exc = ((await (await f.fetch('/api/v1/exceptions?partner=acme', { token: tokens.operator })).json()) as any).exceptions;
    const mine = exc.find((e: any) => e.stage === 'receive' && e.code === 'as2_integrity_check_failed');
    expect(mine, JSON.stringify(exc.map((e: any) => [e.stage, e.code]))).toBeDefined();
    const raw = new Uint8Array(await (await f.fetch(`/api/v1/messages/${mine.messageId}/raw`, { token: tokens.operator })).arrayBuffer());
    expect(Buffer.from(raw).equals(body)).toBe(true);
  }, 60_000);

  it('a refused resend of an accepted payload does not delete the accepted message\'s bytes (the file store is content-addressed)', async () => {
    const x12 = interchange(300, '000000105');
    const signedEntity = entity(x12);
    const body = opensslEncrypt(pki, opensslSign(pki, signedEntity, acme, 'sha256'), gateway, 'aes256');
    const id = '<resend-105@acme.example>';
    await mdnReport(await postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: id, signedMdnMic: 'sha-256' }));
    await f.gw.idle();
    const msg = await messageFor(id);
    // the same signed payload, encrypted again, under a Message-ID addressed to someone else: refused
    const again = opensslEncrypt(pki, opensslSign(pki, signedEntity, acme, 'sha256'), gateway, 'aes256');
    const report = await mdnReport(await postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body: again, messageId: '<resend-105b@acme.example>', to: 'SOMEONE-ELSE', signedMdnMic: 'sha-256' }));
    expect(report).toContain('processed/error: unknown-trading-relationship');
    expect(await (await f.fetch(`/api/v1/messages/${msg.id}/raw`, { token: tokens.operator })).text()).toBe(x12);
  }, 60_000);
});
