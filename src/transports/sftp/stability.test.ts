import { describe, expect, it } from 'vitest';
import { createStabilityTracker } from './stability.ts';

const T = Date.parse('2026-11-23T12:00:00Z');

describe('stability rule', () => {
  it('sizeUnchangedPolls: 2 takes a file on the second sighting with the same size and mtime', () => {
    const t = createStabilityTracker({ sizeUnchangedPolls: 2 });
    expect([...t.observe([{ name: 'a', size: 10, modifyTime: T }], T)]).toEqual([]);
    expect([...t.observe([{ name: 'a', size: 20, modifyTime: T }], T)]).toEqual([]); // grew: count restarts
    expect([...t.observe([{ name: 'a', size: 20, modifyTime: T + 1000 }], T)]).toEqual([]); // touched
    expect([...t.observe([{ name: 'a', size: 20, modifyTime: T + 1000 }], T)]).toEqual(['a']);
  });

  it('forgets names that disappear and names it is told to forget', () => {
    const t = createStabilityTracker({ sizeUnchangedPolls: 2 });
    t.observe([{ name: 'a', size: 1, modifyTime: T }, { name: 'b', size: 1, modifyTime: T }], T);
    t.observe([{ name: 'b', size: 1, modifyTime: T }], T);
    t.forget('b');
    // a reappears with the same size: it must prove itself again, and so must b
    expect([...t.observe([{ name: 'a', size: 1, modifyTime: T }, { name: 'b', size: 1, modifyTime: T }], T)]).toEqual([]);
  });

  it('minAgeSeconds compares the mtime with now', () => {
    const t = createStabilityTracker({ minAgeSeconds: 60 });
    const files = [{ name: 'old', size: 1, modifyTime: T - 60_000 }, { name: 'young', size: 1, modifyTime: T - 59_000 }];
    expect([...t.observe(files, T)]).toEqual(['old']);
  });
});
