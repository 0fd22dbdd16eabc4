/**
 * Durable outbox for the asynchronous MDNs we send (RFC 4130 §7.3, `Receipt-Delivery-Option`),
 * on the job engine (src/jobs/): each post is a job of kind `mdn.post`.
 *
 * The MDN as it will be posted (headers, body, URL) is stored as an outbound message (transport
 * `as2-mdn`, external id `as2-mdn-post:<MDN Message-ID>`), and its post job is written in the
 * same transaction (NewMessage.jobs), so a crash between receipt and post delays the partner's
 * receipt but never loses it. The job: key `mdn.post:<stored MDN id>:<n>` (n counts the partner's
 * requests for that MDN: the same MDN asked for again while its post waits is posted once; asked
 * for again after it was delivered, it is posted again), payload the stored MDN's message id.
 * Failed posts are retried with the kind's backoff (src/jobs/backoff.ts) or at the partner's
 * Retry-After; the last failed attempt raises an exception (stage `ack`, code
 * `as2_async_mdn_undeliverable`, detail.jobId) on the stored MDN, whose replay runs the job again.
 * `resume()` at start moves posts still pending in the old `delivery_jobs` table (target
 * `as2-mdn`, from before the job engine) onto jobs and counts the posts waiting.
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { MessageRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import type { BackoffPolicy } from '../../jobs/backoff.ts';
import type { Job, NewJob } from '../../jobs/job-store.ts';
import { defineTask, JobFailed, RetryLater, type TaskDef } from '../../jobs/registry.ts';
import type { AsyncMdnSender, FetchLike } from './async-mdn.ts';
import type { HeaderList } from './mime.ts';
import type { StoredMdn } from './mdn-store.ts';
import { postMdn, storeMdnPost, type MdnPostRecord } from './async-mdn-post.ts';

export const MDN_POST = 'mdn.post';
/** the old delivery_jobs target of MDN posts: read once by resume() */
export const MDN_OUTBOX_TARGET = 'as2-mdn';
/** pending posts of the old table moved per resume */
const RESUME_BATCH = 10_000;

/** about an hour of retries: full jitter under 2 s, 4 s, 8 s … capped at 30 min, 12 attempts */
export const defaultMdnPostPolicy: { maxAttempts: number; backoff: BackoffPolicy } = {
  maxAttempts: 12, backoff: { baseMs: 2000, capMs: 30 * 60_000, maxRetryAfterMs: 60 * 60_000 },
};

export const mdnPostKey = (mdnRowId: string, n: number): string => `${MDN_POST}:${mdnRowId}:${n}`;

export interface MdnPostPayload { messageId: string }

export interface MdnOutboxDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  fetch: FetchLike;
  /** the partner an AS2-From belongs to (the job and the exception name it) */
  partnerIdFor(as2From: string): string | undefined;
  policy?: { maxAttempts: number; backoff: BackoffPolicy };
  /** per post; default 60 s */
  timeoutMs?: number;
  /** wakes this process's job runner when a post was queued (it polls anyway) */
  wake?: () => void;
  /** how long replay() waits for the post it queued; default 30 s */
  replayWaitMs?: number;
}

export interface MdnOutbox {
  /** the `mdn.post` task, for the gateway's job runner */
  task: TaskDef<MdnPostPayload>;
  /** for the AS2 receiver: stores the MDN with its post job; resolves once both are committed */
  send: AsyncMdnSender;
  /** at start: moves the old table's pending posts onto jobs; returns how many posts wait to be made */
  resume(): Promise<number>;
  /**
   * Replay of a stored MDN (its message id): resolves its open exceptions, runs its last post job
   * again with fresh attempts and waits for the outcome. undefined when `messageId` is not an MDN
   * this outbox posted.
   */
  replay(messageId: string, by: string): Promise<{ delivered: boolean; partnerId: string; answer: string } | undefined>;
}

