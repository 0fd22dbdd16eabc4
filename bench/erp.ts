/**
 * ERP push: documents delivered per second through erp.push jobs (src/delivery/erp-push.ts on the
 * job runner, a SQLite store in a temporary directory, the push client) to a local ERP HTTP server
 * (test/support/erp-server.ts), beside the push client alone with the same number of concurrent
 * requests; one partner's flood (one ordered queue); and the throttle's accuracy: configured vs
 * achieved rate per partner while both partners have a backlog (A 200/s, B 50/s), measured after
 * the initial burst.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { createIdGenerator } from '../src/core/ids.ts';
import { silentLogger } from '../src/core/logger.ts';
import { createSqliteStore } from '../src/db/sqlite-store.ts';
import type { Store } from '../src/db/store.ts';
import { createErpPushTask, ERP_PUSH, erpPushJob } from '../src/delivery/erp-push.ts';
import type { ThrottleConfig } from '../src/delivery/token-bucket.ts';
import { createErpPushClient } from '../src/erp/push-client.ts';
import { createTaskRegistry, type TaskDef } from '../src/jobs/registry.ts';
import { createJobRunner } from '../src/jobs/runner.ts';
import { shipNoticeEnvelope } from '../test/erp/envelopes.ts';
import { startErpServer, type TestErpServer } from '../test/support/erp-server.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const CONCURRENCY = 8;
let runs = 0;

/** a fresh store holding `docs` released documents, each committed with its erp.push job (as the pipeline does) */
async function storeWith(docs: Array<{ partnerId: string; n: number }>): Promise<{ store: Store; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-erp-'));
  const store = createSqliteStore(path.join(dir, 'g.db'));
  const at = systemClock.now().toISOString();
  for (let i = 0; i < docs.length; i += 500) {
    await store.batch(async () => {
      for (const d of docs.slice(i, i + 500)) {
        const envelope = shipNoticeEnvelope(d.partnerId, d.n);
        await store.upsertDocument({
          id: envelope.id, messageId: `msg_${envelope.id}`, partnerId: d.partnerId, type: envelope.type, direction: 'inbound',
          businessKey: null, correlationId: envelope.correlationId, envelope, status: 'ready', test: false, at,
          jobs: [erpPushJob({ documentId: envelope.id, partnerId: d.partnerId }, at)],
        });
      }
    });
  }
  return { store, close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** runs the erp.push jobs of `store` until none is waiting; docs/s */
async function throughJobs(erp: TestErpServer, store: Store, count: number, throttleFor: (p: string) => ThrottleConfig | undefined = () => undefined, untilMs?: number) {
  const client = createErpPushClient({ url: erp.url, token: 'bench', fetch, timeoutMs: 10_000 });
  const ids = createIdGenerator(() => Date.now());
  const t = createErpPushTask({ store, push: client.push, clock: systemClock, ids, logger: silentLogger, throttleFor });
  const runner = createJobRunner({
    jobs: store.jobs, tasks: createTaskRegistry([t.task as TaskDef<never>]), holder: 'bench', pollMs: 250,
    queues: { 'erp:*': { concurrency: CONCURRENCY, ordered: true } },
  });
  const start = performance.now();
  runner.start();
  const pending = async () => (await store.jobs.list({ kind: ERP_PUSH, state: 'waiting', limit: 1 })).length + (await store.jobs.list({ kind: ERP_PUSH, state: 'running', limit: 1 })).length;
  if (untilMs !== undefined) await sleep(untilMs);
  else while ((await pending()) > 0) await sleep(2);
  const elapsed = (performance.now() - start) / 1000;
  await runner.stop();
  return count / elapsed;
}

async function throughDispatcher(erp: TestErpServer, count: number, partners: number): Promise<number> {
  const offset = runs++ * 10_000_000; // fresh document ids: the ERP answers 409 to ids it already has
  const s = await storeWith(Array.from({ length: count }, (_, i) => ({ partnerId: `P${i % partners}`, n: offset + i })));
  try {
    return await throughJobs(erp, s.store, count);
  } finally {
    await s.close();
  }
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
  const offset = runs++ * 10_000_000;
  const docs: Array<{ partnerId: string; n: number }> = [];
  for (const [partner, t] of Object.entries(config)) {
    for (let i = 0; i < Math.ceil(t.ratePerSecond * (seconds + 1) * 1.5) + t.burst; i++) docs.push({ partnerId: `T${partner}`, n: offset + i });
  }
  const s = await storeWith(docs);
  const before = erp.accepted().length;
  const count = (partner: string) => erp.accepted().slice(before).filter((p) => p.partnerId === `T${partner}`).length;
  let startCounts = new Map<string, number>();
  let start = 0;
  // let the initial bursts drain (1 s), then count deliveries over the window
  setTimeout(() => { startCounts = new Map(Object.keys(config).map((p) => [p, count(p)])); start = performance.now(); }, 1000);
  try {
    await throughJobs(erp, s.store, 0, (p) => config[p.slice(1)], 1000 + seconds * 1000);
  } finally {
    await s.close();
  }
  const elapsed = (performance.now() - start) / 1000;
  return new Map(Object.keys(config).map((p) => [p, (count(p) - startCounts.get(p)!) / elapsed]));
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
      area: 'erp', name: `erp.push jobs, ${count} docs, 8 partners, ${CONCURRENCY} in flight`, value: dispatched, unit: 'docs/s',
      baseline: { name: `push client alone, ${CONCURRENCY} concurrent`, value: raw, unit: 'docs/s' },
      notes: 'one job per document, one in flight per partner (ordered queue erp:<partner>), SQLite store, local ERP server on 127.0.0.1',
    });
    const single = await throughDispatcher(erp, count / 4, 1);
    rows.push({
      area: 'erp', name: `erp.push jobs, ${count / 4} docs, one partner`, value: single, unit: 'docs/s',
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
