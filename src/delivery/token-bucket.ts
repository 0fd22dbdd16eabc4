/**
 * Per-partner token bucket: `burst` tokens at most, refilled continuously at `ratePerSecond`.
 * The clock is injected; nothing here reads the global time. A bucket starts full.
 * `ratePerSecond: Infinity` means unthrottled.
 */
import type { Clock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';

export interface ThrottleConfig {
  ratePerSecond: number;
  burst: number;
}

export interface TokenBucket {
  readonly config: ThrottleConfig;
  /** takes `n` tokens when available; false (and nothing taken) otherwise */
  tryTake(n?: number): boolean;
  /** tokens available now (fractional) */
  available(): number;
  /** milliseconds until `n` tokens are available (0 when they are now; Infinity when never) */
  msUntilAvailable(n?: number): number;
}

export function validateThrottle(config: ThrottleConfig, partnerId?: string): void {
  const { ratePerSecond, burst } = config;
  if (!(ratePerSecond >= 0) || Number.isNaN(ratePerSecond)) {
    throw new GatewayError('invalid_throttle', `ratePerSecond must be >= 0, got ${ratePerSecond}`, {
      partnerId, expected: '>= 0', found: String(ratePerSecond),
    });
  }
  if (!(burst >= 1) || !Number.isFinite(burst)) {
    throw new GatewayError('invalid_throttle', `burst must be a finite number >= 1, got ${burst}`, {
      partnerId, expected: '>= 1', found: String(burst),
    });
  }
}

export function createTokenBucket(opts: ThrottleConfig & { clock: Clock; partnerId?: string }): TokenBucket {
  const config: ThrottleConfig = { ratePerSecond: opts.ratePerSecond, burst: opts.burst };
  validateThrottle(config, opts.partnerId);
  const { clock } = opts;
  const unlimited = config.ratePerSecond === Infinity;
  let tokens = config.burst;
  let last = clock.now().getTime();

  const refill = (): void => {
    const now = clock.now().getTime();
    const elapsed = now - last;
    // a clock that goes backwards refills nothing and re-bases
    if (elapsed > 0) tokens = Math.min(config.burst, tokens + (elapsed * config.ratePerSecond) / 1000);
    last = now;
  };

  return {
    config,
    tryTake(n = 1) {
      if (unlimited) return true;
      refill();
      // a tiny epsilon absorbs float rounding of elapsed*rate (e.g. 0.9999999 for one token)
      if (tokens + 1e-9 < n) return false;
      tokens = Math.max(0, tokens - n);
      return true;
    },
    available() {
      if (unlimited) return Infinity;
      refill();
      return tokens;
    },
    msUntilAvailable(n = 1) {
      if (unlimited) return 0;
      refill();
      if (tokens + 1e-9 >= n) return 0;
      if (n > config.burst || config.ratePerSecond === 0) return Infinity;
      return Math.ceil(((n - tokens) * 1000) / config.ratePerSecond);
    },
  };
}
