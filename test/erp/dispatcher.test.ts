/**
 * The push dispatcher against a real ERP HTTP server on 127.0.0.1: order, idempotency across a
 * restart, retry with backoff, Retry-After, the circuit during an outage, permanent failures,
 * throttling. Time is an injected clock the tests move; nothing asserts on wall time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { shipNoticeEnvelope } from './envelopes.ts';
import { harness, keysOf } from './harness.ts';

let erp: TestErpServer;
beforeEach(async () => { erp = await startErpServer({ token: 'erp-secret' }); });
afterEach(async () => { await erp.close(); });

describe('push dispatcher: order', () => {
  it('delivers each partner\'s documents in the order received, while another partner interleaves', async () => {
    const h = harness(erp);
    const a = Array.from({ length: 20 }, (_, i) => h.store.enqueue(shipNoticeEnvelope('A', i + 1)).documentId);
    const b = Array.from({ length: 20 }, (_, i) => h.store.enqueue(shipNoticeEnvelope('B', i + 1)).documentId);
    await h.drain(h.dispatcher());
    const accepted = erp.accepted();
    expect(keysOf(accepted.filter((p) => p.partnerId === 'A'))).toEqual(a);
    expect(keysOf(accepted.filter((p) => p.partnerId === 'B'))).toEqual(b);
    // B was not queued behind A's 20: its first document went out among the first two
    expect(keysOf(accepted).indexOf(b[0])).toBeLessThan(2);
  });

  it('a job waiting for its retry holds back only its own partner\'s later jobs', async () => {
    const h = harness(erp);
    const d = h.dispatcher({ maxConcurrency: 1 });
    const a1 = h.store.enqueue(shipNoticeEnvelope('A', 1));
    const a2 = h.store.enqueue(shipNoticeEnvelope('A', 2));
    const b1 = h.store.enqueue(shipNoticeEnvelope('B', 1));
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

describe('push dispatcher: idempotency', () => {
  it('never posts a document twice after a 2xx, across a stop and a restart', async () => {
    const h = harness(erp);
    const ids = Array.from({ length: 60 }, (_, i) => h.store.enqueue(shipNoticeEnvelope(['A', 'B', 'C'][i % 3]!, i)).documentId);
    const first = h.dispatcher();
    first.start();
    while (erp.accepted().length < 15) await new Promise((r) => setTimeout(r, 2));
    await first.stop();                          // finishes what is in flight
    expect(first.inFlight()).toBe(0);
    const deliveredBefore = erp.accepted().length;
    expect(deliveredBefore).toBeLessThan(60);
    const second = h.dispatcher();
    await h.drain(second);
    expect(erp.received.length).toBe(60);        // one POST per document, nothing twice
    expect([...keysOf(erp.accepted())].sort()).toEqual([...ids].sort());
  });

  it('when the outcome was not recorded (crash after the 2xx), the re-post gets 409 and the ERP keeps one copy', async () => {
    const h = harness(erp);
    const job = h.store.enqueue(shipNoticeEnvelope('A', 1));
    let crash = true;
    const crashingStore = {
      ...h.store,
      delivered: async (id: string, r: { status: number; body?: string }) => {
        if (crash) { crash = false; throw new Error('database went away'); }
        return h.store.delivered(id, r);
      },
    };
    await h.dispatcher({ storeView: crashingStore }).tick();
    expect(h.store.get(job.id)!.state).toBe('pending');
    h.clock.advance(60_000);                     // the lease runs out
    await h.drain(h.dispatcher());
    expect(erp.received.map((p) => p.status)).toEqual([201, 409]);
    expect(erp.accepted()).toHaveLength(1);
    expect(h.store.get(job.id)!.state).toBe('delivered');
  });
});

describe('push dispatcher: faults', () => {
  it('retries with exponential backoff and full jitter until the ERP recovers', async () => {
    const h = harness(erp);
    const d = h.dispatcher({ breaker: { failureThreshold: 100, coolDownMs: 1 } });
    const job = h.store.enqueue(shipNoticeEnvelope('A', 1));
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
    expect(h.store.get(job.id)).toMatchObject({ state: 'delivered', attempts: 3 });
  });

  it('honours Retry-After on 429: the job and every other push wait that long', async () => {
    const h = harness(erp);
    const d = h.dispatcher({ maxConcurrency: 1 });
    h.store.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'throttle', retryAfter: '30' });
    expect(await d.tick()).toMatchObject({ retried: 1 });
    h.store.enqueue(shipNoticeEnvelope('B', 1));
    h.clock.advance(29_999);
    expect((await d.tick()).started).toBe(0);    // B waits too: the ERP asked us to slow down
    h.clock.advance(1);
    await h.drain(d);
    expect(erp.received.map((p) => p.status)).toEqual([429, 201, 201]);
  });

  it('honours Retry-After as an HTTP date on 503', async () => {
    const h = harness(erp);
    const d = h.dispatcher();
    h.store.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'throttle', status: 503, retryAfter: 'Mon, 02 Mar 2026 10:02:00 GMT' });
    await d.tick();
    h.clock.advance(119_999);
    expect((await d.tick()).started).toBe(0);
    h.clock.advance(1);
    expect(await d.tick()).toMatchObject({ delivered: 1 });
  });

  it('opens the circuit during an hour-long outage, spends no attempts on it, and resumes by itself', async () => {
    const h = harness(erp);
    const d = h.dispatcher({ maxAttempts: 3 });
    const ids = ['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'E', 'E'].map((p, i) => h.store.enqueue(shipNoticeEnvelope(p, i)).documentId);
    await erp.down();
    expect(await d.tick()).toMatchObject({ started: 4, retried: 4 });
    expect(d.circuit().state()).toBe('open');
    const pushesAtOpen = h.pushes();
    for (let t = 0; t < 3600; t += 10) { h.clock.advance(10_000); await d.tick(); }
    // one probe per 30 s cool-down, not a storm; and nothing parked in the exception queue
    expect(h.pushes() - pushesAtOpen).toBe(120);
    expect(h.store.exceptions()).toEqual([]);
    await erp.up();
    h.clock.advance(30_000);
    await h.drain(d);
    expect(d.circuit().state()).toBe('closed');
    expect([...keysOf(erp.accepted())].sort()).toEqual([...ids].sort());
    expect(h.store.exceptions()).toEqual([]);
  });

  it('opens the circuit on timeouts from a stalled ERP too', async () => {
    const h = harness(erp, { timeoutMs: 150 });
    const d = h.dispatcher();
    for (const p of ['A', 'B', 'C']) h.store.enqueue(shipNoticeEnvelope(p, 1));
    erp.behave({ kind: 'stall' });
    await d.tick();
    expect(d.circuit().state()).toBe('open');
    for (const j of h.store.all()) expect(j.lastError?.code).toBe('erp_timeout');
  });

  it('a garbage answer on 2xx is delivered, and the ERP\'s body is recorded', async () => {
    const h = harness(erp);
    const job = h.store.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'garbage' });
    await h.drain(h.dispatcher());
    expect(h.store.get(job.id)).toMatchObject({ state: 'delivered', response: { status: 200, body: expect.stringContaining('not json') } });
  });

  it('a 4xx answer parks the job at once with the ERP\'s answer, and the partner\'s next job goes', async () => {
    const h = harness(erp);
    const d = h.dispatcher();
    const bad = h.store.enqueue(shipNoticeEnvelope('A', 1));
    const next = h.store.enqueue(shipNoticeEnvelope('A', 2));
    erp.next({ kind: 'reject', status: 422 });
    await h.drain(d);
    expect(h.store.exceptions()).toEqual([bad.id]);
    expect(h.store.get(bad.id)).toMatchObject({
      state: 'failed', attempts: 1,
      lastError: { code: 'erp_rejected', status: 422, body: '{"error":"invalid document","field":"document.lines"}' },
    });
    expect(keysOf(erp.accepted())).toEqual([next.documentId]);
  });

  it('a rotated ERP token opens the circuit instead of parking every document', async () => {
    const h = harness(erp);
    const d = h.createWithToken('rotated-token', { maxAttempts: 2 });
    for (let i = 0; i < 12; i++) h.store.enqueue(shipNoticeEnvelope(['A', 'B', 'C', 'D'][i % 4]!, i));
    for (let t = 0; t < 30; t++) { await d.tick(); h.clock.advance(10_000); }
    expect(d.circuit().state()).not.toBe('closed');
    expect(erp.received.every((p) => p.status === 401)).toBe(true);
    expect(h.store.exceptions()).toEqual([]);
  });

  it('after maxAttempts of 500s the job goes to the exception queue with the last answer', async () => {
    const h = harness(erp);
    const d = h.dispatcher({ maxAttempts: 3, breaker: { failureThreshold: 100, coolDownMs: 1 } });
    const job = h.store.enqueue(shipNoticeEnvelope('A', 1));
    erp.next({ kind: 'fail' }, { kind: 'fail' }, { kind: 'fail', status: 502 });
    await h.drain(d);
    expect(h.store.get(job.id)).toMatchObject({ state: 'failed', attempts: 3, lastError: { code: 'erp_server_error', status: 502 } });
    expect(erp.received).toHaveLength(3);
  });
});

describe('push dispatcher: throttle', () => {
  it('a partner with a broken throttle config is held; other partners keep flowing', async () => {
    const h = harness(erp);
    const logger = createMemoryLogger();
    const d = h.dispatcher({ logger, throttleFor: (p) => (p === 'A' ? { ratePerSecond: 10, burst: 0 } : undefined) });
    h.store.enqueue(shipNoticeEnvelope('A', 1));
    const b = h.store.enqueue(shipNoticeEnvelope('B', 1));
    expect(await d.tick()).toMatchObject({ started: 1, delivered: 1 });
    expect(keysOf(erp.accepted())).toEqual([b.documentId]);
    expect(h.store.pendingCount()).toBe(1);
    await d.tick();
    expect(logger.entries.filter((e) => e.msg.startsWith('partner throttle misconfigured'))).toHaveLength(1);
  });

  it('releases a partner\'s documents no faster than its token bucket', async () => {
    const h = harness(erp);
    const d = h.dispatcher({ throttleFor: (p) => (p === 'A' ? { ratePerSecond: 10, burst: 2 } : undefined) });
    for (let i = 0; i < 6; i++) h.store.enqueue(shipNoticeEnvelope('A', i));
    for (let i = 0; i < 5; i++) await d.tick();
    expect(erp.accepted()).toHaveLength(2);      // the burst, then nothing while the clock stands still
    h.clock.advance(100);
    for (let i = 0; i < 5; i++) await d.tick();
    expect(erp.accepted()).toHaveLength(3);      // 10/s: one more per 100 ms
  });
});
