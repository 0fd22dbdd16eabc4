/**
 * Publishing the outbox to subscribers, on the job runner (src/jobs): no runner or backoff of its own.
 *
 * - Each subscriber has a position in the event log (the last seq it was given or dead-lettered).
 * - The relay (one timer per node, `tick`) notices the log grew past a subscriber's position
 *   (two indexed reads when nothing changed) and enqueues an `events.publish` job on the
 *   subscriber's ordered queue `events:<name>` unless one is already waiting.
 * - The `events.publish` task reads the events after the position in batches (an indexed range
 *   read: its cost does not grow with the history), keeps those the subscriber wants, delivers
 *   them in seq order, and moves the position. Events of one correlation id (indeed all events)
 *   reach a subscriber in log order. A failure the sink may recover from (5xx, timeout, broker
 *   down) is a retry with the kind's backoff, through the subscriber's circuit breaker; the
 *   position stays before the failed event. A webhook's 4xx dead-letters the event at once.
 * - `events.replay` re-sends a window (API, dead-letter replay) on the same queue.
 *
 * A crash between a commit and its publish leaves the position behind the event: the relay finds
 * it at the next start. A crash after a send but before the position moved sends it again: the
 * event id is the webhook-id and the Nats-Msg-Id, so consumers and the broker drop the copy.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { createCircuitBreaker, type CircuitBreaker } from '../delivery/circuit-breaker.ts';
import type { JobStore } from '../jobs/job-store.ts';
import { defineTask, JobFailed, RetryLater, type TaskDef } from '../jobs/registry.ts';
import { withDocuments } from './business-events.ts';
import { cloudEvent } from './envelope.ts';
import type { EventRow, EventStore } from './event-store.ts';
import { createNatsPublisher, subjectOf, type NatsPublisher } from './sinks/nats.ts';
import { postWebhook } from './sinks/webhook.ts';
import { wants, type NatsSinkConfig, type Subscriber, type SubscriberSet } from './subscribers.ts';

export const PUBLISH_KIND = 'events.publish';
export const REPLAY_KIND = 'events.replay';
export const queueOf = (subscriber: string) => `events:${subscriber}`;
/** events read per batch */
const BATCH = 200;
/** a pump that ran this long hands over to a fresh job (other subscribers' pumps get their turn) */
const PUMP_SLICE_MS = 2_000;

export interface PublisherDeps {
  events: EventStore;
  /** a document's stored row (document.released events are sent with its envelope) */
  getDocument: (id: string) => Promise<{ envelope: string } | undefined>;
  jobs: JobStore;
  subscribers: () => SubscriberSet;
  clock: Clock;
  logger: Logger;
  /** a job was enqueued: look now */
  wake?: () => void;
}

export interface SendOutcome {
  /** events handled from the start of the list: delivered, or dead-lettered for good */
  handled: number;
  delivered: number;
  deadLettered: number;
  duplicates: number;
  /** why the next one could not be delivered (to retry) */
  error?: { message: string; status?: number; retryAfter?: string | null };
}

