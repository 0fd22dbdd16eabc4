/**
 * AS2 profiles per partner (issue 15): `as2.profile: modern` refuses what the RFC 4130bis draft
 * deprecates (a SHA-1 signature, 3DES) with insufficient-message-security, `legacy` (the default)
 * accepts it with a warning; a partner's HTTP quirks (chunked, minTlsVersion, headers) are each one
 * line of its profile, validated with file:line and a hint. Messages built by openssl cms, MDNs
 * checked with openssl cms -verify.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { as2PolicyFor } from '../../src/config/transport-secrets.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { sendAs2, type SendAs2Options } from '../../src/transports/as2/sender.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from '../config/support.ts';
import { X12_850, X12_ENTITY, postAs2 } from './fixtures.ts';
import { createRecordingIngest, serveHandler, type RecordingIngest, type Served } from './harness.ts';
import { createPki, opensslEncrypt, opensslMic, opensslSign, opensslVerify, splitSmime, type Party, type Pki } from './openssl.ts';

const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m';
const clock = fixedClock('2026-11-23T12:00:00Z');
let pki: Pki;
let gateway: Party, acme: Party;
let served: Served;
let rec: RecordingIngest;
let seq = 0;
const nextId = () => `<profile-${++seq}@acme.example>`;

beforeAll(async () => {
  pki = createPki({ now: clock.now() });
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  rec = createRecordingIngest();
  const policy = (profileName?: 'modern' | 'legacy') => ({ partnerId: profileName ?? 'default', certificatesPem: [acme.certPem], requireSigned: false, requireEncrypted: false, ...(profileName ? { profile: profileName } : {}) });
  served = await serveHandler(createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    findPartner: (from) => (from === 'MODERN-AS2' ? policy('modern') : from === 'LEGACY-AS2' ? policy('legacy') : from === 'DEFAULT-AS2' ? policy() : undefined),
    ingest: rec.ingest, mdnStore: createMemoryMdnStore(), clock, logger: silentLogger,
    limits: { maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024 },
  }));
});
afterAll(async () => {
  await served?.close();
  pki?.cleanup();
});

async function report(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
}

describe('as2.profile: modern refuses SHA-1 and 3DES inbound; legacy (the default) accepts them with a warning', () => {
  it('a SHA-1 signature: modern -> insufficient-message-security, raw kept with the reason; legacy and default -> processed with the warning', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha1'));
    const rejectedBefore = rec.rejected.length;
    const text = await report(await postAs2(served.url, { contentType, body, messageId: nextId(), from: 'MODERN-AS2', signedMdnMic: 'sha-256' }));
    expect(text).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: insufficient-message-security\r\n');
    expect(text).toContain('profile modern');
    expect(rec.rejected.length).toBe(rejectedBefore + 1);
    const refused = rec.rejected[rec.rejected.length - 1]!;
    expect(refused.rejected).toMatchObject({ code: 'as2_weak_algorithm_refused', detail: { partnerId: 'modern', found: 'a SHA-1 signature', profile: 'modern' } });
    expect(Buffer.from(refused.bytes)).toEqual(Buffer.from(body));

    for (const from of ['LEGACY-AS2', 'DEFAULT-AS2']) {
      const ok = await report(await postAs2(served.url, { contentType, body, messageId: nextId(), from, signedMdnMic: 'sha1' }));
      expect(ok).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
      // the legacy partner gets the SHA-1 MIC it asked for (it checks its message with it)
      expect(ok).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha1')}, sha1`);
      const m = rec.messages[rec.messages.length - 1]!;
      expect(m.metadata.warning).toContain('as2_weak_algorithm: the message was signed with SHA-1');
    }
  });

  it('3DES encryption: modern -> insufficient-message-security; legacy -> processed with the warning', async () => {
    const body = opensslEncrypt(pki, opensslSign(pki, X12_ENTITY, acme, 'sha256'), gateway, 'des3');
    const text = await report(await postAs2(served.url, { contentType: ENVELOPED, body, messageId: nextId(), from: 'MODERN-AS2', signedMdnMic: 'sha-256' }));
    expect(text).toContain('processed/error: insufficient-message-security\r\n');
    expect(rec.rejected[rec.rejected.length - 1]!.rejected).toMatchObject({ code: 'as2_weak_algorithm_refused', detail: { found: '3DES encryption' } });
    const ok = await report(await postAs2(served.url, { contentType: ENVELOPED, body, messageId: nextId(), from: 'LEGACY-AS2', signedMdnMic: 'sha-256' }));
    expect(ok).toContain('; processed\r\n');
    expect(rec.messages[rec.messages.length - 1]!.metadata.warning).toContain('encrypted with 3DES');
  });

  it('modern with SHA-256 and AES is processed; a SHA-1 MIC it asks for is not computed: optional -> SHA-256, required -> unsupported-mic-algorithm', async () => {
    const body = opensslEncrypt(pki, opensslSign(pki, X12_ENTITY, acme, 'sha256'), gateway, 'aes256');
    const before = rec.messages.length;
    const ok = await report(await postAs2(served.url, { contentType: ENVELOPED, body, messageId: nextId(), from: 'MODERN-AS2', signedMdnMic: 'sha1' }));
    expect(ok).toContain('; processed\r\n');
    expect(ok).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha256')}, sha-256`);
    expect(rec.messages.length).toBe(before + 1);
    expect(Buffer.from(rec.messages[before]!.bytes).toString('latin1')).toBe(X12_850);
    expect(rec.messages[before]!.metadata.warning).toBeUndefined();

    const res = await postAs2(served.url, { contentType: ENVELOPED, body, messageId: nextId(), from: 'MODERN-AS2', extra: { 'Disposition-Notification-Options': 'signed-receipt-protocol=required, pkcs7-signature; signed-receipt-micalg=required, sha1' } });
    const unsigned = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(unsigned).toContain('failed/Failure: unsupported-mic-algorithm');
  });
});

describe("a partner's HTTP quirks on our sends: chunked, extra headers, minimum TLS version", () => {
  let server: Server;
  let url: string;
  const seen: IncomingHttpHeaders[] = [];
  beforeEach(async () => {
    seen.length = 0;
    server = createHttpServer((req, res) => { seen.push(req.headers); req.resume(); req.on('end', () => res.end('received')); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/as2`;
  });
  afterEach(async () => { await new Promise<void>((r) => server.close(() => r())); });

  const options = (over: Partial<SendAs2Options>): SendAs2Options => ({
    url, from: 'EDIGW', to: 'ACME-AS2', partnerCertificatePem: acme.certPem,
    identity: { privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    sign: true, encrypt: true, compress: false, mdn: 'none', payload: Buffer.from(X12_850), contentType: 'application/edi-x12', ...over,
  });
  const deps = { fetch: (u: string, i: { method: string; headers: Array<[string, string]>; body: Uint8Array }) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 } };

  it('chunked: true streams the body (Transfer-Encoding: chunked); false and the default send Content-Length; extra headers arrive', async () => {
    expect((await sendAs2(options({ http: { chunked: true, headers: { 'X-Partner-Route': 'EU-1' } } }), deps)).status).toBe('sent');
    expect(seen[0]).toMatchObject({ 'transfer-encoding': 'chunked', 'x-partner-route': 'EU-1', 'as2-to': 'ACME-AS2' });
    expect(seen[0]!['content-length']).toBeUndefined();
    expect((await sendAs2(options({ http: { chunked: false } }), deps)).status).toBe('sent');
    expect((await sendAs2(options({}), deps)).status).toBe('sent');
    for (const h of seen.slice(1)) {
      expect(h['transfer-encoding']).toBeUndefined();
      expect(Number(h['content-length'])).toBeGreaterThan(X12_850.length);
    }
  });

  it("extra headers may not replace the AS2 protocol's own", async () => {
    await expect(sendAs2(options({ http: { headers: { 'as2-to': 'SOMEONE-ELSE' } } }), deps)).rejects.toMatchObject({ code: 'as2_config_invalid', message: expect.stringContaining('as2.headers may not set as2-to') });
    expect(seen).toHaveLength(0);
  });

  it('minTlsVersion "1.3" refuses a partner server that offers at most TLS 1.2', async () => {
    const tls12 = createHttpsServer({ key: acme.keyPem, cert: acme.certPem, maxVersion: 'TLSv1.2' }, (_req, res) => res.end('received'));
    await new Promise<void>((r) => tls12.listen(0, '127.0.0.1', r));
    try {
      const r = await sendAs2(options({ url: `https://127.0.0.1:${(tls12.address() as AddressInfo).port}/as2`, http: { minTlsVersion: '1.3' } }), deps);
      expect(r.status).toBe('failed');
      expect(r.detail).toMatch(/protocol version|unsupported protocol|TLSV1_ALERT_PROTOCOL_VERSION/i);
    } finally {
      await new Promise<void>((r) => tls12.close(() => r()));
    }
  });
});

describe('profile keys: each one line of YAML, checked with file:line and a hint', () => {
  let t: TempConfig;
  beforeEach(() => { t = createTempConfig(); });
  afterEach(() => t.cleanup());
  const load = () => loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
  const errors = (r: ReturnType<typeof load>) => r.problems.filter((p) => p.severity === 'error').map((p) => p.text);

  it('valid keys load, and the policy carries them (legacy and warn by default)', () => {
    t.write('partners/certs/acme.pem', acme.certPem);
    t.write('partners/acme.yaml', profile('acme', 'as2:\n  certificate: ./certs/acme.pem\n  profile: modern\n  certificateProblems: refuse\n  chunked: false\n  minTlsVersion: "1.3"\n  headers: { X-Partner-Route: EU-1 }\n'));
    t.write('partners/beta.yaml', profile('beta', 'as2:\n  certificate: ./certs/acme.pem\n'));
    const r = load();
    expect(errors(r)).toEqual([]);
    const acmeP = r.config!.partner('acme')!;
    expect(acmeP.as2).toMatchObject({ profile: 'modern', chunked: false, minTlsVersion: '1.3', headers: { 'X-Partner-Route': 'EU-1' } });
    expect(as2PolicyFor(acmeP)).toMatchObject({ profile: 'modern', certificateProblems: 'refuse' });
    expect(as2PolicyFor(r.config!.partner('beta')!)).toMatchObject({ profile: 'legacy', certificateProblems: 'warn' });
  });

  it('a wrong value is located and told what is allowed', () => {
    t.write('partners/certs/acme.pem', acme.certPem);
    const f = t.write('partners/acme.yaml', profile('acme', 'as2:\n  certificate: ./certs/acme.pem\n  profile: modrn\n  minTlsVersion: 1.3\n  chunked: no-thanks\n'));
    expect(errors(load()).sort()).toEqual([
      `${f}:8:12 enum: value "modrn" of /as2/profile is not allowed (hint: allowed values: "modern", "legacy")`,
      `${f}:9:18 enum: value 1.3 of /as2/minTlsVersion is not allowed (hint: allowed values: "1.2", "1.3"; quote it: "1.3")`,
      `${f}:10:12 type: /as2/chunked must be boolean, found "no-thanks"`,
    ].sort());
  });
});
