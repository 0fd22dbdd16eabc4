/**
 * The job runner (graphile-worker's model on our own table, see /tmp decisions): claims due jobs
 * of the kinds it has tasks for, runs each task, and settles the row: done with the task's
 * outcome, waiting again after the kind's backoff (or the peer's Retry-After), or failed with the
 * last error once the attempts are used up. Any number of runners (nodes) may share one database.
 *
 * Queues: each `queues` entry (a queue name, or a prefix ending in '*': 'send:*') gets its own
 * concurrency on this node; an entry with concurrency 1 (or ordered: true) is ordered: each of its
 * queues runs one job at a time, in enqueue order, across all nodes (the head of line waits,
 * retries included). Jobs of other queues share `defaultConcurrency`, earliest run_at first.
 *
 * While a task runs, the runner renews its lock every lockMs/3; a lock it could not renew (the
 * database was away longer than the lock, and another node took the job) aborts the task's signal.
 * A node that dies leaves locks that run out; another runner claims those jobs again.
 */
import { type Clock, systemClock } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { withLogContext } from '../core/log-context.ts';
import { retryDelayMs } from './backoff.ts';
import type { Job, JobStore } from './job-store.ts';
import { JobFailed, RetryLater, type TaskRegistry } from './registry.ts';
import { inJobSpan } from '../observability/trace-spans.ts';
import { metrics } from '../metrics/registry.ts';

export interface QueueSettings {
  /** jobs of the matching queues this node runs at once */
  concurrency: number;
  /** one job at a time per queue, in enqueue order, across nodes; default: concurrency is 1 */
  ordered?: boolean;
}

export interface RunnerOptions {
  jobs: JobStore;
  tasks: TaskRegistry;
  /** this node's id (EDIGW_NODE_ID, or hostname and pid) */
  holder: string;
  queues?: Record<string, QueueSettings>;
  /** jobs of queues without an entry run at once on this node; default 4 */
  defaultConcurrency?: number;
  /** how often to look for due jobs when idle; default 1 s */
  pollMs?: number;
  /** how long a claim holds before another node may take the job; renewed while the task runs; default 5 min */
  lockMs?: number;
  /** how often to fail the jobs of dead nodes that had no attempts left; default 1 min */
  sweepMs?: number;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
}

export interface JobRunner {
  /** polls until stop() */
  start(): void;
  /** stops claiming and waits for the running tasks to settle */
  stop(): Promise<void>;
  /** one round: claims what fits each queue's free slots and starts those tasks; returns how many it claimed */
  tick(): Promise<number>;
  /** resolves when no task of this runner is running */
  idle(): Promise<void>;
  /** runs what is due now until nothing due is left (jobs waiting for a later retry stay): tests, `idle()` of the gateway */
  drain(): Promise<void>;
  /** look for due jobs now (a job was just enqueued) */
  poke(): void;
}

/** `empty`: its last claim found nothing; a pump after a task settles skips it until the next poll or poke */
interface Bucket { only?: string[]; except?: string[]; concurrency: number; ordered: boolean; running: number; empty: boolean }

