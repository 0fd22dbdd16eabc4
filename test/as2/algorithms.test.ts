/**
 * The draft's other algorithms inbound (issue 15), each message built by openssl cms: RSASSA-PSS
 * signatures (-keyopt rsa_padding_mode:pss), RSAES-OAEP key transport (-keyopt
 * rsa_padding_mode:oaep), an EC P-256 partner certificate's ECDSA signature, and a content key
 * wrapped for several recipients, we being one of them. MDNs checked with openssl cms -verify.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { X12_850, X12_ENTITY, postAs2 } from './fixtures.ts';
import { createRecordingIngest, serveHandler, type RecordingIngest, type Served } from './harness.ts';
import { createPki, opensslEncrypt, opensslMic, opensslVerify, splitSmime, type Party, type Pki } from './openssl.ts';

const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m';
const clock = fixedClock('2026-11-23T12:00:00Z');
let pki: Pki;
let gateway: Party, acme: Party, other: Party, ec: Party;
let served: Served;
let rec: RecordingIngest;
let seq = 0;
const nextId = () => `<alg-${++seq}@acme.example>`;

beforeAll(async () => {
  pki = createPki({ now: clock.now() });
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  other = pki.party('someone-else');
  // an EC P-256 key and its certificate (ECDSA with SHA-256), valid from the receiver's clock
  const key = path.join(pki.dir, 'ec.key');
  const cert = path.join(pki.dir, 'ec.crt');
  const asn1 = (d: Date) => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  pki.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/CN=ec-partner/O=AS2 test', '-out', path.join(pki.dir, 'ec.csr')]);
  pki.openssl(['ca', '-batch', '-selfsign', '-notext', '-config', path.join(pki.dir, 'ca.cnf'), '-keyfile', key, '-in', path.join(pki.dir, 'ec.csr'), '-out', cert,
    '-startdate', asn1(clock.now()), '-enddate', asn1(new Date(clock.now().getTime() + 365 * 86_400_000))]);
  ec = { name: 'ec-partner', key, cert, keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
  expect(pki.openssl(['x509', '-in', cert, '-noout', '-text']).toString()).toContain('ASN1 OID: prime256v1');
  rec = createRecordingIngest();
  served = await serveHandler(createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    findPartner: (from) => (from === 'ACME-AS2' ? { partnerId: 'acme', certificatesPem: [acme.certPem], requireSigned: true, requireEncrypted: false, profile: 'modern' }
      : from === 'EC-AS2' ? { partnerId: 'ec', certificatesPem: [ec.certPem], requireSigned: true, requireEncrypted: false, profile: 'modern' } : undefined),
    ingest: rec.ingest, mdnStore: createMemoryMdnStore(), clock, logger: silentLogger,
    limits: { maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024 },
  }));
});
afterAll(async () => {
  await served?.close();
  pki?.cleanup();
});

function sign(signer: Party, extra: string[] = []): Buffer {
  return pki.openssl(['cms', '-sign', '-binary', '-in', pki.file('tosign', X12_ENTITY), '-signer', signer.cert, '-inkey', signer.key, '-md', 'sha256', ...extra]);
}

async function expectProcessed(res: Response, messageId: string): Promise<void> {
  expect(res.status).toBe(200);
  const report = opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
  expect(report).toContain(`Original-Message-ID: ${messageId}`);
  expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
  expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha256')}, sha-256`);
  const m = rec.messages[rec.messages.length - 1]!;
  expect(m.metadata.as2MessageId).toBe(messageId);
  expect(Buffer.from(m.bytes).toString('latin1')).toBe(X12_850);
}

describe('AS2 inbound with the draft\'s other algorithms (openssl cms)', () => {
  it('an RSASSA-PSS signature (SHA-256)', async () => {
    const { contentType, body } = splitSmime(sign(acme, ['-keyopt', 'rsa_padding_mode:pss']));
    const messageId = nextId();
    await expectProcessed(await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' }), messageId);
  });

  it('RSAES-OAEP key transport (SHA-256), AES-256', async () => {
    const body = opensslEncrypt(pki, sign(acme), gateway, 'aes256', 'sha256');
    const messageId = nextId();
    await expectProcessed(await postAs2(served.url, { contentType: ENVELOPED, body, messageId, signedMdnMic: 'sha-256' }), messageId);
  });

  it("an EC P-256 partner certificate's ECDSA signature", async () => {
    const { contentType, body } = splitSmime(sign(ec));
    const messageId = nextId();
    await expectProcessed(await postAs2(served.url, { contentType, body, messageId, from: 'EC-AS2', signedMdnMic: 'sha-256' }), messageId);
  });

  it('a content key wrapped for several recipients, we being the second', async () => {
    const body = pki.openssl(['cms', '-encrypt', '-binary', '-in', pki.file('toencrypt', sign(acme)), '-outform', 'DER', '-aes256', '-recip', other.cert, '-recip', gateway.cert]);
    const messageId = nextId();
    await expectProcessed(await postAs2(served.url, { contentType: ENVELOPED, body, messageId, signedMdnMic: 'sha-256' }), messageId);
  });

  it('refused: an ECDSA signature from a partner whose certificate is RSA, a PSS signature with a changed byte (authentication-failed)', async () => {
    const ecSigned = splitSmime(sign(ec));
    const messageId = nextId();
    const res = await postAs2(served.url, { ...ecSigned, messageId, signedMdnMic: 'sha-256' });
    expect(opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1')).toContain('processed/error: authentication-failed\r\n');
    const pssDer = pki.openssl(['cms', '-sign', '-binary', '-in', pki.file('tosign', X12_ENTITY), '-signer', acme.cert, '-inkey', acme.key, '-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss', '-outform', 'DER', '-nodetach']);
    pssDer[pssDer.length - 10] = pssDer[pssDer.length - 10]! ^ 0x01; // inside the signature value, the last field of the SignerInfo
    const id2 = nextId();
    const opaque = await postAs2(served.url, { contentType: 'application/pkcs7-mime; smime-type=signed-data; name=smime.p7m', body: pssDer, messageId: id2, signedMdnMic: 'sha-256' });
    expect(opensslVerify(pki, opaque.headers.get('content-type') ?? '', new Uint8Array(await opaque.arrayBuffer()), gateway).toString('latin1')).toContain('processed/error: authentication-failed\r\n');
  });
});
