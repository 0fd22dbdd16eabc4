/**
 * Durable outbox for the asynchronous MDNs we send (RFC 4130 §7.3, `Receipt-Delivery-Option`).
 *
 * Each post is recorded before it is tried, so a restart or crash between receipt and a
 * successful post does not lose the partner's receipt:
 * - the MDN as it will be posted (headers, body, URL) is stored as an outbound message
 *   (transport `as2-mdn`, external id `as2-mdn-post:<MDN Message-ID>`);
 * - a `delivery_jobs` row with target `as2-mdn` tracks the post: pending → delivered | failed,
 *   attempts, next attempt time, and as its recorded outcome (lastError JSON) the AS2 ids, the URL
 *   and the partner's last HTTP answer.
 * Failed posts are retried with exponential backoff; after the configured attempts the job is
 * failed and an exception (stage `ack`, code `as2_async_mdn_undeliverable`) names the partner,
 * the original Message-ID and the last answer. `resume()` at start picks up every pending post.
 *
 * Job ids are numbered per partner (`job_mdn_<partner>_<n>`, n from
 * `nextControlNumber(partner, 'as2_mdn_post')`, atomic and never reused); `resume()` finds the
 * pending ones with `Store.pendingJobs` (an MDN post points at no document).
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeliveryJobRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import type { AsyncMdnSender, FetchLike } from './async-mdn.ts';
import type { HeaderList } from './mime.ts';
import type { StoredMdn } from './mdn-store.ts';
import { backoffDelay, type RetryPolicy } from './retry.ts';
import { postMdn, storeMdnPost, type MdnPostRecord } from './async-mdn-post.ts';

export const MDN_OUTBOX_TARGET = 'as2-mdn';
const SLOT_KIND = 'as2_mdn_post';
const SLOT_MAX = 999_999_999;
/** pending posts taken up per resume (the sweep takes the rest) */
const RESUME_BATCH = 10_000;

/** about an hour of retries: 2 s, 4 s, 8 s … capped at 30 min, 12 attempts */
export const defaultMdnOutboxPolicy: Omit<RetryPolicy, 'sleep'> = { attempts: 12, initialDelayMs: 2000, maxDelayMs: 30 * 60_000 };

export const mdnJobId = (partnerId: string, n: number): string => `job_mdn_${partnerId}_${n}`;

export interface MdnOutboxDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  fetch: FetchLike;
  /** the partner an AS2-From belongs to (the job and the exception name it) */
  partnerIdFor(as2From: string): string | undefined;
  retry?: Omit<RetryPolicy, 'sleep'>;
  /** per post; default 60 s */
  timeoutMs?: number;
  /** how long a post holds its job against other nodes; default 2 × timeout */
  leaseMs?: number;
  /** resume() again this often (posts queued by another node that stopped); default 5 min, 0: never */
  sweepMs?: number;
}

