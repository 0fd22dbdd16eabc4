import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, retryDelayMs } from './backoff.ts';

const policy = { baseMs: 100, capMs: 10_000, maxRetryAfterMs: 3_600_000 };

describe('full-jitter backoff', () => {
  it('draws uniformly below base * 2^(attempt-1)', () => {
    expect(backoffDelayMs(1, policy, () => 0.5)).toBe(50);   // ceiling 100
    expect(backoffDelayMs(4, policy, () => 0.5)).toBe(400);  // ceiling 800
    expect(backoffDelayMs(4, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(4, policy, () => 0.999)).toBe(799);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(backoffDelayMs(8, policy, () => 0.5)).toBe(5_000); // 100*128=12800 -> cap 10000
    expect(backoffDelayMs(10_000, policy, () => 0.999)).toBe(9_990);
  });
});

describe('Retry-After', () => {
  const now = new Date('2015-10-21T07:27:00Z');
  it('accepts delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('accepts an HTTP date (IMF-fixdate, RFC 850, asctime) relative to now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed Oct 21 07:28:00 2015', now)).toBeDefined();
  });
  it('a date in the past means now; garbage is ignored', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    for (const v of ['-5', '1.5', 'soon', '', undefined, null, '2015-10-21']) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
  it('is honoured on 429 and 503 instead of the jittered delay, and only there', () => {
    const base = { attempt: 1, policy, random: () => 0.5, now };
    expect(retryDelayMs({ ...base, status: 429, retryAfter: '30' })).toBe(30_000);
    expect(retryDelayMs({ ...base, status: 503, retryAfter: 'Wed, 21 Oct 2015 07:27:10 GMT' })).toBe(10_000);
    expect(retryDelayMs({ ...base, status: 500, retryAfter: '30' })).toBe(50);
    expect(retryDelayMs({ ...base, status: 429 })).toBe(50);
    expect(retryDelayMs({ ...base, status: 429, retryAfter: '999999' })).toBe(3_600_000);
  });
});
