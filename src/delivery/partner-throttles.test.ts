import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.ts';
import type { ThrottleConfig } from './token-bucket.ts';
import { createPartnerThrottles } from './partner-throttles.ts';

describe('partner throttles', () => {
  it('keeps one bucket per partner; a partner without a throttle is never held', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const t = createPartnerThrottles({ clock, throttleFor: (p) => (p === 'A' ? { ratePerSecond: 1, burst: 1 } : undefined) });
    expect([t.tryTake('A'), t.tryTake('A')]).toEqual([true, false]);
    expect(t.msUntilAvailable('A')).toBe(1000);
    for (let i = 0; i < 100; i++) expect(t.tryTake('B')).toBe(true);
    expect(t.msUntilAvailable('B')).toBe(0);
  });

  it('picks up a changed rate (hot-reloaded partner profile) with a fresh bucket', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    let config: ThrottleConfig = { ratePerSecond: 1, burst: 1 };
    const t = createPartnerThrottles({ clock, throttleFor: () => config });
    t.tryTake('A');
    expect(t.tryTake('A')).toBe(false);
    config = { ratePerSecond: 10, burst: 3 };
    expect([t.tryTake('A'), t.tryTake('A'), t.tryTake('A'), t.tryTake('A')]).toEqual([true, true, true, false]);
  });
});
