/**
 * Push dispatcher: takes due jobs from the DeliveryStore, chooses fairly across partners (fair
 * scheduler + per-partner token buckets, global concurrency cap), and pushes them to the ERP.
 *
 * Order: one job per partner in flight (the store's head-of-line contract in store.ts); a job
 * waiting for a retry holds back its partner's later jobs until it is delivered or, after
 * `maxAttempts`, parked in the exception queue; then the partner's next job goes.
 * Outcomes: delivered -> store.delivered; permanent (4xx) -> store.failed at once with the ERP's
 * answer; retryable -> store.retryLater with full-jitter backoff (Retry-After honoured on 429/503,
 * which also pauses all pushes until then), or store.failed once the attempts are used up.
 * A 429 and a failed circuit probe do not use up a job's attempts (see RetryOptions).
 * Circuit breaker: consecutive timeouts/5xx/connection errors open it; while open nothing is
 * leased; after the cool-down one probe goes; delivery resumes by itself when it succeeds.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { PushFn, PushOutcome } from '../erp/push-client.ts';
import { type BackoffPolicy, defaultBackoff, parseRetryAfter, retryDelayMs } from './backoff.ts';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.ts';
import { createFairScheduler } from './fair-scheduler.ts';
import type { DeliveryJob, DeliveryStore } from './store.ts';
import { createPartnerThrottles } from './partner-throttles.ts';
import type { ThrottleConfig } from './token-bucket.ts';

export interface PushDispatcherOptions {
  store: DeliveryStore;
  push: PushFn;
  /** a partner's throttle; undefined = unthrottled */
  throttleFor(partnerId: string): ThrottleConfig | undefined;
  maxConcurrency: number;
  clock: Clock;
  logger: Logger;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** attempts per job before it is parked in the exception queue (>= 1) */
  maxAttempts: number;
  backoff?: BackoffPolicy;
  breaker?: { failureThreshold: number; coolDownMs: number };
  /** how long a job stays leased while it is pushed; longer than the push timeout. Default 120 s */
  leaseMs?: number;
  /** longest idle wait in start() before asking the store again. Default 250 ms */
  pollIntervalMs?: number;
}

export interface TickResult {
  started: number;
  delivered: number;
  retried: number;
  failed: number;
}

export interface PushDispatcher {
  start(): void;
  /** stops leasing new jobs and resolves once every job in flight has finished */
  stop(): Promise<void>;
  /** one scheduling pass; resolves when the jobs it started have finished (for tests) */
  tick(): Promise<TickResult>;
  circuit(): CircuitBreaker;
  inFlight(): number;
}

type Finished = 'delivered' | 'retried' | 'failed';

