/**
 * The short fuzz pass CI runs (issue 12, "CI runs a short pass, about a minute"): every target of
 * `npm run fuzz` (fuzz/targets/index.ts), through the harness's own engine (fuzz/engine.ts
 * runTarget: seeds, then fast-check mutations), for a few seconds each. It fails on any finding
 * the long pass would report: an untyped exception, an input over its target's time ratio to a
 * linear scan of the same bytes (re-timed before it counts), heap growth after GC.
 *
 * The seed is fixed so a failure reproduces: `npm run fuzz -- --target <name> --seed <seed>`
 * replays the same inputs (run longer, it goes on past them). FUZZ_SHORT_SEED and
 * FUZZ_SHORT_SECONDS (per target) override the defaults; the summary table is printed.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTarget, type TargetReport } from '../../fuzz/engine.ts';
import { loadSeedSource } from '../../fuzz/seeds.ts';
import { summaryTable } from '../../fuzz/summary.ts';
import { TARGETS } from '../../fuzz/targets/index.ts';
import { repoRoot } from './replay.ts';

const SEED = Number(process.env.FUZZ_SHORT_SEED ?? 20261207);
/** per target: 11 targets x 4 s plus setup is about a minute */
const SECONDS = Number(process.env.FUZZ_SHORT_SECONDS ?? 4);

const src = loadSeedSource(repoRoot);
const reports: TargetReport[] = [];

afterAll(() => {
  console.log(`short fuzz pass, seed ${SEED}, ${SECONDS} s per target, seeds from ${src.conformancePresent ? `fixtures/ and ${path.relative(repoRoot, path.resolve(repoRoot, '..', 'shared', 'conformance'))}` : 'fixtures/ only'}\n${summaryTable(reports)}`);
});

describe('short fuzz pass over every target', () => {
  it('covers every target of npm run fuzz', () => {
    expect(TARGETS.map((t) => t.name)).toEqual(['x12', 'edifact', 'csv', 'xml', 'json', 'as2-mime', 'der-cms', 'partner-yaml', 'mapping-yaml', 'mapping-runner', 'translate']);
  });

  for (const target of TARGETS) {
    it(`${target.name}: no untyped exception, no input over its time ratio, no heap growth`, async () => {
      const r = await runTarget(target, src, {
        runs: 100_000, seconds: SECONDS, seed: SEED, maxRun: 100_000, maxDepth: 5000, memoryBoundMb: 48,
        // a finding is reported as found (no shrinking, no file): `npm run fuzz` with the seed saves it
        minimizeMs: 0,
      });
      reports.push(r);
      // more than the seeds themselves ran (each seed is fed twice before any mutation)
      expect(r.inputs).toBeGreaterThan(2 * r.seeds);
      const findings = r.findings.map((f) => `${f.kind} x${f.count}: ${f.message.split('\n')[0]}${f.stack ? `\n${f.stack.split('\n').slice(1, 4).join('\n')}` : ''}`);
      expect(findings, `reproduce: npm run fuzz -- --target ${target.name} --seed ${SEED}`).toEqual([]);
    }, (SECONDS + 40) * 1000);
  }
});
