/**
 * The ERP push as a job (`erp.push`, src/jobs/): one job per released document, written in the
 * transaction that stores the document `ready` (NewDocument.jobs), so a crash can delay a push but
 * never lose it. Key `erp.push:<document id>`: one push job per document, ever (a document replaced
 * before delivery is pushed once, with the envelope it has when the job runs). The ERP's
 * Idempotency-Key is the document id, so a push repeated after a crash between the ERP's 2xx and
 * the job's `done` is answered 409 and counted as delivered: the ERP keeps one copy.
 *
 * Policies of the task (state in this process, as the dispatcher had them):
 * - order: queue `erp:<partner>`, ordered (one job per partner in flight, in the order released;
 *   a job waiting for its retry holds back its partner's later jobs; a failed one does not);
 *   the runner passes the turn round robin, so one partner's backlog does not hold the others back;
 * - the partner's throttle (token bucket): no token, the job waits for the next one (attempt not counted);
 *   a broken throttle config holds that partner's documents (logged once), the others flow;
 * - the circuit breaker: consecutive timeouts / 5xx / connection errors / 401-403 open it; while open
 *   no push job is claimed (the kind's gate); after the cool-down one probe goes; a failed probe
 *   and a 429 do not use up the job's attempts, so an outage of any length delays, it parks nothing;
 * - a 429/503 Retry-After pauses every push until then (the gate) and the job retries then;
 * - one backoff: the runner's (src/jobs/backoff.ts), with this kind's policy.
 * Outcomes (push-client.ts): delivered -> done (audit `delivered`); permanent (4xx, 3xx) -> failed at
 * once; retryable -> retried; the last counted attempt -> failed. A failed push is an exception
 * (stage `deliver`, detail.jobId) that replay re-runs (pipeline/inbound/replay.ts).
 */
import { metrics } from '../metrics/registry.ts';
import type { CanonicalEnvelope } from '../canonical/types.ts';
import type { Clock } from '../core/clock.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { Store } from '../db/store.ts';
import type { BackoffPolicy } from '../jobs/backoff.ts';
import type { Job, NewJob } from '../jobs/job-store.ts';
import { defineTask, JobFailed, RetryLater, type TaskDef } from '../jobs/registry.ts';
import type { PushFn, PushOutcome } from '../erp/push-client.ts';
import { parseRetryAfter } from '../jobs/backoff.ts';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.ts';
import { createPartnerThrottles } from './partner-throttles.ts';
import type { ThrottleConfig } from './token-bucket.ts';
import { addLogContext } from '../core/log-context.ts';

export const ERP_PUSH = 'erp.push';
/** the old delivery_jobs target of ERP pushes: read once at start by moveLegacyErpPushes */
export const LEGACY_ERP_TARGET = 'erp';
export const erpPushBackoff: BackoffPolicy = { baseMs: 500, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 };
export const ERP_PUSH_ATTEMPTS = 10;

export interface ErpPushPayload { documentId: string }

export const erpPushKey = (documentId: string) => `${ERP_PUSH}:${documentId}`;
export const erpPushQueue = (partnerId: string) => `erp:${partnerId}`;

/** the push job of a released document (committed with it: NewDocument.jobs) */
export function erpPushJob(d: { documentId: string; partnerId: string }, at: string, maxAttempts = ERP_PUSH_ATTEMPTS): NewJob {
  return {
    kind: ERP_PUSH, key: erpPushKey(d.documentId), queue: erpPushQueue(d.partnerId), partnerId: d.partnerId,
    payload: { documentId: d.documentId } satisfies ErpPushPayload, maxAttempts, runAt: at, at,
  };
}

export interface ErpPushTaskOptions {
  store: Store;
  push: PushFn;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** a partner's throttle; undefined = unthrottled */
  throttleFor(partnerId: string): ThrottleConfig | undefined;
  /** attempts per document before it is parked in the exception queue; default 10 */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  breaker?: { failureThreshold: number; coolDownMs: number };
  /** false while another node pushes (PostgreSQL: the holder of the `erp-push` lease); default always */
  active?: () => boolean;
  /** how long a job whose partner's throttle is misconfigured waits before it looks again; default 1 s */
  heldMs?: number;
}

