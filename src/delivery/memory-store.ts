/**
 * In-memory DeliveryStore: the reference implementation of the contract in store.ts, for tests
 * and benchmarks. Per-partner FIFO queues make `due` cost O(partners + returned jobs).
 */
import type { CanonicalEnvelope } from '../canonical/types.ts';
import type { Clock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';
import type { DeliveryError, DeliveryJob, DeliveryStore, RetryOptions } from './store.ts';

export type JobState = 'pending' | 'delivered' | 'failed';

export interface StoredJob extends DeliveryJob {
  state: JobState;
  nextAttemptAt: number;
  leasedUntil: number;
  seq: number;
  lastError?: DeliveryError;
  response?: { status: number; body?: string };
}

export interface MemoryDeliveryStore extends DeliveryStore {
  enqueue(envelope: CanonicalEnvelope, jobId?: string): DeliveryJob;
  get(jobId: string): StoredJob | undefined;
  all(): StoredJob[];
  /** ids of jobs parked in the exception queue, in the order they were parked */
  exceptions(): string[];
  pendingCount(): number;
}

export function createMemoryDeliveryStore(opts: { clock: Clock }): MemoryDeliveryStore {
  const jobs = new Map<string, StoredJob>();
  const queues = new Map<string, StoredJob[]>();
  /** index of the first job in each partner's queue that may still be pending */
  const heads = new Map<string, number>();
  const parked: string[] = [];
  let seq = 0;
  let pending = 0;

  const must = (jobId: string): StoredJob => {
    const job = jobs.get(jobId);
    if (!job) throw new GatewayError('delivery_job_not_found', `no delivery job ${jobId}`, { found: jobId });
    return job;
  };
  const finish = (job: StoredJob, state: JobState): void => {
    if (job.state === 'pending') pending--;
    job.state = state;
    job.leasedUntil = 0;
  };
  const snapshot = (job: StoredJob): DeliveryJob => ({
    id: job.id, documentId: job.documentId, partnerId: job.partnerId, attempts: job.attempts,
    envelope: job.envelope, enqueuedAt: job.enqueuedAt,
  });

  return {
    enqueue(envelope, jobId) {
      seq++;
      const id = jobId ?? `job_${String(seq).padStart(10, '0')}`;
      const now = opts.clock.now();
      const job: StoredJob = {
        id, documentId: envelope.id, partnerId: envelope.partnerId, attempts: 0, envelope,
        enqueuedAt: now.toISOString(), state: 'pending', nextAttemptAt: now.getTime(), leasedUntil: 0, seq,
      };
      jobs.set(id, job);
      let queue = queues.get(job.partnerId);
      if (!queue) { queue = []; queues.set(job.partnerId, queue); }
      queue.push(job);
      pending++;
      return snapshot(job);
    },
    async due(now, limitPerPartner) {
      const t = now.getTime();
      const out: StoredJob[] = [];
      for (const [partnerId, queue] of queues) {
        // skip finished jobs at the head (compacted once they are many); the first pending job is
        // the partner's next document
        let head = heads.get(partnerId) ?? 0;
        while (head < queue.length && queue[head]!.state !== 'pending') head++;
        if (head > 1024 || head === queue.length) { queue.splice(0, head); head = 0; }
        heads.set(partnerId, head);
        let taken = 0;
        for (let i = head; i < queue.length; i++) {
          const job = queue[i]!;
          if (taken >= limitPerPartner) break;
          if (job.state !== 'pending') continue;
          if (job.leasedUntil > t || job.nextAttemptAt > t) break;
          out.push(job);
          taken++;
        }
      }
      out.sort((a, b) => a.seq - b.seq);
      return out.map(snapshot);
    },
    async lease(jobId, until) {
      const job = jobs.get(jobId);
      if (!job || job.state !== 'pending') return false;
      if (job.leasedUntil > opts.clock.now().getTime()) return false;
      job.leasedUntil = until.getTime();
      return true;
    },
    async delivered(jobId, response) {
      const job = must(jobId);
      job.attempts++;
      job.response = response;
      finish(job, 'delivered');
    },
    async retryLater(jobId, at, error, options?: RetryOptions) {
      const job = must(jobId);
      if (job.state !== 'pending') return;
      if (options?.countAttempt !== false) job.attempts++;
      job.lastError = error;
      job.nextAttemptAt = at.getTime();
      job.leasedUntil = 0;
    },
    async failed(jobId, error) {
      const job = must(jobId);
      if (job.state !== 'pending') return;
      job.attempts++;
      job.lastError = error;
      finish(job, 'failed');
      parked.push(jobId);
    },
    get: (jobId) => jobs.get(jobId),
    all: () => [...jobs.values()].sort((a, b) => a.seq - b.seq),
    exceptions: () => [...parked],
    pendingCount: () => pending,
  };
}
