/**
 * The gateway's one retry-delay formula: exponential backoff with full jitter
 * (delay = random() * min(cap, base * 2^(attempt-1))), and a peer's Retry-After (delta-seconds or
 * an HTTP date, RFC 9110 §10.2.3) honoured on 429/503, capped at maxRetryAfterMs but never
 * shortened. The job runner uses it for every kind (each kind has its own policy, see registry.ts).
 * `random` and `now` are injected so tests are deterministic.
 */
export interface BackoffPolicy {
  /** first retry's ceiling in ms */
  baseMs: number;
  /** ceiling for any computed delay in ms */
  capMs: number;
  /** ceiling for a Retry-After a peer asks for (protects against absurd values); default 1 h */
  maxRetryAfterMs?: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 };

/** Full-jitter delay before retry number `attempt` (1 = the first retry after the first failure). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n-1) grows past any cap quickly; clamp the exponent to keep it finite
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 52));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Parses a Retry-After header value (RFC 9110 §10.2.3): a non-negative integer number of seconds,
 * or an HTTP date. Returns milliseconds from `now` (never negative), or undefined when absent or
 * unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // HTTP dates always name a weekday and a time; Date.parse accepts IMF-fixdate, RFC 850 and asctime
  if (!/[A-Za-z]{3}/.test(v) || !/\d{1,2}:\d{2}:\d{2}/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/**
 * The delay before the next attempt: the peer's Retry-After when it gave one on 429/503 (capped at
 * maxRetryAfterMs, never shorter than asked), else full-jitter backoff.
 */
export function retryDelayMs(opts: {
  attempt: number;
  policy: BackoffPolicy;
  random: () => number;
  now: Date;
  status?: number;
  retryAfter?: string | null;
}): number {
  if (opts.status === 429 || opts.status === 503) {
    const asked = parseRetryAfter(opts.retryAfter, opts.now);
    if (asked !== undefined) return Math.min(asked, opts.policy.maxRetryAfterMs ?? defaultBackoff.maxRetryAfterMs!);
  }
  return backoffDelayMs(opts.attempt, opts.policy, opts.random);
}
