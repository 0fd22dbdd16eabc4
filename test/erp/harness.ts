/**
 * The erp.push task (src/delivery/erp-push.ts) on the job runner, over a real SQLite store and the
 * real push client, against a test ERP server. Documents are stored `ready` with their push job in
 * one transaction, as the pipeline releases them. `tick()` is one runner round (claim what is due,
 * run it to the end); time is the injected clock the tests move.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CanonicalEnvelope } from '../../src/canonical/types.ts';
import { type Clock, fixedClock } from '../../src/core/clock.ts';
import { createIdGenerator } from '../../src/core/ids.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import type { Store } from '../../src/db/store.ts';
import { createErpPushTask, ERP_PUSH, type ErpPushTaskOptions, erpPushJob, erpPushKey } from '../../src/delivery/erp-push.ts';
import { createErpPushClient, type PushFn } from '../../src/erp/push-client.ts';
import type { Job, JobStore } from '../../src/jobs/job-store.ts';
import { createTaskRegistry, type TaskDef } from '../../src/jobs/registry.ts';
import { createJobRunner } from '../../src/jobs/runner.ts';
import type { TestErpServer } from '../support/erp-server.ts';

export interface TickResult { claimed: number; started: number; delivered: number; retried: number; failed: number }

export interface PushRunner {
  tick(): Promise<TickResult>;
  start(): void;
  stop(): Promise<void>;
  circuit: ReturnType<typeof createErpPushTask>['circuit'];
  inFlight(): number;
}

export interface DispatchOptions extends Partial<Omit<ErpPushTaskOptions, 'store' | 'clock' | 'ids'>> {
  maxConcurrency?: number;
  /** the jobs port the runner uses (a faulty one, say) */
  jobs?: JobStore;
  lockMs?: number;
}

export interface Harness {
  clock: ReturnType<typeof fixedClock>;
  store: Store;
  push: PushFn;
  pushes: () => number;
  /** stores the document ready with its push job (one transaction); the job and document id */
  enqueue(envelope: CanonicalEnvelope, maxAttempts?: number): Promise<{ id: number; documentId: string }>;
  job(documentId: string): Promise<Job>;
  pendingCount(): Promise<number>;
  /** true while any push job is waiting or running */
  hasPending(): Promise<boolean>;
  /** document ids of the open `deliver` exceptions, oldest first */
  exceptions(): Promise<string[]>;
  dispatcher(overrides?: DispatchOptions): PushRunner;
  /** runs rounds until nothing is pending; advances the clock 1 s whenever a round claims nothing */
  drain(d: PushRunner, maxTicks?: number): Promise<void>;
  close(): Promise<void>;
}

export async function harness(erp: TestErpServer, opts: { timeoutMs?: number; token?: string; clock?: Clock } = {}): Promise<Harness> {
  const fixed = fixedClock('2026-03-02T10:00:00.000Z');
  const clock: typeof fixed = opts.clock
    ? { now: () => opts.clock!.now(), set: () => { throw new Error('a real clock is not set'); }, advance: () => { throw new Error('a real clock does not move on request'); } }
    : fixed;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-erp-'));
  const store = createSqliteStore(path.join(dir, 'g.db'));
  const ids = createIdGenerator(() => clock.now().getTime());
  const client = createErpPushClient({ url: erp.url, token: opts.token ?? 'erp-secret', fetch, timeoutMs: opts.timeoutMs ?? 2000 });
  let pushes = 0;
  const push: PushFn = (env) => { pushes++; return client.push(env); };
  const pending = async (limit = 100_000) => {
    let n = 0;
    for (const state of ['waiting', 'running'] as const) n += (await store.jobs.list({ kind: ERP_PUSH, state, limit })).length;
    return n;
  };
  const self: Harness = {
    clock, store, push, pushes: () => pushes,
    async enqueue(envelope, maxAttempts = 5) {
      const at = clock.now().toISOString();
      await store.upsertDocument({
        id: envelope.id, messageId: `msg_${envelope.id}`, partnerId: envelope.partnerId, type: envelope.type, direction: 'inbound',
        businessKey: null, correlationId: envelope.correlationId, envelope, status: 'ready', test: false, at,
        jobs: [erpPushJob({ documentId: envelope.id, partnerId: envelope.partnerId }, at, maxAttempts)],
      });
      return { id: (await self.job(envelope.id)).id, documentId: envelope.id };
    },
    job: async (documentId) => (await store.jobs.getByKey(erpPushKey(documentId)))!,
    pendingCount: () => pending(),
    hasPending: async () => (await pending(1)) > 0,
    exceptions: async () => (await store.listExceptions({ status: 'open', limit: 10_000 })).filter((e) => e.stage === 'deliver').reverse().map((e) => e.documentId!),
    dispatcher(o = {}) {
      const t = createErpPushTask({
        store, clock, ids, push: o.push ?? push, logger: o.logger ?? silentLogger, throttleFor: o.throttleFor ?? (() => undefined),
        maxAttempts: o.maxAttempts ?? 5, backoff: o.backoff ?? { baseMs: 1000, capMs: 60_000 }, breaker: o.breaker ?? { failureThreshold: 3, coolDownMs: 30_000 },
      });
      const results: Array<'delivered' | 'retried' | 'failed'> = [];
      // an attempt that reached the ERP: its error is the ERP's answer (erp_…), not the throttle's or the circuit's
      const counted: TaskDef<never> = {
        ...t.task,
        run: async (payload, ctx) => {
          try {
            const r = await t.task.run(payload as never, ctx as never);
            results.push('delivered');
            return r;
          } catch (e) {
            if (e instanceof Error && e.message.startsWith('erp_')) results.push(e.name === 'JobFailed' ? 'failed' : 'retried');
            throw e;
          }
        },
      } as TaskDef<never>;
      const runner = createJobRunner({
        jobs: o.jobs ?? store.jobs, tasks: createTaskRegistry([counted]), holder: 'node-a', clock, random: () => 0.5, pollMs: 5,
        lockMs: o.lockMs ?? 60_000, queues: { 'erp:*': { concurrency: o.maxConcurrency ?? 4, ordered: true } },
      });
      return {
        async tick() {
          results.length = 0;
          const before = pushes;
          const claimed = await runner.tick();
          await runner.idle();
          const count = (k: string) => results.filter((r) => r === k).length;
          return { claimed, started: pushes - before, delivered: count('delivered'), retried: count('retried'), failed: count('failed') };
        },
        start: () => runner.start(),
        stop: () => runner.stop(),
        circuit: t.circuit,
        inFlight: t.inFlight,
      };
    },
    async drain(d, maxTicks = 100_000) {
      for (let i = 0; i < maxTicks && (await pending(1)) > 0; i++) {
        const r = await d.tick();
        if (r.claimed === 0) clock.advance(1000);
      }
      const left = await pending();
      if (left > 0) throw new Error(`still ${left} pending after ${maxTicks} ticks`);
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

export const keysOf = (posts: Array<{ idempotencyKey: string | undefined }>) => posts.map((p) => p.idempotencyKey);
