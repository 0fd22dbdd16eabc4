/**
 * Compiles every mapping once at load: each `*.inbound.yaml` / `*.outbound.yaml` under the
 * mappings folder plus the partners' explicit mapping files, so a broken mapping is reported at
 * load even before any document needs it. The compiler sees each file by its name relative to
 * the mappings root and loads `extends:` targets the same way.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GatewayError, isGatewayError } from '../core/errors.ts';
import { problem } from './problems.ts';
import { readConfigFile } from './read-config-file.ts';
import { CONFIG_YAML_LIMITS } from './yaml-limits.ts';
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

/** A mapping's name as the mapping engine sees it: relative to the mappings root, "/" separated. */
export function mappingName(mappingsDir: string, absolute: string): string {
  return path.relative(mappingsDir, absolute).split(path.sep).join('/');
}

/**
 * `load(file)` for the compiler: `file` relative to the mappings root (or absolute); cached. Read
 * like every configuration file (size, UTF-8); a file that cannot be used throws a GatewayError
 * ('mapping_unreadable') whose message is the first problem and whose detail lists them all.
 */
export function createMappingLoader(mappingsDir: string): (file: string) => MappingSource {
  const cache = new Map<string, MappingSource>();
  return (file) => {
    const absolute = path.resolve(mappingsDir, file);
    const cached = cache.get(absolute);
    if (cached) return cached;
    const read = readConfigFile(absolute, CONFIG_YAML_LIMITS);
    if (read.problems) {
      const first = read.problems[0]!;
      throw new GatewayError('mapping_unreadable', `${first.rule}: ${first.message}`, { problems: read.problems });
    }
    const src = { file: mappingName(mappingsDir, absolute), text: read.text };
    cache.set(absolute, src);
    return src;
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface Located { file?: unknown; line?: unknown; col?: unknown; column?: unknown; rule?: unknown; message?: unknown; hint?: unknown }

/**
 * A thrown compile error as located problems: the mapping engine's GatewayError ('mapping_invalid')
 * lists all its problems in detail.problems ({ file, line, col, rule, message, hint }); any other
 * error becomes one problem at the file's start. Files are shown absolute, like partner files.
 */
export function compileProblems(file: string, mappingsDir: string, e: unknown): ConfigProblem[] {
  const at = (f: unknown) => (typeof f === 'string' ? path.resolve(mappingsDir, f) : file);
  const one = (d: Located, fallbackRule: string, fallbackMessage: string) => problem({
    file: at(d.file), line: num(d.line), col: num(d.col) ?? num(d.column),
    rule: typeof d.rule === 'string' ? d.rule : fallbackRule,
    message: typeof d.message === 'string' ? d.message : fallbackMessage,
    hint: typeof d.hint === 'string' ? d.hint : undefined,
  });
  if (isGatewayError(e)) {
    const listed = Array.isArray(e.detail.problems) ? (e.detail.problems as Located[]) : [];
    if (listed.length > 0) return listed.map((d) => one(d, e.code, e.message));
    return [one({ ...e.detail, message: e.message }, e.code, e.message)];
  }
  return [problem({ file, rule: 'mapping_compile', message: e instanceof Error ? e.message : String(e) })];
}

export function compileMappings<M extends CompiledMappingLike>(
  files: readonly string[], mappingsDir: string, compile: CompileMapping<M>,
): { mappings: Map<string, M>; problems: ConfigProblem[]; extended: Set<string> } {
  const mappings = new Map<string, M>();
  const problems: ConfigProblem[] = [];
  const read = createMappingLoader(mappingsDir);
  // extends: targets (absolute): used by path, whatever their names
  const extended = new Set<string>();
  const load = (f: string): MappingSource => { const src = read(f); extended.add(path.resolve(mappingsDir, f)); return src; };
  for (const file of files) {
    if (mappings.has(file)) continue;
    if (!existsSync(file)) {
      problems.push(problem({ file, rule: 'mapping_file_missing', message: `mapping file ${file} cannot be read` }));
      continue;
    }
    try {
      const m = compile(read(file), { load });
      mappings.set(file, m);
      for (const w of m.warnings ?? []) problems.push(problem({ file: path.resolve(mappingsDir, w.file), line: w.line, col: w.col, rule: w.rule, message: w.message, hint: withBaseOverride(w.hint, w.file, m), severity: 'warning' }));
    } catch (e) {
      // an unreadable file and the compiler's findings are located problems; anything else it throws costs this one file
      problems.push(...compileProblems(file, mappingsDir, e));
    }
  }
  return { mappings, problems, extended };
}

/**
 * A finding in a shared base (mappings/_base/) concerns every partner that uses it: the hint also
 * says how to change it for one partner only (a partner file that extends the base, as
 * docs/mapping-language.md "extends: and null" describes), rather than editing the base.
 */
export function withBaseOverride(hint: string | undefined, file: string, m: CompiledMappingLike): string | undefined {
  if (!file.startsWith('_base/')) return hint;
  const own = `mappings/<partner>/${m.format}-${m.message}.${m.direction}.yaml`;
  const how = `this is the shared base ${file}: to change it for one partner only, write ${own} with extends: ${file} and override that rule there (null removes it)`;
  return hint ? `${hint}; ${how}` : how;
}
