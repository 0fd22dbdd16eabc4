/**
 * AS2 non-repudiation evidence (issue 15): for a message received (built by openssl cms) and one
 * sent to a second real gateway, GET /api/v1/messages/:id/evidence and `edigw evidence` give the
 * signed message, the signed MDN, the MICs and both certificates; the openssl commands of the
 * export's README.txt, run on those files alone, verify them, and fail once one byte is changed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { X12_ENTITY, postAs2 } from '../as2/fixtures.ts';
import { createPki, opensslEncrypt, opensslMic, opensslSign, type Party, type Pki } from '../as2/openssl.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { baseMappings, purchaseOrder, startOutboundFixture, tokens, type OutboundFixture } from '../outbound/harness.ts';

let pki: Pki;
let ours: Party;
let globex: Party;
let theirs: GatewayFixture;
let o: OutboundFixture;
const dirs: string[] = [];
const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"';

const ourProfileAtGlobex = `id: buyer
name: Buyer (edi-gateway)
status: production
identifiers:
  x12: { qualifier: ZZ, id: EDIGW }
  as2: EDIGW
as2:
  url: http://127.0.0.1:9/as2
  certificate: ./certs/edigw.pem
`;
const globexProfile = (url: string) => `id: globex
name: Globex over AS2
status: production
identifiers:
  x12: { qualifier: ZZ, id: GLOBEX }
  as2: GLOBEX-AS2
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
as2:
  url: ${url}
  certificate: ./certs/globex.pem
  mdn: sync
outbound: { channel: as2 }
`;

beforeAll(async () => {
  pki = createPki();
  ours = pki.party('EDIGW');
  globex = pki.party('GLOBEX-AS2');
  theirs = await startGatewayFixture({
    partners: { buyer: ourProfileAtGlobex }, mappings: baseMappings(), realClock: true,
    files: { 'partners/certs/edigw.pem': ours.certPem },
    as2: { as2Id: 'GLOBEX-AS2', privateKeyPem: globex.keyPem, certificatePem: globex.certPem },
  });
  o = await startOutboundFixture({
    partners: { globex: globexProfile(`${theirs.gw.url}/as2`) },
    files: { 'partners/certs/globex.pem': globex.certPem },
    as2: { as2Id: 'EDIGW', privateKeyPem: ours.keyPem, certificatePem: ours.certPem },
    realClock: true,
  });
}, 60_000);
afterAll(async () => {
  await o?.close();
  await theirs?.close();
  pki?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'as2-evidence-')); dirs.push(d); return d; };

/** the export of the API written to a folder, as a user would save it */
async function exportTo(f: GatewayFixture, messageId: string): Promise<{ dir: string; json: any }> {
  const res = await f.fetch(`/api/v1/messages/${messageId}/evidence`, { token: tokens.operator });
  const json = await res.json() as any;
  expect(res.status, JSON.stringify(json)).toBe(200);
  const dir = tempDir();
  for (const file of json.files) writeFileSync(path.join(dir, file.name), Buffer.from(file.contentBase64, 'base64'));
  return { dir, json };
}

