/**
 * A partner certificate that expired, or is signed with SHA-1, puts a warning on every AS2 message
 * it touches (the message's metadata, shown by the API and the console), or the message is refused,
 * per the partner's `as2.certificateProblems: warn | refuse` (issue 15), not only in /healthz.
 * Certificates made by the openssl command line (expired ones through `openssl ca -startdate`),
 * messages signed by openssl cms, MDNs checked with openssl cms -verify.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { sendAs2, type SendAs2Options } from '../../src/transports/as2/sender.ts';
import { failedForGood } from '../../src/pipeline/outbound/send-task.ts';
import { FIXTURE_TIME, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { X12_850, X12_ENTITY, postAs2 } from './fixtures.ts';
import { createRecordingIngest, serveHandler, type RecordingIngest, type Served } from './harness.ts';
import { createPki, opensslSign, opensslVerify, splitSmime, type Party, type Pki } from './openssl.ts';

const DAY = 86_400_000;
const now = new Date(FIXTURE_TIME);
const clock = fixedClock(FIXTURE_TIME);
let pki: Pki, oldPki: Pki;
let gateway: Party, expired: Party, sha1: Party, good: Party;
let served: Served;
let rec: RecordingIngest;
let seq = 0;
const nextId = () => `<cert-${++seq}@partner.example>`;

beforeAll(async () => {
  pki = createPki({ now });
  // issued 40 days before the gateway's clock, valid for 10: expired 30 days ago
  oldPki = createPki({ now: new Date(now.getTime() - 40 * DAY) });
  gateway = pki.party('edigw');
  good = pki.party('good');
  expired = oldPki.party('expired', 10);
  sha1 = pki.party('sha1-signed');
  // the same key, its certificate signed with SHA-1 (valid from the gateway's clock, as the others)
  const asn1 = (d: Date) => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  pki.openssl(['req', '-new', '-key', sha1.key, '-subj', '/CN=sha1-signed/O=AS2 test', '-out', path.join(pki.dir, 'sha1.csr')]);
  pki.openssl(['ca', '-batch', '-selfsign', '-notext', '-config', path.join(pki.dir, 'ca.cnf'), '-md', 'sha1', '-keyfile', sha1.key, '-in', path.join(pki.dir, 'sha1.csr'),
    '-out', sha1.cert, '-startdate', asn1(now), '-enddate', asn1(new Date(now.getTime() + 365 * DAY))]);
  sha1 = { ...sha1, certPem: readFileSync(sha1.cert, 'utf8') };
  expect(pki.openssl(['x509', '-in', sha1.cert, '-noout', '-text']).toString()).toContain('Signature Algorithm: sha1WithRSAEncryption');
  rec = createRecordingIngest();
  const partners: Record<string, { pem: string; policy?: 'warn' | 'refuse' }> = {
    'EXPIRED-WARN': { pem: expired.certPem }, 'EXPIRED-REFUSE': { pem: expired.certPem, policy: 'refuse' },
    'SHA1-WARN': { pem: sha1.certPem, policy: 'warn' }, 'SHA1-REFUSE': { pem: sha1.certPem, policy: 'refuse' }, GOOD: { pem: good.certPem, policy: 'refuse' },
  };
  served = await serveHandler(createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    findPartner: (from) => {
      const p = partners[from];
      return p ? { partnerId: from.toLowerCase(), certificatesPem: [p.pem], requireSigned: true, requireEncrypted: false, ...(p.policy ? { certificateProblems: p.policy } : {}) } : undefined;
    },
    ingest: rec.ingest, mdnStore: createMemoryMdnStore(), clock, logger: silentLogger,
    limits: { maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024 },
  }));
});
afterAll(async () => {
  await served?.close();
  pki?.cleanup();
  oldPki?.cleanup();
});

async function send(from: string, signer: Party): Promise<string> {
  const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, signer, 'sha256'));
  const res = await postAs2(served.url, { contentType, body, messageId: nextId(), from, signedMdnMic: 'sha-256' });
  expect(res.status).toBe(200);
  return opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
}
const expiredOn = () => new Date(now.getTime() - 30 * DAY).toISOString().slice(0, 10);

describe('inbound: the certificate that verified the message', () => {
  it('expired, policy warn (the default): processed, with the warning on the message naming the certificate and the date', async () => {
    expect(await send('EXPIRED-WARN', expired)).toContain('; processed\r\n');
    const m = rec.messages[rec.messages.length - 1]!;
    expect(Buffer.from(m.bytes).toString('latin1')).toBe(X12_850);
    expect(m.metadata.warning).toMatch(new RegExp(`^as2_certificate_expired: partner expired-warn's certificate CN=expired, O=AS2 test \\(serial [0-9A-F]+\\), which verified the message signature, expired on ${expiredOn()}T`));
  });

  it('expired, policy refuse: authentication-failed, raw kept with the reason', async () => {
    const text = await send('EXPIRED-REFUSE', expired);
    expect(text).toContain('processed/error: authentication-failed\r\n');
    expect(text).toContain('expired on');
    expect(rec.rejected[rec.rejected.length - 1]!.rejected).toMatchObject({ code: 'as2_certificate_invalid', detail: { partnerId: 'expired-refuse', found: 'as2_certificate_expired', policy: 'refuse' } });
  });

  it('signed with SHA-1: warn puts as2_certificate_sha1 on the message; refuse answers authentication-failed', async () => {
    expect(await send('SHA1-WARN', sha1)).toContain('; processed\r\n');
    expect(rec.messages[rec.messages.length - 1]!.metadata.warning).toContain("as2_certificate_sha1: partner sha1-warn's certificate CN=sha1-signed, O=AS2 test");
    expect(rec.messages[rec.messages.length - 1]!.metadata.warning).toContain('is signed with SHA-1 (sha1WithRSAEncryption)');
    expect(await send('SHA1-REFUSE', sha1)).toContain('processed/error: authentication-failed\r\n');
    expect(rec.rejected[rec.rejected.length - 1]!.rejected).toMatchObject({ code: 'as2_certificate_invalid', detail: { found: 'as2_certificate_sha1' } });
  });

  it('a valid SHA-256 certificate: no warning, even under refuse', async () => {
    expect(await send('GOOD', good)).toContain('; processed\r\n');
    expect(rec.messages[rec.messages.length - 1]!.metadata.warning).toBeUndefined();
  });
});

describe('outbound: the certificate we encrypt to', () => {
  let server: Server;
  let url: string;
  let posts = 0;
  beforeAll(async () => {
    server = createServer((req, res) => { posts++; req.resume(); req.on('end', () => res.end('received')); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/as2`;
  });
  afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });
  const options = (pem: string, onProblem: 'warn' | 'refuse'): SendAs2Options => ({
    url, from: 'EDIGW', to: 'PARTNER-AS2', partnerCertificatePem: pem, identity: { privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    sign: true, encrypt: true, compress: false, mdn: 'none', payload: Buffer.from(X12_850), contentType: 'application/edi-x12',
    certificatePolicy: { partnerId: 'partner', onProblem },
  });
  const deps = { fetch: (u: string, i: { method: string; headers: Array<[string, string]>; body: Uint8Array }) => fetch(u, { ...i, body: new Uint8Array(i.body) }), clock, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 } };

  it('warn: sent, the result says which certificate and why; refuse: not sent at all', async () => {
    const r = await sendAs2(options(expired.certPem, 'warn'), deps);
    expect(r.status).toBe('sent');
    expect(r.warnings).toEqual([expect.stringMatching(/^as2_certificate_expired: partner partner's certificate CN=expired, O=AS2 test \(serial [0-9A-F]+\), which we encrypt to, expired on /)]);
    expect(posts).toBe(1);
    await expect(sendAs2(options(sha1.certPem, 'refuse'), deps)).rejects.toMatchObject({ code: 'as2_certificate_invalid', message: expect.stringContaining('is signed with SHA-1 (sha1WithRSAEncryption)') });
    expect(posts).toBe(1);
    // the job engine does not try again: the certificate is the same on the next try (only the operator changes it)
    expect(failedForGood({ channel: 'as2', status: 'failed', attempts: 1, code: 'as2_certificate_invalid', detail: 'refused' })).toBe(true);
    expect((await sendAs2(options(good.certPem, 'refuse'), deps)).warnings).toBeUndefined();
  });
});

describe('through the gateway: the warning is on the message the API (and the console) shows', () => {
  let f: GatewayFixture;
  beforeAll(async () => {
    f = await startGatewayFixture({
      partners: { old: 'id: old\nname: Old certificate\nstatus: production\nidentifiers:\n  as2: EXPIRED-WARN\nas2:\n  certificate: ./certs/old.pem\n  requireEncrypted: false\n' },
      files: { 'partners/certs/old.pem': expired.certPem },
      as2: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    });
  });
  afterAll(async () => { await f?.close(); });

  it('GET /api/v1/messages/:id has metadata.warning as2_certificate_expired; /api/v1/status still lists the certificate', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, expired, 'sha256'));
    const res = await postAs2(`${f.gw.url}/as2`, { contentType, body, messageId: '<old-1@partner.example>', from: 'EXPIRED-WARN', signedMdnMic: 'sha-256' });
    expect(opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1')).toContain('; processed\r\n');
    const list = (await (await f.fetch('/api/v1/messages?partner=old', { token: tokens.operator })).json() as any).messages;
    const m = list.find((x: any) => x.direction === 'inbound');
    const view = await (await f.fetch(`/api/v1/messages/${m.id}`, { token: tokens.operator })).json() as any;
    expect(view.metadata.warning).toContain("as2_certificate_expired: partner old's certificate CN=expired, O=AS2 test");
    const health = await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as any;
    expect(health.certificates).toEqual([expect.objectContaining({ owner: 'old', status: 'expired' })]);
  });
});
