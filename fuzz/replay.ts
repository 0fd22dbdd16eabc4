/**
 * node --import tsx fuzz/replay.ts <fuzz/crashes/target-hash.bin>...: feeds a saved input to its
 * target again (meta from the .json beside it) and prints the outcome with the full stack.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeedSource } from './seeds.ts';
import { TARGETS } from './targets/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = loadSeedSource(repoRoot);
for (const file of process.argv.slice(2)) {
  const target = TARGETS.find((t) => path.basename(file).startsWith(`${t.name}-`));
  if (!target) { console.log(`${file}: no target named by the file`); continue; }
  const meta = existsSync(`${file}.json`) ? (JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { meta?: Record<string, string> }).meta ?? {} : {};
  await target.setup(src);
  const t0 = performance.now();
  try {
    await target.run(readFileSync(file), meta);
    console.log(`${file}: typed outcome in ${(performance.now() - t0).toFixed(1)} ms`);
  } catch (e) {
    const typed = target.isTyped ? target.isTyped(e) : false;
    console.log(`${file}: ${typed ? 'typed' : 'UNTYPED'} after ${(performance.now() - t0).toFixed(1)} ms:`, e instanceof Error ? e.stack : e, (e as { cause?: unknown }).cause ?? '');
  }
  target.teardown?.();
}
