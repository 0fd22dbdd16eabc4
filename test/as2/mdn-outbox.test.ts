/**
 * The durable outbox for asynchronous MDNs we send, on the job engine (kind mdn.post): a real
 * SQLite store, a job runner on it, a real HTTP receipt endpoint on 127.0.0.1 that refuses posts on
 * demand, and a restart (runner stopped, store closed and opened again, a new outbox and runner)
 * between a refused post and the next attempt. Backoff: full jitter with random() = 1, so each
 * retry waits its ceiling (30 ms, then 60 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createIdGenerator } from '../../src/core/ids.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import type { StoredMdn } from '../../src/transports/as2/mdn-store.ts';
import { createTaskRegistry } from '../../src/jobs/registry.ts';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.ts';
import { storeMdnPost } from '../../src/transports/as2/async-mdn-post.ts';
import { createMdnOutbox, MDN_OUTBOX_TARGET, mdnPostKey, type MdnOutbox } from '../../src/transports/as2/mdn-outbox.ts';

/** the partner's Receipt-Delivery-Option endpoint: refuses while `refuse` > 0 (503 busy), records what it accepted */
const accepted: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];
let refused = 0;
let refuse = 0;
const receiptServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (refuse > 0) { refuse--; refused++; res.writeHead(503).end('busy, try later'); return; }
    accepted.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200).end('ok');
  });
});
let receiptUrl = '';
beforeAll(async () => {
  await new Promise<void>((r) => receiptServer.listen(0, '127.0.0.1', r));
  receiptUrl = `http://127.0.0.1:${(receiptServer.address() as AddressInfo).port}/mdn`;
});
afterAll(async () => { await new Promise<void>((r) => receiptServer.close(() => r())); });

let dir: string;
let store: Store;
const runners: JobRunner[] = [];
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mdn-outbox-'));
  store = await openStore(path.join(dir, 'gateway.db'));
  accepted.length = 0;
  refused = 0;
  refuse = 0;
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** an outbox and a started job runner for its mdn.post task, on store `s` */
function outbox(s: Store, attempts = 3, start = true): MdnOutbox & { runner: JobRunner } {
  let runner: JobRunner | undefined;
  const o = createMdnOutbox({
    store: s, clock: systemClock, ids: createIdGenerator(), logger: silentLogger,
    partnerIdFor: (from) => (from === 'ACME-AS2' ? 'acme' : undefined),
    fetch: (url, init) => fetch(url, { ...init, body: new Uint8Array(init.body) }),
    policy: { maxAttempts: attempts, backoff: { baseMs: 30, capMs: 60 } }, wake: () => runner?.poke(),
  });
  runner = createJobRunner({ jobs: s.jobs, tasks: createTaskRegistry([o.task]), holder: 'test-node', pollMs: 20, random: () => 1 });
  runners.push(runner);
  if (start) runner.start();
  return { ...o, runner };
}
const postJob = (rowId: string, n = 1) => store.jobs.getByKey(mdnPostKey(rowId, n));

