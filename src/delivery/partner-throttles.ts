/**
 * One token bucket per partner, configured by `throttleFor(partnerId)` (undefined = unthrottled)
 * and rebuilt when a partner's rate or burst changes (hot-reloaded profile). The push dispatcher
 * uses it; the pull feed can release documents under the same per-partner throttle by asking
 * `tryTake(partnerId)` per document it hands out.
 */
import type { Clock } from '../core/clock.ts';
import { createTokenBucket, type ThrottleConfig, type TokenBucket } from './token-bucket.ts';

export interface PartnerThrottles {
  /** takes one token for the partner; true when unthrottled */
  tryTake(partnerId: string): boolean;
  /** ms until the partner has a token (0 when unthrottled or available now) */
  msUntilAvailable(partnerId: string): number;
}

export function createPartnerThrottles(opts: {
  clock: Clock;
  throttleFor(partnerId: string): ThrottleConfig | undefined;
}): PartnerThrottles {
  const buckets = new Map<string, TokenBucket>();
  const bucketFor = (partnerId: string): TokenBucket | undefined => {
    const config = opts.throttleFor(partnerId);
    if (!config) { buckets.delete(partnerId); return undefined; }
    const current = buckets.get(partnerId);
    if (current && current.config.ratePerSecond === config.ratePerSecond && current.config.burst === config.burst) return current;
    const bucket = createTokenBucket({ ...config, clock: opts.clock, partnerId });
    buckets.set(partnerId, bucket);
    return bucket;
  };
  return {
    tryTake: (partnerId) => bucketFor(partnerId)?.tryTake() ?? true,
    msUntilAvailable: (partnerId) => bucketFor(partnerId)?.msUntilAvailable() ?? 0,
  };
}
