/**
 * The dispatcher's view of the delivery queue. The lead backs it with the database; tests use
 * `createMemoryDeliveryStore` (memory-store.ts), which is the reference for these semantics.
 *
 * Ordering contract (per partner, documents go to the ERP in the order received):
 * - `due(now, n)` returns, for each partner, the longest prefix (at most n) of that partner's
 *   pending jobs (not delivered, not failed) in enqueue order that are due and not leased. The
 *   scan of a partner STOPS at its first pending job that is leased (in flight) or waiting for a
 *   retry (`nextAttemptAt > now`): a job waiting to be retried holds back the partner's later jobs.
 * - A job that is failed (exception queue) no longer blocks: the partner's next job goes.
 *   Head-of-line blocking is thus bounded by the retry budget (maxAttempts x backoff cap); while
 *   the circuit is open no attempts are spent, so an ERP outage only delays, it does not fail jobs.
 */
import type { CanonicalEnvelope } from '../canonical/types.ts';

export interface DeliveryJob {
  id: string;
  documentId: string;
  partnerId: string;
  /** attempts already made (and counted) before this one */
  attempts: number;
  envelope: CanonicalEnvelope;
  enqueuedAt: string;
}

export interface DeliveryError {
  code: string;
  message: string;
  status?: number;
  body?: string;
}

export interface RetryOptions {
  /**
   * false when this attempt should not use up the job's retry budget: a 429 (the ERP is up and
   * asked us to wait) or a failed half-open circuit probe (the ERP is known to be down). A store
   * that ignores this counts every attempt, which is safe but may park jobs during a long outage.
   */
  countAttempt: boolean;
}

export interface DeliveryStore {
  /** see the ordering contract above; oldest first */
  due(now: Date, limitPerPartner: number): Promise<DeliveryJob[]>;
  /** false if the job is gone, finished, or someone else holds an unexpired lease */
  lease(jobId: string, until: Date): Promise<boolean>;
  delivered(jobId: string, response: { status: number; body?: string }): Promise<void>;
  /** counts an attempt (unless told otherwise), releases the lease, and makes the job due at `at` */
  retryLater(jobId: string, at: Date, error: DeliveryError, options?: RetryOptions): Promise<void>;
  /** counts the attempt and parks the job in the exception queue with the ERP's answer */
  failed(jobId: string, error: DeliveryError): Promise<void>;
}