/** the README's commands, each run by the shell in the export folder, on its files alone */
function readmeCommands(dir: string): string[] {
  return readFileSync(path.join(dir, 'README.txt'), 'utf8').split('\n').filter((l) => l.startsWith('openssl '));
}
function run(dir: string, command: string): { status: number | null; out: string; err: string } {
  const r = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const verifyCommands = (dir: string) => readmeCommands(dir).filter((c) => c.startsWith('openssl cms -verify'));
const messageVerify = (dir: string) => verifyCommands(dir).find((c) => c.includes('message-'))!;
const mdnVerify = (dir: string) => verifyCommands(dir).find((c) => c.includes('mdn-'))!;

function flipByte(file: string, at: number): void {
  const b = readFileSync(file);
  b[at] = b[at]! ^ 0x01;
  writeFileSync(file, b);
}

describe('AS2 evidence of a message received (signed and encrypted by openssl cms)', () => {
  let messageId: string;
  let evidence: { dir: string; json: any };

  it('exports the signed message as received after decryption, our signed MDN, both MICs and both certificates', async () => {
    const body = opensslEncrypt(pki, opensslSign(pki, X12_ENTITY, globex, 'sha256'), ours, 'aes256');
    const res = await postAs2(`${o.f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId: '<evidence-1@globex.example>', from: 'GLOBEX-AS2', signedMdnMic: 'sha-256' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const msgs = (await (await o.f.fetch('/api/v1/messages?partner=globex', { token: tokens.operator })).json() as any).messages;
    messageId = msgs.find((m: any) => m.direction === 'inbound' && m.metadata.as2MessageId === '<evidence-1@globex.example>').id;
    evidence = await exportTo(o.f, messageId);
    expect(evidence.json).toMatchObject({ messageId, direction: 'inbound', partnerId: 'globex', as2MessageId: '<evidence-1@globex.example>' });
    const names = readdirSync(evidence.dir).sort();
    expect(names).toEqual(['README.txt', 'evidence.json', 'mdn-content.bin', 'mdn-signature.p7s', 'mdn.eml', 'message-content.bin', 'message-signature.p7s', 'message.eml', 'our-certificate.pem', 'partner-certificate.pem']);
    // what openssl signed (its -binary input) is what the signature covers
    expect(readFileSync(path.join(evidence.dir, 'message-content.bin'))).toEqual(X12_ENTITY);
    expect(readFileSync(path.join(evidence.dir, 'partner-certificate.pem'), 'utf8')).toBe(globex.certPem);
    expect(readFileSync(path.join(evidence.dir, 'our-certificate.pem'), 'utf8')).toBe(ours.certPem);
    const facts = JSON.parse(readFileSync(path.join(evidence.dir, 'evidence.json'), 'utf8'));
    const mic = opensslMic(pki, X12_ENTITY, 'sha256');
    expect(facts).toMatchObject({ direction: 'inbound', as2From: 'GLOBEX-AS2', as2To: 'EDIGW', ourMic: `${mic}, sha-256`, message: { signatureDigest: 'sha256', encrypted: 'aes256-cbc', mic: `${mic}, sha-256` }, mdn: { signed: true, disposition: 'automatic-action/MDN-sent-automatically; processed' } });
    expect(new Date(facts.message.receivedAt).getTime()).toBeGreaterThan(Date.now() - 120_000);
  });

  it("README.txt's openssl commands verify the partner's signature, the MIC and our MDN's signature on the files alone", () => {
    const commands = readmeCommands(evidence.dir);
    expect(commands).toHaveLength(3); // message signature, MIC, MDN signature
    for (const c of verifyCommands(evidence.dir)) {
      const r = run(evidence.dir, c);
      expect(r.err, c).toContain('Verification successful');
      expect(r.status, c).toBe(0);
    }
    const micCommand = commands.find((c) => c.startsWith('openssl dgst'))!;
    expect(run(evidence.dir, micCommand).out.trim()).toBe(opensslMic(pki, X12_ENTITY, 'sha256'));
    // the report our MDN signed returns that MIC for this Message-ID
    const report = readFileSync(path.join(evidence.dir, 'mdn-report.txt'), 'latin1');
    expect(report).toContain('Original-Message-ID: <evidence-1@globex.example>\r\n');
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, X12_ENTITY, 'sha256')}, sha-256\r\n`);
    expect(report).toContain('Disposition: automatic-action/MDN-sent-automatically; processed\r\n');
  });

  it('one byte changed in the message, the MDN or a signature: its openssl command fails', () => {
    for (const [file, command, at] of [
      ['message-content.bin', messageVerify, 200], ['mdn-content.bin', mdnVerify, 300],
      ['message-signature.p7s', messageVerify, -20], ['mdn-signature.p7s', mdnVerify, -20],
    ] as const) {
      const dir = tempDir();
      for (const name of readdirSync(evidence.dir)) writeFileSync(path.join(dir, name), readFileSync(path.join(evidence.dir, name)));
      const size = readFileSync(path.join(dir, file)).length;
      flipByte(path.join(dir, file), at < 0 ? size + at : at);
      const r = run(dir, command(dir));
      expect(r.status, `${file}: ${r.err}`).not.toBe(0);
      expect(r.err).toContain('Verification failure');
    }
  });

  it('`edigw evidence <id> --out dir` writes the same files; --help explains them', async () => {
    const out = tempDir();
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), env: { EDIGW_DATABASE_URL: path.join(o.f.dir, 'gateway.db') }, cwd: out };
    expect(await runCli(['evidence', messageId, '--out', path.join(out, 'ev')], io)).toBe(0);
    expect(lines.join('\n')).toContain(`10 files for inbound AS2 message <evidence-1@globex.example> (partner globex) written to ${path.join(out, 'ev')}`);
    for (const name of readdirSync(evidence.dir).filter((n) => n !== 'mdn-report.txt')) {
      expect(readFileSync(path.join(out, 'ev', name)), name).toEqual(readFileSync(path.join(evidence.dir, name)));
    }
    lines.length = 0;
    expect(await runCli(['evidence', '--help'], io)).toBe(0);
    expect(lines.join('\n')).toContain('Usage: edigw evidence <message id> [--out <dir>]');
    lines.length = 0;
    expect(await runCli(['evidence', 'msg_nope'], io)).toBe(1);
    expect(lines.join('\n')).toContain('message msg_nope does not exist');
  });

  it('is for staff only; a message without AS2 evidence is a 404 saying so', async () => {
    expect((await o.f.fetch(`/api/v1/messages/${messageId}/evidence`)).status).toBe(401);
    expect((await o.f.fetch(`/api/v1/messages/${messageId}/evidence`, { token: tokens.erp })).status).toBe(403);
    const posted = await (await o.f.fetch('/api/v1/inbound?partner=globex', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edi-x12' }, body: 'ISA*00*' })).json() as any;
    const none = await o.f.fetch(`/api/v1/messages/${posted.messageId}/evidence`, { token: tokens.operator });
    expect(none.status).toBe(404);
    expect(((await none.json()) as any).error.message).toContain('has no AS2 evidence');
    // one file alone
    const one = await o.f.fetch(`/api/v1/messages/${messageId}/evidence?file=message-signature.p7s`, { token: tokens.operator });
    expect(new Uint8Array(await one.arrayBuffer())).toEqual(new Uint8Array(readFileSync(path.join(evidence.dir, 'message-signature.p7s'))));
  });
});

describe('AS2 evidence of a purchase order sent to a second gateway, on both sides', () => {
  it('ours: what we signed and their signed MDN, our MIC and the MIC it returned; theirs: the message as it arrived and their MDN', async () => {
    const res = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify({ partnerId: 'globex', type: 'purchase_order', document: purchaseOrder }) });
    const r = await res.json() as any;
    await o.outbound.idle();
    const status = await (await o.api(`/api/v1/erp/outbound/${r.messageId}`, { token: tokens.operator })).json() as any;
    expect(status.send).toMatchObject({ channel: 'as2', status: 'mdn_ok' });

    const sent = await exportTo(o.f, r.messageId);
    expect(sent.json).toMatchObject({ direction: 'outbound', partnerId: 'globex', as2MessageId: status.send.as2MessageId });
    for (const c of verifyCommands(sent.dir)) expect(run(sent.dir, c).err, c).toContain('Verification successful');
    expect(messageVerify(sent.dir)).toContain('-CAfile our-certificate.pem');
    expect(mdnVerify(sent.dir)).toContain('-CAfile partner-certificate.pem');
    expect(readFileSync(path.join(sent.dir, 'partner-certificate.pem'), 'utf8')).toBe(globex.certPem);
    const facts = JSON.parse(readFileSync(path.join(sent.dir, 'evidence.json'), 'utf8'));
    // our MIC is over what we signed, recomputed here by openssl; the partner returned the same one
    const mic = `${opensslMic(pki, readFileSync(path.join(sent.dir, 'message-content.bin')), 'sha256')}, sha-256`;
    expect(facts).toMatchObject({ direction: 'outbound', as2From: 'EDIGW', as2To: 'GLOBEX-AS2', ourMic: mic, theirMic: mic });
    // the signed part carries the 850 we sent, byte for byte
    const ourBytes = await (await o.f.fetch(`/api/v1/messages/${r.messageId}/raw`, { token: tokens.operator })).text();
    expect(readFileSync(path.join(sent.dir, 'message-content.bin'), 'latin1')).toContain(ourBytes);
    expect(readFileSync(path.join(sent.dir, 'mdn-report.txt'), 'latin1')).toContain(`Received-Content-MIC: ${mic}\r\n`);

    await theirs.gw.idle();
    const msgs = (await (await theirs.fetch('/api/v1/messages?partner=buyer', { token: tokens.operator })).json() as any).messages;
    const received = msgs.find((m: any) => m.direction === 'inbound' && m.metadata.as2MessageId === status.send.as2MessageId);
    const got = await exportTo(theirs, received.id);
    for (const c of verifyCommands(got.dir)) expect(run(got.dir, c).err, c).toContain('Verification successful');
    // the same signed bytes on both sides, the same MIC
    expect(readFileSync(path.join(got.dir, 'message-content.bin'))).toEqual(readFileSync(path.join(sent.dir, 'message-content.bin')));
    expect(readFileSync(path.join(got.dir, 'mdn-signature.p7s'))).toEqual(readFileSync(path.join(sent.dir, 'mdn-signature.p7s')));
    expect(JSON.parse(readFileSync(path.join(got.dir, 'evidence.json'), 'utf8')).ourMic).toBe(mic);
  });
});
