/**
 * YAML parsed into a tree that keeps each value's file:line:col, so every check can point at
 * the exact place in the file (also after `extends:` merged a base file with a partner file).
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { MappingProblem } from './types.ts';
import { CONFIG_YAML_DEPTH, parseGuardedYaml } from './yaml-guard.ts';

export interface Loc {
  file: string;
  line: number;
  col: number;
}

export type LVal = LScalar | LMap | LSeq;
export interface LScalar {
  kind: 'scalar';
  /** typed value (YAML core schema) */
  value: unknown;
  /** source text: '00' stays '00' even when unquoted */
  text: string;
  loc: Loc;
}
export interface LMap {
  kind: 'map';
  entries: Map<string, LVal>;
  keyLocs: Map<string, Loc>;
  loc: Loc;
}
export interface LSeq {
  kind: 'seq';
  items: LVal[];
  loc: Loc;
}

/**
 * Parses a mapping file through the guarded parse (control characters, nesting bound, aliases
 * refused: the mapping language has none, and would read one as null); every YAML error becomes
 * a located problem (yaml_syntax, yaml_too_deep, yaml_duplicate_key, ...). Warnings are dropped.
 */
export function parseLocated(file: string, text: string, problems: MappingProblem[]): LVal | undefined {
  const parsed = parseGuardedYaml(text, { maxDepth: CONFIG_YAML_DEPTH, aliases: 'refuse' });
  for (const p of parsed.problems) {
    if (p.severity === 'error') problems.push({ file, line: p.line, col: p.col, rule: p.rule, message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
  }
  if (!parsed.doc) return undefined;
  const { doc, lineCounter: lc } = parsed;
  const at = (offset: number | undefined): Loc => {
    const p = lc.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  const conv = (n: unknown): LVal => {
    const node = n as Node | null;
    if (isMap(node)) {
      const m: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: at(node.range?.[0]) };
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const key = isScalar(k) ? (k.source ?? String(k.value)) : String(k);
        m.entries.set(key, conv(pair.value));
        m.keyLocs.set(key, at(k?.range?.[0]));
      }
      return m;
    }
    if (isSeq(node)) {
      return { kind: 'seq', items: node.items.map(conv), loc: at(node.range?.[0]) };
    }
    if (isScalar(node)) {
      const text = typeof node.value === 'string' ? node.value : (node.source ?? (node.value === null ? '' : String(node.value)));
      return { kind: 'scalar', value: node.value, text, loc: at(node.range?.[0]) };
    }
    return { kind: 'scalar', value: null, text: '', loc: at(undefined) };
  };
  return conv(doc.contents);
}

export function isNull(v: LVal | undefined): boolean {
  return v === undefined || (v.kind === 'scalar' && v.value === null);
}

/**
 * Deep merge for `extends:` and templates: maps merge key by key, anything else replaces, null
 * removes the key (a null with nothing to remove stays, so it can still remove a template's field).
 */
export function mergeLocated(base: LVal, over: LVal): LVal {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const out: LMap = { kind: 'map', entries: new Map(base.entries), keyLocs: new Map(base.keyLocs), loc: over.loc };
  for (const [k, v] of over.entries) {
    const loc = over.keyLocs.get(k) ?? over.loc;
    if (isNull(v) && out.entries.has(k)) {
      out.entries.delete(k);
      out.keyLocs.delete(k);
      continue;
    }
    const prev = out.entries.get(k);
    out.entries.set(k, prev ? mergeLocated(prev, v) : v);
    out.keyLocs.set(k, loc);
  }
  return out;
}

/** A scalar's text, or undefined for maps/sequences. */
export function scalarText(v: LVal | undefined): string | undefined {
  return v?.kind === 'scalar' && v.value !== null ? v.text : undefined;
}

/** The map without its null-valued keys (nulls only matter while merging). */
export function withoutNulls(m: LMap): LMap {
  let any = false;
  for (const v of m.entries.values()) if (isNull(v)) any = true;
  if (!any) return m;
  const out: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: m.loc };
  for (const [k, v] of m.entries) {
    if (isNull(v)) continue;
    out.entries.set(k, v);
    out.keyLocs.set(k, m.keyLocs.get(k) ?? v.loc);
  }
  return out;
}
