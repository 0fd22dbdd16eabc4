/**
 * AS2 interoperability with what other products write (issue 15, Drummond's RFC 4130bis draft):
 * messages built independently with the openssl CLI in the shapes mendelson, Sterling and pyas2lib
 * send, posted over real HTTP to the receiver; every MDN checked with `openssl cms -verify`, every
 * MIC with `openssl dgst`. Then what we send: the identity headers, no SHA-1/3DES, and retries.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { sendAs2, type SendAs2Options } from '../../src/transports/as2/sender.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createPki, opensslDecrypt, opensslEncrypt, opensslMic, opensslSign, opensslVerify, opensslVerifyDetached, splitSmime, type Party, type Pki } from './openssl.ts';
import { createRecordingIngest, serveHandler, type RecordingIngest, type Served } from './harness.ts';
import { X12_850, X12_ENTITY, postAs2 } from './fixtures.ts';

const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m';
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let pki: Pki;
let gateway: Party, acme: Party;
let served: Served;
let rec: RecordingIngest;
let seq = 0;
const nextId = () => `<interop-${++seq}@acme.example>`;
const clock = fixedClock('2026-11-23T12:00:00Z');

beforeAll(async () => {
  pki = createPki({ now: clock.now() });
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  rec = createRecordingIngest();
  served = await serveHandler(createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    // the partner is found by AS2-From alone (as the gateway does); AS2-To is the receiver's to check
    findPartner: (from) => (from === 'ACME-AS2'
      ? { partnerId: 'acme', certificatesPem: [acme.certPem], requireSigned: false, requireEncrypted: false, ourAs2Ids: ['EDIGW EU'] }
      : undefined),
    ingest: rec.ingest,
    mdnStore: createMemoryMdnStore(),
    clock, logger: silentLogger,
    limits: { maxBodyBytes: 1 << 20, maxDecompressedBytes: 1 << 20 },
  }));
});

afterAll(async () => {
  await served?.close();
  pki?.cleanup();
});

/** our MDN, verified by openssl against our certificate: its report text and HTTP headers */
async function signedMdn(res: Response): Promise<{ report: string; headers: Headers }> {
  expect(res.status).toBe(200);
  const ct = res.headers.get('content-type') ?? '';
  expect(ct).toMatch(/^multipart\/signed/);
  return { report: opensslVerify(pki, ct, new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1'), headers: res.headers };
}

const lastIngested = () => rec.messages[rec.messages.length - 1]!;

/** A detached DER signature by openssl over exact bytes (cms -sign -binary, the default is detached). */
function detachedSignature(content: Uint8Array, md: string): Buffer {
  return pki.openssl(['cms', '-sign', '-binary', '-in', pki.file('c', content), '-signer', acme.cert, '-inkey', acme.key, '-md', md, '-outform', 'DER']);
}

describe('signed parts with bare-LF MIME header lines (mendelson, Sterling)', () => {
  // What they sign: the canonical entity (header lines CRLF, RFC 5751 3.1.1), binary LF-only X12 as it is.
  const canonical = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename=po850.edi\r\n\r\n'), Buffer.from(X12_850)]);
  // What they write on the wire: the same header lines ending in bare LF.
  const onTheWire = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\nContent-Disposition: attachment; filename=po850.edi\n\n'), Buffer.from(X12_850)]);

  it.each([
    ['mendelson: every MIME line bare LF', '\n'],
    ['Sterling: CRLF delimiters, bare-LF header lines inside the signed part', '\r\n'],
  ])('%s: verified over the canonical headers, MIC over what was signed, payload stored as received', async (_shape, eol) => {
    const sig = detachedSignature(canonical, 'sha256').toString('base64').replace(/.{1,64}/g, `$&${eol}`);
    const b = '----=_Part_7_1412.1764000000000';
    const body = Buffer.concat([
      Buffer.from(`--${b}${eol}`), onTheWire, Buffer.from(`${eol}--${b}${eol}`),
      Buffer.from(`Content-Type: application/pkcs7-signature; name=smime.p7s${eol}Content-Transfer-Encoding: base64${eol}Content-Disposition: attachment; filename=smime.p7s${eol}${eol}`),
      Buffer.from(sig), Buffer.from(`--${b}--${eol}`),
    ]);
    // openssl, too, verifies only the canonical form, not the bytes as written
    expect(() => pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', pki.file('s.der', detachedSignature(canonical, 'sha256')), '-content', pki.file('wire', onTheWire), '-noverify', '-out', pki.file('o')])).toThrow(/verify/i);
    const messageId = nextId();
    const { report } = await signedMdn(await postAs2(served.url, { contentType: `multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${b}"`, body, messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, canonical, 'sha256')}, sha-256`);
    const m = lastIngested();
    expect(Buffer.from(m.bytes).toString('latin1')).toBe(X12_850);
    expect(m.metadata).toMatchObject({ as2MessageId: messageId, signed: 'true', signatureCanonicalized: 'headers', filename: 'po850.edi', contentType: 'application/edi-x12' });
  });
});

describe('enveloped data without MIME headers inside (mendelson encrypting only; pyas2lib reads it)', () => {
  it('decrypts to the bare payload: stored as is, content type from the outer message, MIC over the decrypted content', async () => {
    const der = opensslEncrypt(pki, Buffer.from(X12_850), gateway, 'aes256');
    const messageId = nextId();
    const { report } = await signedMdn(await postAs2(served.url, {
      contentType: ENVELOPED, body: der, messageId, signedMdnMic: 'sha-256',
      extra: { 'Content-Disposition': 'attachment; filename="po850.edi"' },
    }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, Buffer.from(X12_850), 'sha256')}, sha-256`);
    const m = lastIngested();
    expect(Buffer.from(m.bytes).toString('latin1')).toBe(X12_850);
    // the outer type names only the CMS layer: the payload is octets, the pipeline reads what it is (ISA)
    expect(m.metadata).toMatchObject({ as2MessageId: messageId, encrypted: 'true', contentType: 'application/octet-stream', filename: 'po850.edi' });
  });

  it('a decrypted MIME entity still has its own headers', async () => {
    const der = opensslEncrypt(pki, X12_ENTITY, gateway, 'aes128');
    await signedMdn(await postAs2(served.url, { contentType: ENVELOPED, body: der, messageId: nextId(), signedMdnMic: 'sha-256' }));
    expect(lastIngested().metadata.contentType).toBe('application/edi-x12');
  });
});

describe('AES-GCM content encryption (CMS AuthEnvelopedData, RFC 5083/5084) from openssl', () => {
  const AUTH_ENVELOPED = 'application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m';
  it.each([['aes-128-gcm', 'aes128-gcm'], ['aes-256-gcm', 'aes256-gcm']])('openssl cms -encrypt -%s: decrypted, processed, payload as sent', async (opensslCipher) => {
    const der = opensslEncrypt(pki, X12_ENTITY, gateway, opensslCipher);
    expect(pki.openssl(['asn1parse', '-inform', 'DER', '-in', pki.file('gcm.der', der)]).toString()).toContain('id-smime-ct-authEnvelopedData');
    const { report } = await signedMdn(await postAs2(served.url, { contentType: AUTH_ENVELOPED, body: der, messageId: nextId(), signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha256')}, sha-256`);
    const m = lastIngested();
    expect(Buffer.from(m.bytes).toString('latin1')).toBe(X12_850);
    expect(m.metadata).toMatchObject({ encrypted: 'true', contentType: 'application/edi-x12' });
    expect(m.metadata.warning).toBeUndefined();
  });

  it('a changed byte of the ciphertext fails the GCM tag: processed/error: decryption-failed, nothing processed', async () => {
    const der = Buffer.from(opensslEncrypt(pki, X12_ENTITY, gateway, 'aes-256-gcm'));
    der[der.length - 30] = der[der.length - 30]! ^ 0x01; // inside the encrypted content (the 16-byte tag is last, after its 2-byte header)
    const before = rec.messages.length;
    const { report } = await signedMdn(await postAs2(served.url, { contentType: AUTH_ENVELOPED, body: der, messageId: nextId(), signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: decryption-failed\r\n');
    expect(rec.messages.length).toBe(before);
  });
});

describe('AS2-To is one of our ids (case-sensitive), else unknown-trading-relationship', () => {
  it.each([['another company', 'OTHER-CO'], ['our id in other case', 'edigw']])('%s (%s): refused, raw kept, nothing processed', async (_name, to) => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const before = rec.messages.length;
    const refusedBefore = rec.rejected.length;
    const messageId = nextId();
    const { report } = await signedMdn(await postAs2(served.url, { to, contentType, body, messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: unknown-trading-relationship\r\n');
    expect(report).toContain(`AS2-To "${to}" is not one of our AS2 ids toward partner acme ("EDIGW", "EDIGW EU")`);
    expect(rec.messages.length).toBe(before);
    expect(rec.rejected.length).toBe(refusedBefore + 1);
    expect(Buffer.from(rec.rejected[rec.rejected.length - 1]!.bytes).equals(body)).toBe(true);
  });

  it('our other id toward this partner (us.as2), quoted because it holds a space, is taken', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const res = await postAs2(served.url, { to: '"EDIGW EU"', contentType, body, messageId: nextId(), signedMdnMic: 'sha-256' });
    const { report, headers } = await signedMdn(res);
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(headers.get('as2-from')).toBe('"EDIGW EU"');
  });
});

describe('Message-ID: up to 998 characters, no spaces or control characters, else invalid-message-id', () => {
  const long = (n: number) => `<${'m'.repeat(n - 15)}@acme.example>`; // n characters with the brackets
  it.each([
    ['with a space', '<two words@acme.example>'],
    ['999 characters', long(999)],
    ['with a tab', '<a\tb@acme.example>'],
  ])('%s: processed/error: invalid-message-id, nothing processed', async (_name, messageId) => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const before = rec.messages.length;
    const { report } = await signedMdn(await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: invalid-message-id\r\n');
    expect(rec.messages.length).toBe(before);
  });

  it('998 characters is taken', async () => {
    const messageId = long(998);
    expect(messageId.length).toBe(998);
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const { report } = await signedMdn(await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Original-Message-ID: ${messageId}`);
  });
});

describe('SHA-1 and 3DES from a legacy partner: accepted with a warning, never generated by us', () => {
  it('a SHA-1 signature asking for a sha1 MIC: processed, warned; the MIC is sha1 as asked, our receipt is signed with SHA-256', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha1'));
    const res = await postAs2(served.url, { contentType, body, messageId: nextId(), signedMdnMic: 'sha1' });
    expect(res.headers.get('content-type')).toMatch(/micalg=sha-256/);
    const { report } = await signedMdn(res);
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha1')}, sha1`);
    expect(lastIngested().metadata.warning).toMatch(/^as2_weak_algorithm: the message was signed with SHA-1/);
  });

  it('3DES content encryption: processed, warned', async () => {
    const der = opensslEncrypt(pki, X12_ENTITY, gateway, 'des3');
    const { report } = await signedMdn(await postAs2(served.url, { contentType: ENVELOPED, body: der, messageId: nextId(), signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(lastIngested().metadata.warning).toMatch(/as2_weak_algorithm: the message was encrypted with 3DES/);
  });
});

describe('what we send', () => {
  let peer: Served;
  const seen: Array<{ headers: Headers; body: Buffer }> = [];
  let script: number[] = [];
  beforeAll(async () => {
    peer = await serveHandler(async (req) => {
      seen.push({ headers: req.headers, body: Buffer.from(await req.arrayBuffer()) });
      return new Response('answer', { status: script.shift() ?? 200 });
    });
  });
  afterAll(async () => { await peer?.close(); });
  const options = (over: Partial<SendAs2Options> = {}): SendAs2Options => ({
    url: peer.url, from: 'EDIGW', to: 'ACME-AS2', partnerCertificatePem: acme.certPem,
    identity: { privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    sign: true, encrypt: true, compress: false, mdn: 'none', payload: Buffer.from(X12_850), contentType: 'application/edi-x12', ...over,
  });
  const retry = { attempts: 5, initialDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };

  it('our MDNs carry AS2-Version, EDIINT-Features and AS2-Product', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const { headers } = await signedMdn(await postAs2(served.url, { contentType, body, messageId: nextId(), signedMdnMic: 'sha-256' }));
    expect(headers.get('as2-version')).toBe('1.2');
    expect(headers.get('ediint-features')).toBe('AS2-Reliability');
    expect(headers.get('as2-product')).toBe(`edi-gateway:${VERSION}`);
    expect(headers.get('as2-product')).toMatch(/^[a-z0-9-]+:\d+(\.\d+)+$/);
  });

  it('408, 425 and 503 are retried under the same Message-ID; the message carries the identity headers', async () => {
    seen.length = 0;
    script = [408, 425, 503, 200];
    const r = await sendAs2(options(), { fetch: (u, i) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry });
    expect(r).toMatchObject({ status: 'sent', attempts: 4 });
    expect(seen.map((s) => s.headers.get('message-id'))).toEqual([r.messageId, r.messageId, r.messageId, r.messageId]);
    expect(seen[0]!.headers.get('as2-version')).toBe('1.2');
    expect(seen[0]!.headers.get('ediint-features')).toBe('AS2-Reliability');
    expect(seen[0]!.headers.get('as2-product')).toBe(`edi-gateway:${VERSION}`);
  });

  it.each([400, 403, 404, 409, 413])('%i is final: one attempt', async (status) => {
    seen.length = 0;
    script = [status, 200];
    const r = await sendAs2(options(), { fetch: (u, i) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry });
    expect(r).toMatchObject({ status: 'failed', attempts: 1, httpStatus: status });
    expect(seen).toHaveLength(1);
  });

  it.each(['aes128-gcm', 'aes256-gcm'] as const)('%s: sent as authEnveloped-data that openssl decrypts, the signature inside verified by openssl', async (cipher) => {
    seen.length = 0;
    script = [200];
    const r = await sendAs2(options({ algorithms: { cipher } }), { fetch: (u, i) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry });
    expect(r.status).toBe('sent');
    const sent = seen[0]!;
    expect(sent.headers.get('content-type')).toBe('application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m');
    const parsed = pki.openssl(['asn1parse', '-inform', 'DER', '-in', pki.file('ours.der', sent.body)]).toString();
    expect(parsed).toContain('id-smime-ct-authEnvelopedData');
    expect(parsed).toContain(cipher === 'aes128-gcm' ? 'aes-128-gcm' : 'aes-256-gcm');
    const decrypted = opensslDecrypt(pki, sent.body, acme);
    const text = decrypted.toString('latin1');
    const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
    const start = text.indexOf(`--${boundary}\r\n`) + boundary.length + 4;
    const end = text.indexOf(`\r\n--${boundary}\r\n`, start);
    const sigAt = text.indexOf('\r\n\r\n', end + boundary.length + 6) + 4;
    const signature = Buffer.from(text.slice(sigAt, text.indexOf(`--${boundary}--`, sigAt)).replace(/\s+/g, ''), 'base64');
    const first = decrypted.subarray(start, end);
    opensslVerifyDetached(pki, signature, first, gateway);
    expect(first.toString('latin1').endsWith(`\r\n\r\n${X12_850}`)).toBe(true);
  });

  it.each([
    ['SHA-1', { mic: 'sha1' as const }],
    ['3DES', { cipher: 'des-ede3-cbc' as const }],
  ])('%s is never generated: refused before anything is posted', async (_name, algorithms) => {
    seen.length = 0;
    await expect(sendAs2(options({ algorithms }), { fetch: (u, i) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry }))
      .rejects.toMatchObject({ code: 'as2_weak_algorithm' });
    expect(seen).toHaveLength(0);
  });
});
