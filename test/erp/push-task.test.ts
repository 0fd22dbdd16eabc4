/**
 * The ERP push as a job (erp.push on the job runner) against a real ERP HTTP server on 127.0.0.1:
 * order, idempotency across a restart, retry with backoff, Retry-After, the circuit during an
 * outage, permanent failures, throttling. Time is an injected clock the tests move; nothing
 * asserts on wall time. Expected delays by hand from src/jobs/backoff.ts with random 0.5:
 * full jitter, delay = floor(0.5 * min(cap 60 s, base 1 s * 2^(attempt-1))).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { createErpPushClient } from '../../src/erp/push-client.ts';
import type { JobStore } from '../../src/jobs/job-store.ts';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { shipNoticeEnvelope } from './envelopes.ts';
import { type Harness, harness, keysOf } from './harness.ts';

let erp: TestErpServer;
let h: Harness;
beforeEach(async () => {
  erp = await startErpServer({ token: 'erp-secret' });
  h = await harness(erp);
});
afterEach(async () => {
  await h.close();
  await erp.close();
});

const docs = async (partners: string[], maxAttempts?: number) => {
  const out: string[] = [];
  for (const [i, p] of partners.entries()) out.push((await h.enqueue(shipNoticeEnvelope(p, i), maxAttempts)).documentId);
  return out;
};

describe('erp.push: order', () => {
  it('delivers each partner\'s documents in the order received, while another partner interleaves', async () => {
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 1; i <= 20; i++) a.push((await h.enqueue(shipNoticeEnvelope('A', i))).documentId);
    for (let i = 1; i <= 20; i++) b.push((await h.enqueue(shipNoticeEnvelope('B', i))).documentId);
    await h.drain(h.dispatcher());
    const accepted = erp.accepted();
    expect(keysOf(accepted.filter((p) => p.partnerId === 'A'))).toEqual(a);
    expect(keysOf(accepted.filter((p) => p.partnerId === 'B'))).toEqual(b);
    // B was not queued behind A's 20: its first document went out among the first two
    expect(keysOf(accepted).indexOf(b[0])).toBeLessThan(2);
  });

  it('a job waiting for its retry holds back only its own partner\'s later jobs', async () => {
    const d = h.dispatcher({ maxConcurrency: 1 });
    const a1 = await h.enqueue(shipNoticeEnvelope('A', 1));
    const a2 = await h.enqueue(shipNoticeEnvelope('A', 2));
    const b1 = await h.enqueue(shipNoticeEnvelope('B', 1));
    erp.next({ kind: 'fail' });                 // A1's first attempt
    expect(await d.tick()).toMatchObject({ started: 1, retried: 1 });
    // A1 waits 500 ms (full jitter, random 0.5 of 1000): B1 goes, A2 may not overtake A1
    expect(await d.tick()).toMatchObject({ started: 1, delivered: 1 });
    expect(await d.tick()).toMatchObject({ started: 0 });
    h.clock.advance(500);
    await h.drain(d);
    expect(keysOf(erp.accepted())).toEqual([b1.documentId, a1.documentId, a2.documentId]);
  });
});

describe('erp.push: idempotency', () => {
  it('never posts a document twice after a 2xx, across a stop and a restart', async () => {
    const ids = await docs(Array.from({ length: 60 }, (_, i) => ['A', 'B', 'C'][i % 3]!));
    const first = h.dispatcher();
    first.start();
    while (erp.accepted().length < 15) await new Promise((r) => setTimeout(r, 2));
    await first.stop();                          // finishes what is in flight
    expect(first.inFlight()).toBe(0);
    expect(erp.accepted().length).toBeLessThan(60);
    await h.drain(h.dispatcher());
    expect(erp.received.length).toBe(60);        // one POST per document, nothing twice
    expect([...keysOf(erp.accepted())].sort()).toEqual([...ids].sort());
  });

  it('when the outcome was not recorded (crash after the 2xx), the re-post gets 409 and the ERP keeps one copy', async () => {
    const job = await h.enqueue(shipNoticeEnvelope('A', 1));
    let crash = true;
    const crashing: JobStore = {
      ...h.store.jobs,
      complete: async (...args) => {
        if (crash) { crash = false; throw new Error('database went away'); }
        return h.store.jobs.complete(...args);
      },
    };
    await h.dispatcher({ jobs: crashing }).tick();
    expect(await h.job(job.documentId)).toMatchObject({ state: 'running' });
    h.clock.advance(60_001);                     // the lock runs out (this node is presumed gone)
    await h.drain(h.dispatcher());
    expect(erp.received.map((p) => p.status)).toEqual([201, 409]);
    expect(erp.accepted()).toHaveLength(1);
    expect(await h.job(job.documentId)).toMatchObject({ state: 'done', attempts: 2, outcome: { status: 409, duplicate: true } });
  });
});

describe('erp.push: faults', () => {
  it('retries with exponential backoff and full jitter until the ERP recovers', async () => {
    const d = h.dispatcher({ breaker: { failureThreshold: 100, coolDownMs: 1 } });
    const job = await h.enqueue(shipNoticeEnvelope('A', 1));
    erp.behave({ kind: 'fail' });
    await d.tick();                              // attempt 1 fails: next in 0.5 * 1000 ms
    h.clock.advance(499);
    expect((await d.tick()).started).toBe(0);
    h.clock.advance(1);
    await d.tick();                              // attempt 2 fails: next in 0.5 * 2000 ms
    h.clock.advance(999);
    expect((await d.tick()).started).toBe(0);
    h.clock.advance(1);
    erp.behave({ kind: 'ok' });
    expect(await d.tick()).toMatchObject({ started: 1, delivered: 1 });
    expect(erp.received.map((p) => p.status)).toEqual([500, 500, 201]);
    expect(await h.job(job.documentId)).toMatchObject({ state: 'done', attempts: 3 });
  });

  it('honours Retry-After on 429: the job and every other push wait that long', async () => {
    const d = h.dispatcher({ maxConcurrency: 1 });
    const a = await h.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'throttle', retryAfter: '30' });
    expect(await d.tick()).toMatchObject({ retried: 1 });
    // the 429 did not use up an attempt: the ERP is up and asked us to wait
    expect(await h.job(a.documentId)).toMatchObject({ state: 'waiting', attempts: 0, runAt: '2026-03-02T10:00:30.000Z' });
    await h.enqueue(shipNoticeEnvelope('B', 1));
    h.clock.advance(29_999);
    expect((await d.tick()).started).toBe(0);    // B waits too: the ERP asked us to slow down
    h.clock.advance(1);
    await h.drain(d);
    expect(erp.received.map((p) => p.status)).toEqual([429, 201, 201]);
  });

  it('honours Retry-After as an HTTP date on 503', async () => {
    const d = h.dispatcher();
    await h.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'throttle', status: 503, retryAfter: 'Mon, 02 Mar 2026 10:02:00 GMT' });
    await d.tick();
    h.clock.advance(119_999);
    expect((await d.tick()).started).toBe(0);
    h.clock.advance(1);
    expect(await d.tick()).toMatchObject({ delivered: 1 });
  });

  it('opens the circuit during an hour-long outage, spends no attempts on it, and resumes by itself', async () => {
    const d = h.dispatcher({ maxAttempts: 3 });
    const ids = await docs(['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'E', 'E'], 3);
    await erp.down();
    expect(await d.tick()).toMatchObject({ started: 4, retried: 4 });
    expect(d.circuit().state()).toBe('open');
    const pushesAtOpen = h.pushes();
    for (let t = 0; t < 3600; t += 10) { h.clock.advance(10_000); await d.tick(); }
    // one probe per 30 s cool-down, not a storm; and nothing parked in the exception queue
    expect(h.pushes() - pushesAtOpen).toBe(120);
    expect(await h.exceptions()).toEqual([]);
    for (const id of ids) expect((await h.job(id)).attempts).toBeLessThanOrEqual(1);
    await erp.up();
    h.clock.advance(30_000);
    await h.drain(d);
    expect(d.circuit().state()).toBe('closed');
    expect([...keysOf(erp.accepted())].sort()).toEqual([...ids].sort());
    expect(await h.exceptions()).toEqual([]);
  });

  it('opens the circuit on timeouts from a stalled ERP too', async () => {
    await h.close();
    h = await harness(erp, { timeoutMs: 150 });
    const d = h.dispatcher();
    const ids = await docs(['A', 'B', 'C']);
    erp.behave({ kind: 'stall' });
    await d.tick();
    expect(d.circuit().state()).toBe('open');
    for (const id of ids) expect((await h.job(id)).lastError).toMatch(/^erp_timeout: ERP did not answer within 150 ms/);
  });

  it('a garbage answer on 2xx is delivered, and the ERP\'s body is recorded', async () => {
    const job = await h.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'garbage' });
    await h.drain(h.dispatcher());
    expect(await h.job(job.documentId)).toMatchObject({ state: 'done', outcome: { status: 200, body: expect.stringContaining('not json') } });
  });

  it('a 4xx answer parks the job at once with the ERP\'s answer, and the partner\'s next job goes', async () => {
    const d = h.dispatcher();
    const bad = await h.enqueue(shipNoticeEnvelope('A', 1));
    const next = await h.enqueue(shipNoticeEnvelope('A', 2));
    erp.next({ kind: 'reject', status: 422 });
    await h.drain(d);
    expect(await h.exceptions()).toEqual([bad.documentId]);
    const badJob = await h.job(bad.documentId);
    expect(badJob).toMatchObject({ state: 'failed', attempts: 1 });
    expect(badJob.lastError).toBe('erp_rejected: ERP rejected the document (422) {"error":"invalid document","field":"document.lines"}');
    const [exc] = await h.store.listExceptions({ status: 'open' });
    expect(exc).toMatchObject({ stage: 'deliver', code: 'erp_rejected', documentId: bad.documentId, messageId: `msg_${bad.documentId}`, partnerId: 'A' });
    expect(JSON.parse(exc!.detail)).toMatchObject({ status: 422, body: '{"error":"invalid document","field":"document.lines"}', attempts: 1, jobId: bad.id });
    expect(keysOf(erp.accepted())).toEqual([next.documentId]);
  });

  it('a rotated ERP token opens the circuit instead of parking every document', async () => {
    const d = h.dispatcher({ push: createErpPushClient({ url: erp.url, token: 'rotated-token', fetch, timeoutMs: 2000 }).push });
    await docs(Array.from({ length: 12 }, (_, i) => ['A', 'B', 'C', 'D'][i % 4]!), 2);
    for (let t = 0; t < 30; t++) { await d.tick(); h.clock.advance(10_000); }
    expect(d.circuit().state()).not.toBe('closed');
    expect(erp.received.length).toBeGreaterThan(4);
    expect(erp.received.every((p) => p.status === 401)).toBe(true);
    expect(await h.exceptions()).toEqual([]);
  });

  it('after maxAttempts of 500s the job goes to the exception queue with the last answer', async () => {
    const d = h.dispatcher({ breaker: { failureThreshold: 100, coolDownMs: 1 } });
    const job = await h.enqueue(shipNoticeEnvelope('A', 1), 3);
    erp.next({ kind: 'fail' }, { kind: 'fail' }, { kind: 'fail', status: 502 });
    await h.drain(d);
    expect(await h.job(job.documentId)).toMatchObject({ state: 'failed', attempts: 3, lastError: 'erp_server_error: ERP answered 502 {"error":"internal error"}' });
    expect(await h.exceptions()).toEqual([job.documentId]);
    expect(erp.received).toHaveLength(3);
  });
});

describe('erp.push: throttle', () => {
  it('a partner with a broken throttle config is held; other partners keep flowing', async () => {
    const logger = createMemoryLogger();
    const d = h.dispatcher({ logger, throttleFor: (p) => (p === 'A' ? { ratePerSecond: 10, burst: 0 } : undefined) });
    const a = await h.enqueue(shipNoticeEnvelope('A', 1));
    const b = await h.enqueue(shipNoticeEnvelope('B', 1));
    expect(await d.tick()).toMatchObject({ started: 1, delivered: 1 });
    expect(keysOf(erp.accepted())).toEqual([b.documentId]);
    expect(await h.pendingCount()).toBe(1);
    h.clock.advance(1000);
    await d.tick();                              // held again, logged once
    expect(logger.entries.filter((e) => e.msg.startsWith('partner throttle misconfigured'))).toHaveLength(1);
    expect(await h.job(a.documentId)).toMatchObject({ state: 'waiting', attempts: 0 });
  });

  it('releases a partner\'s documents no faster than its token bucket', async () => {
    const d = h.dispatcher({ throttleFor: (p) => (p === 'A' ? { ratePerSecond: 10, burst: 2 } : undefined) });
    await docs(Array.from({ length: 6 }, () => 'A'));
    for (let i = 0; i < 5; i++) await d.tick();
    expect(erp.accepted()).toHaveLength(2);      // the burst, then nothing while the clock stands still
    h.clock.advance(100);
    for (let i = 0; i < 5; i++) await d.tick();
    expect(erp.accepted()).toHaveLength(3);      // 10/s: one more per 100 ms
  });
});
