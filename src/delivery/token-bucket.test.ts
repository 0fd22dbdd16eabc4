import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';
import { createTokenBucket } from './token-bucket.ts';

describe('token bucket', () => {
  it('starts full: a burst of `burst` documents goes at once, the next waits', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const b = createTokenBucket({ ratePerSecond: 2, burst: 3, clock });
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
  });

  it('refills at ratePerSecond: 2/s gives one token per 500 ms', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const b = createTokenBucket({ ratePerSecond: 2, burst: 1, clock });
    expect(b.tryTake()).toBe(true);
    expect(b.msUntilAvailable()).toBe(500);
    clock.advance(499);
    expect(b.tryTake()).toBe(false);
    clock.advance(1);
    expect(b.tryTake()).toBe(true);
  });

  it('never holds more than burst after a long idle period', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const b = createTokenBucket({ ratePerSecond: 100, burst: 5, clock });
    for (let i = 0; i < 5; i++) b.tryTake();
    clock.advance(3_600_000);
    expect(b.available()).toBe(5);
    let taken = 0;
    while (b.tryTake()) taken++;
    expect(taken).toBe(5);
  });

  it('100 tokens over one second at 100/s, none lost to float rounding in 10 ms steps', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const b = createTokenBucket({ ratePerSecond: 100, burst: 1, clock });
    b.tryTake();
    let taken = 0;
    for (let i = 0; i < 100; i++) { clock.advance(10); if (b.tryTake()) taken++; }
    expect(taken).toBe(100);
  });

  it('Infinity is unthrottled; rate 0 never refills', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const free = createTokenBucket({ ratePerSecond: Infinity, burst: 1, clock });
    for (let i = 0; i < 1000; i++) expect(free.tryTake()).toBe(true);
    const stopped = createTokenBucket({ ratePerSecond: 0, burst: 1, clock });
    stopped.tryTake();
    clock.advance(1e9);
    expect(stopped.tryTake()).toBe(false);
    expect(stopped.msUntilAvailable()).toBe(Infinity);
  });

  it('refuses a bad throttle with a precise error', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const bad = () => createTokenBucket({ ratePerSecond: 10, burst: 0, clock, partnerId: 'acme' });
    expect(bad).toThrow(GatewayError);
    try { bad(); } catch (e) {
      expect((e as GatewayError).code).toBe('invalid_throttle');
      expect((e as GatewayError).detail).toMatchObject({ partnerId: 'acme', found: '0' });
    }
    expect(() => createTokenBucket({ ratePerSecond: -1, burst: 1, clock })).toThrow(/ratePerSecond/);
  });
});
