/**
 * Circuit breaker for one ERP endpoint. Closed: calls go through; N consecutive failures
 * (timeouts, 5xx, connection errors) open it. Open: nothing is attempted until `coolDownMs` has
 * passed, then one probe is allowed (half-open). The probe's success closes it; its failure opens
 * it again for another cool-down. Any answer from the ERP (2xx, 4xx, 429) proves it is up and
 * counts as a success here; the dispatcher honours a 429's Retry-After separately.
 */
import type { Clock } from '../core/clock.ts';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  clock: Clock;
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

export interface CircuitBreaker {
  state(): CircuitState;
  /** true when a call may start now; in half-open, true once (the probe) until it reports back */
  tryAcquire(): boolean;
  onSuccess(): void;
  onFailure(): void;
  /** gives back a half-open probe slot that was acquired but not used */
  cancelProbe(): void;
  /** ms until an open circuit allows a probe (0 when not open) */
  msUntilProbe(): number;
  consecutiveFailures(): number;
}

export function createCircuitBreaker(opts: CircuitBreakerOptions): CircuitBreaker {
  const threshold = Math.max(1, Math.floor(opts.failureThreshold));
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probeInFlight = false;

  const move = (to: CircuitState): void => {
    if (to === state) return;
    const from = state;
    state = to;
    opts.onStateChange?.(from, to);
  };
  const open = (): void => {
    openedAt = opts.clock.now().getTime();
    probeInFlight = false;
    move('open');
  };
  const msUntilProbe = (): number =>
    state === 'open' ? Math.max(0, openedAt + opts.coolDownMs - opts.clock.now().getTime()) : 0;

  return {
    state: () => {
      if (state === 'open' && msUntilProbe() === 0) move('half_open');
      return state;
    },
    tryAcquire() {
      if (state === 'open') {
        if (msUntilProbe() > 0) return false;
        move('half_open');
      }
      if (state === 'half_open') {
        if (probeInFlight) return false;
        probeInFlight = true;
        return true;
      }
      return true;
    },
    onSuccess() {
      failures = 0;
      probeInFlight = false;
      move('closed');
    },
    onFailure() {
      failures++;
      if (state === 'half_open') { open(); return; }
      if (state === 'closed' && failures >= threshold) open();
    },
    cancelProbe() {
      if (state === 'half_open') probeInFlight = false;
    },
    msUntilProbe,
    consecutiveFailures: () => failures,
  };
}