export interface MdnOutbox {
  /** for the AS2 receiver: records the post durably, then tries it; resolves once it is queued */
  send: AsyncMdnSender;
  /** schedules every pending post (at start); returns how many were found */
  resume(): Promise<number>;
  /**
   * Replay of an `as2_async_mdn_undeliverable` exception (its message is the stored MDN): resolves
   * the MDN's open exceptions, makes the post pending with fresh attempts and tries it now.
   * undefined when `messageId` is not an MDN this outbox posted.
   */
  replay(messageId: string, by: string): Promise<{ delivered: boolean; partnerId: string; answer: string } | undefined>;
  /** resolves when no post is in flight or due now (tests) */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createMdnOutbox(deps: MdnOutboxDeps): MdnOutbox {
  const { store, clock, logger } = deps;
  const policy = deps.retry ?? defaultMdnOutboxPolicy;
  const timeoutMs = deps.timeoutMs ?? 60_000;
  const leaseMs = deps.leaseMs ?? Math.max(60_000, timeoutMs * 2);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;
  let sweep: ReturnType<typeof setInterval> | undefined;
  if ((deps.sweepMs ?? 300_000) > 0) {
    sweep = setInterval(() => { resume().catch((e) => logger.error('as2 MDN outbox sweep failed', { error: String(e) })); }, deps.sweepMs ?? 300_000);
    sweep.unref();
  }

  function schedule(jobId: string, delayMs: number): void {
    if (stopped) return;
    const prev = timers.get(jobId);
    if (prev) clearTimeout(prev);
    timers.set(jobId, setTimeout(() => {
      timers.delete(jobId);
      // one attempt at a time per job in this process (the lease guards against other nodes)
      if (inFlight.has(jobId)) return schedule(jobId, 100);
      const run: Promise<void> = attempt(jobId)
        .catch((e) => logger.error('as2 MDN outbox attempt failed', { jobId, error: String(e) }))
        .finally(() => { if (inFlight.get(jobId) === run) inFlight.delete(jobId); });
      inFlight.set(jobId, run);
    }, Math.max(0, delayMs)));
  }

  async function attempt(jobId: string): Promise<void> {
    const now = clock.now();
    if (!(await store.leaseDelivery(jobId, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString()))) {
      // still leased (another node posting, or a post cut off by a crash): look again when the lease ends
      const held = await store.getDeliveryJob(jobId);
      if (held?.status === 'pending' && held.leaseUntil) schedule(jobId, new Date(held.leaseUntil).getTime() - now.getTime() + 1000);
      return;
    }
    const job = await store.getDeliveryJob(jobId);
    if (!job || job.status !== 'pending') return;
    const record = await recordOf(job);
    const attempts = job.attempts + 1;
    const answer = record
      ? await postMdn(deps.fetch, record, timeoutMs)
      : { ok: false, answer: `the stored MDN ${job.documentId} is missing` };
    const at = clock.now().toISOString();
    const outcome = JSON.stringify({ ...(record?.ids ?? {}), lastAnswer: answer.answer });
    const log = { jobId, partnerId: job.partnerId, ...(record?.ids ?? {}), attempt: attempts, answer: answer.answer };
    if (answer.ok) {
      await store.updateDelivery(jobId, { status: 'delivered', attempts, leaseUntil: null, lastError: outcome }, at);
      logger.info('as2 async MDN delivered', log);
      return;
    }
    if (attempts >= policy.attempts || !record) {
      await store.updateDelivery(jobId, { status: 'failed', attempts, leaseUntil: null, lastError: outcome }, at);
      await store.addException({
        // on the stored MDN (like a failed outbound send on its message): a replay of it posts again
        id: deps.ids('exc'), messageId: job.documentId.split('#')[0]!, partnerId: job.partnerId,
        stage: 'ack', code: 'as2_async_mdn_undeliverable',
        message: `the asynchronous MDN for AS2 message ${record?.ids.as2MessageId ?? '?'} could not be posted to partner ${job.partnerId} after ${attempts} attempt(s); last answer: ${answer.answer}`,
        detail: { partnerId: job.partnerId, ...(record?.ids ?? {}), jobId, attempts, lastAnswer: answer.answer },
        at,
      });
      logger.error('as2 async MDN undeliverable', log);
      return;
    }
    const delay = backoffDelay({ ...policy }, attempts);
    await store.updateDelivery(jobId, { attempts, nextAttemptAt: new Date(clock.now().getTime() + delay).toISOString(), leaseUntil: null, lastError: outcome }, at);
    logger.warn('as2 async MDN not accepted, will retry', { ...log, retryInMs: delay });
    schedule(jobId, delay);
  }

  async function recordOf(job: DeliveryJobRow): Promise<MdnPostRecord | undefined> {
    const rowId = job.documentId.split('#')[0]!;
    const row = await store.getMessage(rowId);
    if (!row) return undefined;
    const meta = JSON.parse(row.metadata) as Record<string, string>;
    return {
      url: meta.receiptUrl ?? '',
      headers: JSON.parse(meta.headers ?? '[]') as HeaderList,
      body: new Uint8Array(row.raw),
      ids: {
        mdnRow: row.id, as2MessageId: meta.as2MessageId ?? '', as2From: meta.as2From ?? '', mdnMessageId: meta.mdnMessageId ?? '', url: meta.receiptUrl ?? '',
        ...(meta.ingestedMessageId ? { ingestedMessageId: meta.ingestedMessageId } : {}),
      },
    };
  }

  async function enqueue(url: string, mdn: StoredMdn): Promise<string> {
    const at = clock.now().toISOString();
    const partnerId = deps.partnerIdFor(mdn.as2From) ?? `as2:${mdn.as2From}`;
    const rowId = await storeMdnPost({ store, ids: deps.ids, at, partnerId, url, mdn });
    // the partner resent while the earlier post is still pending: that post carries the same MDN
    const earlier = await store.findDeliveryByOutcome(MDN_OUTBOX_TARGET, 'mdnRow', rowId);
    if (earlier?.status === 'pending') {
      schedule(earlier.id, 0);
      return earlier.id;
    }
    const n = await store.nextControlNumber(partnerId, SLOT_KIND, SLOT_MAX, at);
    const jobId = mdnJobId(partnerId, n);
    await store.enqueueDelivery({ id: jobId, documentId: `${rowId}#${n}`, partnerId, target: MDN_OUTBOX_TARGET, at });
    await store.updateDelivery(jobId, { lastError: JSON.stringify({ mdnRow: rowId, as2MessageId: mdn.originalMessageId, as2From: mdn.as2From, mdnMessageId: mdn.messageId, url }) }, at);
    schedule(jobId, 0);
    return jobId;
  }

  async function resume(): Promise<number> {
    const now = clock.now();
    const pending = await store.pendingJobs(MDN_OUTBOX_TARGET, RESUME_BATCH);
    for (const job of pending) {
      if (!timers.has(job.id) && !inFlight.has(job.id)) schedule(job.id, new Date(job.nextAttemptAt).getTime() - now.getTime());
    }
    return pending.length;
  }

  return {
    send: async (url, mdn) => {
      const jobId = await enqueue(url, mdn);
      return { delivered: false, attempts: 0, detail: `queued as ${jobId}`, queuedAs: jobId };
    },
    resume,
    async replay(messageId, by) {
      const msg = await store.getMessage(messageId);
      if (msg?.direction !== 'outbound' || msg.transport !== 'as2-mdn') return undefined;
      const job = await store.findDeliveryByOutcome(MDN_OUTBOX_TARGET, 'mdnRow', messageId);
      if (!job) return undefined;
      const at = clock.now().toISOString();
      await store.resolveExceptions(messageId, 'replayed', by, at);
      await inFlight.get(job.id);
      const timer = timers.get(job.id);
      if (timer) { clearTimeout(timer); timers.delete(job.id); }
      await store.updateDelivery(job.id, { status: 'pending', attempts: 0, nextAttemptAt: at, leaseUntil: null }, at);
      const run: Promise<void> = attempt(job.id).finally(() => { if (inFlight.get(job.id) === run) inFlight.delete(job.id); });
      inFlight.set(job.id, run);
      await run;
      const after = await store.getDeliveryJob(job.id);
      const answer = (JSON.parse(after?.lastError ?? '{}') as { lastAnswer?: string }).lastAnswer ?? 'not attempted';
      logger.info('as2 async MDN replayed', { jobId: job.id, partnerId: job.partnerId, by, answer });
      return { delivered: after?.status === 'delivered', partnerId: job.partnerId, answer };
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
    },
    async stop() {
      stopped = true;
      if (sweep) clearInterval(sweep);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.all([...inFlight.values()]);
    },
  };
}
