/**
 * Replay of a failed functional ack send re-runs the ack.send job: the stored 997 is resent as it
 * was stored, it is never run through the inbound pipeline (which would answer our own 997 with a
 * new 997, AK1*FA). A real gateway (HTTP intake, SQLite, real clock) and a real OpenSSH server as
 * BuyerCo's SFTP. BuyerCo's profile pins a wrong host key at first, so the upload is refused at once
 * (sftp_host_key_mismatch: another attempt cannot change it) and the ack lands in the exception queue;
 * the operator fixes the key, then replays:
 * - through POST /api/v1/exceptions/:id/replay, and
 * - through `edigw replay exc_…` as a child process on the gateway's database, whose job the running
 *   gateway's runner sends.
 * The peer counts the files it received and the test compares their bytes with the stored 997s.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850 } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startSshd, sshdAvailable, type TestSshd } from '../support/sshd.ts';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let sshd: TestSshd;
let f: GatewayFixture;
let outbox: string;
let inbox: string;
const key = 'buyerco-replay-key';
/** a well-formed SHA-256 fingerprint that is not the server's */
const WRONG_KEY = `SHA256:${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`;

const profile = (hostKey: string) => `id: buyerco
name: BuyerCo
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
http:
  apiKeyEnv: BUYERCO_API_KEY
sftp:
  host: ${sshd.host}
  port: ${sshd.port}
  username: ${sshd.username}
  privateKeyFile: ./secrets/buyer_key
  hostKeySha256: "${hostKey}"
  inbox: ${inbox}
  outbox: ${outbox}
  pollSeconds: 60
outbound: { channel: sftp, remoteDir: ${outbox} }
acks: { x12: "997", ta1: never }
`;

const x12 = (n: number) => [
  `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261207*0900*U*00401*00000050${n}*0*P*>`,
  `GS*PO*BUYERCO*GATEWAY*20261207*0900*50${n}*X*004010`, 'ST*850*0001', `BEG*00*SA*PO-REPLAY-${n}**20261207`,
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', `GE*1*50${n}`, `IEA*1*00000050${n}`, '',
].join('~\n');

beforeAll(async () => {
  sshd = await startSshd();
  inbox = path.join(sshd.filesDir, 'buyer', 'outbound');
  outbox = path.join(sshd.filesDir, 'buyer', 'inbound');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(outbox, { recursive: true });
  f = await startGatewayFixture({
    partners: { buyerco: profile(WRONG_KEY) }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
    files: { 'partners/secrets/buyer_key': sshd.privateKey }, env: { BUYERCO_API_KEY: key }, realClock: true,
  });
}, 60_000);
afterAll(async () => {
  await f?.close();
  await sshd?.dispose();
});

/** BuyerCo sends a PO; its 997 is stored and its send refused by the pinned (wrong) host key */
async function failedAck(n: number): Promise<{ ackId: string; exceptionId: string; jobId: number; stored: Buffer }> {
  f.writePartner('buyerco', profile(WRONG_KEY));
  expect(f.gw.reloadConfig()).toBe(true);
  const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key, headers: { 'content-type': 'application/edi-x12' }, body: x12(n) });
  const outcome = await res.json() as { messageId: string };
  expect(res.status).toBe(200);
  await f.gw.idle(); // the ack.send job ran once and failed for good
  const msg = await (await f.fetch(`/api/v1/messages/${outcome.messageId}`, { token: tokens.admin })).json() as { acknowledgements: Array<{ messageId: string }> };
  expect(msg.acknowledgements).toHaveLength(1);
  const ackId = msg.acknowledgements[0]!.messageId;
  const open = await (await f.fetch('/api/v1/exceptions?status=open', { token: tokens.admin })).json() as { exceptions: Array<{ id: string; messageId: string; code: string; stage: string; detail: { jobId: number; code: string } }> };
  const exc = open.exceptions.find((e) => e.messageId === ackId);
  expect(exc).toMatchObject({ stage: 'send', code: 'ack_send_failed', detail: { code: 'sftp_host_key_mismatch' } });
  const job = await (await f.fetch(`/api/v1/jobs/${exc!.detail.jobId}`, { token: tokens.admin })).json() as { state: string; attempts: number; kind: string };
  expect(job).toMatchObject({ kind: 'ack.send', state: 'failed', attempts: 1 });
  const stored = Buffer.from(await (await f.fetch(`/api/v1/messages/${ackId}/raw`, { token: tokens.admin })).arrayBuffer());
  // the operator fixes the pinned key
  f.writePartner('buyerco', profile(sshd.hostKeySha256));
  expect(f.gw.reloadConfig()).toBe(true);
  return { ackId, exceptionId: exc!.id, jobId: exc!.detail.jobId, stored };
}

const received = () => readdirSync(outbox).filter((n) => !n.startsWith('.'));

describe.skipIf(!sshdAvailable())('replay of a failed 997 send resends the stored 997 (real OpenSSH server)', () => {
  it('POST /api/v1/exceptions/:id/replay re-runs the ack.send job: the peer receives the stored bytes, once', async () => {
    const a = await failedAck(1);
    expect(received()).toEqual([]);
    const res = await f.fetch(`/api/v1/exceptions/${a.exceptionId}/replay`, { method: 'POST', token: tokens.operator });
    const body = await res.json() as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.after).toMatchObject({ status: 'processed', errors: [] });
    expect(body.job).toMatchObject({ id: a.jobId, kind: 'ack.send', state: 'done', attempts: 1 });
    expect(received()).toEqual([`997-${a.ackId}.x12`]);
    expect(readFileSync(path.join(outbox, `997-${a.ackId}.x12`)).equals(a.stored)).toBe(true);
    // our 997 did not go through the inbound pipeline: no 997 answering it, nothing else stored for it
    const ackMsg = await (await f.fetch(`/api/v1/messages/${a.ackId}`, { token: tokens.admin })).json() as any;
    expect(ackMsg).toMatchObject({ direction: 'outbound', transport: 'ack', status: 'processed', acknowledgements: [], documents: [] });
    expect(ackMsg.exceptions.map((e: any) => [e.code, e.status])).toEqual([['ack_send_failed', 'replayed']]);
    // replayed again: the job is done, nothing is sent twice
    await f.fetch(`/api/v1/exceptions/${a.exceptionId}/replay`, { method: 'POST', token: tokens.operator });
    await f.gw.idle();
    expect(received()).toEqual([`997-${a.ackId}.x12`]);
  }, 60_000);

  it('edigw replay exc_… (a child process on the gateway\'s database): the running gateway resends the stored 997, exit 0', async () => {
    const before = received();
    const a = await failedAck(2);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', a.exceptionId, '--wait', '20'], {
      cwd: repo,
      env: { ...process.env, EDIGW_DATABASE_URL: path.join(f.dir, 'gateway.db'), EDIGW_PARTNERS_DIR: path.join(f.dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(f.dir, 'mappings'), BUYERCO_API_KEY: key, USER: 'tester' },
    });
    expect(stdout).toContain(`${a.ackId}: before processed (1 open exception(s), 0 document(s)); now processed`);
    expect(stdout).toContain(`job ${a.jobId} (ack.send): done after 1 attempt(s)`);
    expect(received().filter((n) => !before.includes(n))).toEqual([`997-${a.ackId}.x12`]);
    expect(readFileSync(path.join(outbox, `997-${a.ackId}.x12`)).equals(a.stored)).toBe(true);
  }, 60_000);
});
