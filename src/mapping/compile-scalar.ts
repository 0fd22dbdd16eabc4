/**
 * Compiles a scalar rule (a canonical leaf field, or an outbound element) into one closure:
 * path / value / expr -> `as` transforms -> `codes` -> default -> required check.
 */
import type { FieldShape } from './canonical-fields.ts';
import { nearest } from './canonical-fields.ts';
import { compileCondition } from './condition.ts';
import { addRule, problem, runProblem, wireWhere, type Env, type Getter } from './env.ts';
import { compileExpr } from './expr.ts';
import { scalarText, withoutNulls, type Loc, type LVal } from './located.ts';
import { generate } from './codegen.ts';
import { Pending } from './pending.ts';
import type { RunState } from './run-state.ts';
import { lookupTransform, TransformFailure, transformNames, type Transform } from './transforms.ts';

export const SCALAR_KEYS = ['path', 'as', 'codes', 'value', 'default', 'required', 'when', 'expr', 'within'];

export interface ScalarSite {
  id: string;
  ptr: Array<string | null>;
  keyLoc: Loc;
  ctxTag: string | undefined;
  shape?: FieldShape | undefined;
  /** array of scalars: collect every non-empty value */
  collect?: boolean;
}

interface CodeTable {
  name: string;
  map: Map<string, unknown>;
  fallback: unknown;
}

function codeTable(env: Env, v: LVal, site: ScalarSite): CodeTable | undefined {
  let name = `${site.id}.codes`;
  let tbl: LVal | undefined = v;
  if (v.kind === 'scalar') {
    name = v.text;
    tbl = env.codeTables.get(name);
    if (!tbl) {
      const near = nearest(name, [...env.codeTables.keys()]);
      problem(env, v.loc, 'unknown_code_table', `code table "${name}" is not defined under codeTables:`, near ? `did you mean "${near}"?` : 'define it under codeTables:');
      return undefined;
    }
  }
  if (tbl.kind !== 'map') {
    problem(env, tbl.loc, 'bad_code_table', `codes must be a map of code: value or the name of a table under codeTables:`);
    return undefined;
  }
  const map = new Map<string, unknown>();
  let fallback: unknown;
  const allowed = site.shape?.enum;
  for (const [k, x] of tbl.entries) {
    const val = x.kind === 'scalar' ? (typeof x.value === 'string' ? x.value : x.value === null ? undefined : x.text) : undefined;
    if (allowed && val !== undefined && !allowed.includes(String(val))) {
      problem(env, x.loc, 'invalid_code_value', `code table ${name} maps "${k}" to "${String(val)}", which ${site.id} does not allow`, `use one of ${allowed.join(', ')}`);
    }
    if (k === '*') fallback = val;
    else map.set(k, val);
  }
  return { name, map, fallback };
}

function transformsOf(env: Env, v: LVal): Transform[] | undefined {
  const items = v.kind === 'seq' ? v.items : [v];
  const out: Transform[] = [];
  for (const it of items) {
    const name = scalarText(it) ?? '';
    const t = lookupTransform(name, env.transforms, env.direction);
    if (!t) {
      const near = nearest(name, transformNames(env.transforms));
      problem(env, it.loc, 'unknown_transform', `transform "${name}" is unknown`, near ? `did you mean "${near}"?` : `known: ${transformNames(env.transforms).join(', ')}`);
      return undefined;
    }
    out.push(t);
  }
  return out;
}

