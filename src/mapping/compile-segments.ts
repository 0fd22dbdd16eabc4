/**
 * Outbound to X12 / EDIFACT: `segments:` says which segments to emit from the canonical document.
 *   - BEG: ["00", "SA", "=poNumber", "", { path: poDate, as: date }]   literal, "=path", rule, [composite]
 *   - { N1: [...], when: buyer }                                         conditional segment
 *   - { loop: PO1, each: lines, segments: [...] }                        a loop per item
 *   - { use: party, with: { code: BY }, within: buyer }                  a template (list of items)
 * A segment whose canonical values are all empty is left out.
 */
import type { Element, Loop, Segment, WireNode } from '../formats/wire.ts';
import { nearest } from './canonical-fields.ts';
import { compileScalar } from './compile-scalar.ts';
import { compileCondition } from './condition.ts';
import { problem, substitute, unresolvedParams, type Env, type Getter } from './env.ts';
import { scalarText, withoutNulls, type LMap, type LVal } from './located.ts';
import { Pending } from './pending.ts';
import type { RunState } from './run-state.ts';
import type { GrammarIndex } from './wire-grammar.ts';

export type Emit = (ctx: unknown, st: RunState, out: WireNode[]) => void;
const ITEM_KEYS = ['loop', 'each', 'within', 'when', 'segments', 'use', 'with'];
const TAG = /^[A-Z][A-Z0-9]{1,3}$/;

interface ElemFn {
  get: Getter;
  fromPath: boolean;
}

function compileElement(env: Env, v: LVal, id: string): ElemFn | undefined {
  if (v.kind === 'scalar') {
    if (v.value === null) return { get: () => undefined, fromPath: false };
    if (v.text.startsWith('=')) {
      const g = compileScalar(env, { ...v, text: v.text.slice(1), value: v.text.slice(1) }, { id, ptr: [], keyLoc: v.loc, ctxTag: undefined });
      return g ? { get: g, fromPath: true } : undefined;
    }
    const c = v.text;
    return { get: () => c, fromPath: false };
  }
  if (v.kind === 'map') {
    const g = compileScalar(env, v, { id, ptr: [], keyLoc: v.loc, ctxTag: undefined });
    return g ? { get: g, fromPath: v.entries.has('path') || v.entries.has('expr') } : undefined;
  }
  const comps = v.items.map((c, i) => compileElement(env, c, `${id}-${i + 1}`));
  if (!comps.every(Boolean)) return undefined;
  const cs = comps as ElemFn[];
  return {
    fromPath: cs.some((c) => c.fromPath),
    get: (ctx, st) => {
      const out = cs.map((c) => str(c.get(ctx, st)));
      while (out.length > 0 && out[out.length - 1] === '') out.pop();
      return out.length === 0 ? undefined : out;
    },
  };
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v);
}

function compileSegment(env: Env, tag: string, v: LVal, prefix: string, gi: GrammarIndex | undefined): Emit | undefined {
  if (v.kind !== 'seq') {
    problem(env, v.loc, 'bad_segment', `segment ${tag} must be a list of elements, e.g. ${tag}: ["a", "=field"]`);
    return undefined;
  }
  const def = gi?.grammar.segments[tag];
  if (gi && !def) {
    problem(env, v.loc, 'not_in_grammar', `segment ${tag} is not in the grammar of ${gi.label}`, `see the ${gi.label} grammar`);
    return undefined;
  }
  if (def && v.items.length > def.elements.length) {
    problem(env, v.items[def.elements.length]?.loc ?? v.loc, 'not_in_grammar', `segment ${tag} has ${def.elements.length} elements in ${gi?.label ?? ''}, this lists ${v.items.length}`);
  }
  const els = v.items.map((x, i) => compileElement(env, x, `${prefix}${tag}${String(i + 1).padStart(2, '0')}`));
  if (!els.every(Boolean)) return undefined;
  const fns = els as ElemFn[];
  const anyPath = fns.some((f) => f.fromPath);
  return (ctx, st, out) => {
    const elements: Element[] = new Array<Element>(fns.length);
    let filled = false;
    const seg: Segment = { tag, elements, position: 0 };
    for (let i = 0; i < fns.length; i++) {
      const f = fns[i] as ElemFn;
      const x = f.get(ctx, st);
      if (x instanceof Pending) {
        filled = true;
        elements[i] = '';
        const k = i;
        st.pending.push(x.promise.then((r) => void (elements[k] = Array.isArray(r) ? r.map(str) : str(r))));
        continue;
      }
      if (f.fromPath && x !== undefined) filled = true;
      elements[i] = Array.isArray(x) ? (x as string[]) : str(x);
    }
    if (anyPath && !filled) return;
    out.push(seg);
  };
}

export function compileSegments(env: Env, list: LVal, prefix: string, gi: GrammarIndex | undefined): Emit | undefined {
  if (list.kind !== 'seq') {
    problem(env, list.loc, 'bad_segments', `segments: must be a list of segments and loops`);
    return undefined;
  }
  const emits: Emit[] = [];
  let ok = true;
  for (const item of list.items) {
    const e = compileItem(env, item, prefix, gi);
    if (e) emits.push(e);
    else ok = false;
  }
  if (!ok) return undefined;
  return (ctx, st, out) => {
    for (const e of emits) e(ctx, st, out);
  };
}

