/**
 * Segment paths compiled to plain closures over the wire tree. A step looks at the children of
 * the current loop; a loop step's predicates test the loop's trigger segment; an element of a
 * loop is the element of its trigger segment.
 */
import type { Element, Loop, Segment, WireNode } from '../formats/wire.ts';
import { generateWireNodes, generateWireValue } from './codegen.ts';
import type { RunState } from './run-state.ts';
import type { WirePath, WirePred, WireStep } from './wire-path.ts';

type Matcher = (n: WireNode) => boolean;
export type NodeGetter = (ctx: unknown, st: RunState) => WireNode | undefined;
export type NodesGetter = (ctx: unknown, st: RunState) => WireNode[];
export type ValueGetter = (ctx: unknown, st: RunState) => unknown;

function trigger(n: WireNode): Segment | undefined {
  if ((n as Segment).tag !== undefined) return n as Segment;
  const first = (n as Loop).children[0];
  return first && (first as Segment).tag !== undefined ? (first as Segment) : undefined;
}

function text(e: Element | undefined, comp: number): string | undefined {
  if (e === undefined) return undefined;
  if (typeof e === 'string') return comp <= 0 ? e : undefined;
  return e[comp < 0 ? 0 : comp];
}

function predTest(p: WirePred): (s: Segment | undefined) => boolean {
  const idx = p.elem.index;
  const comp = p.comp ? p.comp.index : -1;
  const values = p.values;
  const one = values.length === 1 ? values[0] : undefined;
  if (one !== undefined) {
    return p.negate ? (s) => (text(s?.elements[idx], comp) ?? '') !== one : (s) => (text(s?.elements[idx], comp) ?? '') === one;
  }
  return p.negate ? (s) => !values.includes(text(s?.elements[idx], comp) ?? '') : (s) => values.includes(text(s?.elements[idx], comp) ?? '');
}

function matcher(step: WireStep): Matcher {
  const name = step.name;
  const preds = step.preds.map(predTest);
  const named: Matcher = (n) => ((n as Segment).tag !== undefined ? (n as Segment).tag === name : (n as Loop).loop === name);
  if (preds.length === 0) return named;
  if (preds.length === 1) {
    const p0 = preds[0] as (s: Segment | undefined) => boolean;
    return (n) => named(n) && p0(trigger(n));
  }
  return (n) => {
    if (!named(n)) return false;
    const t = trigger(n);
    return preds.every((p) => p(t));
  };
}

interface Plan {
  m: Matcher;
  deep: boolean;
}

function plans(steps: WireStep[]): Plan[] {
  const out: Plan[] = [];
  let deep = false;
  for (const s of steps) {
    if (s.name === '**') {
      deep = true;
      continue;
    }
    out.push({ m: matcher(s), deep });
    deep = false;
  }
  return out;
}

function children(n: unknown): WireNode[] {
  const c = (n as Loop | undefined)?.children;
  return c ?? [];
}

function collect(from: unknown, plan: Plan, isFirst: boolean, out: WireNode[]): void {
  if (isFirst && (from as Segment).tag !== undefined) {
    if (plan.m(from as WireNode)) out.push(from as WireNode);
    return;
  }
  const cs = children(from);
  // a loop and its trigger segment are one match: skip the trigger of a loop that matched
  const skipTrigger = !isFirst && out.length > 0 && out[out.length - 1] === from;
  for (let i = skipTrigger ? 1 : 0; i < cs.length; i++) {
    const c = cs[i] as WireNode;
    if (plan.m(c)) out.push(c);
    if (plan.deep && (c as Loop).loop !== undefined) collect(c, plan, false, out);
  }
}

const parentMaps = new WeakMap<object, Map<unknown, Loop>>();

/** The loop that holds `node` in the tree under `root` (built once per tree, on first use of '..'). */
function parentOf(root: unknown, node: unknown): Loop | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  let map = parentMaps.get(root);
  if (!map) {
    map = new Map();
    const walk = (l: Loop) => { for (const c of l.children) if ((c as Loop).loop !== undefined) { map!.set(c, l); walk(c as Loop); } };
    if ((root as Loop).children) walk(root as Loop);
    parentMaps.set(root, map);
  }
  return map.get(node);
}

