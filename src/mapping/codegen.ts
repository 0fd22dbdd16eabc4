/**
 * Small code generators for the hot paths. Closures shared by every field make their call sites
 * megamorphic; generating one function per field / group (new Function, once at compile time)
 * gives each its own monomorphic call sites and stable object shapes, like hand-written code.
 * Only identifiers we create and JSON.stringify'd literals go into the source.
 */
import type { Element } from '../formats/wire.ts';
import type { WirePath, WirePred } from './wire-path.ts';

let serial = 0;

/** Builds a function from source with the given bindings in scope. */
export function generate<T>(bindings: Record<string, unknown>, body: string): T {
  const names = Object.keys(bindings);
  // the serial keeps sources distinct so each generated function gets its own feedback
  const factory = new Function(...names, `/* mapping#${++serial} */\n'use strict';\nreturn ${body};`) as (...a: unknown[]) => T;
  return factory(...names.map((n) => bindings[n]));
}

export function elementText(e: Element | undefined, comp: number): string | undefined {
  if (e === undefined) return undefined;
  if (typeof e === 'string') return comp <= 0 ? e : undefined;
  return e[comp < 0 ? 0 : comp];
}

const lit = (v: string): string => JSON.stringify(v);

function predCode(p: WirePred, seg: string): string {
  const x = `et(${seg}.elements[${p.elem.index}], ${p.comp ? p.comp.index : -1}) ?? ''`;
  const test = p.values.length === 1 ? `(${x}) === ${lit(p.values[0] ?? '')}` : `[${p.values.map(lit).join(', ')}].includes(${x})`;
  return p.negate ? `!(${test})` : `(${test})`;
}

/** A value getter for a path of at most one step (the common case), as one generated function. */
export function generateWireValue(p: WirePath): (ctx: unknown, st: unknown) => unknown {
  const step = p.steps[0];
  const idx = p.elem?.index ?? 0;
  const comp = p.comp ? p.comp.index : -1;
  const preds = step ? step.preds.map((pr) => predCode(pr, 't')).join(' && ') || 'true' : 'true';
  const find = step
    ? `let s;
  if (from.tag !== undefined) { const t = from; if (t.tag === ${lit(step.name)} && ${preds}) s = t; }
  else {
    const cs = from.children;
    if (cs === undefined) return undefined;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.tag === ${lit(step.name)} || c.loop === ${lit(step.name)}) {
        const t = c.tag !== undefined ? c : c.children[0];
        if (t !== undefined && t.tag !== undefined && ${preds}) { s = t; break; }
      }
    }
  }
  if (s === undefined) return undefined;`
    : `const s = from.tag !== undefined ? from : from.children !== undefined && from.children[0] !== undefined && from.children[0].tag !== undefined ? from.children[0] : undefined;
  if (s === undefined) return undefined;`;
  const read = p.qualifier !== undefined
    ? `const els = s.elements;
  for (let i = ${idx}; i + 1 < els.length; i += 2) {
    if (et(els[i], -1) === ${lit(p.qualifier)}) {
      st.seg = s; st.elemPos = i + 2;
      const v = et(els[i + 1], ${comp});
      return v === '' ? undefined : v;
    }
  }
  return undefined;`
    : `st.seg = s; st.elemPos = ${idx + 1};
  const e = s.elements[${idx}];
  const v = typeof e === 'string' ? ${comp <= 0 ? 'e' : 'undefined'} : e === undefined ? undefined : e[${comp < 0 ? 0 : comp}];
  return v === '' ? undefined : v;`;
  return generate({ et: elementText }, `function wireValue(ctx, st) {
  const from = ${p.absolute ? 'st.root' : 'ctx'};
  if (from === undefined || from === null) return undefined;
  ${find}
  ${read}
}`);
}

/** An object from its fields: one generated function, literal keys, one call site per field. */
export function generateGroup<G>(keys: string[], fns: G[], ruleIdx: number, withPending: boolean, Pending: unknown): G {
  const bindings: Record<string, unknown> = { Pending };
  const lines = keys.map((k, i) => {
    bindings[`f${i}`] = fns[i];
    const set = withPending
      ? `if (v instanceof Pending) { const obj = o; obj[${lit(k)}] = undefined; st.pending.push(v.promise.then((x) => { obj[${lit(k)}] = x; })); } else o[${lit(k)}] = v;`
      : `o[${lit(k)}] = v;`;
    return `  v = f${i}(ctx, st);\n  if (v !== undefined) { if (o === undefined) o = {}; ${set} }`;
  });
  return generate(bindings, `function group(ctx, st) {
  let o; let v;
${lines.join('\n')}
  ${ruleIdx >= 0 ? `if (o !== undefined) st.used[${ruleIdx}] = 1;` : ''}
  return o;
}`);
}

/** The nodes a one-step path selects (each:), as one generated function. */
export function generateWireNodes(p: WirePath): (ctx: unknown, st: unknown) => unknown[] {
  const step = p.steps[0];
  if (!step) throw new Error('generateWireNodes needs one step');
  const preds = step.preds.map((pr) => predCode(pr, 't')).join(' && ') || 'true';
  return generate({ et: elementText }, `function wireNodes(ctx, st) {
  const from = ${p.absolute ? 'st.root' : 'ctx'};
  const out = [];
  if (from === undefined || from === null) return out;
  if (from.tag !== undefined) { const t = from; if (t.tag === ${lit(step.name)} && ${preds}) out.push(t); return out; }
  const cs = from.children;
  if (cs === undefined) return out;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (c.tag === ${lit(step.name)} || c.loop === ${lit(step.name)}) {
      const t = c.tag !== undefined ? c : c.children[0];
      if (t !== undefined && t.tag !== undefined && ${preds}) out.push(c);
    }
  }
  return out;
}`);
}

/** A list from `each:`: one generated function per list rule. */
export function generateEach<G>(get: unknown, item: unknown, ruleIdx: number, whenFn: unknown, onEmpty: unknown): G {
  return generate<G>({ get, item, whenFn, onEmpty }, `function each(ctx, st) {
  ${whenFn ? 'if (!whenFn(ctx, st)) return undefined;' : ''}
  const ns = get(ctx, st);
  const out = [];
  const d = st.depth++;
  for (let i = 0; i < ns.length; i++) {
    st.idx[d] = out.length;
    const v = item(ns[i], st);
    if (v !== undefined) out.push(v);
  }
  st.depth = d;
  if (out.length === 0) return ${onEmpty ? 'onEmpty(st)' : 'undefined'};
  st.used[${ruleIdx}] = 1;
  return out;
}`);
}
