import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/logger.ts';
import { createSqliteStore } from '../../db/sqlite-store.ts';
import type { Store } from '../../db/store.ts';
import type { MessageOutcome } from './process-message.ts';
import { createMessageWorker } from './worker.ts';

// two workers ("nodes") on two stores of one SQLite file; `process` stands in for the pipeline:
// it records who ran the message, takes a moment, and marks it processed as the pipeline does
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-worker-'));
let n = 0;
const opened: Store[] = [];
afterEach(async () => { for (const s of opened.splice(0)) await s.close(); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cluster(nodes: string[], opts: { processMs?: number; leaseMs?: number } = {}) {
  const file = path.join(dir, `w${n++}.db`);
  const runs: Array<{ node: string; id: string; by?: string }> = [];
  const workers = nodes.map((nodeId) => {
    const store = createSqliteStore(file);
    opened.push(store);
    const worker = createMessageWorker({
      store, logger: silentLogger, clock: systemClock, concurrency: 2, nodeId, leaseMs: opts.leaseMs ?? 600,
      process: async (id, by): Promise<MessageOutcome> => {
        runs.push({ node: nodeId, id, by });
        await sleep(opts.processMs ?? 5);
        await store.updateMessage(id, { status: 'processed' }, new Date().toISOString());
        return { messageId: id, status: 'processed', partnerId: 'acme', units: [], errors: [] };
      },
    });
    return { nodeId, store, worker };
  });
  return { workers, runs, store: workers[0]!.store };
}

async function storeMessages(store: Store, count: number, receivedAt = new Date(Date.now() - 60_000).toISOString()) {
  const ids = Array.from({ length: count }, (_, i) => `msg_${i}`);
  for (const id of ids) {
    await store.insertMessage({ id, receivedAt, direction: 'inbound', transport: 'http', partnerId: 'acme', metadata: {}, contentSha256: id, raw: new Uint8Array([1]), test: false });
  }
  return ids;
}

describe('message worker with claims', () => {
  it('two nodes resuming the same messages at once: each message is processed by one of them, and no claim is left', async () => {
    const { workers, runs, store } = cluster(['node-a', 'node-b']);
    const ids = await storeMessages(store, 30);
    await Promise.all(workers.map((w) => w.worker.resume()));
    await Promise.all(workers.map((w) => w.worker.idle()));
    expect(runs.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await store.getMessage(id)).toMatchObject({ status: 'processed', claimedBy: null, claimUntil: null });
    expect(await store.resumableMessageIds({ now: new Date().toISOString(), limit: 100 })).toEqual([]);
  });

  it('runNow of a message another node is processing waits for it, then runs it (a replay) with its own claim', async () => {
    const { workers, runs, store } = cluster(['node-a', 'node-b'], { processMs: 300 });
    const [id] = await storeMessages(store, 1);
    const [a, b] = workers;
    a!.worker.enqueue(id!);
    await sleep(50); // node a holds the claim now
    expect((await store.getMessage(id!))?.claimedBy).toBe('node-a');
    const outcome = await b!.worker.runNow(id!, 'ops:ann');
    expect(outcome).toMatchObject({ messageId: id, status: 'processed' });
    // node b ran only after node a had finished: one after the other, never both at once
    expect(runs).toEqual([{ node: 'node-a', id, by: undefined }, { node: 'node-b', id, by: 'ops:ann' }]);
    expect(await store.getMessage(id!)).toMatchObject({ claimedBy: null });
  });

  it('a queued message already processed (by another node) is skipped, not processed again', async () => {
    const { workers, runs, store } = cluster(['node-a', 'node-b']);
    const [id] = await storeMessages(store, 1);
    await workers[0]!.worker.runNow(id!);
    workers[1]!.worker.enqueue(id!);
    await workers[1]!.worker.idle();
    expect(runs.map((r) => r.node)).toEqual(['node-a']);
  });

  it('a long run keeps its claim renewed, so another node cannot take the message meanwhile', async () => {
    const { workers, runs, store } = cluster(['node-a', 'node-b'], { processMs: 1000, leaseMs: 300 });
    const [id] = await storeMessages(store, 1);
    const [a, b] = workers;
    await a!.worker.start();
    await sleep(700); // more than two leases into a's run
    b!.worker.enqueue(id!);
    await b!.worker.idle();
    await a!.worker.idle();
    expect(runs.map((r) => r.node)).toEqual(['node-a']);
    await a!.worker.stop();
  });
});
