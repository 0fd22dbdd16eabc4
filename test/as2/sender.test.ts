/**
 * sendAs2 over real HTTP to a partner (our receiver with the partner's keys), with the bytes in
 * flight checked by the openssl CLI: decrypt, verify the detached signature over the exact first
 * part, and the compressed-data structure via asn1parse.
 */
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAsyncMdnSender, type FetchLike } from '../../src/transports/as2/async-mdn.ts';
import { checkMdn, sendAs2, verifyMdn, type SendAs2Options } from '../../src/transports/as2/sender.ts';
import { buildMdn } from '../../src/transports/as2/mdn-build.ts';
import type { ParsedMdn } from '../../src/transports/as2/mdn-parse.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createPki, opensslDecrypt, opensslMic, opensslVerifyDetached, type Party, type Pki } from './openssl.ts';
import { createRecordingIngest, serveHandler, type RecordingIngest, type Served } from './harness.ts';
import { X12_850 } from './fixtures.ts';

let pki: Pki;
let gateway: Party, acme: Party, stranger: Party;
let partner: Served, gatewayServer: Served;
let partnerIngest: RecordingIngest;
const captured: Array<{ headers: Headers; body: Buffer }> = [];
const asyncMdns: ParsedMdn[] = [];
let asyncWaiters: Array<() => void> = [];
let partnerMode: 'normal' | 'fail503x2' | 'reject400' | 'wrongMic' = 'normal';
let fail503 = 0;
const clock = fixedClock('2026-11-23T12:00:00Z');
const fetchLike: FetchLike = (u, i) => fetch(u, { ...i, body: new Uint8Array(i.body) });
const noSleep = { attempts: 3, initialDelayMs: 10, maxDelayMs: 1000, sleep: async () => {} };

beforeAll(async () => {
  pki = createPki({ now: clock.now() }); // the same clock as the gateway
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  stranger = pki.party('stranger');
  partnerIngest = createRecordingIngest();
  const partnerReceiver = createAs2Receiver({
    identity: { as2Id: 'ACME-AS2', privateKeyPem: acme.keyPem, certificatePem: acme.certPem },
    findPartner: (from) => (from === 'EDIGW' ? { partnerId: 'edigw', certificatesPem: [gateway.certPem], requireSigned: false, requireEncrypted: false } : undefined),
    ingest: partnerIngest.ingest,
    mdnStore: createMemoryMdnStore(),
    sendAsyncMdn: createAsyncMdnSender({ fetch: fetchLike, retry: noSleep, logger: silentLogger }),
    clock, logger: silentLogger,
    limits: { maxBodyBytes: 1 << 20, maxDecompressedBytes: 1 << 20 },
  });
  partner = await serveHandler(async (req) => {
    const body = Buffer.from(await req.arrayBuffer());
    captured.push({ headers: req.headers, body });
    if (partnerMode === 'fail503x2' && fail503 > 0) { fail503--; return new Response('try later', { status: 503 }); }
    if (partnerMode === 'reject400') return new Response('bad request: unknown partner', { status: 400 });
    if (partnerMode === 'wrongMic') {
      const mdn = await buildMdn({
        content: { as2From: 'EDIGW', as2To: 'ACME-AS2', originalMessageId: req.headers.get('message-id') ?? '', receivedContentMic: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=, sha-256', explanation: 'x', reportingUa: 'test' },
        sign: { identity: { privateKeyPem: acme.keyPem, certificatePem: acme.certPem }, digest: 'sha256' }, messageId: '<mdn@acme>', now: clock.now(),
      });
      return new Response(new Uint8Array(mdn.body), { headers: mdn.headers });
    }
    return partnerReceiver(new Request(req.url, { method: 'POST', headers: req.headers, body }));
  });
  const gatewayReceiver = createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    findPartner: (from) => (from === 'ACME-AS2' ? { partnerId: 'acme', certificatesPem: [acme.certPem], requireSigned: false, requireEncrypted: false } : undefined),
    ingest: createRecordingIngest().ingest,
    mdnStore: createMemoryMdnStore(),
    onAsyncMdn: async (mdn) => { asyncMdns.push(mdn); asyncWaiters.forEach((w) => w()); asyncWaiters = []; },
    clock, logger: silentLogger,
    limits: { maxBodyBytes: 1 << 20, maxDecompressedBytes: 1 << 20 },
  });
  gatewayServer = await serveHandler(gatewayReceiver);
});

