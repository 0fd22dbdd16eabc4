/** Exponential backoff with an injectable sleep, for outbound AS2 posts and async MDNs. */
export interface RetryPolicy {
  /** attempts in total, including the first */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** injectable for tests */
  sleep?: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 };

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
}

export type AttemptOutcome<T> = { done: true; value: T } | { done: false; reason: string };

/**
 * Runs `attempt` until it reports done or the attempts are used up; returns the last outcome and
 * the number of attempts made.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<AttemptOutcome<T>>): Promise<{ outcome: AttemptOutcome<T>; attempts: number }> {
  const sleep = policy.sleep ?? realSleep;
  let outcome: AttemptOutcome<T> = { done: false, reason: 'not attempted' };
  let n = 0;
  while (n < Math.max(1, policy.attempts)) {
    n++;
    outcome = await attempt(n);
    if (outcome.done) break;
    if (n < policy.attempts) await sleep(backoffDelay(policy, n));
  }
  return { outcome, attempts: n };
}
