/** Temp config trees for config tests: partners/, mappings/, and a fake mapping compiler. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatewayError } from '../../src/core/errors.ts';
import type { CompiledMappingLike, MappingSource } from '../../src/config/types.ts';

export interface TempConfig {
  root: string;
  partnersDir: string;
  mappingsDir: string;
  write(relative: string, text: string): string;
  cleanup(): void;
}

export function createTempConfig(): TempConfig {
  const root = mkdtempSync(path.join(tmpdir(), 'edigw-config-'));
  const partnersDir = path.join(root, 'partners');
  const mappingsDir = path.join(root, 'mappings');
  mkdirSync(partnersDir);
  mkdirSync(mappingsDir);
  return {
    root, partnersDir, mappingsDir,
    write(relative, text) {
      const file = path.join(root, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Stands in for the mapping engine: reads `format/message/version/direction` lines of the file,
 * follows `extends:` through load(), and refuses a file containing `broken:` the way the real
 * compiler does (GatewayError 'mapping_invalid' listing located problems).
 */
export function fakeCompile(src: MappingSource, opts: { load(file: string): MappingSource }): CompiledMappingLike & { text: string } {
  const lines = src.text.split('\n');
  const field = (name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim().replace(/^"|"$/g, '');
  const brokenLine = lines.findIndex((l) => l.startsWith('broken:'));
  if (brokenLine >= 0) {
    throw new GatewayError('mapping_invalid', `${src.file}: 1 problem`, {
      problems: [{ file: src.file, line: brokenLine + 1, col: 1, rule: 'unknown_field', message: 'unknown canonical field "broken"', hint: 'did you mean "lines"?' }],
    });
  }
  const base = field('extends');
  const parent = base ? fakeCompile(opts.load(base), opts) : undefined;
  return {
    file: src.file,
    format: field('format') ?? parent?.format ?? '',
    message: field('message') ?? parent?.message ?? '',
    ...(field('version') ?? parent?.version ? { version: field('version') ?? parent?.version } : {}),
    direction: (field('direction') ?? parent?.direction ?? 'inbound') as 'inbound' | 'outbound',
    text: src.text,
  };
}

/** A minimal valid profile, to which a test adds the lines it is about. */
export function profile(id: string, extra = ''): string {
  return `id: ${id}\nname: Partner ${id}\nstatus: production\nidentifiers:\n  x12: { qualifier: ZZ, id: ${id.toUpperCase()} }\n${extra}`;
}
