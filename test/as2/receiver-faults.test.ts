/**
 * AS2 receiver: partner policy, resent Message-IDs, async MDNs with retry, bad input and limits.
 * Messages built with the openssl CLI and posted over real HTTP.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAsyncMdnSender } from '../../src/transports/as2/async-mdn.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { createMemoryLogger, silentLogger } from '../../src/core/logger.ts';
import { createPki, opensslEncrypt, opensslSign, opensslVerify, splitSmime, type Party, type Pki } from './openssl.ts';
import { createRecordingIngest, serveHandler, type RecordingIngest, type Served } from './harness.ts';
import { X12_850, X12_ENTITY, postAs2 } from './fixtures.ts';

const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m';

let pki: Pki;
let gateway: Party, acme: Party;
let served: Served;
let rec: RecordingIngest;
const logger = createMemoryLogger();
let seq = 0;
const nextId = () => `<fault-${++seq}@acme.example>`;

/** a partner's async MDN endpoint: answers 503 to the first `failFirst` posts */
const receipts: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];
let failFirst = 0;
let receiptWaiters: Array<() => void> = [];
const receiptServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (failFirst > 0) { failFirst--; res.writeHead(503).end('busy'); return; }
    receipts.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200).end('ok');
    receiptWaiters.forEach((w) => w());
    receiptWaiters = [];
  });
});
let receiptUrl = '';
const nextReceipt = () => new Promise<void>((r) => receiptWaiters.push(r));

beforeAll(async () => {
  pki = createPki({ now: new Date('2026-11-23T12:00:00Z') }); // the gateway's fixed clock
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  rec = createRecordingIngest();
  await new Promise<void>((r) => receiptServer.listen(0, '127.0.0.1', r));
  receiptUrl = `http://127.0.0.1:${(receiptServer.address() as AddressInfo).port}/mdn`;
  const handler = createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    findPartner: (from, to) => {
      if (to !== 'EDIGW') return undefined;
      if (from === 'ACME-AS2') return { partnerId: 'acme', certificatesPem: [acme.certPem], requireSigned: false, requireEncrypted: false };
      if (from === 'STRICT-AS2') return { partnerId: 'strict', certificatesPem: [acme.certPem], requireSigned: true, requireEncrypted: true };
      return undefined;
    },
    ingest: rec.ingest,
    mdnStore: createMemoryMdnStore(),
    sendAsyncMdn: createAsyncMdnSender({ fetch: (u, i) => fetch(u, { ...i, body: new Uint8Array(i.body) }), retry: { attempts: 4, initialDelayMs: 1, maxDelayMs: 1, sleep: async () => {} }, logger: silentLogger }),
    clock: fixedClock('2026-11-23T12:00:00Z'),
    logger,
    limits: { maxBodyBytes: 64 * 1024, maxDecompressedBytes: 1024 * 1024 },
  });
  served = await serveHandler(handler);
});

afterAll(async () => {
  await served?.close();
  await new Promise<void>((r) => receiptServer.close(() => r()));
  pki?.cleanup();
});

async function mdnReport(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return opensslVerify(pki, res.headers.get('content-type') ?? '', new Uint8Array(await res.arrayBuffer()), gateway).toString('latin1');
}

