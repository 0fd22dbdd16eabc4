/**
 * The contract of the jobs port (src/jobs/job-store.ts) and of the runner on it, run against both
 * stores: SQLite (sqlite-jobs.test.ts) and PostgreSQL (pg-jobs.test.ts). Each test gets an empty
 * database. `peer` opens a second connection (a second gateway node) on the same database.
 * Expected delays are worked out by hand from the formula in src/jobs/backoff.ts:
 * full jitter, delay = floor(random * min(cap, base * 2^(attempt-1))).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import type { JobStore, JobTx, NewJob } from '../../src/jobs/job-store.ts';
import { createTaskRegistry, defineTask, JobFailed, jobFor, RetryLater, type TaskDef } from '../../src/jobs/registry.ts';
import { createJobRunner, type RunnerOptions } from '../../src/jobs/runner.ts';

export interface JobsHarness {
  jobs: JobStore;
  /** another jobs store on its own connection to the same database (another node) */
  peer(): Promise<JobStore>;
  /**
   * In one transaction of the jobs store's own connection: writes an audit_log row (the state that
   * causes the job), calls `work` with the transaction handle, then commits, or rolls back when
   * `commit` is false
   */
  inTransaction(commit: boolean, work: (tx: JobTx) => Promise<unknown>): Promise<void>;
  auditRows(): Promise<number>;
  cleanup(): Promise<void>;
}

const T0 = '2026-12-07T10:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const job = (over: Partial<NewJob> = {}): NewJob => ({ kind: 'ack.send', payload: { messageId: 'm1' }, maxAttempts: 3, runAt: T0, at: T0, ...over });
const policy = { baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 3_600_000 };

