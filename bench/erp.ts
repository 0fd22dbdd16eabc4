/**
 * ERP push: documents delivered per second through the push dispatcher + push client to a local
 * ERP HTTP server (test/support/erp-server.ts), beside the push client alone with the same number
 * of concurrent requests; and the throttle's accuracy: configured vs achieved rate per partner
 * while both partners have a backlog (A 200/s, B 50/s), measured after the initial burst.
 */
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';
import { createPushDispatcher } from '../src/delivery/dispatcher.ts';
import { createMemoryDeliveryStore } from '../src/delivery/memory-store.ts';
import type { ThrottleConfig } from '../src/delivery/token-bucket.ts';
import { createErpPushClient } from '../src/erp/push-client.ts';
import { shipNoticeEnvelope } from '../test/erp/envelopes.ts';
import { startErpServer, type TestErpServer } from '../test/support/erp-server.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const CONCURRENCY = 8;
let runs = 0;

async function throughDispatcher(erp: TestErpServer, count: number, partners: number): Promise<number> {
  const store = createMemoryDeliveryStore({ clock: systemClock });
  const offset = runs++ * 10_000_000; // fresh document ids: the ERP answers 409 to ids it already has
  for (let i = 0; i < count; i++) store.enqueue(shipNoticeEnvelope(`P${i % partners}`, offset + i));
  const client = createErpPushClient({ url: erp.url, token: 'bench', fetch, timeoutMs: 10_000 });
  const d = createPushDispatcher({
    store, push: client.push, throttleFor: () => undefined, maxConcurrency: CONCURRENCY, clock: systemClock,
    logger: silentLogger, sleep, random: Math.random, maxAttempts: 5,
  });
  const start = performance.now();
  d.start();
  while (store.pendingCount() > 0) await sleep(2);
  const elapsed = (performance.now() - start) / 1000;
  await d.stop();
  return count / elapsed;
}

async function clientAlone(erp: TestErpServer, count: number, offset: number): Promise<number> {
  const client = createErpPushClient({ url: erp.url, token: 'bench', fetch, timeoutMs: 10_000 });
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) { const i = next++; await client.push(shipNoticeEnvelope('RAW', offset + i)); }
  }));
  return count / ((performance.now() - start) / 1000);
}

async function throttleAccuracy(erp: TestErpServer, seconds: number, config: Record<string, ThrottleConfig>): Promise<Map<string, number>> {
  const store = createMemoryDeliveryStore({ clock: systemClock });
  for (const [partner, t] of Object.entries(config)) {
    for (let i = 0; i < Math.ceil(t.ratePerSecond * seconds * 1.5) + t.burst; i++) store.enqueue(shipNoticeEnvelope(`T${partner}`, i));
  }
  const client = createErpPushClient({ url: erp.url, token: 'bench', fetch, timeoutMs: 10_000 });
  const d = createPushDispatcher({
    store, push: client.push, throttleFor: (p) => config[p.slice(1)], maxConcurrency: CONCURRENCY, clock: systemClock,
    logger: silentLogger, sleep, random: Math.random, maxAttempts: 5,
  });
  const before = erp.accepted().length;
  d.start();
  // let the initial bursts drain, then count deliveries over the window
  await sleep(1000);
  const count = (partner: string) => erp.accepted().slice(before).filter((p) => p.partnerId === `T${partner}`).length;
  const startCounts = new Map(Object.keys(config).map((p) => [p, count(p)]));
  const start = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  const rates = new Map(Object.keys(config).map((p) => [p, (count(p) - startCounts.get(p)!) / elapsed]));
  await d.stop();
  return rates;
}

export const run: BenchArea = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const erp = await startErpServer({ token: 'bench' });
  try {
    const count = quick ? 2_000 : 20_000;
    // warm-up (JIT, keep-alive connections), then each path twice, interleaved; best of two,
    // since other work on the machine only ever slows a run down
    await clientAlone(erp, 300, 900_000);
    await throughDispatcher(erp, 300, 8);
    let raw = 0;
    let dispatched = 0;
    for (let round = 0; round < 2; round++) {
      raw = Math.max(raw, await clientAlone(erp, count, 1_000_000 + round * count));
      dispatched = Math.max(dispatched, await throughDispatcher(erp, count, 8));
    }
    rows.push({
      area: 'erp', name: `push dispatcher, ${count} docs, 8 partners, ${CONCURRENCY} in flight`, value: dispatched, unit: 'docs/s',
      baseline: { name: `push client alone, ${CONCURRENCY} concurrent`, value: raw, unit: 'docs/s' },
      notes: 'one job in flight per partner (ordered delivery), in-memory store, local ERP server on 127.0.0.1',
    });
    const single = await throughDispatcher(erp, count / 4, 1);
    rows.push({
      area: 'erp', name: `push dispatcher, ${count / 4} docs, one partner`, value: single, unit: 'docs/s',
      notes: 'ordered delivery keeps one document per partner in flight, so one partner is bounded by 1 / ERP round trip',
    });
    const seconds = quick ? 3 : 10;
    const config: Record<string, ThrottleConfig> = { A: { ratePerSecond: 200, burst: 10 }, B: { ratePerSecond: 50, burst: 5 } };
    const rates = await throttleAccuracy(erp, seconds, config);
    for (const [partner, t] of Object.entries(config)) {
      rows.push({
        area: 'erp', name: `throttle accuracy partner ${partner} (${seconds} s, after the burst)`, value: rates.get(partner)!, unit: 'docs/s',
        baseline: { name: 'configured', value: t.ratePerSecond, unit: 'docs/s' },
        notes: 'below the configured rate only when the ERP round trip exceeds 1 / rate (one in flight per partner)',
      });
    }
  } finally {
    await erp.close();
  }
  return rows;
};