/** Compiles one scalar rule; registers it in env.rules. Returns undefined when it has errors. */
export function compileScalar(env: Env, spec0: LVal, site: ScalarSite): Getter | undefined {
  const spec = spec0.kind === 'map' ? withoutNulls(spec0) : spec0;
  const ri = addRule(env, site.id, site.keyLoc, site.ptr);
  const before = env.problems.length;
  const m = spec.kind === 'map' ? spec.entries : new Map<string, LVal>([['path', spec]]);
  if (spec.kind === 'map') {
    for (const [k, x] of spec.entries) {
      if (!SCALAR_KEYS.includes(k)) {
        const near = nearest(k, SCALAR_KEYS);
        problem(env, spec.keyLocs.get(k) ?? x.loc, 'unknown_key', `"${k}" is not a rule keyword for ${site.id}`, near ? `did you mean "${near}"?` : `keywords: ${SCALAR_KEYS.join(', ')}`);
      }
    }
  }
  let ctxTag = site.ctxTag;
  const withinV = m.get('within');
  let within: Getter | undefined;
  if (withinV) {
    const n = env.paths.nodes(scalarText(withinV) ?? '', withinV.loc, ctxTag);
    within = n?.first;
    ctxTag = n?.tag ?? ctxTag;
  }
  const whenV = m.get('when');
  const when = whenV ? compileCondition(env, scalarText(whenV) ?? '', whenV.loc, site.ctxTag) : undefined;
  const tf = m.get('as') ? transformsOf(env, m.get('as') as LVal) : [];
  const codesV = m.get('codes');
  const codes = codesV ? codeTable(env, codesV, site) : undefined;
  const dv = m.get('default');
  const dflt = dv?.kind === 'scalar' && dv.value !== null ? dv.value : undefined;
  const required = m.get('required')?.kind === 'scalar' && (m.get('required') as { value: unknown }).value === true;
  // the source of the raw value
  let raw: Getter | undefined;
  let async = false;
  const pathV = m.get('path');
  const valueV = m.get('value');
  const exprV = m.get('expr');
  if ([pathV, valueV, exprV].filter(Boolean).length > 1) problem(env, spec.loc, 'conflicting_source', `${site.id} has more than one of path:, value:, expr:`, 'keep one');
  if (valueV) {
    const c = valueV.kind === 'scalar' ? valueV.value : undefined;
    raw = () => c;
  } else if (exprV) {
    const ce = compileExpr(scalarText(exprV) ?? '', env.exprWire);
    if (typeof ce === 'string') problem(env, exprV.loc, 'bad_expression', `${site.id}: ${ce}`);
    else {
      raw = (c, st) => ce.evaluate(c, st);
      async = true;
    }
  } else if (pathV?.kind === 'seq') {
    const alts = pathV.items.map((it) => (site.collect ? env.paths.values : env.paths.value)(scalarText(it) ?? '', it.loc, ctxTag));
    if (alts.every(Boolean)) {
      const gs = alts as Getter[];
      const b: Record<string, unknown> = {};
      gs.forEach((g, i) => (b[`a${i}`] = g));
      raw = site.collect
        ? generate<Getter>(b, `function collect(c, st) {\n  const out = [];\n${gs.map((_, i) => `  for (const x of a${i}(c, st)) out.push(x);`).join('\n')}\n  return out;\n}`)
        : generate<Getter>(b, `function firstOf(c, st) {\n  let v;\n${gs.map((_, i) => `  v = a${i}(c, st); if (v !== undefined) return v;`).join('\n')}\n  return undefined;\n}`);
    }
  } else if (pathV) {
    const text = scalarText(pathV);
    if (text === undefined) problem(env, pathV.loc, 'bad_path', `${site.id}: path must be a string or a list of alternatives`);
    else raw = (site.collect ? env.paths.values : env.paths.value)(text, pathV.loc, ctxTag);
  } else if (dflt === undefined) {
    problem(env, spec.loc, 'no_source', `${site.id} has no path:, value:, expr: or default:`, 'add path: <where the value is>');
  } else raw = () => undefined;
  if (env.problems.length > before || !raw || !tf) return undefined;

  const id = site.id;
  const pathText = pathV ? (scalarText(pathV) ?? (pathV.kind === 'seq' ? pathV.items.map((i) => scalarText(i)).join(' | ') : undefined)) : undefined;
  const mapCode = (v: unknown, st: RunState): unknown => {
    if (!codes) return v;
    const key = String(v);
    const c = codes.map.get(key);
    if (c !== undefined) return c;
    if (codes.fallback !== undefined) return codes.fallback;
    runProblem(st, env, ri, 'unknown_code', `${id}: code "${key}" is not in code table ${codes.name}${wireWhere(st)}`, `add "${key}" to the table, or "*": <default> for any other code`);
    return null;
  };
  const convert = (v: unknown, st: RunState): unknown => {
    if (v === undefined || v === null || v === '') return undefined;
    for (let i = 0; i < tf.length; i++) {
      try {
        v = (tf[i] as Transform)(v);
      } catch (e) {
        if (!(e instanceof TransformFailure)) throw e;
        runProblem(st, env, ri, 'invalid_value', `${id}: ${e.message}${wireWhere(st)}`);
        return null;
      }
    }
    return codes ? mapCode(v, st) : v;
  };
  const post = (v: unknown, st: RunState): unknown => {
    let out: unknown;
    if (site.collect && Array.isArray(v)) {
      const xs = v.map((x) => convert(x, st)).filter((x) => x !== undefined && x !== null);
      out = xs.length ? xs : undefined;
    } else out = convert(v, st);
    if (out === null) return undefined;
    if (out === undefined && dflt !== undefined) out = dflt;
    if (out === undefined && required) {
      runProblem(st, env, ri, 'required_missing', pathText ? `${id} is required but ${pathText} is empty` : `${id} is required but has no value`);
    }
    if (out !== undefined) st.used[ri] = 1;
    return out;
  };
  // JSONata rejects with a plain object { code, message, position } (not an Error) when partner data
  // breaks an expression ($number("abc")): a run problem like a failed transform, not an untyped crash
  const exprFailed = (e: unknown, st: RunState): undefined => {
    const x = e as { code?: unknown; message?: unknown; position?: unknown } | null;
    if (e instanceof Error || typeof x?.code !== 'string' || typeof x.message !== 'string') throw e;
    runProblem(st, env, ri, 'invalid_value', `${id}: expression failed (JSONata ${x.code}: ${x.message}${typeof x.position === 'number' ? ` at character ${x.position}` : ''})`);
    return undefined;
  };
  const r = raw;
  if (async || site.collect) {
    let g: Getter = async ? (c, st) => new Pending((r(c, st) as Promise<unknown>).then((v) => post(v, st), (e) => exprFailed(e, st))) : (c, st) => post(r(c, st), st);
    if (within) {
      const inner = g;
      const w = within;
      g = (c, st) => {
        const n = w(c, st);
        return n === undefined ? post(undefined, st) : inner(n, st);
      };
    }
    if (when) {
      const inner = g;
      g = (c, st) => (when(c, st) ? inner(c, st) : undefined);
    }
    return g;
  }
  const missing = (st: RunState): unknown => {
    if (dflt !== undefined) {
      st.used[ri] = 1;
      return dflt;
    }
    if (required) runProblem(st, env, ri, 'required_missing', pathText ? `${id} is required but ${pathText} is empty` : `${id} is required but has no value`);
    return undefined;
  };
  const bad = (e: unknown, st: RunState): undefined => {
    if (!(e instanceof TransformFailure)) throw e;
    runProblem(st, env, ri, 'invalid_value', `${id}: ${e.message}${wireWhere(st)}`);
    return undefined;
  };
  const lookup = mapCode;
  const b: Record<string, unknown> = { r, missing, bad, lookup, when, within };
  tf.forEach((t, i) => (b[`t${i}`] = t));
  const empty = dflt !== undefined || required ? 'return missing(st);' : 'return undefined;';
  return generate<Getter>(b, `function field(ctx, st) {
  ${when ? 'if (!when(ctx, st)) return undefined;' : ''}
  ${within ? `const n = within(ctx, st); if (n === undefined) { ${empty} } ctx = n;` : ''}
  let v = r(ctx, st);
  if (v === undefined || v === null || v === '') { ${empty} }
  ${tf.length ? `try { ${tf.map((_, i) => `v = t${i}(v);`).join(' ')} } catch (e) { return bad(e, st); }` : ''}
  ${codes ? `v = lookup(v, st); if (v === null) return undefined; if (v === undefined) { ${empty} }` : ''}
  st.used[${ri}] = 1;
  return v;
}`);
}

