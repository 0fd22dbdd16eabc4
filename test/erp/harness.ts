/** Wires a dispatcher, the in-memory store and the real push client to a test ERP server. */
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createPushDispatcher, type PushDispatcher, type PushDispatcherOptions } from '../../src/delivery/dispatcher.ts';
import { createMemoryDeliveryStore, type MemoryDeliveryStore } from '../../src/delivery/memory-store.ts';
import type { DeliveryStore } from '../../src/delivery/store.ts';
import { createErpPushClient, type PushFn } from '../../src/erp/push-client.ts';
import type { TestErpServer } from '../support/erp-server.ts';

export interface Harness {
  clock: ReturnType<typeof fixedClock>;
  store: MemoryDeliveryStore;
  push: PushFn;
  pushes: () => number;
  dispatcher(overrides?: Partial<PushDispatcherOptions> & { storeView?: DeliveryStore }): PushDispatcher;
  /** a dispatcher whose push client sends another bearer token */
  createWithToken(token: string, overrides?: Partial<PushDispatcherOptions>): PushDispatcher;
  /** ticks until nothing is pending; advances the clock 1 s whenever a tick starts nothing */
  drain(d: PushDispatcher, maxTicks?: number): Promise<void>;
}

export function harness(erp: TestErpServer, opts: { timeoutMs?: number } = {}): Harness {
  const clock = fixedClock('2026-03-02T10:00:00.000Z');
  const store = createMemoryDeliveryStore({ clock });
  const client = createErpPushClient({ url: erp.url, token: 'erp-secret', fetch, timeoutMs: opts.timeoutMs ?? 2000 });
  let pushes = 0;
  const push: PushFn = (env) => { pushes++; return client.push(env); };
  const self: Harness = {
    clock, store, push, pushes: () => pushes,
    createWithToken: (token, overrides = {}) => self.dispatcher({
      push: createErpPushClient({ url: erp.url, token, fetch, timeoutMs: 2000 }).push, ...overrides,
    }),
    dispatcher: ({ storeView, ...overrides } = {}) => createPushDispatcher({
      store: storeView ?? store, push, throttleFor: () => undefined, maxConcurrency: 4, clock, logger: silentLogger,
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))), random: () => 0.5, maxAttempts: 5,
      backoff: { baseMs: 1000, capMs: 60_000 }, breaker: { failureThreshold: 3, coolDownMs: 30_000 }, leaseMs: 60_000,
      ...overrides,
    }),
    async drain(d, maxTicks = 100_000) {
      for (let i = 0; i < maxTicks && store.pendingCount() > 0; i++) {
        const r = await d.tick();
        if (r.started === 0) clock.advance(1000);
      }
      if (store.pendingCount() > 0) throw new Error(`still ${store.pendingCount()} pending after ${maxTicks} ticks`);
    },
  };
  return self;
}

export const keysOf = (posts: Array<{ idempotencyKey: string | undefined }>) => posts.map((p) => p.idempotencyKey);
