/**
 * Runs stored messages through the pipeline in the background, a few at a time. A message asked
 * for twice while in flight is processed once, and both callers get that outcome.
 *
 * Several gateway nodes may share one database, so a message is processed under a claim
 * (Store.claimMessage): the worker claims it before processing (a queued message only while it
 * is still `received`), renews the claim every third of the lease while processing runs, and
 * releases it after the final status is written. A node that dies leaves claims that run out
 * after the lease. At start it resumes every stored message nobody holds a live claim on; with a
 * shared database it also scans every lease period for messages whose node is gone (unclaimed
 * or claim run out, and received more than a lease ago: younger ones may still sit in the queue
 * of the node that took them in, which claims them when it gets to them).
 */
import type { Clock } from '../../core/clock.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import type { MessageOutcome } from './process-message.ts';
import { metrics } from '../../metrics/registry.ts';
import { addLogContext, withLogContext } from '../../core/log-context.ts';

export interface MessageWorkerDeps {
  store: Store;
  logger: Logger;
  clock: Clock;
  concurrency: number;
  /** this node's id, the holder of its claims (EDIGW_NODE_ID, or hostname and pid) */
  nodeId: string;
  /** how long a claim lasts unless renewed; also the period of the resume scan */
  leaseMs: number;
  /** scan for orphaned messages every leaseMs (a database shared by several nodes); default false */
  scan?: boolean;
  /** how long runNow waits for another node's claim on the message before giving up; default 2 × leaseMs */
  claimWaitMs?: number;
  process(messageId: string, by?: string): Promise<MessageOutcome>;
}

/** how long a message waits after the store refused a write before it is tried again */
const STORE_RETRY_MS = 1000;

