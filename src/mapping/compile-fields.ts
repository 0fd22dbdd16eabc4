/**
 * Compiles `fields:` (canonical objects, arrays and leaves) into closures. Inbound the keys are
 * canonical field names checked against the JSON Schema; outbound to object formats (xml/json/csv)
 * the keys are the partner's names and values are canonical paths.
 */
import { nearest, type FieldShape } from './canonical-fields.ts';
import { compileCondition } from './condition.ts';
import { addRule, problem, runProblem, warn, substitute, unresolvedParams, type Env, type Getter } from './env.ts';
import { isNull, mergeLocated, scalarText, withoutNulls, type LMap, type Loc, type LVal } from './located.ts';
import { Pending } from './pending.ts';
import { generateEach, generateGroup } from './codegen.ts';
import type { RunState } from './run-state.ts';
import { compileScalar, SCALAR_KEYS, type ScalarSite } from './compile-scalar.ts';

const GROUP_KEYS = ['within', 'use', 'with', 'when', 'fields', 'required'];
const ARRAY_KEYS = ['each', 'fields', 'use', 'with', 'when', 'within', 'required'];
const VALUE_KEYS = ['path', 'value', 'expr', 'as', 'codes', 'default'];

export interface FieldSite extends ScalarSite {
  shape?: FieldShape | undefined;
  /** the item group of a list: the list rule already stands for it */
  item?: boolean;
}

function isValueSpec(spec: LVal): boolean {
  if (spec.kind !== 'map') return true;
  return VALUE_KEYS.some((k) => spec.entries.has(k));
}

/** Compiles one field by the shape of its canonical target (or, with no schema, by the spec's shape). */
export function compileField(env: Env, spec: LVal, site: FieldSite): Getter | undefined {
  const shape = site.shape;
  if (shape === undefined) {
    if (spec.kind === 'map' && spec.entries.has('each')) return compileArray(env, spec, site);
    if (isValueSpec(spec)) return compileScalar(env, spec, site);
    return compileGroup(env, spec, site);
  }
  if (shape.type === 'object') {
    if (spec.kind === 'map' && spec.entries.has('expr')) return compileScalar(env, spec, site);
    return compileGroup(env, spec, site);
  }
  if (shape.type === 'array' && shape.items?.type === 'object') {
    if (spec.kind === 'map' && spec.entries.has('expr') && !spec.entries.has('each')) return compileScalar(env, spec, site);
    return compileArray(env, spec, site);
  }
  if (shape.type === 'array') return compileScalar(env, spec, { ...site, collect: true, shape: shape.items });
  return compileScalar(env, spec, site);
}

/** Expands `use:` (+ `with:` parameters) by merging the spec over the template. */
function expandTemplate(env: Env, spec: LMap): LMap | undefined {
  const useV = spec.entries.get('use');
  if (!useV) return spec;
  const name = scalarText(useV) ?? '';
  const tpl = env.templates.get(name);
  if (!tpl || tpl.kind !== 'map') {
    const near = nearest(name, [...env.templates.keys()]);
    problem(env, useV.loc, 'unknown_template', `template "${name}" is not defined under templates:`, near ? `did you mean "${near}"?` : 'define it under templates:');
    return undefined;
  }
  if (env.expanding.includes(name)) {
    problem(env, useV.loc, 'template_cycle', `template "${name}" uses itself (${[...env.expanding, name].join(' -> ')})`);
    return undefined;
  }
  const params = new Map<string, string>();
  const withV = spec.entries.get('with');
  if (withV?.kind === 'map') for (const [k, v] of withV.entries) params.set(k, scalarText(v) ?? '');
  const rest: LMap = { kind: 'map', entries: new Map(spec.entries), keyLocs: new Map(spec.keyLocs), loc: spec.loc };
  rest.entries.delete('use');
  rest.entries.delete('with');
  const substituted = substitute(tpl, params) as LMap;
  const missing = unresolvedParams(substituted);
  if (missing.length) {
    problem(env, useV.loc, 'template_parameter_missing', `template "${name}" needs ${missing.map((m) => `\${${m}}`).join(', ')}`, `add with: { ${missing.map((m) => `${m}: ...`).join(', ')} }`);
    return undefined;
  }
  env.expanding.push(name);
  const inner = expandTemplate(env, substituted);
  env.expanding.pop();
  return inner ? (mergeLocated(inner, rest) as LMap) : undefined;
}

/**
 * A dedent turns a block into null: `buyer:` with its fields at its own indentation reads as
 * `buyer: null` (which would silently map nothing, as a null that removes nothing from a base or
 * template) and the fields as its siblings. An empty value (not a written `null`) left after the
 * merges, whose field is an object or a list, is a located problem naming the keys below it that
 * belong under it; their unknown_field problems are left out (returned here).
 */
