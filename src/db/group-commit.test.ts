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
});