export interface ErpPushTask {
  task: TaskDef<ErpPushPayload>;
  /** jobs of the kind's attempt budget for a released document */
  jobFor(d: { documentId: string; partnerId: string }, at: string): NewJob;
  circuit(): CircuitBreaker;
  inFlight(): number;
}

const truncate = (s: string | undefined, n = 500) => (s === undefined ? undefined : s.length > n ? `${s.slice(0, n)}…` : s);

export function createErpPushTask(opts: ErpPushTaskOptions): ErpPushTask {
  const { store, clock, logger } = opts;
  const maxAttempts = opts.maxAttempts ?? ERP_PUSH_ATTEMPTS;
  const heldMs = opts.heldMs ?? 1000;
  const breaker = createCircuitBreaker({
    failureThreshold: opts.breaker?.failureThreshold ?? 5,
    coolDownMs: opts.breaker?.coolDownMs ?? 30_000,
    clock,
    onStateChange: (from, to) => logger.warn('erp circuit ' + to, { from, to }),
  });
  const throttles = createPartnerThrottles({ clock, throttleFor: (p) => opts.throttleFor(p) });
  const misconfigured = new Set<string>();
  let pausedUntil = 0;
  let inFlight = 0;
  let probing = false;

  /** ms until push jobs may be claimed: the ERP's Retry-After pause, the open circuit, a probe in flight, another node's role */
  function gate(): number {
    if (opts.active && !opts.active()) return heldMs;
    const now = clock.now().getTime();
    if (pausedUntil > now) return pausedUntil - now;
    const state = breaker.state();
    if (state === 'open') return Math.max(1, breaker.msUntilProbe());
    if (state === 'half_open' && (probing || inFlight > 0)) return 50;
    return 0;
  }

  async function park(job: Job<ErpPushPayload>, doc: { messageId: string; partnerId: string } | undefined, o: Exclude<PushOutcome, { kind: 'delivered' }>): Promise<never> {
    const documentId = job.payload.documentId;
    await store.addException({
      id: opts.ids('exc'), messageId: doc?.messageId ?? documentId, documentId, partnerId: doc?.partnerId ?? job.partnerId,
      stage: 'deliver', code: o.code, message: `the ERP refused document ${documentId}: ${o.message}`,
      detail: { status: o.status, body: o.body, attempts: job.attempts, target: LEGACY_ERP_TARGET, jobId: job.id }, at: clock.now().toISOString(),
    });
    throw new JobFailed(`${o.code}: ${o.message}${o.body ? ` ${truncate(o.body)}` : ''}`);
  }

  async function run(payload: ErpPushPayload, { job }: { job: Job<ErpPushPayload> }): Promise<unknown> {
    const doc = await store.getDocument(payload.documentId);
    if (!doc) throw new JobFailed(`document ${payload.documentId} does not exist`);
    addLogContext({ messageId: doc.messageId, correlationId: doc.correlationId });
    const partnerId = doc.partnerId;
    // the partner's throttle: a job without a token waits for the next one (not the job's failure)
    let token: boolean;
    try {
      token = throttles.tryTake(partnerId);
      misconfigured.delete(partnerId);
    } catch (e) {
      if (!misconfigured.has(partnerId)) {
        misconfigured.add(partnerId);
        logger.error('partner throttle misconfigured; holding its documents', { partnerId, error: e instanceof Error ? e.message : String(e) });
      }
      throw new RetryLater(`partner ${partnerId}'s throttle is misconfigured: ${e instanceof Error ? e.message : String(e)}`, { delayMs: heldMs, countAttempt: false });
    }
    if (!token) {
      metrics.erpPushWaited(partnerId, 'throttle');
      throw new RetryLater(`partner ${partnerId}'s throttle: waiting for a token`, { delayMs: Math.max(1, throttles.msUntilAvailable(partnerId)), countAttempt: false });
    }
    const probe = breaker.state() === 'half_open';
    if (!breaker.tryAcquire()) {
      metrics.erpPushWaited(partnerId, 'circuit');
      throw new RetryLater('the ERP circuit is open', { delayMs: Math.max(50, breaker.msUntilProbe()), countAttempt: false });
    }
    if (probe) probing = true;
    inFlight++;
    let outcome: PushOutcome;
    const started = performance.now();
    try {
      outcome = await opts.push(JSON.parse(doc.envelope) as CanonicalEnvelope);
    } catch (e) {
      outcome = { kind: 'retryable', code: 'erp_connection_failed', message: `push failed: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      inFlight--;
      if (probe) probing = false;
    }
    metrics.erpPushed(partnerId, outcome.kind, 'status' in outcome ? outcome.status : undefined, (performance.now() - started) / 1000);
    if (outcome.kind === 'delivered') {
      breaker.onSuccess();
      await store.audit({ at: clock.now().toISOString(), actor: `erp:${LEGACY_ERP_TARGET}`, action: 'delivered', subject: doc.id, detail: { status: outcome.status, jobId: job.id } });
      return { status: outcome.status, duplicate: outcome.duplicate, body: truncate(outcome.body) };
    }
    if (outcome.kind === 'permanent') {
      breaker.onSuccess();
      logger.error('erp rejected document', { partnerId, documentId: doc.id, status: outcome.status, code: outcome.code });
      return park(job, doc, outcome);
    }
    const throttled = outcome.code === 'erp_throttled';
    if (throttled) breaker.onSuccess(); else breaker.onFailure();
    const now = clock.now();
    if ((outcome.status === 429 || outcome.status === 503) && outcome.retryAfter !== undefined) {
      const asked = parseRetryAfter(outcome.retryAfter, now);
      if (asked !== undefined) pausedUntil = Math.max(pausedUntil, now.getTime() + Math.min(asked, (opts.backoff ?? erpPushBackoff).maxRetryAfterMs ?? asked));
    }
    const counts = !throttled && !probe;
    if (counts && job.attempts >= job.maxAttempts) {
      logger.error('erp delivery attempts exhausted', { partnerId, documentId: doc.id, attempts: job.attempts, code: outcome.code });
      return park(job, doc, outcome);
    }
    logger.info('erp delivery retry scheduled', { partnerId, documentId: doc.id, attempt: job.attempts, counted: counts, code: outcome.code, status: outcome.status });
    throw new RetryLater(`${outcome.code}: ${outcome.message}`, { status: outcome.status, retryAfter: outcome.retryAfter, countAttempt: counts });
  }

  const task = defineTask<ErpPushPayload>(ERP_PUSH, run, { maxAttempts, backoff: opts.backoff ?? erpPushBackoff, gate });
  return {
    task,
    jobFor: (d, at) => erpPushJob(d, at, maxAttempts),
    circuit: () => breaker,
    inFlight: () => inFlight,
  };
}

/**
 * Pushes still pending in the old delivery_jobs table (target `erp`, from a version before jobs)
 * become erp.push jobs, oldest first (so each partner's order holds), each old row settled with
 * `{"movedToJob": id}`; how many moved. Run at start, before the runner; idempotent (the job key).
 */
export async function moveLegacyErpPushes(store: Store, at: string, maxAttempts = ERP_PUSH_ATTEMPTS): Promise<number> {
  let moved = 0;
  for (;;) {
    const rows = await store.pendingJobs(LEGACY_ERP_TARGET, 500);
    if (rows.length === 0) return moved;
    for (const old of rows) {
      const job = await store.jobs.enqueue(null, erpPushJob({ documentId: old.documentId, partnerId: old.partnerId }, at, maxAttempts));
      await store.updateDelivery(old.id, { status: 'delivered', leaseUntil: null, lastError: JSON.stringify({ movedToJob: job.job.id }) }, at);
      moved++;
    }
  }
}