function dedentedKeys(env: Env, spec: LMap, shape: FieldShape | undefined): Set<string> {
  const adopted = new Set<string>();
  const props = shape?.properties;
  if (!props) return adopted;
  const keys = [...spec.entries.keys()];
  keys.forEach((k, i) => {
    const v = spec.entries.get(k)!;
    const target = props[k];
    if (!target || v.kind !== 'scalar' || v.value !== null || v.text !== '') return;
    const inner = target.type === 'object' ? target.properties : target.type === 'array' && target.items?.type === 'object' ? target.items.properties : undefined;
    if (!inner) return;
    const below = keys.slice(i + 1).filter((b) => b in inner && !(b in props));
    for (const b of below) adopted.add(b);
    const at = spec.keyLocs.get(k) ?? v.loc;
    const list = below.map((b) => `"${b}"`).join(', ');
    const wants = target.type === 'object' ? 'an object' : 'a list';
    (below.length > 0 ? problem : warn)(env, at, 'yaml_indentation', below.length > 0
      ? `"${k}:" on line ${at.line} is empty (YAML reads null) where ${wants} is expected, and ${list} below it ${below.length === 1 ? 'is' : 'are'} at its indentation: it looks like an indentation mistake`
      : `"${k}:" on line ${at.line} is empty (YAML reads null) where ${wants} is expected, so it maps nothing: it looks like an indentation mistake, or a field left without its rule`,
      below.length > 0 ? `indent ${list} under "${k}:" (two more spaces)` : `indent its rules under "${k}:", or write ${k}: null to say it is left out on purpose`);
  });
  return adopted;
}

/** A canonical object: its keys are fields. */
export function compileGroup(env: Env, spec0: LVal, site: FieldSite): Getter | undefined {
  if (spec0.kind !== 'map') {
    problem(env, spec0.loc, 'expected_fields', `${site.id || 'fields'} is an object: map its fields (e.g. name: N1/02) or use: a template`);
    return undefined;
  }
  const expanded = expandTemplate(env, spec0);
  if (!expanded) return undefined;
  const adopted = dedentedKeys(env, expanded, site.shape);
  const spec = withoutNulls(expanded);
  const ri = site.id && !site.item ? addRule(env, site.id, site.keyLoc, site.ptr) : -1;
  let ctxTag = site.ctxTag;
  const withinV = spec.entries.get('within');
  const within = withinV ? env.paths.nodes(scalarText(withinV) ?? '', withinV.loc, ctxTag) : undefined;
  if (within?.tag) ctxTag = within.tag;
  const whenV = spec.entries.get('when');
  const when = whenV ? compileCondition(env, scalarText(whenV) ?? '', whenV.loc, site.ctxTag) : undefined;
  const children: Array<[string, LVal, Loc]> = [];
  const fieldsV = spec.entries.get('fields');
  if (fieldsV?.kind === 'map') for (const [k, v] of fieldsV.entries) children.push([k, v, fieldsV.keyLocs.get(k) ?? v.loc]);
  for (const [k, v] of spec.entries) {
    if (GROUP_KEYS.includes(k) && !(site.shape?.properties && k in site.shape.properties)) continue;
    children.push([k, v, spec.keyLocs.get(k) ?? v.loc]);
  }
  const keys: string[] = [];
  const fns: Getter[] = [];
  const props = site.shape?.properties;
  for (const [k, v, loc] of children) {
    if (isNull(v)) continue;
    const id = site.id ? `${site.id}.${k}` : k;
    if (props && !(k in props)) {
      if (adopted.has(k)) continue; // the indentation finding names it
      const near = nearest(k, Object.keys(props));
      problem(env, loc, 'unknown_field', `"${id}" is not a field of the canonical ${env.documentLabel}`, near ? `did you mean "${near}"?` : `fields: ${Object.keys(props).join(', ')}`);
      continue;
    }
    const g = compileField(env, v, { id, ptr: [...site.ptr, k], keyLoc: loc, ctxTag, shape: props?.[k] });
    if (g) {
      keys.push(k);
      fns.push(g);
    }
  }
  let g = generateGroup(keys, fns, ri, env.hasExpr, Pending) as Getter;
  if (within) {
    const inner = g;
    const first = within.first;
    g = (ctx, st) => {
      const node = first(ctx, st);
      return node === undefined ? undefined : inner(node, st);
    };
  }
  if (spec.entries.get('required')?.kind === 'scalar' && (spec.entries.get('required') as { value: unknown }).value === true && ri >= 0) {
    const inner = g;
    g = (ctx, st) => {
      const v = inner(ctx, st);
      if (v === undefined) runProblem(st, env, ri, 'required_missing', `${site.id} is required but has no value`);
      return v;
    };
  }
  if (when) {
    const inner = g;
    g = (ctx, st) => (when(ctx, st) ? inner(ctx, st) : undefined);
  }
  return g;
}