describe('AS2 receive: partner policy', () => {
  it('insufficient-message-security when the partner must sign and encrypt but sent plain', async () => {
    const messageId = nextId();
    const before = rec.messages.length;
    const report = await mdnReport(await postAs2(served.url, { from: 'STRICT-AS2', contentType: 'application/edi-x12', body: Buffer.from(X12_850), messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: insufficient-message-security');
    expect(report).toMatch(/must encrypt/);
    expect(rec.messages.length).toBe(before);
  });

  it('insufficient-message-security when encrypted but not signed', async () => {
    const messageId = nextId();
    const report = await mdnReport(await postAs2(served.url, { from: 'STRICT-AS2', contentType: ENVELOPED, body: opensslEncrypt(pki, X12_ENTITY, gateway, 'aes256'), messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('processed/error: insufficient-message-security');
    expect(report).toMatch(/must sign/);
  });

  it('processed when signed and encrypted as required', async () => {
    const messageId = nextId();
    const body = opensslEncrypt(pki, opensslSign(pki, X12_ENTITY, acme, 'sha256'), gateway, 'aes256');
    const report = await mdnReport(await postAs2(served.url, { from: 'STRICT-AS2', contentType: ENVELOPED, body, messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
  });

  it('unknown AS2-From or AS2-To gets HTTP 403 naming them', async () => {
    const res = await postAs2(served.url, { from: 'NOBODY', contentType: 'application/edi-x12', body: Buffer.from(X12_850), messageId: nextId() });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('"NOBODY"');
  });
});

describe('AS2 receive: resent Message-ID', () => {
  it('is ingested once and gets the original MDN again', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const messageId = nextId();
    const before = rec.messages.length;
    const first = await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' });
    const firstBody = Buffer.from(await first.arrayBuffer());
    const second = await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' });
    const secondBody = Buffer.from(await second.arrayBuffer());
    expect(rec.messages.length).toBe(before + 1);
    expect(second.headers.get('message-id')).toBe(first.headers.get('message-id'));
    expect(secondBody.equals(firstBody)).toBe(true);
  });

  it('a failed commit gives unexpected-processing-error, and the resend is then ingested', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const messageId = nextId();
    const before = rec.messages.length;
    rec.control.failNext = 1;
    const report = await mdnReport(await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' }));
    expect(report).toContain('processed/error: unexpected-processing-error');
    expect(rec.messages.length).toBe(before);
    const again = await mdnReport(await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256' }));
    expect(again).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
    expect(rec.messages.length).toBe(before + 1);
  });
});

describe('AS2 receive: asynchronous MDN', () => {
  it('posts the signed MDN to Receipt-Delivery-Option, retrying after 503s', async () => {
    failFirst = 2;
    const got = nextReceipt();
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const messageId = nextId();
    const res = await postAs2(served.url, { contentType, body, messageId, signedMdnMic: 'sha-256', receiptUrl });
    expect(res.status).toBe(200);
    await got;
    const receipt = receipts[receipts.length - 1];
    if (!receipt) throw new Error('no receipt');
    expect(receipt.headers['as2-from']).toBe('EDIGW');
    expect(receipt.headers['as2-to']).toBe('ACME-AS2');
    const report = opensslVerify(pki, String(receipt.headers['content-type']), receipt.body, gateway).toString('latin1');
    expect(report).toContain(`Original-Message-ID: ${messageId}`);
    expect(report).toContain('processed\r\n');
    expect(failFirst).toBe(0);
  });
});

describe('AS2 receive: bad input never crashes', () => {
  const cases: Array<[string, string, Uint8Array, RegExp]> = [
    ['garbage as enveloped-data', ENVELOPED, Buffer.from('this is not DER at all'), /processed\/error: unexpected-processing-error/],
    ['multipart/signed without boundary', 'multipart/signed; protocol="application/pkcs7-signature"', Buffer.from(X12_ENTITY), /multipart\/signed without boundary parameter/],
    ['multipart/signed with a non-signature second part', 'multipart/signed; boundary=XX', Buffer.from('--XX\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XX\r\nContent-Type: text/plain\r\n\r\nnot a signature\r\n--XX--\r\n'), /second part of multipart\/signed is text\/plain/],
    ['a signature part that is not CMS', 'multipart/signed; boundary=XX', Buffer.from('--XX\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XX\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--XX--\r\n'), /processed\/error: unexpected-processing-error/],
  ];
  it.each(cases)('%s -> negative MDN', async (_name, contentType, body, expected) => {
    const report = await mdnReport(await postAs2(served.url, { contentType, body, messageId: nextId(), signedMdnMic: 'sha-256' }));
    expect(report).toMatch(expected);
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed/error: ');
  });

  it('a required MIC algorithm we do not support (md5) -> unsigned MDN failed/Failure: unsupported-mic-algorithm (RFC 4130bis draft, no fallback)', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const before = rec.messages.length;
    const res = await postAs2(served.url, { contentType, body, messageId: nextId(), extra: { 'Disposition-Notification-Options': 'signed-receipt-protocol=required, pkcs7-signature; signed-receipt-micalg=required, md5' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^multipart\/report; report-type=disposition-notification/);
    const report = await res.text();
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; failed/Failure: unsupported-mic-algorithm\r\n');
    expect(report).not.toContain('Received-Content-MIC');
    expect(rec.messages.length).toBe(before);
  });

  it('a body over maxBodyBytes gets HTTP 413', async () => {
    const res = await postAs2(served.url, { contentType: 'application/edi-x12', body: Buffer.alloc(65 * 1024, 0x41), messageId: nextId() });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/exceeds the limit of 65536 bytes/);
  });

  it('missing Message-ID gets HTTP 400', async () => {
    const res = await fetch(served.url, { method: 'POST', headers: { 'AS2-From': 'ACME-AS2', 'AS2-To': 'EDIGW', 'Content-Type': 'application/edi-x12' }, body: X12_850 });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Message-ID/);
  });

  it('GET gets HTTP 405', async () => {
    expect((await fetch(served.url)).status).toBe(405);
  });

  it('plain message without MDN request: 200 and ingested as is', async () => {
    const before = rec.messages.length;
    const res = await postAs2(served.url, { contentType: 'application/edi-x12', body: Buffer.from(X12_850), messageId: nextId(), mdn: false });
    expect(res.status).toBe(200);
    expect(rec.messages.length).toBe(before + 1);
  });

  it('a signed message without an MDN request is received (not mistaken for an async MDN)', async () => {
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const before = rec.messages.length;
    const res = await postAs2(served.url, { contentType, body, messageId: nextId(), mdn: false });
    expect(res.status).toBe(200);
    expect(rec.messages.length).toBe(before + 1);
  });

  it('unsigned MDN when no signed receipt was asked; MIC over the content only', async () => {
    const messageId = nextId();
    const res = await postAs2(served.url, { contentType: 'application/edi-x12', body: Buffer.from(X12_850), messageId });
    expect(res.headers.get('content-type')).toMatch(/^multipart\/report/);
    const text = await res.text();
    expect(text).toContain(`Original-Message-ID: ${messageId}`);
    // no MIC algorithm asked, nothing signed: SHA-256, the draft's default (SHA-1 is never our choice)
    expect(text).toContain(`Received-Content-MIC: ${pki.openssl(['dgst', '-sha256', '-binary', pki.file('x12', X12_850)]).toString('base64')}, sha-256`);
  });
});
