/**
 * npm run bench [-- --quick] [area...]: runs every bench/<area>.ts (or the named ones) and prints
 * each figure beside the baseline measured in the same run, with the ratio.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchArea, BenchRow } from './lib.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const areas = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['lib.ts', 'run.ts'].includes(f) && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((a) => wanted.length === 0 || wanted.includes(a));

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));
console.log(`edi-gateway benchmarks (${quick ? 'quick' : 'full'}) on ${process.version}, ${(await import('node:os')).cpus().length} cores`);
let failed = false;
for (const area of areas) {
  const mod = await import(path.join(here, `${area}.ts`)) as { run?: BenchArea };
  if (!mod.run) continue;
  console.log(`\n## ${area}`);
  let rows: BenchRow[];
  try {
    rows = await mod.run({ quick });
  } catch (e) {
    failed = true;
    console.log(`  failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    continue;
  }
  for (const r of rows) {
    const base = r.baseline ? `   vs ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit}  (ratio ${(r.value / r.baseline.value).toFixed(2)})` : '';
    const rss = r.peakRssMb !== undefined ? `  peak RSS ${r.peakRssMb} MB` : '';
    console.log(`  ${r.name}: ${fmt(r.value)} ${r.unit}${rss}${base}${r.notes ? `\n    ${r.notes}` : ''}`);
  }
}
process.exit(failed ? 1 : 0);
