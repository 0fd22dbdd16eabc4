/**
 * Replay of a failed ERP push re-runs its erp.push job. A real gateway (in-process, real clock)
 * pushes RestCo's invoices to a real ERP HTTP server. During the ERP's outage its front door
 * answers 404 (a deploy took the route away): a redirect or 4xx is the gateway's "permanent"
 * answer, so the job fails at once and the document lands in the exception queue (stage
 * deliver, with the job's id). The ERP comes back; the operator replays:
 * - through POST /api/v1/exceptions/:id/replay, and
 * - through `edigw replay exc_…` as a child process on the gateway's database (the running
 *   gateway's runner runs the job; the command waits for it).
 * Each time the ERP ends up with the document once (its id as Idempotency-Key), and a second replay
 * pushes nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { type GatewayFixture, startGatewayFixture, tokens } from '../support/gateway-fixture.ts';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let erp: TestErpServer;
let f: GatewayFixture;

beforeAll(async () => {
  erp = await startErpServer({ token: 'push-token' });
  f = await startGatewayFixture({ realClock: true, erpPush: { url: erp.url, token: 'push-token', timeoutMs: 2000 } });
});
afterAll(async () => {
  await f?.close();
  await erp?.close();
});

const until = async <T>(get: () => Promise<T | undefined>, what: string): Promise<T> => {
  for (let i = 0; i < 400; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** posts one invoice while the ERP answers 404; resolves with its deliver exception once the push failed */
async function failedPush(n: number) {
  erp.next({ kind: 'reject', status: 404, body: '{"error":"no such route"}' });
  const res = await f.fetch('/api/v1/inbound', {
    method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: `INV-R${n}`, invoiceDate: '2026-11-20', totalAmount: n, lines: [{ quantityInvoiced: 1, unitPrice: n }] } }),
  });
  expect(res.status).toBe(202);
  const messageId = ((await res.json()) as { messageId: string }).messageId;
  const exc = await until(async () => {
    const list = ((await (await f.fetch(`/api/v1/exceptions?status=open&partner=restco`, { token: tokens.operator })).json()) as any).exceptions as any[];
    return list.find((e) => e.messageId === messageId && e.stage === 'deliver');
  }, 'the failed push');
  expect(exc).toMatchObject({ code: 'erp_rejected', detail: { status: 404, body: '{"error":"no such route"}', attempts: 1 } });
  // the exception is written in the failing attempt, the job's state right after it
  const job = await until(async () => {
    const j = (await (await f.fetch(`/api/v1/jobs/${exc.detail.jobId}`, { token: tokens.admin })).json()) as any;
    return j.state === 'failed' ? j : undefined;
  }, 'the job to fail');
  return { exc, messageId, documentId: exc.documentId as string, jobId: exc.detail.jobId as number, job };
}

const acceptedKeys = () => erp.accepted().map((p) => p.idempotencyKey);

describe('replay of a failed ERP push re-runs its erp.push job (real ERP HTTP server)', () => {
  it('POST /api/v1/exceptions/:id/replay pushes the document again, once', async () => {
    const a = await failedPush(1);
    expect(a.job).toMatchObject({ kind: 'erp.push', state: 'failed', attempts: 1 });
    expect(acceptedKeys()).toEqual([]);
    // the ERP is back (the standing behaviour answers 201)
    const res = await f.fetch(`/api/v1/exceptions/${a.exc.id}/replay`, { method: 'POST', token: tokens.operator });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.job).toMatchObject({ id: a.jobId, kind: 'erp.push', state: 'done', attempts: 1 });
    expect(acceptedKeys()).toEqual([a.documentId]);
    const posts = erp.received.filter((p) => p.idempotencyKey === a.documentId);
    expect(posts.map((p) => p.status)).toEqual([404, 201]);
    expect((posts[1]!.body as any).document.invoiceNumber).toBe('INV-R1');
    // replayed again: the job is done, nothing is pushed twice
    await f.fetch(`/api/v1/exceptions/${a.exc.id}/replay`, { method: 'POST', token: tokens.operator });
    expect(erp.received.filter((p) => p.idempotencyKey === a.documentId)).toHaveLength(2);
    const exceptions = ((await (await f.fetch(`/api/v1/exceptions?status=replayed&partner=restco`, { token: tokens.operator })).json()) as any).exceptions as any[];
    expect(exceptions.filter((e) => e.id === a.exc.id).map((e) => e.status)).toEqual(['replayed']);
  });

  it('edigw replay exc_… (a child process on the gateway\'s database): the running gateway pushes it, exit 0', async () => {
    const a = await failedPush(2);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', a.exc.id, '--wait', '20'], {
      cwd: repo,
      env: { ...process.env, EDIGW_DATABASE_URL: path.join(f.dir, 'gateway.db'), EDIGW_PARTNERS_DIR: path.join(f.dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(f.dir, 'mappings'), RESTCO_API_KEY: f.keys.RESTCO_API_KEY!, USER: 'tester' },
    });
    expect(stdout).toContain(`job ${a.jobId} (erp.push): done after 1 attempt(s)`);
    expect(acceptedKeys().filter((k) => k === a.documentId)).toHaveLength(1);
    expect(erp.received.filter((p) => p.idempotencyKey === a.documentId).map((p) => p.status)).toEqual([404, 201]);
  }, 60_000);
});