export function createPublisher(deps: PublisherDeps) {
  const { events, clock, logger } = deps;
  const breakers = new Map<string, { key: string; breaker: CircuitBreaker }>();
  const brokers = new Map<string, { key: string; publisher: NatsPublisher }>();
  const iso = () => clock.now().toISOString();

  function breakerOf(s: Subscriber): CircuitBreaker {
    const key = JSON.stringify(s.breaker);
    let b = breakers.get(s.name);
    if (!b || b.key !== key) {
      b = { key, breaker: createCircuitBreaker({ ...s.breaker, clock, onStateChange: (from, to) => logger.warn('subscriber circuit', { subscriber: s.name, from, to }) }) };
      breakers.set(s.name, b);
    }
    return b.breaker;
  }

  function brokerOf(name: string, sink: NatsSinkConfig): NatsPublisher {
    const key = JSON.stringify(sink);
    let b = brokers.get(name);
    if (!b || b.key !== key) {
      void b?.publisher.close();
      b = { key, publisher: createNatsPublisher(sink) };
      brokers.set(name, b);
    }
    return b.publisher;
  }

  /** sends events in order until the first one that must be retried */
  async function send(s: Subscriber, rows: EventRow[], onHandled: (e: EventRow) => Promise<void>, signal?: AbortSignal): Promise<SendOutcome> {
    const out: SendOutcome = { handled: 0, delivered: 0, deadLettered: 0, duplicates: 0 };
    const list = await withDocuments(rows, deps.getDocument);
    if (s.sink.type === 'nats') {
      const sink = s.sink;
      const r = await brokerOf(s.name, sink).publish(list.map((e) => ({ id: e.id, subject: subjectOf(sink.subjectPrefix, e.partnerId, e.type), body: JSON.stringify(cloudEvent(e)) })));
      out.handled = out.delivered = r.acked;
      out.duplicates = r.duplicates;
      if (r.acked > 0) await onHandled(list[r.acked - 1]!);
      if (r.error) out.error = { message: r.error };
      return out;
    }
    for (const e of list) {
      const r = await postWebhook(s.sink, e.id, JSON.stringify(cloudEvent(e)), clock.now(), signal);
      if (!r.ok && !r.permanent) {
        out.error = { message: r.error, status: r.status, retryAfter: r.retryAfter };
        return out;
      }
      if (r.ok) out.delivered++;
      else {
        await events.addDeadLetter({ subscriber: s.name, eventSeq: e.seq, eventId: e.id, eventType: e.type, status: r.status ?? null, reason: r.error, createdAt: iso() });
        logger.warn('event dead-lettered: the subscriber refused it', { subscriber: s.name, eventId: e.id, type: e.type, status: r.status, error: r.error });
        out.deadLettered++;
      }
      out.handled++;
      await onHandled(e);
    }
    return out;
  }

  /** the breaker lets a send start, or the job waits for it (not the job's failure: its attempt is given back) */
  function acquire(s: Subscriber): CircuitBreaker {
    const breaker = breakerOf(s);
    if (!breaker.tryAcquire()) throw new RetryLater(`subscriber ${s.name}: circuit open after ${breaker.consecutiveFailures()} failures`, { delayMs: Math.max(breaker.msUntilProbe(), 250), countAttempt: false });
    return breaker;
  }

  function settle(s: Subscriber, breaker: CircuitBreaker, r: SendOutcome): void {
    if (!r.error) { breaker.onSuccess(); return; }
    // a 429 is the subscriber's own pace, not its failure
    if (r.error.status === 429) breaker.onSuccess();
    else breaker.onFailure();
    throw new RetryLater(`subscriber ${s.name}: ${r.error.message}`, { status: r.error.status, retryAfter: r.error.retryAfter });
  }

  const subscriberOf = (name: string) => {
    const s = deps.subscribers().byName(name);
    if (!s) throw new JobFailed(`subscriber ${name} is not configured (subscribers/${name}.yaml)`);
    return s;
  };

  const publishTask = defineTask<{ subscriber: string }>(PUBLISH_KIND, async ({ subscriber }, ctx) => {
    const s = subscriberOf(subscriber);
    if (!s.enabled) return { skipped: 'disabled' };
    const started = clock.now().getTime();
    let position = (await events.position(s.name)) ?? 0;
    const total = { delivered: 0, deadLettered: 0, duplicates: 0, from: position };
    for (;;) {
      const batch = await events.list({ after: position, limit: BATCH });
      if (batch.length === 0) break;
      const wanted = batch.filter((e) => wants(s, e));
      if (wanted.length > 0) {
        const breaker = acquire(s);
        const r = await send(s, wanted, async (e) => { position = e.seq; await events.setPosition(s.name, e.seq, iso()); }, ctx.signal);
        total.delivered += r.delivered; total.deadLettered += r.deadLettered; total.duplicates += r.duplicates;
        if (r.error) {
          // past the events it does not want, up to the one that failed
          const failed = wanted[r.handled]!;
          const skipTo = batch.filter((e) => e.seq < failed.seq).at(-1)?.seq;
          if (skipTo !== undefined && skipTo > position) { position = skipTo; await events.setPosition(s.name, position, iso()); }
        }
        settle(s, breaker, r);
      }
      position = batch.at(-1)!.seq;
      await events.setPosition(s.name, position, iso());
      if (clock.now().getTime() - started > PUMP_SLICE_MS) { await ensurePump(s.name, true); break; }
    }
    return { ...total, to: position };
  }, { maxAttempts: 50, backoff: { baseMs: 500, capMs: 30_000 } });

  /** re-sends events (after, upTo]: a replay window, or one dead letter; progress kept under `replay:<job id>` */
  async function replay(p: ReplayPayload, progress: { key?: string; signal?: AbortSignal; onProgress?: (r: ReplayProgress) => void }): Promise<ReplayProgress> {
    const s = subscriberOf(p.subscriber);
    let position = (progress.key ? await events.position(progress.key) : undefined) ?? p.after;
    const done: ReplayProgress = { subscriber: s.name, after: p.after, upTo: p.upTo, position, sent: 0, deadLettered: 0 };
    while (position < p.upTo) {
      const batch = (await events.list({ after: position, limit: BATCH })).filter((e) => e.seq <= p.upTo);
      if (batch.length === 0) break;
      const wanted = p.deadLetterId !== undefined ? batch.filter((e) => e.seq === p.upTo) : batch.filter((e) => wants(s, e));
      if (wanted.length > 0) {
        const breaker = acquire(s);
        const r = await send(s, wanted, async (e) => { position = e.seq; if (progress.key) await events.setPosition(progress.key, e.seq, iso()); }, progress.signal);
        done.sent += r.delivered; done.deadLettered += r.deadLettered;
        done.position = position;
        progress.onProgress?.(done);
        settle(s, breaker, r);
      }
      position = batch.at(-1)!.seq;
      if (progress.key) await events.setPosition(progress.key, position, iso());
      done.position = position;
      progress.onProgress?.(done);
    }
    if (p.deadLetterId !== undefined) await events.markReplayed(p.deadLetterId, iso());
    return done;
  }

  const replayTask = defineTask<ReplayPayload>(REPLAY_KIND, async (p, ctx) => replay(p, { key: `replay:${ctx.job.id}`, signal: ctx.signal }),
    { maxAttempts: 50, backoff: { baseMs: 500, capMs: 30_000 } });

  /** the waiting publish job of each subscriber this node enqueued */
  const pending = new Map<string, number>();
  async function ensurePump(name: string, force = false): Promise<void> {
    const known = pending.get(name);
    if (!force && known !== undefined) {
      const job = await deps.jobs.get(known);
      if (job && job.state === 'waiting') return;
    }
    const at = iso();
    const { job } = await deps.jobs.enqueue(null, { kind: PUBLISH_KIND, queue: queueOf(name), payload: { subscriber: name }, maxAttempts: subscriberOf(name).maxAttempts, runAt: at, at });
    pending.set(name, job.id);
    deps.wake?.();
  }

  /** subscribers whose position is known to be at or past this seq */
  const caughtUp = new Map<string, number>();
  let ticking = false;
  /** the relay: sequences what committed (PostgreSQL) and wakes the subscribers behind the log's end */
  async function tick(): Promise<void> {
    if (ticking) return;
    ticking = true;
    try {
      await events.sequence();
      const last = await events.lastSeq();
      for (const s of deps.subscribers().subscribers) {
        if (!s.enabled || (caughtUp.get(s.name) ?? -1) >= last) continue;
        const position = await events.position(s.name);
        // a new subscriber starts at the end of the log (replay gives it history)
        if (position === undefined) { await events.setPosition(s.name, last, iso()); caughtUp.set(s.name, last); continue; }
        if (position >= last) { caughtUp.set(s.name, position); continue; }
        await ensurePump(s.name);
      }
    } catch (e) {
      logger.warn('event relay failed (it tries again)', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      ticking = false;
    }
  }

  /**
   * at start: a publish job an earlier run left waiting for its backoff (the sink was down) would
   * hold its queue until then; it is cancelled and a fresh one is due now (the position says where to go on)
   */
  async function resume(): Promise<void> {
    for (const s of deps.subscribers().subscribers) {
      if (!s.enabled) continue;
      const stale = await deps.jobs.list({ kind: PUBLISH_KIND, queue: queueOf(s.name), state: 'waiting', limit: 100 });
      for (const j of stale) await deps.jobs.cancel(j.id, iso());
      if (stale.length > 0) await ensurePump(s.name, true);
    }
  }

  /** enqueues a replay of events (after, upTo] (or of one dead letter) on the subscriber's queue */
  async function enqueueReplay(p: ReplayPayload): Promise<number> {
    const at = iso();
    const { job } = await deps.jobs.enqueue(null, { kind: REPLAY_KIND, queue: queueOf(p.subscriber), payload: p, maxAttempts: 50, runAt: at, at });
    deps.wake?.();
    return job.id;
  }

  return {
    tasks: [publishTask, replayTask] as Array<TaskDef<never>>,
    tick,
    resume,
    replay,
    enqueueReplay,
    circuit: (name: string) => breakers.get(name)?.breaker.state() ?? 'closed',
    async close(): Promise<void> {
      await Promise.all([...brokers.values()].map((b) => b.publisher.close()));
      brokers.clear();
    },
  };
}

export interface ReplayPayload {
  subscriber: string;
  /** the window: events with after < seq <= upTo */
  after: number;
  upTo: number;
  /** a dead letter's replay: only the event upTo, whatever the filters say */
  deadLetterId?: number;
}

export interface ReplayProgress {
  subscriber: string;
  after: number;
  upTo: number;
  position: number;
  sent: number;
  deadLettered: number;
}

export type Publisher = ReturnType<typeof createPublisher>;