export function createMessageWorker(deps: MessageWorkerDeps) {
  const { store, logger, clock, nodeId, leaseMs } = deps;
  const queue: string[] = [];
  const queued = new Set<string>();
  const inFlight = new Map<string, Promise<MessageOutcome | undefined>>();
  /** claims this node holds right now (renewed by the timer) */
  const held = new Set<string>();
  /** renewals under way: a release waits for its message's renewal, which would otherwise claim it again */
  const renewing = new Map<string, Promise<unknown>>();
  let active = 0;
  let stopping = false;
  let idleWaiters: Array<() => void> = [];
  let renewTimer: NodeJS.Timeout | undefined;
  let scanTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;

  const iso = (offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();
  const claim = (id: string, onlyReceived: boolean) => store.claimMessage(id, nodeId, iso(leaseMs), iso(), { onlyReceived });

  /** claims, waiting while another node holds the message (a replay or ?wait=true of a message it is processing) */
  async function claimWaiting(id: string): Promise<void> {
    const pause = Math.max(20, Math.min(250, leaseMs / 8));
    let attempts = Math.ceil((deps.claimWaitMs ?? 2 * leaseMs) / pause);
    while (!(await claim(id, false))) {
      if (stopping || attempts-- <= 0) {
        const m = await store.getMessage(id);
        throw new GatewayError('message_claimed_elsewhere', `message ${id} is being processed by node ${m?.claimedBy ?? 'unknown'}; try again later`,
          { messageId: id, expected: 'no other node processing it', found: m?.claimedBy ?? 'unknown' });
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** queued: only a message still waiting and not held elsewhere (undefined: nothing to do here) */
  const processClaimed = async (id: string, by: string | undefined, queuedRun: boolean): Promise<MessageOutcome | undefined> => {
    if (queuedRun) {
      if (!(await claim(id, true))) {
        logger.debug('message skipped: processed already or claimed by another node', { messageId: id, nodeId });
        return undefined;
      }
    } else {
      await claimWaiting(id);
    }
    held.add(id);
    try {
      const started = Date.now();
      const outcome = await deps.process(id, by);
      metrics.messageProcessed(outcome);
      // one line per message: what it became, with the ids to follow it (the first document's correlation id)
      const first = outcome.units.find((u) => u.envelope)?.envelope;
      const error = outcome.errors[0] ?? outcome.units.find((u) => u.error)?.error;
      addLogContext({ ...(outcome.partnerId ? { partnerId: outcome.partnerId } : {}), ...(first ? { correlationId: first.correlationId } : {}) });
      logger.info('message processed', {
        messageId: id, partnerId: outcome.partnerId, ...(first ? { correlationId: first.correlationId } : {}), status: outcome.status, format: outcome.format,
        documents: outcome.units.filter((u) => u.envelope).length + (outcome.documentsNotShown ?? 0), ...(error ? { code: error.code, stage: error.stage } : {}),
        ...(by ? { by } : {}), ms: Date.now() - started,
      });
      return outcome;
    } finally {
      held.delete(id);
      await renewing.get(id);
      await store.releaseMessage(id, nodeId).catch((e) => logger.warn('message claim not released (it runs out after the lease)', { messageId: id, error: String(e) }));
    }
  };

  const run = (id: string, by: string | undefined, queuedRun: boolean): Promise<MessageOutcome | undefined> => {
    const existing = inFlight.get(id);
    if (existing) return existing;
    // every line logged about the message while it is processed here carries its id (and, once known, its correlation id)
    const p = withLogContext({ messageId: id }, () => processClaimed(id, by, queuedRun)).finally(() => inFlight.delete(id));
    inFlight.set(id, p);
    return p;
  };

  const pump = () => {
    while (!stopping && active < deps.concurrency && queue.length > 0) {
      const id = queue.shift()!;
      queued.delete(id);
      active++;
      run(id, undefined, true)
        .catch((e) => {
          // the store could not write for a moment (locked, disk full): the message waits, unclaimed, and is tried again
          if (e instanceof GatewayError && e.code === 'store_unavailable') {
            logger.warn('message processing postponed: the store cannot write right now', { messageId: id, retryInMs: STORE_RETRY_MS, error: e.message });
            if (!stopping) setTimeout(() => enqueue(id), STORE_RETRY_MS).unref();
            return;
          }
          logger.error('message processing crashed', { messageId: id, error: String(e) });
        })
        .finally(() => {
          active--;
          pump();
          if (active === 0 && queue.length === 0) { for (const w of idleWaiters) w(); idleWaiters = []; }
        });
    }
  };

  const enqueue = (id: string) => {
    if (queued.has(id) || inFlight.has(id)) return;
    queued.add(id);
    queue.push(id);
    pump();
  };

  async function renewClaims(): Promise<void> {
    for (const id of [...held]) {
      if (!held.has(id) || renewing.has(id)) continue;
      // only a claim still held: the final status clears it, and a late renewal must not take it again
      const renewal = store.claimMessage(id, nodeId, iso(leaseMs), iso(), { renew: true })
        .then((kept) => { if (!kept && held.has(id)) logger.warn('message claim lost to another node while processing (renewal came too late)', { messageId: id, nodeId }); })
        .catch((e) => logger.warn('message claim not renewed', { messageId: id, error: String(e) }))
        .finally(() => renewing.delete(id));
      renewing.set(id, renewal);
      await renewal;
    }
  }

  /** enqueues messages nobody holds; `grace`: only those received more than a lease ago */
  async function resumeOnce(grace: boolean, limit: number): Promise<number> {
    const ids = await store.resumableMessageIds({ now: iso(), ...(grace ? { receivedBefore: iso(-leaseMs) } : {}), limit });
    for (const id of ids) enqueue(id);
    return ids.length;
  }

  const scanOnce = () => {
    if (scanning || stopping) return;
    scanning = resumeOnce(true, 1000)
      .then((n) => { if (n > 0) logger.info('resume scan: messages whose node is gone enqueued', { count: n, nodeId }); })
      .catch((e) => logger.warn('resume scan failed', { error: String(e) }))
      .finally(() => { scanning = undefined; });
  };

  return {
    enqueue,
    /** processes now (used by ?wait=true and replay) and resolves with the outcome; a queued copy is dropped */
    async runNow(id: string, by?: string): Promise<MessageOutcome> {
      if (queued.delete(id)) queue.splice(queue.indexOf(id), 1);
      const existing = inFlight.get(id);
      const outcome = existing ? await existing : undefined;
      return outcome ?? (await run(id, by, false))!;
    },
    /**
     * Enqueues the stored messages nobody is processing. On a shared database only those received
     * more than a lease ago (younger ones belong to the queue of a live node, or the scan takes them later).
     */
    resume(): Promise<number> {
      return resumeOnce(store.sharedByNodes, 100_000);
    },
    /** resume(), then keeps claims renewed and (with `scan`) scans for orphaned messages every lease period */
    async start(): Promise<number> {
      const n = await this.resume();
      renewTimer ??= setInterval(() => { void renewClaims(); }, Math.max(10, leaseMs / 3));
      renewTimer.unref();
      if (deps.scan) {
        scanTimer ??= setInterval(scanOnce, leaseMs);
        scanTimer.unref();
      }
      return n;
    },
    /** resolves when nothing is queued or running */
    idle(): Promise<void> {
      if (active === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((r) => idleWaiters.push(r));
    },
    /** stops taking queued work and waits for what is in flight; queued messages stay `received`, unclaimed, for another node or the next start */
    async stop(): Promise<void> {
      stopping = true;
      if (scanTimer) clearInterval(scanTimer);
      await scanning;
      await Promise.allSettled([...inFlight.values()]);
      if (renewTimer) clearInterval(renewTimer);
    },
  };
}
