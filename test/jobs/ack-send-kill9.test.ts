/**
 * A functional ack survives kill -9 between its commit and its send. The real gateway process
 * (`node --import tsx src/main.ts`, SQLite) receives BuyerCo's X12 850 over HTTP and stores the 997
 * together with its ack.send job; BuyerCo's outbound channel is SFTP to a real OpenSSH server.
 *
 * How the kill lands in the window, deterministically: BuyerCo's outbox folder does not exist yet,
 * so every upload fails (the temporary file cannot be written) and the job waits for its retry.
 * Nothing can reach the server before the test creates the folder, and the test creates it only
 * after the process is dead. So at the kill the 997 is committed and not sent, whatever the timing;
 * the test checks that in the database (job waiting, attempt counted, last error from SFTP), kills
 * the process, opens the outbox, starts the gateway again on the same database, and counts the
 * files the partner's server received: exactly one, the 997 the first run stored, byte for byte.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850 } from '../support/buyer.ts';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { startSshd, sshdAvailable, type TestSshd } from '../support/sshd.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-ack-kill9-'));
const db = path.join(dir, 'gateway.db');
let sshd: TestSshd;
let outbox: string;
let env: Record<string, string>;
let gw: GatewayProcess | undefined;

const x12 = [
  'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261207*0900*U*00401*000000301*0*P*>',
  'GS*PO*BUYERCO*GATEWAY*20261207*0900*301*X*004010', 'ST*850*0001', 'BEG*00*SA*PO-KILL-1**20261207',
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', 'GE*1*301', 'IEA*1*000000301', '',
].join('~\n');

beforeAll(async () => {
  sshd = await startSshd();
  const inbox = path.join(sshd.filesDir, 'buyer', 'outbound');
  mkdirSync(inbox, { recursive: true });
  outbox = path.join(sshd.filesDir, 'buyer', 'inbound'); // not created yet: BuyerCo's server refuses uploads
  mkdirSync(path.join(dir, 'partners', 'secrets'), { recursive: true });
  mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'secrets', 'buyer_key'), sshd.privateKey, { mode: 0o600 });
  writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
  writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), `id: buyerco
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
  hostKeySha256: "${sshd.hostKeySha256}"
  inbox: ${inbox}
  outbox: ${outbox}
  pollSeconds: 5
outbound: { channel: sftp, remoteDir: ${outbox} }
acks: { x12: "997", ta1: never }
`);
  env = {
    EDIGW_DATABASE_URL: db,
    EDIGW_PARTNERS_DIR: path.join(dir, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: 'admin-ack-kill9-token',
    EDIGW_ERP_TOKEN: 'erp-ack-kill9-token',
    BUYERCO_API_KEY: 'buyerco-ack-kill9-key',
    EDIGW_LOG_LEVEL: 'info',
  };
}, 60_000);

afterAll(async () => {
  await gw?.kill('SIGKILL');
  await sshd?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${gw?.stderr.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** the ack and its send job as the database holds them (read-only, beside the gateway or after it died) */
function stored(): { ack: { id: string; raw: Buffer } | undefined; jobs: Array<{ state: string; attempts: number; key: string; queue: string; payload: string; last_error: string | null }> } {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return {
      ack: d.prepare("SELECT id, raw FROM messages WHERE direction = 'outbound' AND transport = 'ack'").get() as { id: string; raw: Buffer } | undefined,
      jobs: d.prepare("SELECT state, attempts, key, queue, payload, last_error FROM jobs WHERE kind = 'ack.send'").all() as never,
    };
  } finally {
    d.close();
  }
}

describe.skipIf(!sshdAvailable())('a 997 across kill -9 (real gateway process, real OpenSSH server)', () => {
  it('committed with its send job before the kill, sent exactly once by the restarted gateway', async () => {
    gw = await spawnGateway(env);
    const res = await fetch(`${gw.url}/api/v1/inbound?wait=true`, {
      method: 'POST', headers: { 'x-api-key': env.BUYERCO_API_KEY!, 'content-type': 'application/edi-x12' }, body: x12,
    });
    expect(res.status, await res.text()).toBe(200);

    // the first attempt failed on the server (no outbox folder): the job waits for its retry
    await until('the first failed upload', () => gw!.stderr.some((l) => l.includes('functional ack send failed, will retry')), 30_000);
    const before = stored();
    expect(before.ack).toBeDefined();
    expect(before.jobs).toHaveLength(1);
    const job = before.jobs[0]!;
    expect(job.key).toBe(`ack.send:${before.ack!.id}`);
    expect(job.queue).toBe('send:buyerco');
    expect(JSON.parse(job.payload)).toEqual({ messageId: before.ack!.id });
    expect(['waiting', 'running']).toContain(job.state);
    expect(job.attempts).toBeGreaterThanOrEqual(1);
    expect(job.last_error).toContain('sftp_upload_failed');

    await gw.kill('SIGKILL');
    gw = undefined;
    mkdirSync(outbox); // BuyerCo's server accepts uploads again, now that the first process is gone
    expect(readdirSync(outbox)).toEqual([]);

    gw = await spawnGateway(env);
    await until('the 997 on the partner server', () => readdirSync(outbox).length > 0, 30_000);
    await until('the job to be done', () => stored().jobs[0]?.state === 'done', 10_000);
    // settled: nothing more arrives (the runner polls every 250 ms; give it several rounds)
    await new Promise((r) => setTimeout(r, 1500));
    const files = readdirSync(outbox);
    expect(files).toEqual([`997-${before.ack!.id}.x12`]);
    const received = readFileSync(path.join(outbox, files[0]!));
    expect(received.equals(before.ack!.raw)).toBe(true);
    // what BuyerCo gets, worked out from its 850 (X12 004010 997): sender and receiver swapped, group 301, set 0001 accepted
    const segments = received.toString('latin1').split('~').map((s) => s.trim()).filter(Boolean);
    expect(segments[0]!.slice(0, 3)).toBe('ISA');
    expect(segments[0]!.split('*').slice(5, 9)).toEqual(['ZZ', 'GATEWAY        ', 'ZZ', 'BUYERCO        ']);
    expect(segments.slice(2)).toEqual(['ST*997*0001', 'AK1*PO*301', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001', 'GE*1*1', 'IEA*1*000000001']);
    expect(stored().jobs).toMatchObject([{ state: 'done' }]);
  }, 120_000);
});
