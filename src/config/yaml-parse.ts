/**
 * Configuration YAML as located problems: the guarded parse (src/mapping/yaml-guard.ts, shared
 * with the mapping loader) with the file named, and the conversion to plain data under yaml's
 * alias limit, where an expansion the limit stops is a problem too.
 */
import { visit, type Node } from 'yaml';
import { parseGuardedYaml, type GuardedYaml, type GuardOptions } from '../mapping/yaml-guard.ts';
import { problem } from './problems.ts';
import type { ConfigProblem } from './types.ts';

export type ParsedYaml = GuardedYaml;
export type ParseResult = (ParsedYaml & { problems: ConfigProblem[] }) | { doc?: undefined; problems: ConfigProblem[] };

export function parseConfigYaml(file: string, text: string, opts: GuardOptions): ParseResult {
  const r = parseGuardedYaml(text, opts);
  const problems = r.problems.map((p) => problem({ file, ...p }));
  return r.doc ? { doc: r.doc, lineCounter: r.lineCounter, problems } : { problems };
}

/** The document as plain data, with yaml's alias limit; an expansion the limit stops is a problem. */
export function yamlValue(file: string, parsed: ParsedYaml, maxAliasCount: number): { value: unknown } | { problems: ConfigProblem[] } {
  try {
    return { value: parsed.doc.toJS({ maxAliasCount }) };
  } catch (e) {
    let firstAlias: Node | undefined;
    visit(parsed.doc, { Alias(_k, n) { firstAlias = n; return visit.BREAK; } });
    const pos = parsed.lineCounter.linePos(firstAlias?.range?.[0] ?? 0);
    const limit = e instanceof ReferenceError && /alias count/i.test(e.message);
    return {
      problems: [problem({
        file, ...pos, rule: limit ? 'yaml_alias_limit' : 'yaml_unreadable',
        message: limit ? `aliases expand past the limit (maxAliasCount ${maxAliasCount}): an alias bomb?` : `the YAML cannot be converted (${e instanceof Error ? e.message : String(e)})`,
        hint: limit ? 'use fewer aliases, or write the values out' : undefined,
      })],
    };
  }
}
