/**
 * The evidence of a send answered by an asynchronous MDN: the partner's signed MDN (built and
 * signed here by openssl cms) posted to our POST /as2 is kept, as it came, under the message we
 * sent; the export's README command verifies it with the partner's certificate.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import { buildEvidenceExport } from '../../src/transports/as2/evidence-export.ts';
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import type { ParsedMdn } from '../../src/transports/as2/mdn-parse.ts';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { createRecordingIngest, serveHandler, type Served } from './harness.ts';
import { createPki, splitSmime, type Party, type Pki } from './openssl.ts';

const clock = fixedClock('2026-11-23T12:00:00Z');
let pki: Pki;
let gateway: Party, acme: Party;
let store: Store;
let served: Served;
let dir: string;
const heard: ParsedMdn[] = [];

beforeAll(async () => {
  pki = createPki({ now: clock.now() });
  gateway = pki.party('edigw');
  acme = pki.party('acme');
  dir = mkdtempSync(path.join(tmpdir(), 'edigw-async-evidence-'));
  store = await openStore(path.join(dir, 'gateway.db'));
  served = await serveHandler(createAs2Receiver({
    identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
    findPartner: (from) => (from === 'ACME-AS2' ? { partnerId: 'acme', certificatesPem: [acme.certPem], requireSigned: true, requireEncrypted: false } : undefined),
    ingest: createRecordingIngest().ingest, mdnStore: createMemoryMdnStore(), clock, logger: silentLogger,
    onAsyncMdn: async (mdn) => { heard.push(mdn); },
    evidence: store.as2Evidence,
    limits: { maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024 },
  }));
});
afterAll(async () => {
  await served?.close();
  await store?.close();
  pki?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

it("an asynchronous MDN for our send is kept under the message we sent, and openssl verifies it from the export alone", async () => {
  // what our send recorded (the message part), as the sender does
  await store.as2Evidence.addEvidence({ messageId: 'msg_sent_1', direction: 'outbound', partnerId: 'acme', as2MessageId: '<po-msg_sent_1@edigw>', part: 'message',
    contentType: 'application/edi-x12', body: Buffer.from('unsigned here'), detail: { as2From: 'EDIGW', as2To: 'ACME-AS2', mic: 'bWljLXZhbHVl, sha-256' }, at: '2026-11-23T11:59:00.000Z' });
  const crlf = (lines: string[]) => lines.join('\r\n');
  const report = crlf([
    'Content-Type: multipart/report; report-type=disposition-notification; boundary="rep"', '', '--rep', 'Content-Type: text/plain', '',
    'Your message was received.', '--rep', 'Content-Type: message/disposition-notification', '',
    'Reporting-UA: acme AS2', 'Original-Recipient: rfc822; ACME-AS2', 'Final-Recipient: rfc822; ACME-AS2', 'Original-Message-ID: <po-msg_sent_1@edigw>',
    'Disposition: automatic-action/MDN-sent-automatically; processed', 'Received-Content-MIC: bWljLXZhbHVl, sha-256', '', '--rep--', '',
  ]);
  const { contentType, body } = splitSmime(pki.openssl(['cms', '-sign', '-binary', '-in', pki.file('report', report), '-signer', acme.cert, '-inkey', acme.key, '-md', 'sha256']));
  const res = await fetch(served.url, { method: 'POST', headers: { 'AS2-From': 'ACME-AS2', 'AS2-To': 'EDIGW', 'Message-ID': '<mdn-1@acme>', 'Content-Type': contentType }, body: new Uint8Array(body) });
  expect((await res.text()).trim()).toBe('MDN received');
  expect(heard[0]).toMatchObject({ originalMessageId: '<po-msg_sent_1@edigw>', signed: true });

  const rows = await store.as2Evidence.evidenceFor('msg_sent_1');
  expect(rows.map((r) => r.part)).toEqual(['message', 'mdn']);
  expect(new Uint8Array(rows[1]!.body)).toEqual(new Uint8Array(body));
  const ex = buildEvidenceExport(rows);
  const out = mkdtempSync(path.join(dir, 'export-'));
  for (const f of ex.files) writeFileSync(path.join(out, f.name), f.bytes);
  const readme = readFileSync(path.join(out, 'README.txt'), 'utf8');
  expect(readme).toContain('(asynchronous)');
  const verify = readme.split('\n').find((l) => l.startsWith('openssl cms -verify') && l.includes('mdn-signature.p7s'))!;
  expect(verify).toContain('-CAfile partner-certificate.pem');
  const r = spawnSync('sh', ['-c', verify], { cwd: out, encoding: 'utf8' });
  expect(r.stderr).toContain('Verification successful');
  expect(readFileSync(path.join(out, 'partner-certificate.pem'), 'utf8')).toBe(acme.certPem);
  const facts = JSON.parse(readFileSync(path.join(out, 'evidence.json'), 'utf8'));
  expect(facts).toMatchObject({ direction: 'outbound', ourMic: 'bWljLXZhbHVl, sha-256', theirMic: 'bWljLXZhbHVl, sha-256', mdn: { async: true, disposition: 'automatic-action/MDN-sent-automatically; processed', signed: true } });
});
