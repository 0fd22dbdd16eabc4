/**
 * Compiles every mapping once at load: each `*.inbound.yaml` / `*.outbound.yaml` under the
 * mappings folder plus the partners' explicit mapping files, so a broken mapping is reported at
 * load even before any document needs it. `load(file)` (for `extends:` and tables) reads files
 * relative to the mappings folder, or the requesting file when the path starts with "./".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isGatewayError } from '../core/errors.ts';
import { problem } from './problems.ts';
import type { CompileMapping, CompiledMappingLike, ConfigProblem, MappingSource } from './types.ts';

export const MAPPING_FILE = /\.(inbound|outbound)\.ya?ml$/;

export function listMappingFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (MAPPING_FILE.test(entry.name)) out.push(full);
    }
  };
  visit(dir);
  return out;
}

export function createMappingLoader(mappingsDir: string): (file: string, from?: string) => MappingSource {
  const cache = new Map<string, MappingSource>();
  return (file, from) => {
    const base = from && /^\.\.?\//.test(file) ? path.dirname(from) : mappingsDir;
    const absolute = path.resolve(base, file);
    const cached = cache.get(absolute);
    if (cached) return cached;
    const src = { file: absolute, text: readFileSync(absolute, 'utf8') };
    cache.set(absolute, src);
    return src;
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A thrown compile error as a located problem (GatewayError detail: file, line, col/column, hint). */
export function compileProblem(file: string, e: unknown): ConfigProblem {
  if (isGatewayError(e)) {
    const d = e.detail;
    const hint = typeof d.hint === 'string' ? d.hint : undefined;
    return problem({
      file: typeof d.file === 'string' ? d.file : file,
      line: num(d.line), col: num(d.col) ?? num(d.column),
      rule: e.code, message: e.message, hint,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return problem({ file, rule: 'mapping_compile', message });
}

export function compileMappings<M extends CompiledMappingLike>(
  files: readonly string[], mappingsDir: string, compile: CompileMapping<M>,
): { mappings: Map<string, M>; problems: ConfigProblem[] } {
  const mappings = new Map<string, M>();
  const problems: ConfigProblem[] = [];
  const read = createMappingLoader(mappingsDir);
  for (const file of files) {
    if (mappings.has(file)) continue;
    let src: MappingSource;
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      src = read(file);
    } catch {
      problems.push(problem({ file, rule: 'mapping_file_missing', message: `mapping file ${file} cannot be read` }));
      continue;
    }
    try {
      mappings.set(file, compile(src, { load: (f: string) => read(f, file) }));
    } catch (e) {
      problems.push(compileProblem(file, e));
    }
  }
  return { mappings, problems };
}
