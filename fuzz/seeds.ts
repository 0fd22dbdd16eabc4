/**
 * Seed files: fixtures/** and, when present, ../shared/conformance/** (read in place, never
 * copied into the repository). Each target picks its own seeds from these by content.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SeedSource } from './types.ts';

const MAX_SEED_BYTES = 2 << 20;

function walk(root: string, out: string[]): void {
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(root, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.isFile() && statSync(full).size <= MAX_SEED_BYTES) out.push(full);
  }
}

export function conformanceDir(repoRoot: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'conformance');
}

export function loadSeedSource(repoRoot: string): SeedSource {
  const files: string[] = [];
  walk(path.join(repoRoot, 'fixtures'), files);
  const conf = conformanceDir(repoRoot);
  const conformancePresent = existsSync(conf);
  if (conformancePresent) walk(conf, files);
  return {
    repoRoot,
    conformancePresent,
    files: files.map((p) => ({ path: p, rel: path.relative(path.dirname(repoRoot), p), bytes: readFileSync(p) })),
  };
}

const dec = new TextDecoder('latin1');

/** the first non-blank bytes of a file as text (BOM and leading whitespace skipped) */
export function head(bytes: Uint8Array, n = 8): string {
  return dec.decode(bytes.subarray(0, 256)).replace(/^\uFEFF|^ï»¿/, '').trimStart().slice(0, n);
}
