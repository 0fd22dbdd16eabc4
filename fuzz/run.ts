/**
 * npm run fuzz -- [--seconds N] [--runs N] [--target name]... [--seed N] [--max-run N] [--max-depth N] [target...]
 * Feeds mutated inputs to every parser (or the named targets) and exits non-zero on any finding:
 * an untyped exception, an input slower than the target's ratio to a linear scan, heap growth.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTarget, type TargetReport } from './engine.ts';
import { summaryTable } from './summary.ts';
import { conformanceDir, loadSeedSource } from './seeds.ts';
import { TARGETS } from './targets/index.ts';

const help = `Usage: npm run fuzz -- [options] [target...]

Targets: ${TARGETS.map((t) => t.name).join(', ')} (default: all)

Options:
  --target <name>  fuzz only this target (repeat, or comma-separate; same as naming it after the options)
  --seconds <n>    time budget per target (default 60)
  --runs <n>       inputs per target, seeds included (default 100000); the first limit reached wins
  --seed <n>       fast-check seed (default: time-based, printed); same seed = same inputs
  --max-run <n>    longest run of one character a mutation inserts (default 100000)
  --max-depth <n>  deepest nesting a mutation inserts (default 5000)
  --memory-mb <n>  heap growth after GC allowed per target (default 48)
  --minimize-ms <n> time spent shrinking each untyped crash before it is saved (default 5000)
  -h, --help       show this help

Exit status: 0 when no target found anything, 1 on any finding (untyped exception, input over the
target's time ratio to a linear scan, heap growth), 2 on bad arguments.
Failing inputs are written to fuzz/crashes/<target>-<hash>.bin (with a .json beside it); that folder
is not committed (inputs may come from ../shared/conformance): a crash becomes a hand-minimized case
in test/fuzz/regressions.test.ts. Replay one: node --import tsx fuzz/replay.ts fuzz/crashes/<file>.bin`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, 'max-run': { type: 'string' },
    'max-depth': { type: 'string' }, 'memory-mb': { type: 'string' }, 'minimize-ms': { type: 'string' },
    target: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) { console.log(help); process.exit(0); }
const num = (v: string | undefined, d: number) => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) { console.error(`not a number: ${v}\n\n${help}`); process.exit(2); }
  return n;
};
const wanted = [...positionals, ...(values.target ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean)];
const unknown = wanted.filter((p) => !TARGETS.some((t) => t.name === p));
if (unknown.length > 0) { console.error(`unknown target(s): ${unknown.join(', ')}\n\n${help}`); process.exit(2); }

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const seed = num(values.seed, Date.now() % 2 ** 31);
const opts = {
  runs: num(values.runs, 100_000), seconds: num(values.seconds, 60), seed,
  maxRun: num(values['max-run'], 100_000), maxDepth: num(values['max-depth'], 5000),
  memoryBoundMb: num(values['memory-mb'], 48), minimizeMs: num(values['minimize-ms'], 5000), crashDir: path.join(here, 'crashes'),
  log: (l: string) => console.log(l),
};
const src = loadSeedSource(repoRoot);
console.log(`edi-gateway fuzz on ${process.version}: seed ${seed}, --runs ${opts.runs}, --seconds ${opts.seconds}, --max-run ${opts.maxRun}`);
console.log(src.conformancePresent
  ? `seeds: fixtures/ and ${conformanceDir(repoRoot)} (${src.files.length} files)`
  : `seeds: fixtures/ only (${src.files.length} files); ${conformanceDir(repoRoot)} is ABSENT, its samples are not used`);

const reports: TargetReport[] = [];
const t0 = performance.now();
for (const t of TARGETS.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
  console.log(`\n## ${t.name}: ${t.description}`);
  const r = await runTarget(t, src, opts);
  reports.push(r);
  const s = r.slowest;
  if (r.stopped) console.log(`  ${r.stopped}`);
  console.log(`  ${r.inputs} inputs from ${r.seeds} seeds in ${(r.wallMs / 1000).toFixed(1)} s; heap ${r.heapGrowthMb >= 0 ? '+' : ''}${r.heapGrowthMb.toFixed(1)} MB after GC`);
  console.log(`  slowest (relative to its budget): ${s.ms.toFixed(1)} ms for ${s.bytes} bytes, budget ${s.allowedMs.toFixed(0)} ms (scan ${s.scanMs.toFixed(3)} ms, ratio ${t.ratio}, floor ${t.floorMs} ms)`);
  for (const f of r.findings) {
    console.log(`  FINDING ${f.kind} x${f.count}: ${f.message.split('\n')[0]}`);
    if (f.stack) console.log(f.stack.split('\n').slice(1, 6).map((l) => `      ${l.trim()}`).join('\n'));
    if (f.file) console.log(`      input: ${path.relative(repoRoot, f.file)} (${f.bytes?.length} bytes)${f.meta && Object.keys(f.meta).length ? ` meta ${JSON.stringify(f.meta)}` : ''}`);
  }
}
const total = reports.reduce((n, r) => n + r.findings.length, 0);
console.log(`\n${summaryTable(reports)}`);
console.log(`\n${reports.length} target(s), ${reports.reduce((n, r) => n + r.inputs, 0)} inputs, ${total} finding(s), seed ${seed}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
process.exit(total === 0 ? 0 : 1);
