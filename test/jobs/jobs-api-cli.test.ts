/**
 * Jobs are visible and operable, through a real gateway over HTTP and `edigw jobs` as a child
 * process on its database. BuyerCo collects its 997s (pickup: each ack.send job is done at once);
 * Globex's profile names an SFTP key file that does not exist, so each of its ack sends fails for
 * good on the first attempt (secret_unreadable). Five 850s: three from BuyerCo, two from Globex.
 * Real clock: `edigw jobs retry` makes a job due at the time of its own process's clock.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const execFileP = promisify(execFile);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let f: GatewayFixture;

const globexYaml = `id: globex
name: Globex
status: production
identifiers:
  x12: { qualifier: ZZ, id: GLOBEX }
http:
  apiKeyEnv: GLOBEX_API_KEY
sftp:
  host: 127.0.0.1
  port: 9
  username: edi
  privateKeyFile: ./secrets/globex_key_missing
  hostKeySha256: "SHA256:${Buffer.alloc(32, 1).toString('base64').replace(/=+$/, '')}"
  inbox: /in
  pollSeconds: 3600
outbound: { channel: sftp, remoteDir: /out }
acks: { x12: "997", ta1: never }
`;
const keys = { BUYERCO_API_KEY: 'buyerco-jobs-key', GLOBEX_API_KEY: 'globex-jobs-key' };

const x12 = (from: string, n: number) => [
  `ISA*00*          *00*          *ZZ*${from.padEnd(15)}*ZZ*GATEWAY        *261123*0900*U*00401*00000060${n}*0*P*>`,
  `GS*PO*${from}*GATEWAY*20261123*0900*60${n}*X*004010`, 'ST*850*0001', `BEG*00*SA*PO-JOBS-${n}**20261123`,
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', `GE*1*60${n}`, `IEA*1*00000060${n}`, '',
].join('~\n');

beforeAll(async () => {
  f = await startGatewayFixture({ partners: { buyerco: buyerYaml, globex: globexYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: keys, realClock: true });
  for (const [from, key, n] of [['BUYERCO', keys.BUYERCO_API_KEY, 1], ['GLOBEX', keys.GLOBEX_API_KEY, 2], ['BUYERCO', keys.BUYERCO_API_KEY, 3], ['GLOBEX', keys.GLOBEX_API_KEY, 4], ['BUYERCO', keys.BUYERCO_API_KEY, 5]] as const) {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key, headers: { 'content-type': 'application/edi-x12' }, body: x12(from, n) });
    expect(res.status, await res.text()).toBe(200);
    await f.gw.idle(); // one after the other: job ids follow the order above
  }
});
afterAll(async () => { await f?.close(); });

const get = async (p: string, token = tokens.admin) => { const r = await f.fetch(p, { token }); return { status: r.status, body: await r.json() as any }; };
const post = async (p: string) => { const r = await f.fetch(p, { method: 'POST', token: tokens.admin }); return { status: r.status, body: await r.json() as any }; };

async function edigw(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await execFileP(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repo, env: { ...process.env, EDIGW_DATABASE_URL: path.join(f.dir, 'gateway.db'), USER: 'tester' },
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('GET /api/v1/jobs and retry / cancel (admin)', () => {
  it('lists the ack sends newest first, with state, attempts and last error; filters by kind, state and partner', async () => {
    const all = await get('/api/v1/jobs');
    expect(all.status).toBe(200);
    expect(all.body.next).toBeNull();
    expect(all.body.jobs.map((j: any) => [j.kind, j.partnerId, j.state, j.attempts])).toEqual([
      ['ack.send', 'buyerco', 'done', 1], ['ack.send', 'globex', 'failed', 1], ['ack.send', 'buyerco', 'done', 1],
      ['ack.send', 'globex', 'failed', 1], ['ack.send', 'buyerco', 'done', 1],
    ]);
    const ids = all.body.jobs.map((j: any) => j.id as number);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const failed = all.body.jobs[1];
    expect(failed).toMatchObject({ queue: 'send:globex', maxAttempts: 10, lockedBy: null });
    expect(failed.lastError).toContain('secret_unreadable');
    expect(failed.key).toBe(`ack.send:${failed.payload.messageId}`);
    expect(all.body.jobs[0].outcome).toMatchObject({ channel: 'pickup', status: 'stored' });

    expect((await get('/api/v1/jobs?state=failed')).body.jobs.map((j: any) => j.id)).toEqual([ids[1], ids[3]]);
    expect((await get('/api/v1/jobs?partner=buyerco&kind=ack.send')).body.jobs.map((j: any) => j.id)).toEqual([ids[0], ids[2], ids[4]]);
    expect((await get('/api/v1/jobs?kind=mdn.post')).body.jobs).toEqual([]);
  });

  it('pages with next: each page starts after the last id of the one before, the last has next null', async () => {
    const ids = (await get('/api/v1/jobs')).body.jobs.map((j: any) => j.id);
    const p1 = await get('/api/v1/jobs?limit=2');
    expect(p1.body.jobs.map((j: any) => j.id)).toEqual(ids.slice(0, 2));
    expect(p1.body.next).toBe(String(ids[1]));
    expect(p1.body.links.next).toBe(`/api/v1/jobs?limit=2&after=${ids[1]}`);
    const p2 = await get(p1.body.links.next);
    expect(p2.body.jobs.map((j: any) => j.id)).toEqual(ids.slice(2, 4));
    const p3 = await get(p2.body.links.next);
    expect(p3.body.jobs.map((j: any) => j.id)).toEqual(ids.slice(4));
    expect(p3.body.next).toBeNull();
  });

  it('refuses bad filters precisely, and anyone but an admin', async () => {
    expect(await get('/api/v1/jobs?state=stuck')).toMatchObject({ status: 400, body: { error: { code: 'query_invalid', detail: { parameter: 'state', found: 'stuck' } } } });
    expect(await get('/api/v1/jobs?after=abc')).toMatchObject({ status: 400, body: { error: { code: 'query_invalid', detail: { parameter: 'after' } } } });
    expect(await get('/api/v1/jobs?limit=501')).toMatchObject({ status: 400, body: { error: { code: 'query_invalid', detail: { parameter: 'limit' } } } });
    expect((await get('/api/v1/jobs', tokens.operator)).status).toBe(403);
    expect((await f.fetch('/api/v1/jobs')).status).toBe(401);
    expect((await get('/api/v1/jobs/999999')).status).toBe(404);
  });

  it('retry runs a failed job again with a fresh budget; cancel stops one; each is in the audit log; wrong states answer 409', async () => {
    const [, failedA, done, failedB] = (await get('/api/v1/jobs')).body.jobs.map((j: any) => j.id);
    const retried = await post(`/api/v1/jobs/${failedA}/retry`);
    expect(retried).toMatchObject({ status: 200, body: { id: failedA, state: 'waiting', attempts: 0 } });
    await f.gw.idle();
    expect((await get(`/api/v1/jobs/${failedA}`)).body).toMatchObject({ state: 'failed', attempts: 1 }); // the key file is still missing
    expect(await post(`/api/v1/jobs/${failedB}/cancel`)).toMatchObject({ status: 200, body: { state: 'cancelled' } });
    expect(await post(`/api/v1/jobs/${failedB}/cancel`)).toMatchObject({ status: 409, body: { error: { code: 'job_not_cancellable', detail: { found: 'cancelled' } } } });
    expect(await post(`/api/v1/jobs/${done}/retry`)).toMatchObject({ status: 409, body: { error: { code: 'job_not_retryable', detail: { found: 'done' } } } });
    expect((await post('/api/v1/jobs/999999/retry')).status).toBe(404);
    const db = new Database(path.join(f.dir, 'gateway.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'job_%' ORDER BY seq").all().map((r: any) => [r.actor, r.action, r.subject, JSON.parse(r.detail).from])).toEqual([
        ['admin:test-admin', 'job_retry', `job:${failedA}`, 'failed'], ['admin:test-admin', 'job_cancel', `job:${failedB}`, 'failed'],
      ]);
    } finally {
      db.close();
    }
  });
});

describe('edigw jobs (child process on the gateway\'s database)', () => {
  it('--help, list with filters, retry and cancel with exit codes', async () => {
    const help = await edigw('jobs', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: edigw jobs list');
    const ids = (await get('/api/v1/jobs')).body.jobs.map((j: any) => j.id);

    const list = await edigw('jobs', 'list', '--partner', 'globex');
    expect(list.code).toBe(0);
    const rows = list.out.trim().split('\n');
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 5))).toEqual([
      [String(ids[1]), 'ack.send', 'failed', '1/10', 'globex'], [String(ids[3]), 'ack.send', 'cancelled', '1/10', 'globex'],
    ]);
    expect(rows[0]).toContain('secret_unreadable');
    const paged = await edigw('jobs', 'list', '--limit', '2');
    expect(paged.out).toContain(`more: the same command with --after ${ids[1]}`);

    const retry = await edigw('jobs', 'retry', String(ids[3]));
    expect(retry).toMatchObject({ code: 0 });
    expect(retry.out.trim()).toBe(`job ${ids[3]} (ack.send, globex): waiting, due now`);
    await f.gw.idle(); // the running gateway runs it (and the key file is still missing)
    expect((await get(`/api/v1/jobs/${ids[3]}`)).body).toMatchObject({ state: 'failed', attempts: 1 });

    const refused = await edigw('jobs', 'cancel', String(ids[0]));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`job ${ids[0]} (ack.send) is done: only a waiting or failed job can be cancelled`);
    expect((await edigw('jobs', 'list', '--state', 'stuck')).code).toBe(2);
    expect((await edigw('jobs', 'restart', '1')).code).toBe(2);
  }, 60_000);
});
