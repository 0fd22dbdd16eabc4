/** Compile-time environment shared by the field and segment compilers. */
import type { Loc, LVal } from './located.ts';
import type { RunState } from './run-state.ts';
import type { Transform } from './transforms.ts';
import type { MappingProblem, RuleLocation } from './types.ts';

export type Getter = (ctx: unknown, st: RunState) => unknown;
export type ListGetter = (ctx: unknown, st: RunState) => unknown[];

/** How path text is compiled: segment paths, object paths ('/') or canonical paths ('.'). */
export interface PathKind {
  kind: 'wire' | 'object' | 'canonical';
  /** first non-empty scalar */
  value(text: string, loc: Loc, ctxTag: string | undefined): Getter | undefined;
  /** every non-empty scalar */
  values(text: string, loc: Loc, ctxTag: string | undefined): ListGetter | undefined;
  /** nodes to iterate (each) or enter (within); tag = segment tag of the nodes, when known */
  nodes(text: string, loc: Loc, ctxTag: string | undefined): { get: ListGetter; first: Getter; tag?: string } | undefined;
}

export interface Env {
  direction: 'inbound' | 'outbound';
  /** canonical document type, for messages */
  documentLabel: string;
  problems: MappingProblem[];
  /** findings that do not stop the mapping (a path that can find nothing where it is used) */
  warnings: MappingProblem[];
  rules: RuleLocation[];
  /** parallel to rules: JSON pointer template parts, null = an array index */
  pointers: Array<Array<string | null>>;
  paths: PathKind;
  transforms: Record<string, Transform>;
  codeTables: Map<string, LVal>;
  templates: Map<string, LVal>;
  /** template names being expanded (cycle check) */
  expanding: string[];
  /** the mapping uses expr: somewhere (groups then check for pending values) */
  hasExpr: boolean;
  /** whether expr sees the wire JSON view (x12/edifact inbound) */
  exprWire: boolean;
}

export function problem(env: Env, loc: Loc, rule: string, message: string, hint?: string): void {
  env.problems.push({ file: loc.file, line: loc.line, col: loc.col, rule, message, ...(hint ? { hint } : {}) });
}

export function warn(env: Env, loc: Loc, rule: string, message: string, hint?: string): void {
  env.warnings.push({ file: loc.file, line: loc.line, col: loc.col, rule, message, ...(hint ? { hint } : {}) });
}

export function addRule(env: Env, id: string, loc: Loc, ptr: Array<string | null>): number {
  env.rules.push({ id, file: loc.file, line: loc.line, col: loc.col });
  env.pointers.push(ptr);
  return env.rules.length - 1;
}

/** Where in the wire tree the last value came from, for run problems. */
export function wireWhere(st: RunState): string {
  const s = st.seg;
  if (!s) return '';
  return ` at ${s.tag} segment position ${s.position}, element ${String(st.elemPos).padStart(2, '0')}`;
}

export function runProblem(st: RunState, env: Env, ruleIdx: number, rule: string, message: string, hint?: string): void {
  const r = env.rules[ruleIdx];
  if (!r) return;
  const tpl = env.pointers[ruleIdx] ?? [];
  let k = 0;
  const pointer = '/' + tpl.map((p) => (p === null ? String(st.idx[k++] ?? 0) : p)).join('/');
  st.problems.push({ file: r.file, line: r.line, col: r.col, rule, message, ...(hint ? { hint } : {}), field: r.id, pointer });
}

/** Replaces ${name} in every scalar of a template with the `with:` parameters. */
export function substitute(v: LVal, params: Map<string, string>): LVal {
  if (params.size === 0) return v;
  if (v.kind === 'scalar') {
    if (typeof v.value !== 'string') return v;
    const text = v.text.replace(/\$\{(\w+)\}/g, (m, k: string) => params.get(k) ?? m);
    return { ...v, text, value: text };
  }
  if (v.kind === 'seq') return { ...v, items: v.items.map((x) => substitute(x, params)) };
  const entries = new Map<string, LVal>();
  for (const [k, x] of v.entries) entries.set(k, substitute(x, params));
  return { ...v, entries };
}

/** ${name} placeholders a template still holds after substitution (a `with:` parameter is missing). */
export function unresolvedParams(v: LVal, out = new Set<string>()): string[] {
  if (v.kind === 'scalar') {
    if (typeof v.value === 'string') for (const m of v.text.matchAll(/\$\{(\w+)\}/g)) out.add(m[1] ?? '');
  } else if (v.kind === 'seq') v.items.forEach((x) => unresolvedParams(x, out));
  else v.entries.forEach((x) => unresolvedParams(x, out));
  return [...out];
}