export function createPushDispatcher(opts: PushDispatcherOptions): PushDispatcher {
  const { store, clock, logger } = opts;
  const maxConcurrency = Math.max(1, Math.floor(opts.maxConcurrency));
  const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts));
  const backoff = opts.backoff ?? defaultBackoff;
  const leaseMs = opts.leaseMs ?? 120_000;
  const pollIntervalMs = opts.pollIntervalMs ?? 250;
  const scheduler = createFairScheduler({ maxConcurrency, perPartnerConcurrency: 1 });
  const breaker = createCircuitBreaker({
    failureThreshold: opts.breaker?.failureThreshold ?? 5,
    coolDownMs: opts.breaker?.coolDownMs ?? 30_000,
    clock,
    onStateChange: (from, to) => logger.warn('erp circuit ' + to, { from, to }),
  });
  const throttles = createPartnerThrottles({ clock, throttleFor: (p) => opts.throttleFor(p) });
  const inFlight = new Map<string, Promise<Finished>>();
  const inFlightByPartner = new Map<string, number>();
  let pausedUntil = 0;
  /** partners whose bad throttle config was already logged */
  const misconfigured = new Set<string>();
  let lastDuePartners: string[] = [];
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** a job finished since the loop last looked: look again before sleeping */
  let woken = false;

  async function settle(job: DeliveryJob, outcome: PushOutcome, probe: boolean): Promise<Finished> {
    const now = clock.now();
    const attempt = job.attempts + 1;
    if (outcome.kind === 'delivered') {
      breaker.onSuccess();
      await store.delivered(job.id, { status: outcome.status, body: outcome.body });
      return 'delivered';
    }
    if (outcome.kind === 'permanent') {
      breaker.onSuccess();
      logger.error('erp rejected document', { partnerId: job.partnerId, documentId: job.documentId, status: outcome.status, code: outcome.code });
      await store.failed(job.id, { code: outcome.code, message: outcome.message, status: outcome.status, body: outcome.body });
      return 'failed';
    }
    const throttled = outcome.code === 'erp_throttled';
    if (throttled) breaker.onSuccess(); else breaker.onFailure();
    if ((outcome.status === 429 || outcome.status === 503) && outcome.retryAfter !== undefined) {
      const asked = parseRetryAfter(outcome.retryAfter, now);
      if (asked !== undefined) pausedUntil = Math.max(pausedUntil, now.getTime() + asked);
    }
    const counts = !throttled && !probe;
    const error = { code: outcome.code, message: outcome.message, ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
    if (counts && attempt >= maxAttempts) {
      logger.error('erp delivery attempts exhausted', { partnerId: job.partnerId, documentId: job.documentId, attempts: attempt, code: outcome.code });
      await store.failed(job.id, { ...error, ...(outcome.body !== undefined ? { body: outcome.body } : {}) });
      return 'failed';
    }
    const delay = retryDelayMs({ attempt, policy: backoff, random: opts.random, now, status: outcome.status, retryAfter: outcome.retryAfter });
    logger.info('erp delivery retry scheduled', { partnerId: job.partnerId, documentId: job.documentId, attempt, counted: counts, code: outcome.code, status: outcome.status, delayMs: delay });
    await store.retryLater(job.id, new Date(now.getTime() + delay), error, { countAttempt: counts });
    return 'retried';
  }

  async function run(job: DeliveryJob, probe: boolean): Promise<Finished> {
    let outcome: PushOutcome;
    try {
      outcome = await opts.push(job.envelope);
    } catch (e) {
      outcome = { kind: 'retryable', code: 'erp_connection_failed', message: `push failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    try {
      return await settle(job, outcome, probe);
    } catch (e) {
      // the store could not record the outcome; the lease expires and the job is tried again,
      // and the Idempotency-Key makes the ERP answer 409 if it already has it
      logger.error('delivery store failed to record outcome', { jobId: job.id, error: e instanceof Error ? e.message : String(e) });
      return 'retried';
    }
  }

  function launch(job: DeliveryJob, probe: boolean): Promise<Finished> {
    inFlightByPartner.set(job.partnerId, (inFlightByPartner.get(job.partnerId) ?? 0) + 1);
    const p = run(job, probe).finally(() => {
      inFlight.delete(job.id);
      woken = true;
      const n = (inFlightByPartner.get(job.partnerId) ?? 1) - 1;
      if (n <= 0) inFlightByPartner.delete(job.partnerId); else inFlightByPartner.set(job.partnerId, n);
      wake?.();
    });
    inFlight.set(job.id, p);
    return p;
  }

  /** one scheduling pass: returns the promises of the jobs it started */
  async function pass(): Promise<Array<Promise<Finished>>> {
    const now = clock.now();
    if (pausedUntil > now.getTime()) return [];
    if (inFlight.size >= maxConcurrency) return [];
    const state = breaker.state();
    if (state === 'open') return [];
    // half-open: exactly one probe, and only when nothing else is in flight
    if (state === 'half_open' && inFlight.size > 0) return [];
    const due = await store.due(now, 1);
    const queues = new Map<string, DeliveryJob[]>();
    for (const job of due) {
      if (inFlight.has(job.id) || inFlightByPartner.has(job.partnerId)) continue;
      const q = queues.get(job.partnerId);
      if (q) q.push(job); else queues.set(job.partnerId, [job]);
    }
    lastDuePartners = [...queues.keys()];
    const picks = scheduler.pick({
      queues,
      inFlight: (p) => inFlightByPartner.get(p) ?? 0,
      globalInFlight: state === 'half_open' ? maxConcurrency - 1 : inFlight.size,
      tryTakeToken: (p) => {
        // a partner with a bad throttle config is held (and logged); the others keep flowing
        try {
          const ok = throttles.tryTake(p);
          misconfigured.delete(p);
          return ok;
        } catch (e) {
          if (misconfigured.has(p)) return false;
          misconfigured.add(p);
          logger.error('partner throttle misconfigured; holding its documents', { partnerId: p, error: e instanceof Error ? e.message : String(e) });
          return false;
        }
      },
    });
    const started: Array<Promise<Finished>> = [];
    for (const job of picks) {
      if (!breaker.tryAcquire()) break;
      if (!(await store.lease(job.id, new Date(now.getTime() + leaseMs)))) {
        breaker.cancelProbe();
        continue;
      }
      started.push(launch(job, state === 'half_open'));
    }
    return started;
  }

  /** how long the loop may sleep before something can change */
  function idleMs(): number {
    const now = clock.now().getTime();
    let ms = pollIntervalMs;
    if (pausedUntil > now) ms = Math.min(ms, pausedUntil - now);
    if (breaker.state() === 'open') ms = Math.min(ms, Math.max(1, breaker.msUntilProbe()));
    for (const p of lastDuePartners) {
      let wait = 0;
      try { wait = throttles.msUntilAvailable(p); } catch { continue; }
      if (wait > 0) ms = Math.min(ms, wait);
    }
    return Math.max(1, ms);
  }

  async function runLoop(): Promise<void> {
    while (running) {
      woken = false;
      let started = 0;
      try {
        started = (await pass()).length;
      } catch (e) {
        logger.error('delivery pass failed', { error: e instanceof Error ? e.message : String(e) });
      }
      if (!running) break;
      if (started > 0 && inFlight.size < maxConcurrency) continue;
      if (woken) { woken = false; continue; }
      await new Promise<void>((resolve) => {
        wake = resolve;
        opts.sleep(idleMs()).then(resolve, resolve);
      });
      wake = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
      await Promise.allSettled([...inFlight.values()]);
    },
    async tick() {
      const started = await pass();
      const results = await Promise.all(started);
      const count = (k: Finished): number => results.filter((r) => r === k).length;
      return { started: started.length, delivered: count('delivered'), retried: count('retried'), failed: count('failed') };
    },
    circuit: () => breaker,
    inFlight: () => inFlight.size,
  };
}
