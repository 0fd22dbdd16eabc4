/**
 * An ERP push survives kill -9. The real gateway process (`node --import tsx src/main.ts`, SQLite,
 * EDIGW_ERP_URL) takes RestCo's invoices over HTTP; each released document commits with its
 * erp.push job. The ERP is a real HTTP server that counts what it receives and keeps each
 * Idempotency-Key once (a key it has gets 409).
 *
 * 1. Killed between the commit and the push: the ERP's listener is closed (connection refused), so
 *    no push can reach it before the kill, whatever the timing; the test sees in the database that
 *    the three jobs are committed and waiting (the head tried, refused), kills the process, opens
 *    the ERP and starts the gateway again: the ERP receives each document exactly once, in order.
 * 2. Killed between the ERP's taking the document and the job's `done`: the ERP keeps the document
 *    and never answers; the test kills the gateway while the push is in flight (the job `running` in
 *    the database). After the restart the job runs again with the same Idempotency-Key: the ERP
 *    answers 409 and still holds the document once.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { restcoYaml } from '../support/gateway-fixture.ts';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-erp-kill9-'));
const db = path.join(dir, 'gateway.db');
const KEY = 'restco-erp-kill9-key';
let erp: TestErpServer;
let env: Record<string, string>;
let gw: GatewayProcess | undefined;

beforeAll(async () => {
  erp = await startErpServer({ token: 'push-kill9-token' });
  mkdirSync(path.join(dir, 'partners'), { recursive: true });
  mkdirSync(path.join(dir, 'mappings'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'restco.yaml'), restcoYaml);
  env = {
    EDIGW_DATABASE_URL: db,
    EDIGW_PARTNERS_DIR: path.join(dir, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: 'admin-erp-kill9-token',
    EDIGW_ERP_TOKEN: 'erp-erp-kill9-token',
    EDIGW_ERP_URL: erp.url,
    EDIGW_ERP_PUSH_TOKEN: 'push-kill9-token',
    RESTCO_API_KEY: KEY,
    EDIGW_LOG_LEVEL: 'info',
  };
}, 60_000);

afterAll(async () => {
  await gw?.kill('SIGKILL');
  await erp?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface PushJob { id: number; state: string; attempts: number; last_error: string | null; payload: string }
const pushJobs = (): PushJob[] => {
  const r = new Database(db, { readonly: true });
  try {
    return r.prepare(`SELECT id, state, attempts, last_error, payload FROM jobs WHERE kind = 'erp.push' ORDER BY id`).all() as PushJob[];
  } finally {
    r.close();
  }
};
const documentOf = (j: PushJob) => (JSON.parse(j.payload) as { documentId: string }).documentId;

const until = async (cond: () => boolean, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const post = async (n: number) => {
  const res = await fetch(`${gw!.url}/api/v1/inbound`, {
    method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: `INV-K${n}`, invoiceDate: '2026-12-07', totalAmount: n, lines: [{ quantityInvoiced: 1, unitPrice: n }] } }),
  });
  expect(res.status).toBe(202);
};

describe('kill -9 and an ERP push', () => {
  it('between the commit and the push: after the restart the ERP receives each document exactly once, in order', async () => {
    await erp.down();                              // connection refused until the process is dead
    gw = await spawnGateway(env);
    for (const n of [1, 2, 3]) await post(n);
    // committed and not pushed: three jobs, the head tried and refused, nothing at the ERP
    await until(() => { const j = pushJobs(); return j.length === 3 && j[0]!.attempts >= 1 && j[0]!.state === 'waiting'; }, 'the first push to be refused');
    const jobs = pushJobs();
    expect(jobs[0]!.last_error).toMatch(/^erp_connection_failed: /);
    expect(jobs.map((j) => j.state)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(erp.received).toHaveLength(0);
    await gw.kill('SIGKILL');
    gw = undefined;

    await erp.up();
    gw = await spawnGateway(env);
    await until(() => pushJobs().every((j) => j.state === 'done'), 'the pushes after the restart');
    await new Promise((r) => setTimeout(r, 500));  // a late second push would show here
    expect(erp.received.map((p) => p.status)).toEqual([201, 201, 201]);
    expect(erp.received.map((p) => p.idempotencyKey)).toEqual(jobs.map(documentOf));
    expect(erp.received.map((p) => (p.body as any).document.invoiceNumber)).toEqual(['INV-K1', 'INV-K2', 'INV-K3']);
    await gw.kill('SIGKILL');
    gw = undefined;
  }, 120_000);

  it('between the ERP taking the document and the job\'s done: the re-push gets 409 and the ERP holds it once', async () => {
    const before = erp.received.length;
    erp.next({ kind: 'hold' });                    // takes the document, never answers
    gw = await spawnGateway(env);
    await post(4);
    await until(() => erp.received.length === before + 1, 'the push to reach the ERP');
    const [job] = pushJobs().filter((j) => j.state !== 'done');
    expect(job).toMatchObject({ state: 'running', attempts: 1 });
    await gw.kill('SIGKILL');
    gw = undefined;

    gw = await spawnGateway(env);
    await until(() => pushJobs().every((j) => j.state === 'done'), 'the push after the restart');
    const posts = erp.received.slice(before);
    expect(posts.map((p) => [p.idempotencyKey, p.status])).toEqual([[documentOf(job!), 201], [documentOf(job!), 409]]);
    expect(erp.accepted().filter((p) => p.idempotencyKey === documentOf(job!))).toHaveLength(1);
  }, 120_000);
});
