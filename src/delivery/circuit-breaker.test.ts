import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.ts';
import { createCircuitBreaker, type CircuitState } from './circuit-breaker.ts';

describe('circuit breaker', () => {
  const setup = () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const changes: string[] = [];
    const b = createCircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000, clock, onStateChange: (f: CircuitState, t: CircuitState) => changes.push(`${f}->${t}`) });
    return { clock, b, changes };
  };

  it('opens only after N consecutive failures; a success in between resets the count', () => {
    const { b } = setup();
    b.onFailure(); b.onFailure(); b.onSuccess(); b.onFailure(); b.onFailure();
    expect(b.state()).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state()).toBe('open');
    expect(b.tryAcquire()).toBe(false);
  });

  it('after the cool-down lets exactly one probe through; a failed probe re-opens it', () => {
    const { b, clock } = setup();
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(9_999);
    expect(b.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(b.tryAcquire()).toBe(true);
    expect(b.state()).toBe('half_open');
    expect(b.tryAcquire()).toBe(false);
    b.onFailure();
    expect(b.state()).toBe('open');
    expect(b.msUntilProbe()).toBe(10_000);
  });

  it('a successful probe closes it', () => {
    const { b, clock, changes } = setup();
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(10_000);
    expect(b.tryAcquire()).toBe(true);
    b.onSuccess();
    expect(b.state()).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(changes).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('a cancelled probe frees the slot for another probe', () => {
    const { b, clock } = setup();
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(10_000);
    expect(b.tryAcquire()).toBe(true);
    b.cancelProbe();
    expect(b.tryAcquire()).toBe(true);
  });
});