function rootOf(ctx: unknown, st: RunState, absolute: boolean, up = 0): unknown {
  if (absolute) return st.root;
  let from = ctx;
  for (let i = 0; i < up && from !== undefined; i++) from = parentOf(st.root, from);
  return from;
}

/** All nodes a path's steps select (document order). */
export function compileNodes(p: WirePath): NodesGetter {
  if (!p.up && p.steps.length === 1 && p.steps[0]?.name !== '**') return generateWireNodes(p) as NodesGetter;
  const ps = plans(p.steps);
  const abs = p.absolute;
  const up = p.up ?? 0;
  return (ctx, st) => {
    const start = rootOf(ctx, st, abs, up);
    if (start === undefined) return [];
    let cur: unknown[] = [start];
    for (let i = 0; i < ps.length; i++) {
      const next: WireNode[] = [];
      for (const c of cur) collect(c, ps[i] as Plan, i === 0, next);
      cur = next;
      if (cur.length === 0) break;
    }
    return cur as WireNode[];
  };
}

/** The first node a path's steps select. */
export function compileNode(p: WirePath): NodeGetter {
  const ps = plans(p.steps);
  const abs = p.absolute;
  const up = p.up ?? 0;
  if (ps.length === 0) return (ctx, st) => rootOf(ctx, st, abs, up) as WireNode | undefined;
  const p0 = ps[0] as Plan;
  if (ps.length === 1 && !p0.deep) {
    const m = p0.m;
    return (ctx, st) => {
      const from = rootOf(ctx, st, abs, up);
      if (from === undefined) return undefined;
      if ((from as Segment).tag !== undefined) return m(from as Segment) ? (from as Segment) : undefined;
      const cs = (from as Loop | undefined)?.children;
      if (cs === undefined) return undefined;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i] as WireNode;
        if (m(c)) return c;
      }
      return undefined;
    };
  }
  const all = compileNodes(p);
  return (ctx, st) => all(ctx, st)[0];
}

function elementValue(p: WirePath): (s: Segment, st: RunState) => string | undefined {
  const idx = p.elem?.index ?? 0;
  const comp = p.comp ? p.comp.index : -1;
  const q = p.qualifier;
  if (q !== undefined) {
    return (s, st) => {
      const els = s.elements;
      for (let i = idx; i + 1 < els.length; i += 2) {
        if (text(els[i], -1) === q) {
          st.seg = s;
          st.elemPos = i + 2;
          const v = text(els[i + 1], comp);
          return v === '' ? undefined : v;
        }
      }
      return undefined;
    };
  }
  return (s, st) => {
    st.seg = s;
    st.elemPos = idx + 1;
    const v = text(s.elements[idx], comp);
    return v === '' ? undefined : v;
  };
}

/** The first non-empty element value the path selects (a string), or undefined. */
export function compileValue(p: WirePath): ValueGetter {
  const ev = elementValue(p);
  if (!p.up && p.steps.length <= 1 && !p.steps.some((s) => s.name === '**')) return generateWireValue(p) as ValueGetter;
  if (p.steps.length <= 1) {
    const node = compileNode(p);
    return (ctx, st) => {
      const n = node(ctx, st);
      const s = n === undefined ? undefined : trigger(n);
      return s === undefined ? undefined : ev(s, st);
    };
  }
  const nodes = compileNodes(p);
  return (ctx, st) => {
    for (const n of nodes(ctx, st)) {
      const s = trigger(n);
      const v = s === undefined ? undefined : ev(s, st);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

/** Every non-empty element value the path selects, one per matching segment. */
export function compileValues(p: WirePath): (ctx: unknown, st: RunState) => unknown[] {
  const ev = elementValue(p);
  const nodes = compileNodes(p);
  return (ctx, st) => {
    const out: unknown[] = [];
    for (const n of nodes(ctx, st)) {
      const s = trigger(n);
      const v = s === undefined ? undefined : ev(s, st);
      if (v !== undefined) out.push(v);
    }
    return out;
  };
}