afterAll(async () => {
  await partner?.close();
  await gatewayServer?.close();
  pki?.cleanup();
});

function options(over: Partial<SendAs2Options>): SendAs2Options {
  return {
    url: partner.url, from: 'EDIGW', to: 'ACME-AS2', partnerCertificatePem: acme.certPem,
    identity: { privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    sign: true, encrypt: true, compress: false, mdn: 'sync',
    payload: Buffer.from(X12_850), contentType: 'application/edi-x12', filename: 'po850.edi', ...over,
  };
}

/** test-side split of a multipart/signed entity: first part bytes and the DER signature */
function splitSigned(entity: Buffer): { first: Buffer; signature: Buffer } {
  const text = entity.toString('latin1');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(text)?.[1] ?? '';
  const d = `--${boundary}`;
  const a = text.indexOf(`${d}\r\n`) + d.length + 2;
  const b = text.indexOf(`\r\n${d}\r\n`, a);
  const sigStart = text.indexOf('\r\n\r\n', b + d.length + 4) + 4;
  const sigEnd = text.indexOf(`${d}--`, sigStart);
  return { first: entity.subarray(a, b), signature: Buffer.from(text.slice(sigStart, sigEnd).replace(/\s+/g, ''), 'base64') };
}

describe('sendAs2: outbound checked by openssl', () => {
  it.each([
    ['aes256-cbc', 'rsaes-pkcs1-v1_5', 'sha256'], ['aes128-cbc', 'rsaes-oaep', 'sha512'], ['aes192-cbc', 'rsaes-oaep', 'sha384'],
  ] as const)('signed + encrypted (%s, %s, %s): openssl decrypts and verifies; sync signed MDN ok', async (cipher, keyTransport, mic) => {
    partnerMode = 'normal';
    const result = await sendAs2(options({ algorithms: { cipher, keyTransport, mic } }), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('mdn_ok');
    expect(result.detail).toBe('automatic-action/MDN-sent-automatically; processed');
    const sent = captured[captured.length - 1];
    if (!sent) throw new Error('nothing captured');
    expect(sent.headers.get('content-type')).toMatch(/^application\/pkcs7-mime; smime-type=enveloped-data/);
    expect(sent.headers.get('message-id')).toBe(result.messageId);
    expect(sent.headers.get('disposition-notification-options')).toContain('pkcs7-signature');
    const decrypted = opensslDecrypt(pki, sent.body, acme);
    const { first, signature } = splitSigned(decrypted);
    opensslVerifyDetached(pki, signature, first, gateway);
    expect(first.toString('latin1').endsWith(`\r\n\r\n${X12_850}`)).toBe(true); // LF-only payload unchanged
    expect(result.mic).toBe(`${opensslMic(pki, first, mic)}, ${mic.replace('sha', 'sha-')}`);
    expect(Buffer.from(partnerIngest.messages[partnerIngest.messages.length - 1]?.bytes ?? []).toString('latin1')).toBe(X12_850);
  });

  it('compressed (before signing), signed, unencrypted: compressed-data structure checked with openssl asn1parse', async () => {
    partnerMode = 'normal';
    const result = await sendAs2(options({ encrypt: false, compress: 'before-signing' }), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('mdn_ok');
    const sent = captured[captured.length - 1];
    if (!sent) throw new Error('nothing captured');
    const entity = Buffer.concat([Buffer.from(`Content-Type: ${sent.headers.get('content-type')}\r\n\r\n`), sent.body]);
    const { first, signature } = splitSigned(entity);
    opensslVerifyDetached(pki, signature, first, gateway);
    const der = first.subarray(first.indexOf('\r\n\r\n') + 4);
    const parsed = pki.openssl(['asn1parse', '-inform', 'DER', '-in', pki.file('z.der', der)]).toString();
    expect(parsed).toContain('id-smime-ct-compressedData');
    expect(parsed).toContain('zlib compression');
    const line = parsed.split('\n').filter((l) => l.includes('prim: OCTET STRING')).pop() ?? '';
    const m = /^\s*(\d+):d=\d+\s+hl=(\d+)\s+l=\s*(\d+)/.exec(line);
    if (!m) throw new Error(`no octet string in ${parsed}`);
    const start = Number(m[1]) + Number(m[2]);
    const inner = inflateSync(der.subarray(start, start + Number(m[3]))).toString('latin1');
    expect(inner).toMatch(/^Content-Type: application\/edi-x12\r\n/);
    expect(inner.endsWith(`\r\n\r\n${X12_850}`)).toBe(true);
  });

  it('plain, unsigned, with an unsigned sync MDN', async () => {
    partnerMode = 'normal';
    const result = await sendAs2(options({ sign: false, encrypt: false, compress: false }), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('mdn_ok');
    expect(result.mdn?.signed).toBe(false);
    expect(result.mic).toBe(`${opensslMic(pki, Buffer.from(X12_850), 'sha256')}, sha-256`);
  });
});

describe('sendAs2: MDN checks, retries, failures', () => {
  it('mdn_error when the MDN MIC does not match what we sent', async () => {
    partnerMode = 'wrongMic';
    const result = await sendAs2(options({}), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('mdn_error');
    expect(result.detail).toMatch(/Received-Content-MIC .* does not match ours/);
  });

  it('mdn_error when the MDN is signed by another key than the partner certificate', async () => {
    partnerMode = 'normal';
    const result = await sendAs2(options({ partnerCertificatePem: [acme.certPem, stranger.certPem] }), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('mdn_ok'); // second certificate present, first still verifies
    const wrong = await sendAs2(options({ encrypt: false, partnerCertificatePem: stranger.certPem }), { fetch: fetchLike, clock, retry: noSleep });
    expect(wrong.status).toBe('mdn_error');
    expect(wrong.detail).toMatch(/as2_mdn_signature_invalid/);
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    partnerMode = 'fail503x2';
    fail503 = 2;
    const delays: number[] = [];
    const result = await sendAs2(options({}), { fetch: fetchLike, clock, retry: { attempts: 4, initialDelayMs: 100, maxDelayMs: 10_000, sleep: async (ms) => { delays.push(ms); } } });
    expect(result.status).toBe('mdn_ok');
    expect(result.attempts).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('a 4xx answer fails at once without retry', async () => {
    partnerMode = 'reject400';
    const result = await sendAs2(options({}), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.detail).toMatch(/HTTP 400: bad request: unknown partner/);
  });

  it('network errors are retried, then reported as failed', async () => {
    const delays: number[] = [];
    const result = await sendAs2(options({ url: 'http://127.0.0.1:1/as2' }), { fetch: fetchLike, clock, retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 60, sleep: async (ms) => { delays.push(ms); } } });
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(3);
    expect(delays).toEqual([50, 60]);
  });

  it('async MDN: status sent, the partner posts a signed MDN to our /as2 and verifyMdn accepts it', async () => {
    partnerMode = 'normal';
    const arrived = new Promise<void>((r) => asyncWaiters.push(r));
    const result = await sendAs2(options({ mdn: 'async', receiptUrl: gatewayServer.url }), { fetch: fetchLike, clock, retry: noSleep });
    expect(result.status).toBe('sent');
    await arrived;
    const mdn = asyncMdns[asyncMdns.length - 1];
    expect(mdn?.signed).toBe(true);
    expect(mdn?.originalMessageId).toBe(result.messageId);
    expect(`${mdn?.receivedContentMic?.value}, ${mdn?.receivedContentMic?.label}`).toBe(result.mic);
    if (!mdn) throw new Error('no MDN');
    expect(checkMdn(mdn, { messageId: result.messageId, mic: result.mic, requireSigned: true }).status).toBe('mdn_ok');
    expect(checkMdn(mdn, { messageId: '<other@edigw>', mic: result.mic }).detail).toMatch(/^MDN is for /);
  });

  it('verifyMdn reports a partner error disposition as mdn_error', async () => {
    const mdn = await buildMdn({
      content: { as2From: 'EDIGW', as2To: 'ACME-AS2', originalMessageId: '<m1@edigw>', error: 'decryption-failed', explanation: 'no', reportingUa: 'test' },
      sign: { identity: { privateKeyPem: acme.keyPem, certificatePem: acme.certPem }, digest: 'sha1' }, messageId: '<mdn@acme>', now: clock.now(),
    });
    const ct = mdn.headers.find(([n]) => n === 'Content-Type')?.[1] ?? '';
    const r = verifyMdn({ contentType: ct, body: mdn.body }, { messageId: '<m1@edigw>', partnerCertificatesPem: [acme.certPem] });
    expect(r.status).toBe('mdn_error');
    expect(r.detail).toBe('partner reported automatic-action/MDN-sent-automatically; processed/error: decryption-failed');
  });
});
