import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

describe('group commit', () => {
  it('commits concurrent callers in one batch and resolves each after it', async () => {
    const batches: number[][] = [];
    const add = createGroupCommit<number>((batch) => { batches.push([...batch]); });
    await Promise.all([1, 2, 3].map((n) => add(n)));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('a bad row fails only its own caller: the rest of its batch is committed', async () => {
    const committed: number[] = [];
    // like a transaction: a batch holding a bad row commits nothing
    const add = createGroupCommit<number>((batch) => {
      if (batch.includes(13)) throw new Error('row 13 violates a constraint');
      committed.push(...batch);
    });
    const results = await Promise.allSettled([11, 12, 13, 14].map((n) => add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('row 13 violates a constraint'));
    expect(committed.sort()).toEqual([11, 12, 14]);
  });

  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  it('a batch the lock refused is tried again with the event loop free in between, priority raised meanwhile, and commits once', async () => {
    let refusals = 2;
    const committed: number[][] = [];
    const raised: string[] = [];
    const add = createGroupCommit<number>((batch) => {
      if (refusals-- > 0) throw busy();
      committed.push([...batch]);
    }, { lockWaitMs: 5_000, priority: { raise: () => raised.push('raise'), lower: () => raised.push('lower') } });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const first = add(1);
    await new Promise((r) => setTimeout(r, 5));
    const second = add(2); // arrives while the first batch waits: joins it
    await Promise.all([first, second]);
    clearInterval(ticker);
    expect(committed).toEqual([[1, 2]]);
    expect(raised).toEqual(['raise', 'lower']);
    expect(ticks).toBeGreaterThan(0);
  });

  it('a lock held past lockWaitMs fails the batch\'s callers with the store fault', async () => {
    const lowered: number[] = [];
    const add = createGroupCommit<number>(() => { throw busy(); }, { lockWaitMs: 60, priority: { raise: () => {}, lower: () => lowered.push(1) } });
    const results = await Promise.allSettled([add(1), add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(lowered).toEqual([1]);
  });
});