function compileItem(env: Env, item0: LVal, prefix: string, gi: GrammarIndex | undefined): Emit | undefined {
  const item = item0.kind === 'map' ? withoutNulls(item0) : item0;
  if (item.kind !== 'map') {
    problem(env, item.loc, 'bad_segment', `each entry of segments: is a segment ({ BEG: [...] }), a loop ({ loop: PO1, ... }) or a template ({ use: name })`);
    return undefined;
  }
  const tags = [...item.entries.keys()].filter((k) => !ITEM_KEYS.includes(k));
  for (const k of tags) {
    if (!TAG.test(k)) problem(env, item.keyLocs.get(k) ?? item.loc, 'unknown_key', `"${k}" is neither a segment tag nor a keyword (${ITEM_KEYS.join(', ')})`, nearest(k, ITEM_KEYS) ? `did you mean "${nearest(k, ITEM_KEYS)}"?` : undefined);
  }
  const loopV = item.entries.get('loop');
  const useV = item.entries.get('use');
  let body: Emit | undefined;
  if (useV) {
    const name = scalarText(useV) ?? '';
    const tpl = env.templates.get(name);
    if (!tpl || tpl.kind !== 'seq') {
      const near = nearest(name, [...env.templates.keys()]);
      problem(env, useV.loc, 'unknown_template', `template "${name}" is not defined under templates: as a list of segments`, near ? `did you mean "${near}"?` : undefined);
      return undefined;
    }
    if (env.expanding.includes(name)) {
      problem(env, useV.loc, 'template_cycle', `template "${name}" uses itself (${[...env.expanding, name].join(' -> ')})`);
      return undefined;
    }
    const params = new Map<string, string>();
    const withV = item.entries.get('with');
    if (withV?.kind === 'map') for (const [k, v] of withV.entries) params.set(k, scalarText(v) ?? '');
    const substituted = substitute(tpl, params);
    const missing = unresolvedParams(substituted);
    if (missing.length) {
      problem(env, useV.loc, 'template_parameter_missing', `template "${name}" needs ${missing.map((m) => `\${${m}}`).join(', ')}`, `add with: { ${missing.map((m) => `${m}: ...`).join(', ')} }`);
      return undefined;
    }
    env.expanding.push(name);
    body = compileSegments(env, substituted, prefix, gi);
    env.expanding.pop();
  } else if (loopV) {
    const id = scalarText(loopV) ?? '';
    if (gi && !gi.loops.has(id)) problem(env, loopV.loc, 'not_in_grammar', `loop ${id} is not in the grammar of ${gi.label}`);
    const segsV = item.entries.get('segments');
    const inner = segsV ? compileSegments(env, segsV, `${prefix}${id}.`, gi) : undefined;
    if (!segsV) problem(env, item.loc, 'bad_segments', `loop ${id} needs segments:`);
    if (!inner) return undefined;
    body = (ctx, st, out) => {
      const children: WireNode[] = [];
      inner(ctx, st, children);
      if (children.length > 0) out.push({ loop: id, children } as Loop);
    };
  } else if (tags.length === 1) {
    const tag = tags[0] as string;
    body = compileSegment(env, tag, item.entries.get(tag) as LVal, prefix, gi);
  } else {
    if (tags.length > 1) problem(env, item.loc, 'bad_segment', `one segment per list entry (found ${tags.join(', ')})`, 'write each segment as its own "- TAG: [...]" entry');
    else problem(env, item.loc, 'bad_segment', `entry has no segment, loop: or use:`);
    return undefined;
  }
  if (!body) return undefined;
  return wrap(env, item, body);
}

function wrap(env: Env, item: LMap, body: Emit): Emit {
  let e = body;
  const eachV = item.entries.get('each');
  if (eachV) {
    const n = env.paths.nodes(scalarText(eachV) ?? '', eachV.loc, undefined);
    if (n) {
      const inner = e;
      e = (ctx, st, out) => {
        const items = n.get(ctx, st);
        const d = st.depth++;
        for (let i = 0; i < items.length; i++) {
          st.idx[d] = i;
          inner(items[i], st, out);
        }
        st.depth = d;
      };
    }
  }
  const withinV = item.entries.get('within');
  if (withinV) {
    const n = env.paths.nodes(scalarText(withinV) ?? '', withinV.loc, undefined);
    if (n) {
      const inner = e;
      e = (ctx, st, out) => {
        const x = n.first(ctx, st);
        if (x !== undefined) inner(x, st, out);
      };
    }
  }
  const whenV = item.entries.get('when');
  if (whenV) {
    const c = compileCondition(env, scalarText(whenV) ?? '', whenV.loc, undefined);
    if (c) {
      const inner = e;
      e = (ctx, st, out) => {
        if (c(ctx, st)) inner(ctx, st, out);
      };
    }
  }
  return e;
}

/** Numbers segments 1.. in document order and trims trailing empty elements / components. */
export function finishTree(children: WireNode[], start = 1): number {
  let pos = start;
  for (const n of children) {
    if ((n as Segment).tag !== undefined) {
      const s = n as Segment;
      s.position = pos++;
      const els = s.elements;
      for (let i = 0; i < els.length; i++) {
        const e = els[i];
        if (Array.isArray(e)) {
          while (e.length > 0 && e[e.length - 1] === '') e.pop();
          if (e.length === 0) els[i] = '';
        }
      }
      while (els.length > 0 && els[els.length - 1] === '') els.pop();
    } else pos = finishTree((n as Loop).children, pos);
  }
  return pos;
}
