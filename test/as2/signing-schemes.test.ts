/**
 * What we generate with the draft's other algorithms (issue 15): RSASSA-PSS and ECDSA signatures on
 * our messages and our MDNs, RSAES-OAEP key transport on our sends, each per partner setting
 * (as2.signatureScheme / keyTransport / oaepHash; an EC key signs ECDSA). Every case is checked by
 * openssl alone: `openssl cms -decrypt` with the partner's key, `openssl cms -verify` of the
 * signature, and `openssl cms -cmsout -print` for the algorithm actually written.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { as2PolicyFor } from '../../src/config/transport-secrets.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAs2Receiver, type As2PartnerPolicy } from '../../src/transports/as2/receiver.ts';
import { sendAs2, type SendAs2Options } from '../../src/transports/as2/sender.ts';
import { createTempConfig, fakeCompile, profile } from '../config/support.ts';
import { X12_850, X12_ENTITY, postAs2 } from './fixtures.ts';
import { createRecordingIngest, serveHandler, type Served } from './harness.ts';
import { createPki, opensslMic, opensslVerify, splitSmime, type Party, type Pki } from './openssl.ts';

const clock = fixedClock('2026-11-23T12:00:00Z');
let pki: Pki;
let gateway: Party, acme: Party, ecGateway: Party;
let server: Server;
let url: string;
let lastBody: Buffer = Buffer.alloc(0);
let lastContentType = '';

/** an EC P-256 key and its certificate, valid from the test's clock */
function ecParty(name: string): Party {
  const key = path.join(pki.dir, `${name}.key`);
  const cert = path.join(pki.dir, `${name}.crt`);
  const asn1 = (d: Date) => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  pki.party('ca-setup'); // makes the openssl ca configuration in the folder
  pki.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', `/CN=${name}/O=AS2 test`, '-out', path.join(pki.dir, `${name}.csr`)]);
  pki.openssl(['ca', '-batch', '-selfsign', '-notext', '-config', path.join(pki.dir, 'ca.cnf'), '-keyfile', key, '-in', path.join(pki.dir, `${name}.csr`), '-out', cert,
    '-startdate', asn1(clock.now()), '-enddate', asn1(new Date(clock.now().getTime() + 365 * 86_400_000))]);
  return { name, key, cert, keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}

beforeAll(async () => {
  pki = createPki({ now: clock.now() });
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  ecGateway = ecParty('edigw-ec');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { lastBody = Buffer.concat(chunks); lastContentType = String(req.headers['content-type']); res.end('received'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/as2`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  pki?.cleanup();
});

/** the first part and the base64 signature of a multipart/signed entity, cut by its boundary (not by our MIME code) */
function splitSigned(entity: Buffer): { content: Buffer; signatureDer: Buffer; contentType: string } {
  const text = entity.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  const contentType = /content-type:\s*([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)/i.exec(text.slice(0, headEnd))![1]!.replace(/\r\n[ \t]+/g, ' ');
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)![1]!;
  const first = text.indexOf(`--${boundary}\r\n`) + boundary.length + 4;
  const second = text.indexOf(`\r\n--${boundary}\r\n`, first);
  const sigPart = text.slice(second + boundary.length + 6, text.indexOf(`\r\n--${boundary}--`, second + 1) === -1 ? undefined : text.indexOf(`--${boundary}--`, second + 1));
  const sigBody = sigPart.slice(sigPart.indexOf('\r\n\r\n') + 4);
  return { content: entity.subarray(first, second), signatureDer: Buffer.from(sigBody.replace(/\s+/g, ''), 'base64'), contentType };
}

/**
 * openssl prints algorithm parameters as asn1parse lines: RSASSA-PSS-params and RSAES-OAEP-params are
 * hashAlgorithm [0], maskGenAlgorithm [1] MGF1(hash), (PSS) saltLength [2]
 */
const paramsWith = (alg: string, hash: string) => new RegExp(`${alg}[^\\n]*\\n[^\\n]*parameter: SEQUENCE:\\n(?:.*\\n)*?.*cont \\[ 0 \\]\\s*\\n(?:.*\\n)*?.*OBJECT\\s+:${hash}\\n(?:.*\\n)*?.*cont \\[ 1 \\]\\s*\\n(?:.*\\n)*?.*OBJECT\\s+:mgf1\\n(?:.*\\n)*?.*OBJECT\\s+:${hash}\\n`);
const saltLength = (printed: string) => /cont \[ 2 \]\s*\n.*INTEGER\s+:([0-9A-F]+)/.exec(printed)?.[1];

function print(der: Uint8Array): string {
  return pki.openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', pki.file('print.der', der)]).toString('latin1');
}

/** openssl checks the detached signature over the exact first part, with the signer's certificate as the only trust */
function verifiesWith(signer: Party, signatureDer: Uint8Array, content: Uint8Array): void {
  pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', pki.file('sig.der', signatureDer), '-content', pki.file('signed.bin', content),
    '-CAfile', signer.cert, '-partial_chain', '-purpose', 'any', '-attime', String(Math.floor(clock.now().getTime() / 1000)), '-out', pki.file('verified.out')]);
}

const send = (o: Partial<SendAs2Options> & { signer?: Party }) => sendAs2({
  url, from: 'EDIGW', to: 'ACME-AS2', partnerCertificatePem: [acme.certPem], identity: { privateKeyPem: (o.signer ?? gateway).keyPem, certificatePem: (o.signer ?? gateway).certPem },
  sign: true, encrypt: true, compress: false, mdn: 'none', payload: Buffer.from(X12_850), contentType: 'application/edi-x12', ...o,
}, { fetch: (u: string, i: { method: string; headers: Array<[string, string]>; body: Uint8Array }) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 } });

describe('our sends, opened and checked by openssl cms', () => {
  it('RSASSA-PSS (SHA-256) signature, RSAES-OAEP (SHA-256) key transport, AES-256-CBC', async () => {
    const r = await send({ algorithms: { mic: 'sha256', signatureScheme: 'rsassa-pss', keyTransport: 'rsaes-oaep', oaepHash: 'sha256' } });
    expect(r.status).toBe('sent');
    expect(lastContentType).toContain('smime-type=enveloped-data');
    const env = print(lastBody);
    expect(env).toContain('algorithm: rsaesOaep (1.2.840.113549.1.1.7)');
    expect(env).toMatch(paramsWith('rsaesOaep', 'sha256'));
    expect(env).toContain('algorithm: aes-256-cbc (2.16.840.1.101.3.4.1.42)');
    const signed = splitSigned(pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', pki.file('enc.der', lastBody), '-inkey', acme.key, '-recip', acme.cert]));
    expect(signed.contentType).toContain('micalg=sha-256');
    verifiesWith(gateway, signed.signatureDer, signed.content);
    const sig = print(signed.signatureDer);
    expect(sig).toContain('algorithm: rsassaPss (1.2.840.113549.1.1.10)');
    // RSASSA-PSS-params: SHA-256, MGF1 with SHA-256, salt 32 (the digest's length)
    expect(sig).toMatch(paramsWith('rsassaPss', 'sha256'));
    expect(saltLength(sig)).toBe('20');
    expect(signed.content.toString('latin1')).toContain(X12_850);
    // the MIC we expect back is over the signed entity, as openssl computes it
    expect(r.mic).toBe(`${opensslMic(pki, signed.content, 'sha256')}, sha-256`);
  });

  it('RSASSA-PSS (SHA-512) with RSAES-OAEP (SHA-512) and AES-256-GCM (authEnveloped-data)', async () => {
    const r = await send({ algorithms: { mic: 'sha512', signatureScheme: 'rsassa-pss', cipher: 'aes256-gcm', keyTransport: 'rsaes-oaep', oaepHash: 'sha512' } });
    expect(r.status).toBe('sent');
    expect(lastContentType).toContain('smime-type=authEnveloped-data');
    const env = print(lastBody);
    expect(env).toContain('contentType: id-smime-ct-authEnvelopedData (1.2.840.113549.1.9.16.1.23)');
    expect(env).toMatch(paramsWith('rsaesOaep', 'sha512'));
    const signed = splitSigned(pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', pki.file('enc.der', lastBody), '-inkey', acme.key, '-recip', acme.cert]));
    verifiesWith(gateway, signed.signatureDer, signed.content);
    const sig = print(signed.signatureDer);
    expect(sig).toMatch(paramsWith('rsassaPss', 'sha512'));
    expect(saltLength(sig)).toBe('40');
  });

  it('an EC P-256 key of ours signs ECDSA with SHA-256 (to an RSA partner, the key wrapped with OAEP SHA-384)', async () => {
    const r = await send({ signer: ecGateway, algorithms: { mic: 'sha256', keyTransport: 'rsaes-oaep', oaepHash: 'sha384' } });
    expect(r.status).toBe('sent');
    expect(print(lastBody)).toMatch(paramsWith('rsaesOaep', 'sha384'));
    const signed = splitSigned(pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', pki.file('enc.der', lastBody), '-inkey', acme.key, '-recip', acme.cert]));
    verifiesWith(ecGateway, signed.signatureDer, signed.content);
    expect(print(signed.signatureDer)).toContain('algorithm: ecdsa-with-SHA256 (1.2.840.10045.4.3.2)');
    // an RSA certificate does not verify it
    expect(() => verifiesWith(gateway, signed.signatureDer, signed.content)).toThrow();
  });

  it('the default stays PKCS#1 v1.5 for both (what every AS2 product reads)', async () => {
    await send({});
    expect(print(lastBody)).toMatch(/keyEncryptionAlgorithm:\s*\n\s*algorithm: rsaEncryption/);
    const signed = splitSigned(pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', pki.file('enc.der', lastBody), '-inkey', acme.key, '-recip', acme.cert]));
    verifiesWith(gateway, signed.signatureDer, signed.content);
    expect(print(signed.signatureDer)).toMatch(/signatureAlgorithm:\s*\n\s*algorithm: rsaEncryption/);
  });
});

describe('our MDNs, checked by openssl cms -verify', () => {
  let served: Served[] = [];
  afterAll(async () => { for (const s of served) await s.close(); served = []; });
  const receiver = async (identity: Party, policy: Partial<As2PartnerPolicy>) => {
    const s = await serveHandler(createAs2Receiver({
      identity: { as2Id: 'EDIGW', privateKeyPem: identity.keyPem, certificatePem: identity.certPem },
      findPartner: (from) => (from === 'ACME-AS2' ? { partnerId: 'acme', certificatesPem: [acme.certPem], requireSigned: true, requireEncrypted: false, ...policy } : undefined),
      ingest: createRecordingIngest().ingest, mdnStore: createMemoryMdnStore(), clock, logger: silentLogger,
      limits: { maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024 },
    }));
    served.push(s);
    return s;
  };
  const signedByAcme = () => splitSmime(pki.openssl(['cms', '-sign', '-binary', '-in', pki.file('tosign', X12_ENTITY), '-signer', acme.cert, '-inkey', acme.key, '-md', 'sha256']));
  /** the MDN's detached signature (DER), cut out by its boundary */
  const mdnSignature = (contentType: string, body: Uint8Array) => splitSigned(Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), body])).signatureDer;

  it('signatureScheme rsassa-pss: our MDN is signed RSASSA-PSS, and openssl verifies it with the MIC it computes', async () => {
    const s = await receiver(gateway, { signatureScheme: 'rsassa-pss' });
    const res = await postAs2(s.url, { ...signedByAcme(), messageId: '<pss-mdn-1@acme.example>', signedMdnMic: 'sha-256' });
    expect(res.status).toBe(200);
    const ct = res.headers.get('content-type') ?? '';
    const body = new Uint8Array(await res.arrayBuffer());
    const report = opensslVerify(pki, ct, body, gateway).toString('latin1');
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha256')}, sha-256`);
    expect(print(mdnSignature(ct, body))).toMatch(paramsWith('rsassaPss', 'sha256'));
  });

  it('an EC key of ours signs its MDNs ECDSA', async () => {
    const s = await receiver(ecGateway, {});
    const res = await postAs2(s.url, { ...signedByAcme(), messageId: '<ec-mdn-1@acme.example>', signedMdnMic: 'sha-256' });
    const ct = res.headers.get('content-type') ?? '';
    const body = new Uint8Array(await res.arrayBuffer());
    expect(opensslVerify(pki, ct, body, ecGateway).toString('latin1')).toContain('; processed\r\n');
    expect(print(mdnSignature(ct, body))).toContain('algorithm: ecdsa-with-SHA256 (1.2.840.10045.4.3.2)');
  });
});

