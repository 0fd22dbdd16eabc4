import { describe, expect, it } from 'vitest';
import { createBatchInsert } from './batch-insert.ts';

/** a commit the test completes by hand, recording each batch */
function manualCommit() {
  const batches: Array<{ items: string[]; done: () => void; fail: (e: Error) => void }> = [];
  const commit = (items: string[]) => new Promise<void>((resolve, reject) => { batches.push({ items, done: resolve, fail: reject }); });
  return { batches, commit };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('createBatchInsert', () => {
  it('commits a lone row at once, and rows arriving while commits run together in the next one', async () => {
    const { batches, commit } = manualCommit();
    const insert = createBatchInsert(commit, { maxConcurrent: 1, maxBatch: 3 });
    const settled: string[] = [];
    const track = (id: string) => insert(id).then(() => { settled.push(id); });
    const all = ['a', 'b', 'c', 'd', 'e'].map(track);
    expect(batches.map((b) => b.items)).toEqual([['a']]);
    await tick();
    expect(settled).toEqual([]); // nothing resolves before its commit
    batches[0]!.done();
    await tick();
    expect(settled).toEqual(['a']);
    expect(batches.map((b) => b.items)).toEqual([['a'], ['b', 'c', 'd']]);
    batches[1]!.done();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    batches[2]!.done();
    await Promise.all(all);
    expect(settled).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('runs up to maxConcurrent commits at once', () => {
    const { batches, commit } = manualCommit();
    const insert = createBatchInsert(commit, { maxConcurrent: 2 });
    for (const id of ['a', 'b', 'c']) void insert(id);
    expect(batches.map((b) => b.items)).toEqual([['a'], ['b']]);
  });

  it('a failed batch is retried row by row: only the bad row rejects', async () => {
    const calls: string[][] = [];
    const insert = createBatchInsert(async (items: string[]) => {
      calls.push(items);
      if (items.includes('bad')) throw new Error('duplicate key value violates unique constraint "messages_id"');
      await tick();
    }, { maxConcurrent: 1 });
    const results = await Promise.allSettled(['first', 'x', 'bad', 'y'].map((id) => insert(id)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['first'], ['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
    expect((results[2] as PromiseRejectedResult).reason.message).toContain('messages_id');
  });
});