export function createJobRunner(opts: RunnerOptions): JobRunner {
  const { jobs, tasks, holder } = opts;
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const logger = opts.logger ?? silentLogger;
  const pollMs = opts.pollMs ?? 1000;
  const lockMs = opts.lockMs ?? 5 * 60_000;
  const sweepMs = opts.sweepMs ?? 60_000;
  const configured = Object.entries(opts.queues ?? {});
  const buckets: Bucket[] = [
    ...configured.map(([pattern, s]) => ({ only: [pattern], concurrency: s.concurrency, ordered: s.ordered ?? s.concurrency === 1, running: 0, empty: false })),
    { except: configured.map(([pattern]) => pattern), concurrency: opts.defaultConcurrency ?? 4, ordered: false, running: 0, empty: false },
  ];
  const held = new Map<number, AbortController>();
  const inFlight = new Set<Promise<void>>();
  let started = false;
  let pumping = false;
  let again = false;
  /** a poll or poke asked for a round over every bucket */
  let fullPending = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let soon: NodeJS.Immediate | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let lastSweep = -Infinity;
  /** ms until the first gated kind may be claimed again (Infinity: none gated) */
  let gatedMs = Infinity;
  /** when the retries this node scheduled are due (epoch ms), so it looks then rather than at its next poll */
  let wakes: number[] = [];

  const iso = (ms = 0) => new Date(clock.now().getTime() + ms).toISOString();

  /** settles a failed attempt: 'waiting' (retry later) or 'failed'; false when the lock was lost */
  async function settleFailure(job: Job, e: unknown): Promise<'waiting' | 'failed' | false> {
    const def = tasks.get(job.kind)!;
    const error = e instanceof Error ? e.message : String(e);
    const at = iso();
    const retry = e instanceof RetryLater ? e : undefined;
    const counted = retry?.countAttempt !== false;
    if (e instanceof JobFailed || (counted && job.attempts >= job.maxAttempts)) return (await jobs.fail(job.id, holder, error, at)) && 'failed';
    const delay = retry?.delayMs !== undefined ? Math.max(0, retry.delayMs) : retryDelayMs({
      attempt: job.attempts, policy: def.backoff, random, now: clock.now(),
      status: retry?.retryAfter != null ? retry.status ?? 503 : retry?.status, retryAfter: retry?.retryAfter,
    });
    // this node looks again when the retry is due, if that comes before its next poll (a throttle's next token in 5 ms)
    wakes.push(clock.now().getTime() + delay);
    return (await jobs.retryLater(job.id, holder, error, iso(delay), at, { countAttempt: counted })) && 'waiting';
  }

  /** every line logged while a job runs carries the job and what it is about (log-context.ts) */
  function execute(job: Job, bucket: Bucket): Promise<void> {
    const about = job.payload && typeof job.payload === 'object' ? job.payload as Record<string, unknown> : {};
    const ids = Object.fromEntries(['messageId', 'documentId', 'correlationId'].filter((k) => typeof about[k] === 'string').map((k) => [k, about[k]]));
    return withLogContext({ jobId: job.id, kind: job.kind, ...(job.partnerId ? { partnerId: job.partnerId } : {}), ...ids }, () => executeJob(job, bucket));
  }

  async function executeJob(job: Job, bucket: Bucket): Promise<void> {
    const ac = new AbortController();
    held.set(job.id, ac);
    try {
      let outcome: unknown;
      let failure: { e: unknown } | undefined;
      try {
        // a job enqueued within a message's trace (its payload's traceparent) runs in a span of that trace
        outcome = await inJobSpan(job, () => tasks.get(job.kind)!.run(job.payload, { job, signal: ac.signal }));
      } catch (e) {
        failure = { e };
      }
      const still = failure ? await settleFailure(job, failure.e) : await jobs.complete(job.id, holder, outcome, iso());
      if (still) metrics.jobAttempt(job, still === true ? 'done' : still, outcome);
      if (!still) logger.warn('job lock lost: another node took the job after this node\'s lock ran out', { jobId: job.id, kind: job.kind });
      // an ordered queue's job that finished (done or failed, not waiting for its retry): the
      // queue's next job goes behind the heads of the other queues already due (round robin)
      else if (bucket.ordered && still !== 'waiting') await jobs.passTurn(job.queue, job.id, iso());
    } catch (e) {
      // the store failed: the lock runs out and the job is claimed again
      logger.error('job could not be settled', { jobId: job.id, kind: job.kind, error: e instanceof Error ? e.message : String(e) });
    } finally {
      held.delete(job.id);
      bucket.running--;
      if (started) soon ??= setImmediate(() => { soon = undefined; void pump(true); });
    }
  }

  /**
   * `afterSettle`: a task just settled, so only buckets that found work last time are asked again
   * (an empty bucket's claim may walk past every due row of the other queues: a partner's backlog
   * would cost each settle a scan); the poll timer and poke() ask every bucket
   */
  async function tick(afterSettle = false): Promise<number> {
    const now = iso();
    if (clock.now().getTime() - lastSweep >= sweepMs) {
      lastSweep = clock.now().getTime();
      const n = await jobs.failAbandoned(now);
      if (n > 0) logger.warn('jobs failed: their node stopped during their last attempt', { count: n });
    }
    // a kind whose policy says wait (its gate) is not claimed now; the poll comes back when the gate opens
    gatedMs = Infinity;
    const kinds = tasks.kinds().filter((k) => {
      const wait = tasks.get(k)!.gate?.() ?? 0;
      if (wait > 0) gatedMs = Math.min(gatedMs, wait);
      return wait <= 0;
    });
    let claimed = 0;
    for (const b of buckets) {
      if (afterSettle && b.empty) continue;
      const free = b.concurrency - b.running;
      if (free <= 0) continue;
      const got = await jobs.claim({ holder, now, lockedUntil: iso(lockMs), limit: free, kinds, only: b.only, except: b.except, ordered: b.ordered });
      claimed += got.length;
      b.empty = got.length === 0;
      for (const job of got) {
        b.running++;
        const p = execute(job, b);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    }
    return claimed;
  }

  async function pump(afterSettle = false): Promise<void> {
    if (!started) return;
    if (!afterSettle) fullPending = true;
    if (pumping) { again = true; return; }
    pumping = true;
    try {
      do {
        again = false;
        const full = fullPending;
        fullPending = false;
        await tick(!full);
      } while (again && started);
    } catch (e) {
      logger.error('job claim failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      pumping = false;
      clearTimeout(pollTimer);
      if (started) {
        const now = clock.now().getTime();
        wakes = wakes.filter((t) => t > now);
        const wakeAt = wakes.length > 0 ? Math.min(...wakes) : Infinity;
        pollTimer = setTimeout(() => void pump(), Math.max(1, Math.min(pollMs, gatedMs, wakeAt - now)));
      }
    }
  }

  async function renewLocks(): Promise<void> {
    if (held.size === 0) return;
    const ids = [...held.keys()];
    try {
      const kept = new Set(await jobs.renew(ids, holder, iso(lockMs), iso()));
      for (const id of ids) if (!kept.has(id)) held.get(id)?.abort(new Error('the job\'s lock was lost'));
    } catch (e) {
      logger.warn('job locks could not be renewed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      heartbeat = setInterval(() => void renewLocks(), Math.max(10, Math.floor(lockMs / 3)));
      heartbeat.unref();
      void pump();
    },
    async stop() {
      started = false;
      clearTimeout(pollTimer);
      if (soon) clearImmediate(soon);
      soon = undefined;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      clearInterval(heartbeat);
    },
    tick: () => tick(),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async drain() {
      for (;;) {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        if ((await tick()) === 0 && inFlight.size === 0) return;
      }
    },
    poke() {
      if (started) void pump();
    },
  };
}