describe('profile keys', () => {
  it('signatureScheme, keyTransport and oaepHash load and reach the policy; a wrong value is located and told what is allowed', () => {
    const t = createTempConfig();
    try {
      const load = () => loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
      t.write('partners/certs/acme.pem', acme.certPem);
      t.write('partners/acme.yaml', profile('acme', 'as2:\n  certificate: ./certs/acme.pem\n  signatureScheme: rsassa-pss\n  keyTransport: rsaes-oaep\n  oaepHash: sha384\n'));
      const r = load();
      expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const p = r.config!.partner('acme')!;
      expect(p.as2).toMatchObject({ signatureScheme: 'rsassa-pss', keyTransport: 'rsaes-oaep', oaepHash: 'sha384' });
      expect(as2PolicyFor(p)?.signatureScheme).toBe('rsassa-pss');
      const f = t.write('partners/acme.yaml', profile('acme', 'as2:\n  certificate: ./certs/acme.pem\n  keyTransport: oaep\n'));
      expect(load().problems.filter((x) => x.severity === 'error').map((x) => x.text)).toEqual([
        `${f}:8:17 enum: value "oaep" of /as2/keyTransport is not allowed (hint: allowed values: "rsaes-pkcs1-v1_5", "rsaes-oaep")`,
      ]);
    } finally { t.cleanup(); }
  });
});