const mdn = (n: number): StoredMdn => ({
  messageId: `<mdn-${n}@edigw>`, originalMessageId: `<msg-${n}@acme.example>`, as2From: 'ACME-AS2',
  headers: [['AS2-From', 'EDIGW'], ['AS2-To', 'ACME-AS2'], ['Content-Type', 'multipart/report; report-type=disposition-notification; boundary="b1"']],
  body: Buffer.from(`--b1\r\n\r\nThe AS2 message <msg-${n}@acme.example> was received.\r\n--b1--\r\n`), disposition: 'automatic-action/MDN-sent-automatically; processed',
  receiptUrl, ingestedMessageId: `msg_inbound_${n}`,
});

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('asynchronous MDN outbox', () => {
  it('records the post with its job before trying it, retries after refusals and posts the MDN bytes and headers unchanged', async () => {
    refuse = 2;
    const o = outbox(store);
    const queued = await o.send(receiptUrl, mdn(1));
    const row = (await store.findByExternalId('as2-mdn-post:<mdn-1@edigw>'))!;
    const job = (await postJob(row.id))!;
    expect(queued).toMatchObject({ delivered: false, queuedAs: String(job.id) });
    expect(job).toMatchObject({ kind: 'mdn.post', partnerId: 'acme', payload: { messageId: row.id }, maxAttempts: 3 });
    await until('the MDN to arrive', () => accepted.length === 1);
    expect(refused).toBe(2);
    expect(accepted[0]!.body.equals(Buffer.from(mdn(1).body))).toBe(true);
    expect(accepted[0]!.headers['as2-to']).toBe('ACME-AS2');
    expect(accepted[0]!.headers['content-type']).toContain('disposition-notification');
    await until('the job to be done', async () => (await store.jobs.get(job.id))?.state === 'done');
    const done = (await store.jobs.get(job.id))!;
    expect(done.attempts).toBe(3);
    expect(done.outcome).toMatchObject({ as2MessageId: '<msg-1@acme.example>', as2From: 'ACME-AS2', url: receiptUrl, lastAnswer: 'HTTP 200 ok' });
    expect(await store.listExceptions({})).toEqual([]);
  });

  it('gives up after the configured attempts: job failed, exception in the queue naming partner, Message-ID and the last answer', async () => {
    refuse = 100;
    const o = outbox(store, 3);
    const queued = await o.send(receiptUrl, mdn(2));
    const jobId = Number(queued.queuedAs);
    await until('the job to fail', async () => (await store.jobs.get(jobId))?.state === 'failed');
    expect(refused).toBe(3);
    const [exc, ...more] = await store.listExceptions({ status: 'open' });
    expect(more).toEqual([]);
    expect(exc).toMatchObject({ stage: 'ack', code: 'as2_async_mdn_undeliverable', partnerId: 'acme' });
    expect(exc!.message).toContain('<msg-2@acme.example>');
    expect(exc!.message).toContain('HTTP 503 busy, try later');
    expect(JSON.parse(exc!.detail)).toMatchObject({
      partnerId: 'acme', as2MessageId: '<msg-2@acme.example>', ingestedMessageId: 'msg_inbound_2', url: receiptUrl, attempts: 3, lastAnswer: 'HTTP 503 busy, try later',
      jobId, kind: 'mdn.post',
    });
    // the exception sits on the stored MDN (an outbound message holding the exact bytes to post)
    const stored = (await store.getMessage(exc!.messageId))!;
    expect(stored).toMatchObject({ direction: 'outbound', transport: 'as2-mdn', partnerId: 'acme' });
    expect(Buffer.from(stored.raw).equals(Buffer.from(mdn(2).body))).toBe(true);
    expect(accepted).toEqual([]);

    // the partner is back: replaying the exception runs the job again, with fresh attempts
    refuse = 0;
    expect(await o.replay(exc!.messageId, 'operator-ann')).toEqual({ delivered: true, partnerId: 'acme', answer: 'HTTP 200 ok' });
    expect(accepted.length).toBe(1);
    expect(await store.jobs.get(jobId)).toMatchObject({ state: 'done', attempts: 1 });
    expect(await store.getException(exc!.id)).toMatchObject({ status: 'replayed', resolvedBy: 'operator-ann' });
    // a message that is not a stored MDN is not this outbox's to replay
    expect(await o.replay('msg_inbound_2', 'operator-ann')).toBeUndefined();
  });

  it('names a connection failure as the last answer', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/mdn`;
    await new Promise<void>((r) => closed.close(() => r()));
    const o = outbox(store, 2);
    const jobId = Number((await o.send(deadUrl, { ...mdn(3), receiptUrl: deadUrl })).queuedAs);
    await until('the job to fail', async () => (await store.jobs.get(jobId))?.state === 'failed');
    const [exc] = await store.listExceptions({});
    expect(JSON.parse(exc!.detail).lastAnswer).toMatch(/ECONNREFUSED/);
  });

  it('a post waiting for its retry is made after a restart, with the attempts already made counted', async () => {
    refuse = 1;
    const first = outbox(store, 4);
    const jobId = Number((await first.send(receiptUrl, mdn(4))).queuedAs);
    await until('the first refusal to be recorded', async () => (await store.jobs.get(jobId))?.attempts === 1 && (await store.jobs.get(jobId))?.state === 'waiting');
    await first.runner.stop(); // the process ends before the retry
    await store.close();
    expect(accepted).toEqual([]);

    store = await openStore(path.join(dir, 'gateway.db'));
    const second = outbox(store, 4, false);
    expect(await second.resume()).toBe(1);
    second.runner.start();
    await until('the MDN to arrive', () => accepted.length === 1);
    expect(accepted[0]!.body.toString()).toContain('<msg-4@acme.example>');
    await until('the job to be done', async () => (await store.jobs.get(jobId))?.state === 'done');
    expect((await store.jobs.get(jobId))!.attempts).toBe(2);
    // nothing waiting any more: a later start finds nothing to resume
    expect(await outbox(store, 4, false).resume()).toBe(0);
  });

  it('a post still pending in the old delivery_jobs table (from before the job engine) is moved onto a job at start and made once', async () => {
    const at = new Date().toISOString();
    const rowId = await storeMdnPost({ store, ids: createIdGenerator(), at, partnerId: 'acme', url: receiptUrl, mdn: mdn(5) });
    await store.enqueueDelivery({ id: 'job_mdn_acme_1', documentId: `${rowId}#1`, partnerId: 'acme', target: MDN_OUTBOX_TARGET, at });
    const o = outbox(store, 3, false);
    expect(await o.resume()).toBe(1);
    const old = (await store.getDeliveryJob('job_mdn_acme_1'))!;
    const moved = (await store.jobs.getByKey('mdn.post:job_mdn_acme_1'))!;
    expect(old.status).toBe('delivered');
    expect(JSON.parse(old.lastError!)).toEqual({ movedToJob: moved.id });
    expect(moved).toMatchObject({ kind: 'mdn.post', state: 'waiting', partnerId: 'acme', payload: { messageId: rowId } });
    o.runner.start();
    await until('the MDN to arrive', () => accepted.length === 1);
    expect(accepted[0]!.body.toString()).toContain('<msg-5@acme.example>');
    await until('the job to be done', async () => (await store.jobs.get(moved.id))?.state === 'done');
    // a second start moves nothing again and posts nothing again
    expect(await outbox(store, 3, false).resume()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(accepted.length).toBe(1);
  });

  it('the same MDN asked for again while its post is pending is posted once; asked for again after it was delivered, posted again', async () => {
    refuse = 1;
    const o = outbox(store, 5);
    const a = await o.send(receiptUrl, mdn(8));
    const b = await o.send(receiptUrl, mdn(8));
    expect(b.queuedAs).toBe(a.queuedAs);
    await until('the MDN to arrive', () => accepted.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(accepted.length).toBe(1);
    const row = (await store.findByExternalId('as2-mdn-post:<mdn-8@edigw>'))!;
    expect(await postJob(row.id, 2)).toBeUndefined();
    await until('the job to be done', async () => (await store.jobs.get(Number(a.queuedAs)))?.state === 'done');
    const c = await o.send(receiptUrl, mdn(8));
    expect(c.queuedAs).toBe(String((await postJob(row.id, 2))!.id));
    await until('the MDN to arrive again', () => accepted.length === 2);
  });
});
