/**
 * Replays one input through a fuzz target as `npm run fuzz` does: the outcome must be typed and
 * the time within the target's budget (its ratio to a linear scan of the same bytes, measured
 * here beside it; best of three runs, as the engine re-times a slow input).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from '../../fuzz/engine.ts';
import { linearScanMs } from '../../fuzz/measure.ts';
import { loadSeedSource } from '../../fuzz/seeds.ts';
import { TARGETS } from '../../fuzz/targets/index.ts';
import type { FuzzTarget, SeedSource } from '../../fuzz/types.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let src: SeedSource | undefined;
const ready = new Map<string, Promise<FuzzTarget>>();

/** the target, set up once per test file (its seeds are not needed, its config and keys are) */
export function fuzzTarget(name: string): Promise<FuzzTarget> {
  let t = ready.get(name);
  if (!t) {
    const target = TARGETS.find((x) => x.name === name);
    if (!target) throw new Error(`no fuzz target ${name}`);
    src ??= loadSeedSource(repoRoot);
    t = target.setup(src).then(() => target);
    ready.set(name, t);
  }
  return t;
}

export function teardownTargets(): void {
  for (const name of ready.keys()) TARGETS.find((x) => x.name === name)?.teardown?.();
  ready.clear();
}

export interface Replay { untyped?: string; ms: number; budgetMs: number; scanMs: number }

export async function replay(name: string, bytes: Uint8Array, meta: Record<string, string> = {}): Promise<Replay> {
  const target = await fuzzTarget(name);
  const scanMs = linearScanMs(bytes);
  const budgetMs = Math.max(target.floorMs, target.ratio * scanMs);
  let ms = Infinity;
  let untyped: string | undefined;
  // re-timed twice when over budget (a GC pause, a busy neighbour), not when far over it
  for (let i = 0; i < 3 && (i === 0 || (ms > budgetMs && ms < 10 * budgetMs)); i++) {
    const t0 = performance.now();
    try {
      await target.run(bytes, meta);
    } catch (e) {
      untyped ??= classify(target, e)?.message;
    }
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ...(untyped ? { untyped } : {}), ms, budgetMs, scanMs };
}