export function createMdnOutbox(deps: MdnOutboxDeps): MdnOutbox {
  const { store, clock, logger } = deps;
  const policy = deps.policy ?? defaultMdnPostPolicy;
  const timeoutMs = deps.timeoutMs ?? 60_000;

  const jobFor = (row: { id: string; partnerId: string }, n: number, at: string): NewJob => ({
    kind: MDN_POST, key: mdnPostKey(row.id, n), partnerId: row.partnerId, payload: { messageId: row.id } satisfies MdnPostPayload,
    maxAttempts: policy.maxAttempts, runAt: at, at,
  });

  /** the post jobs of a stored MDN, oldest first (keys n = 1, 2, …) */
  async function postsOf(rowId: string): Promise<Job[]> {
    const out: Job[] = [];
    for (let n = 1; ; n++) {
      const j = await store.jobs.getByKey(mdnPostKey(rowId, n));
      if (!j) return out;
      out.push(j);
    }
  }

  function recordOf(row: MessageRow): MdnPostRecord {
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

  const task = defineTask<MdnPostPayload>(MDN_POST, async ({ messageId }, { job }) => {
    const row = await store.getMessage(messageId);
    if (!row || row.transport !== 'as2-mdn') throw new JobFailed(`the stored MDN ${messageId} is missing`);
    const record = recordOf(row);
    const answer = await postMdn(deps.fetch, record, timeoutMs);
    const log = { jobId: job.id, partnerId: row.partnerId, ...record.ids, attempt: job.attempts, answer: answer.answer };
    if (answer.ok) {
      logger.info('as2 async MDN delivered', log);
      return { ...record.ids, lastAnswer: answer.answer };
    }
    if (job.attempts >= job.maxAttempts) {
      await store.addException({
        // on the stored MDN (like a failed outbound send on its message): a replay of it posts again
        id: deps.ids('exc'), messageId: row.id, partnerId: row.partnerId, stage: 'ack', code: 'as2_async_mdn_undeliverable',
        message: `the asynchronous MDN for AS2 message ${record.ids.as2MessageId || '?'} could not be posted to partner ${row.partnerId} after ${job.attempts} attempt(s); last answer: ${answer.answer}`,
        detail: { partnerId: row.partnerId ?? undefined, ...record.ids, jobId: job.id, kind: MDN_POST, attempts: job.attempts, lastAnswer: answer.answer },
        at: clock.now().toISOString(),
      });
      logger.error('as2 async MDN undeliverable', log);
      throw new JobFailed(answer.answer);
    }
    logger.warn('as2 async MDN not accepted, will retry', log);
    throw new RetryLater(answer.answer, { status: answer.status, retryAfter: answer.retryAfter });
  }, policy);

  async function enqueue(url: string, mdn: StoredMdn): Promise<Job> {
    const at = clock.now().toISOString();
    const partnerId = deps.partnerIdFor(mdn.as2From) ?? `as2:${mdn.as2From}`;
    const rowId = await storeMdnPost({ store, ids: deps.ids, at, partnerId, url, mdn, jobs: (id) => [jobFor({ id, partnerId }, 1, at)] });
    const posts = await postsOf(rowId);
    const last = posts.at(-1);
    // the partner asked again while the earlier post waits: that post carries the same MDN
    if (last && (last.state === 'waiting' || last.state === 'running')) return last;
    return (await store.jobs.enqueue(null, jobFor({ id: rowId, partnerId }, posts.length + 1, at))).job;
  }

  return {
    task,
    send: async (url, mdn) => {
      const job = await enqueue(url, mdn);
      deps.wake?.();
      return { delivered: false, attempts: 0, detail: `queued as job ${job.id} (${MDN_POST})`, queuedAs: String(job.id) };
    },
    async resume() {
      const at = clock.now().toISOString();
      for (const old of await store.pendingJobs(MDN_OUTBOX_TARGET, RESUME_BATCH)) {
        const rowId = old.documentId.split('#')[0]!;
        const moved = await store.jobs.enqueue(null, { ...jobFor({ id: rowId, partnerId: old.partnerId }, 1, at), key: `${MDN_POST}:${old.id}` });
        // settled here so no other loop posts it: the post now belongs to the job
        await store.updateDelivery(old.id, { status: 'delivered', leaseUntil: null, lastError: JSON.stringify({ movedToJob: moved.job.id }) }, at);
      }
      const waiting = await store.jobs.list({ kind: MDN_POST, state: 'waiting', limit: RESUME_BATCH });
      const running = await store.jobs.list({ kind: MDN_POST, state: 'running', limit: RESUME_BATCH });
      return waiting.length + running.length;
    },
    async replay(messageId, by) {
      const msg = await store.getMessage(messageId);
      if (msg?.direction !== 'outbound' || msg.transport !== 'as2-mdn') return undefined;
      const job = (await postsOf(messageId)).at(-1);
      if (!job) return undefined;
      const at = clock.now().toISOString();
      await store.resolveExceptions(messageId, 'replayed', by, at);
      if (job.state === 'failed' || job.state === 'cancelled') await store.jobs.retry(job.id, at);
      deps.wake?.();
      const deadline = Date.now() + (deps.replayWaitMs ?? 30_000);
      let now = (await store.jobs.get(job.id))!;
      while ((now.state === 'waiting' || now.state === 'running') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        now = (await store.jobs.get(job.id))!;
      }
      const answer = now.state === 'done' ? ((now.outcome as { lastAnswer?: string } | null)?.lastAnswer ?? 'delivered') : (now.lastError ?? `job ${now.id} is ${now.state}`);
      logger.info('as2 async MDN replayed', { jobId: job.id, partnerId: job.partnerId, by, answer });
      return { delivered: now.state === 'done', partnerId: job.partnerId ?? msg.partnerId ?? '', answer };
    },
  };
}