/**
 * `each:` as one path, or a list of paths tried in order: the first that matches anything is
 * iterated (an 856's order levels, else its shipment level when it has no O levels).
 */
function eachNodes(env: Env, eachV: LVal, ctxTag: string | undefined): ReturnType<Env['paths']['nodes']> {
  if (eachV.kind !== 'seq') return env.paths.nodes(scalarText(eachV) ?? '', eachV.loc, ctxTag);
  const alternatives = eachV.items.map((v) => env.paths.nodes(scalarText(v) ?? '', v.loc, ctxTag));
  if (alternatives.length === 0 || alternatives.some((a) => a === undefined)) {
    if (alternatives.length === 0) problem(env, eachV.loc, 'expected_each', 'each: lists no path');
    return undefined;
  }
  const all = alternatives as NonNullable<ReturnType<Env['paths']['nodes']>>[];
  return {
    get: (ctx, st) => { for (const a of all) { const ns = a.get(ctx, st); if (ns.length > 0) return ns; } return []; },
    first: (ctx, st) => { for (const a of all) { const n = a.first(ctx, st); if (n !== undefined) return n; } return undefined; },
    ...(all.every((a) => a.tag === all[0]!.tag) && all[0]!.tag !== undefined ? { tag: all[0]!.tag } : {}),
  };
}

const eachText = (v: LVal): string => (v.kind === 'seq' ? v.items.map((x) => scalarText(x) ?? '').join(' | ') : scalarText(v) ?? '');

/** An array of objects: `each:` names the nodes (loops, segments, array items) to iterate. */
export function compileArray(env: Env, spec0: LVal, site: FieldSite): Getter | undefined {
  const spec = spec0.kind === 'map' ? withoutNulls(spec0) : spec0;
  if (spec.kind !== 'map' || !spec.entries.has('each')) {
    problem(env, spec.loc, 'expected_each', `${site.id} is a list: give each: (what to iterate) and fields: (each item's fields)`);
    return undefined;
  }
  for (const [k, v] of spec.entries) {
    if (!ARRAY_KEYS.includes(k) && !(site.shape?.items?.properties && k in site.shape.items.properties) && !(site.shape === undefined && !SCALAR_KEYS.includes(k))) {
      problem(env, spec.keyLocs.get(k) ?? v.loc, 'unknown_key', `"${k}" is not a keyword of a list rule (${ARRAY_KEYS.join(', ')}) nor a field of ${site.id}`);
    }
  }
  const eachV = spec.entries.get('each') as LVal;
  const withinV = spec.entries.get('within');
  const within = withinV ? env.paths.nodes(scalarText(withinV) ?? '', withinV.loc, site.ctxTag) : undefined;
  const nodes = eachNodes(env, eachV, within?.tag ?? site.ctxTag);
  const itemSpec: LMap = { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: spec.loc };
  for (const [k, v] of spec.entries) {
    if (k === 'each' || k === 'when' || k === 'within' || k === 'required') continue;
    itemSpec.entries.set(k, v);
    itemSpec.keyLocs.set(k, spec.keyLocs.get(k) ?? v.loc);
  }
  const ri = addRule(env, site.id, site.keyLoc, site.ptr);
  const item = compileGroup(env, itemSpec, { ...site, item: true, ptr: [...site.ptr, null], ctxTag: nodes?.tag ?? site.ctxTag, shape: site.shape?.items });
  if (!nodes || !item) return undefined;
  const req = spec.entries.get('required');
  const onEmpty = req?.kind === 'scalar' && req.value === true
    ? (st: RunState) => {
        runProblem(st, env, ri, 'required_missing', `${site.id} is required but ${eachText(eachV)} matched nothing`);
        return undefined;
      }
    : undefined;
  const whenV = spec.entries.get('when');
  const when = whenV ? compileCondition(env, scalarText(whenV) ?? '', whenV.loc, site.ctxTag) : undefined;
  const g = generateEach<Getter>(nodes.get, item, ri, when, onEmpty);
  if (!within) return g;
  const first = within.first;
  return (ctx, st) => {
    const n = first(ctx, st);
    return n === undefined ? undefined : g(n, st);
  };
}