export function jobsContract(name: string, open: () => Promise<JobsHarness>) {
  describe(`jobs contract (${name})`, () => {
    let h: JobsHarness;
    let jobs: JobStore;
    beforeEach(async () => {
      h = await open();
      jobs = h.jobs;
    });
    afterEach(async () => { await h.cleanup(); });

    const runner = (defs: TaskDef<never>[], over: Partial<RunnerOptions> = {}) =>
      createJobRunner({ jobs, tasks: createTaskRegistry(defs), holder: 'node-a', random: () => 0.5, ...over });

    it('enqueues a waiting job with its payload, queue (default: the kind) and attempt budget', async () => {
      const r = await jobs.enqueue(null, job({ payload: { messageId: 'm1', bytes: 'ISA*00~' } }));
      expect(r.created).toBe(true);
      expect(r.job).toMatchObject({
        kind: 'ack.send', queue: 'ack.send', key: null, payload: { messageId: 'm1', bytes: 'ISA*00~' }, state: 'waiting',
        attempts: 0, maxAttempts: 3, runAt: T0, lockedBy: null, lastError: null, outcome: null, createdAt: T0,
      });
      expect(await jobs.get(r.job.id)).toEqual(r.job);
    });

    it('dedupes by key: a second enqueue adds nothing and returns the first job, even once it is done', async () => {
      const first = await jobs.enqueue(null, job({ key: 'ack:m1', payload: { n: 1 } }));
      const second = await jobs.enqueue(null, job({ key: 'ack:m1', payload: { n: 2 } }));
      expect(second).toEqual({ created: false, job: first.job });
      const [claimed] = await jobs.claim({ holder: 'a', now: T0, lockedUntil: after(60_000), limit: 10, kinds: ['ack.send'], ordered: false });
      await jobs.complete(claimed!.id, 'a', { sent: true }, T0);
      const third = await jobs.enqueue(null, job({ key: 'ack:m1', payload: { n: 3 } }));
      expect(third.created).toBe(false);
      expect(third.job).toMatchObject({ id: first.job.id, state: 'done', payload: { n: 1 }, outcome: { sent: true } });
      expect(await jobs.list({ limit: 10 })).toHaveLength(1);
      // jobs without a key never collide
      await jobs.enqueue(null, job());
      await jobs.enqueue(null, job());
      expect(await jobs.list({ limit: 10 })).toHaveLength(3);
    });

    it('claims due jobs by run_at, then id; a job not yet due, or of a kind the runner lacks, stays', async () => {
      const late = await jobs.enqueue(null, job({ runAt: after(2000) }));
      const a = await jobs.enqueue(null, job({ runAt: after(1000) }));
      const b = await jobs.enqueue(null, job({ runAt: after(1000) }));
      const c = await jobs.enqueue(null, job({ runAt: T0 }));
      const other = await jobs.enqueue(null, job({ kind: 'mdn.post', runAt: T0 }));
      const claim = (limit: number) => jobs.claim({ holder: 'a', now: after(1500), lockedUntil: after(61_500), limit, kinds: ['ack.send'], ordered: false });
      const first = await claim(2);
      expect(first.map((j) => j.id)).toEqual([c.job.id, a.job.id]);
      expect(first[0]).toMatchObject({ state: 'running', attempts: 1, lockedBy: 'a', lockedUntil: after(61_500) });
      expect((await claim(10)).map((j) => j.id)).toEqual([b.job.id]);
      expect(await claim(10)).toEqual([]);
      expect((await jobs.get(late.job.id))!.state).toBe('waiting');
      expect((await jobs.get(other.job.id))!.state).toBe('waiting');
    });

    it('a job in the caller\'s transaction commits with the state that causes it, or not at all', async () => {
      await h.inTransaction(false, (tx) => jobs.enqueue(tx, job({ key: 'rolled-back' })));
      expect(await jobs.getByKey('rolled-back')).toBeUndefined();
      expect(await h.auditRows()).toBe(0);
      await h.inTransaction(true, (tx) => jobs.enqueue(tx, job({ key: 'committed' })));
      expect((await jobs.getByKey('committed'))!.state).toBe('waiting');
      expect(await h.auditRows()).toBe(1);
    });

    it('runs a task, stores its outcome; a failure is retried after the kind\'s backoff, with last_error', async () => {
      const clock = fixedClock(T0);
      let calls = 0;
      const send = defineTask<{ messageId: string }>('ack.send', async (p) => {
        calls++;
        if (calls < 3) throw new Error(`SFTP connection refused (${p.messageId})`);
        return { remoteFile: `997-${p.messageId}.x12` };
      }, { maxAttempts: 5, backoff: policy });
      const r = runner([send], { clock });
      const { job: j } = await jobs.enqueue(null, jobFor(send, { payload: { messageId: 'm1' }, at: T0 }));
      expect(j.maxAttempts).toBe(5);

      expect(await r.tick()).toBe(1);
      await r.idle();
      // attempt 1 failed: ceiling min(60000, 1000 * 2^0) = 1000, random 0.5 -> 500 ms
      expect(await jobs.get(j.id)).toMatchObject({ state: 'waiting', attempts: 1, runAt: after(500), lastError: 'SFTP connection refused (m1)', lockedBy: null });
      clock.advance(499);
      expect(await r.tick()).toBe(0);
      clock.advance(1);
      expect(await r.tick()).toBe(1);
      await r.idle();
      // attempt 2 failed at T0+500: ceiling 2000 -> 1000 ms
      expect(await jobs.get(j.id)).toMatchObject({ state: 'waiting', attempts: 2, runAt: after(1500) });
      clock.set(after(1500));
      await r.tick();
      await r.idle();
      expect(await jobs.get(j.id)).toMatchObject({ state: 'done', attempts: 3, outcome: { remoteFile: '997-m1.x12' }, lockedBy: null, lockedUntil: null });
      expect(calls).toBe(3);
    });

    it('after max_attempts the job is failed with the last error; JobFailed fails it at once', async () => {
      const clock = fixedClock(T0);
      let n = 0;
      const flaky = defineTask('ack.send', async () => { throw new Error(`timeout ${++n}`); }, { maxAttempts: 2, backoff: policy });
      const refused = defineTask('erp.push', async () => { throw new JobFailed('ERP answered 422: unknown document type'); }, { maxAttempts: 9 });
      const r = runner([flaky, refused], { clock });
      const a = await jobs.enqueue(null, jobFor(flaky, { payload: {}, at: T0 }));
      const b = await jobs.enqueue(null, jobFor(refused, { payload: {}, at: T0 }));
      await r.tick();
      await r.idle();
      expect(await jobs.get(b.job.id)).toMatchObject({ state: 'failed', attempts: 1, lastError: 'ERP answered 422: unknown document type' });
      clock.advance(60_000);
      await r.tick();
      await r.idle();
      expect(await jobs.get(a.job.id)).toMatchObject({ state: 'failed', attempts: 2, maxAttempts: 2, lastError: 'timeout 2', lockedBy: null });
      clock.advance(3_600_000);
      expect(await r.tick()).toBe(0);
      expect(await jobs.list({ state: 'failed', limit: 10 })).toHaveLength(2);
    });

    it('honours the peer\'s Retry-After (seconds or an HTTP date) over the backoff, capped by the kind\'s limit', async () => {
      const clock = fixedClock(T0);
      const answers = [
        new RetryLater('ERP answered 429', { status: 429, retryAfter: '120' }),
        new RetryLater('ERP answered 503', { status: 503, retryAfter: 'Mon, 07 Dec 2026 10:07:00 GMT' }),
        new RetryLater('ERP answered 503', { status: 503, retryAfter: '999999' }),
      ];
      const push = defineTask('erp.push', async () => { throw answers.shift(); }, { maxAttempts: 5, backoff: { baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 600_000 } });
      const r = runner([push], { clock });
      const { job: j } = await jobs.enqueue(null, jobFor(push, { payload: {}, at: T0 }));
      await r.tick();
      await r.idle();
      expect((await jobs.get(j.id))!.runAt).toBe(after(120_000));
      clock.advance(119_999);
      expect(await r.tick()).toBe(0);
      clock.advance(1);
      await r.tick();
      await r.idle();
      // the HTTP date names 10:07:00, 5 min after now (10:02)
      expect((await jobs.get(j.id))!.runAt).toBe('2026-12-07T10:07:00.000Z');
      clock.set('2026-12-07T10:07:00.000Z');
      await r.tick();
      await r.idle();
      // 999999 s asked, capped at 600 s
      expect((await jobs.get(j.id))!.runAt).toBe('2026-12-07T10:17:00.000Z');
    });

    it('a dead node\'s lock runs out and another node claims the job again; the dead node can no longer settle it', async () => {
      const other = await h.peer();
      const { job: j } = await jobs.enqueue(null, job({ maxAttempts: 2 }));
      const [held] = await jobs.claim({ holder: 'node-a', now: T0, lockedUntil: after(60_000), limit: 1, kinds: ['ack.send'], ordered: false });
      expect(held!.id).toBe(j.id);
      const claimB = (now: string) => other.claim({ holder: 'node-b', now, lockedUntil: after(Date.parse(now) - Date.parse(T0) + 60_000), limit: 5, kinds: ['ack.send'], ordered: false });
      expect(await claimB(after(59_000))).toEqual([]);
      const [again] = await claimB(after(60_001));
      expect(again).toMatchObject({ id: j.id, attempts: 2, lockedBy: 'node-b' });
      expect(await jobs.complete(j.id, 'node-a', { late: true }, after(60_002))).toBe(false);
      expect(await jobs.renew([j.id], 'node-a', after(120_000), after(60_002))).toEqual([]);
      expect(await other.renew([j.id], 'node-b', after(180_000), after(60_002))).toEqual([j.id]);
      // node-b dies too, on the last attempt: the sweep fails the job with what happened
      expect(await claimB(after(180_001))).toEqual([]);
      expect(await jobs.failAbandoned(after(180_001))).toBe(1);
      expect(await jobs.get(j.id)).toMatchObject({ state: 'failed', lockedBy: null, lastError: 'abandoned: its node stopped while running attempt 2 of 2' });
    });

    it('an ordered queue runs one job at a time in enqueue order, head of line included; other queues go on', async () => {
      const clock = fixedClock(T0);
      const log: string[] = [];
      const running = new Map<string, number>();
      let failFirst = true;
      const send = defineTask<{ partner: string; n: number }>('partner.send', async (p) => {
        running.set(p.partner, (running.get(p.partner) ?? 0) + 1);
        expect(running.get(p.partner)).toBe(1);
        await new Promise((r) => setTimeout(r, 2));
        running.set(p.partner, running.get(p.partner)! - 1);
        if (p.partner === 'acme' && p.n === 1 && failFirst) { failFirst = false; throw new Error('acme SFTP down'); }
        log.push(`${p.partner}${p.n}`);
      }, { maxAttempts: 3, backoff: policy });
      const r = runner([send], { clock, queues: { 'send:*': { concurrency: 4, ordered: true } } });
      for (const [partner, n] of [['acme', 1], ['globex', 1], ['acme', 2], ['globex', 2], ['acme', 3]] as const) {
        await jobs.enqueue(null, jobFor(send, { payload: { partner, n }, queue: `send:${partner}`, at: T0 }));
      }
      // round 1: only each queue's head; acme1 fails and is retried in 500 ms, acme2 waits behind it
      expect(await r.tick()).toBe(2);
      await r.idle();
      expect(log).toEqual(['globex1']);
      expect(await r.tick()).toBe(1);
      await r.idle();
      expect(log).toEqual(['globex1', 'globex2']);
      expect(await r.tick()).toBe(0);
      clock.advance(500);
      for (let i = 0; i < 3; i++) { await r.tick(); await r.idle(); }
      expect(log).toEqual(['globex1', 'globex2', 'acme1', 'acme2', 'acme3']);
    });

    it('an ordered queue passes its turn: a partner\'s next job goes behind the other queues\' heads already due', async () => {
      const clock = fixedClock(T0);
      const log: string[] = [];
      const send = defineTask<{ p: string; n: number }>('erp.push', async (x) => { log.push(`${x.p}${x.n}`); }, { maxAttempts: 3, backoff: policy });
      const r = runner([send], { clock, queues: { 'erp:*': { concurrency: 1, ordered: true } } });
      for (let n = 1; n <= 3; n++) await jobs.enqueue(null, jobFor(send, { payload: { p: 'a', n }, queue: 'erp:a', at: T0 }));
      // b's job arrives 1 ms later, while a's backlog waits; each round takes 1 ms
      clock.advance(1);
      await jobs.enqueue(null, jobFor(send, { payload: { p: 'b', n: 1 }, queue: 'erp:b', at: after(1) }));
      for (let i = 0; i < 4; i++) { clock.advance(1); await r.tick(); await r.idle(); }
      // one slot: a1, then b1 (a2 went behind b's head when a1 finished), then a's rest in order
      expect(log).toEqual(['a1', 'b1', 'a2', 'a3']);
      const a2 = (await jobs.list({ queue: 'erp:a', limit: 10 })).find((j) => (j.payload as { n: number }).n === 2)!;
      expect(a2.runAt).toBe(after(2));              // due again when a1 finished: its turn passed
    });

    it('an ordered queue\'s head is found behind a flood of another queue, and a wait that is not the job\'s failure gives its attempt back', async () => {
      const clock = fixedClock(T0);
      let calls = 0;
      const push = defineTask<{ n: number }>('erp.push', async (x) => {
        calls++;
        if (x.n === -1 && calls === 1) throw new RetryLater('the partner\'s throttle: waiting for a token', { delayMs: 250, countAttempt: false });
        return null;
      }, { maxAttempts: 1, backoff: policy });
      for (let n = 0; n < 3000; n++) await jobs.enqueue(null, jobFor(push, { payload: { n }, queue: 'erp:flood', at: T0 }));
      const { job: b } = await jobs.enqueue(null, jobFor(push, { payload: { n: -1 }, queue: 'erp:b', at: after(1) }));
      clock.advance(1);
      // the heads of both queues in one claim, whatever the flood behind the first
      const got = await jobs.claim({ holder: 'node-a', now: after(1), lockedUntil: after(60_000), limit: 4, kinds: ['erp.push'], only: ['erp:*'], ordered: true });
      expect(got.map((j) => j.queue)).toEqual(['erp:flood', 'erp:b']);
      expect(got[1]!.id).toBe(b.id);
      for (const j of got) await jobs.complete(j.id, 'node-a', null, after(1));
      // a job whose first attempt is a wait (its partner's throttle), not a failure: the attempt is
      // given back, so with max_attempts 1 it is not failed, and it runs when the wait is over
      const fresh = await jobs.enqueue(null, jobFor(push, { payload: { n: -1 }, queue: 'erp:b2', key: 'b2', at: after(1) }));
      const r = runner([push], { clock, queues: { 'erp:b2': { concurrency: 1, ordered: true } } });
      calls = 0;
      await r.tick(); await r.idle();
      expect(await jobs.get(fresh.job.id)).toMatchObject({ state: 'waiting', attempts: 0, runAt: after(251) });
      clock.advance(250);
      await r.tick(); await r.idle();
      expect(await jobs.get(fresh.job.id)).toMatchObject({ state: 'done', attempts: 1 });
    });

    it('a kind\'s gate keeps the runner from claiming it while it is above 0 (an open circuit); other kinds go on', async () => {
      const clock = fixedClock(T0);
      let closedFor = 30_000;
      const opened = Date.parse(T0);
      const ran: string[] = [];
      const push = defineTask('erp.push', async () => { ran.push('push'); }, { gate: () => Math.max(0, opened + closedFor - clock.now().getTime()) });
      const send = defineTask('ack.send', async () => { ran.push('ack'); });
      const r = runner([push, send], { clock });
      await jobs.enqueue(null, jobFor(push, { payload: {}, at: T0 }));
      await jobs.enqueue(null, jobFor(send, { payload: {}, at: T0 }));
      expect(await r.tick()).toBe(1);
      await r.idle();
      expect(ran).toEqual(['ack']);
      clock.advance(29_999);
      expect(await r.tick()).toBe(0);
      clock.advance(1);
      expect(await r.tick()).toBe(1);
      await r.idle();
      expect(ran).toEqual(['ack', 'push']);
      closedFor = 0;
    });

    it('operators cancel a waiting or failed job and retry a failed or cancelled one with a fresh budget', async () => {
      const clock = fixedClock(T0);
      let ok = false;
      const send = defineTask('ack.send', async () => { if (!ok) throw new Error('partner unreachable'); return 'sent'; }, { maxAttempts: 1 });
      const r = runner([send], { clock });
      const waiting = await jobs.enqueue(null, jobFor(send, { payload: {}, at: T0, runAt: after(10_000) }));
      const failing = await jobs.enqueue(null, jobFor(send, { payload: {}, at: T0 }));
      expect(await jobs.cancel(waiting.job.id, T0)).toBe(true);
      await r.tick();
      await r.idle();
      expect(await jobs.get(failing.job.id)).toMatchObject({ state: 'failed', attempts: 1, lastError: 'partner unreachable' });
      expect(await jobs.retry(waiting.job.id, after(1000))).toBe(true);
      expect(await jobs.cancel(waiting.job.id, after(1000))).toBe(true);
      expect(await jobs.retry(failing.job.id, after(1000))).toBe(true);
      expect(await jobs.retry(failing.job.id, after(1000))).toBe(false); // already waiting
      expect(await jobs.get(failing.job.id)).toMatchObject({ state: 'waiting', attempts: 0, runAt: after(1000), lastError: 'partner unreachable' });
      ok = true;
      clock.set(after(1000));
      await r.tick();
      await r.idle();
      expect(await jobs.get(failing.job.id)).toMatchObject({ state: 'done', outcome: 'sent' });
      expect(await jobs.get(waiting.job.id)).toMatchObject({ state: 'cancelled' });
      expect(await jobs.cancel(failing.job.id, after(2000))).toBe(false); // done stays done
      expect((await jobs.list({ state: 'cancelled', limit: 5 })).map((j) => j.id)).toEqual([waiting.job.id]);
    });

    it('operators list newest first by kind, state, queue and partner, a page at a time (before = the last id seen)', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const partnerId = i % 2 === 0 ? 'acme' : 'globex';
        ids.push((await jobs.enqueue(null, job({ key: `k${i}`, partnerId, queue: `send:${partnerId}`, kind: i === 4 ? 'mdn.post' : 'ack.send' }))).job.id);
      }
      expect((await jobs.get(ids[0]!))?.partnerId).toBe('acme');
      const page = async (f: Parameters<JobStore['list']>[0]) => (await jobs.list(f)).map((j) => ids.indexOf(j.id));
      expect(await page({ limit: 10 })).toEqual([4, 3, 2, 1, 0]);
      expect(await page({ partnerId: 'acme', limit: 10 })).toEqual([4, 2, 0]);
      expect(await page({ partnerId: 'acme', kind: 'ack.send', limit: 10 })).toEqual([2, 0]);
      expect(await page({ queue: 'send:globex', state: 'waiting', limit: 10 })).toEqual([3, 1]);
      expect(await page({ state: 'done', limit: 10 })).toEqual([]);
      // pages of two: each starts below the last id of the one before
      expect(await page({ limit: 2 })).toEqual([4, 3]);
      expect(await page({ limit: 2, before: ids[3] })).toEqual([2, 1]);
      expect(await page({ limit: 2, before: ids[1] })).toEqual([0]);
      expect(await page({ partnerId: 'acme', limit: 1, before: ids[4] })).toEqual([2]);
    });

    it('a running task\'s lock is renewed, so another node never takes it; a lock that is lost aborts the task', async () => {
      const other = await h.peer();
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const slow = defineTask('slow', async () => { await gate; return 'finished'; });
      const a = runner([slow], { lockMs: 600, pollMs: 10 });
      const { job: j } = await jobs.enqueue(null, jobFor(slow, { payload: {}, at: new Date().toISOString() }));
      a.start();
      while ((await jobs.get(j.id))!.state !== 'running') await sleep(5);
      // 2.4 s is four lock lengths (renewed every 200 ms): without renewal the other node would take the job
      for (let i = 0; i < 12; i++) {
        await sleep(200);
        const now = new Date().toISOString();
        expect(await other.claim({ holder: 'node-b', now, lockedUntil: now, limit: 1, kinds: ['slow'], ordered: false })).toEqual([]);
      }
      release();
      await a.stop();
      expect(await jobs.get(j.id)).toMatchObject({ state: 'done', attempts: 1, outcome: 'finished' });

      // the renewal finds the lock gone (the node was cut off longer than its lock and another took it)
      let aborted: unknown;
      const watcher = defineTask('watch', async (_p, ctx) => {
        await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
        aborted = ctx.signal.reason;
        return 'stopped';
      });
      const cutOff: JobStore = { ...jobs, renew: async () => [] };
      const b = createJobRunner({ jobs: cutOff, tasks: createTaskRegistry([watcher]), holder: 'node-a', lockMs: 60, pollMs: 10 });
      const w = await jobs.enqueue(null, jobFor(watcher, { payload: {}, at: new Date().toISOString() }));
      b.start();
      const deadline = Date.now() + 5000;
      while (aborted === undefined && Date.now() < deadline) await sleep(10);
      await b.stop();
      expect(String(aborted)).toContain('lock was lost');
      // (in this simulation nobody else took it, so the task's answer is still recorded)
      expect(await jobs.get(w.job.id)).toMatchObject({ state: 'done', outcome: 'stopped' });
    });

    it('two nodes running 1,000 jobs against one database run each exactly once', async () => {
      const other = await h.peer();
      const runs = new Map<number, number>();
      const byNode = { 'node-a': 0, 'node-b': 0 };
      const work = (node: keyof typeof byNode) => defineTask<{ n: number }>('bulk', async (_p, ctx) => {
        runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1);
        byNode[node]++;
        if (ctx.job.id % 7 === 0) await new Promise((r) => setTimeout(r, 1));
        return null;
      });
      const now = new Date().toISOString();
      for (let i = 0; i < 1000; i++) await jobs.enqueue(null, jobFor(work('node-a'), { payload: { n: i }, at: now }));
      const opts = { pollMs: 5, defaultConcurrency: 8 };
      const a = createJobRunner({ jobs, holder: 'node-a', tasks: createTaskRegistry([work('node-a')]), ...opts });
      const b = createJobRunner({ jobs: other, holder: 'node-b', tasks: createTaskRegistry([work('node-b')]), ...opts });
      a.start();
      b.start();
      const deadline = Date.now() + 50_000;
      while ((await jobs.list({ state: 'done', limit: 1001 })).length < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await Promise.all([a.stop(), b.stop()]);
      expect(await jobs.list({ state: 'done', limit: 1001 })).toHaveLength(1000);
      expect(runs.size).toBe(1000);
      expect([...runs.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(byNode['node-a'] + byNode['node-b']).toBe(1000);
      // both nodes took part (each claims 8 at a time, so neither can have taken all)
      expect(byNode['node-a']).toBeGreaterThan(0);
      expect(byNode['node-b']).toBeGreaterThan(0);
    });
  });
}
