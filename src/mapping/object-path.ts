/**
 * Paths over plain objects: XML (attributes '@name', text '#text'), JSON, CSV rows (column names)
 * with '/' between steps: `OrderRequest/OrderRequestHeader/@orderID`, `items[type=x]/qty`;
 * and canonical documents (outbound) with '.': `buyer.address.city`, `lines`.
 * An array on the way is walked item by item; '**' = any depth; '.' = the current value.
 */
import type { RunState } from './run-state.ts';
import { splitPath } from './wire-path.ts';

interface ObjPred {
  key: string;
  values: string[] | undefined;
  negate: boolean;
}
interface ObjStep {
  name: string;
  preds: ObjPred[];
  /** `lines[1]`: 0-based item of the array value */
  index?: number;
}
export interface ObjectPath {
  text: string;
  absolute: boolean;
  steps: ObjStep[];
}

export function parseObjectPath(text: string, sep: '/' | '.'): ObjectPath | string {
  let t = text.trim();
  if (t === '') return 'the path is empty';
  const absolute = t.startsWith('/') || (sep === '.' && t.startsWith('$.'));
  if (absolute) t = t.slice(t.startsWith('$.') ? 2 : 1);
  const steps: ObjStep[] = [];
  const raw = t === '' ? ['.'] : sep === '.' ? splitPath(t, '.') : splitPath(t, '/');
  for (const part of raw) {
    const m = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(part);
    if (!m || (m[1] ?? '') === '') return `empty or malformed step "${part}" in "${text}"`;
    const preds: ObjPred[] = [];
    let index: number | undefined;
    for (const b of (m[2] ?? '').match(/\[[^\]]*\]/g) ?? []) {
      if (/^\[\d+\]$/.test(b)) {
        index = Number(b.slice(1, -1));
        continue;
      }
      const pm = splitPredicate(b.slice(1, -1));
      if (!pm) return `predicate ${b} must look like [name=value] or [name=a|b]`;
      preds.push({ key: pm.key.trim(), values: pm.op ? pm.value.split('|') : undefined, negate: pm.op === '!=' });
    }
    if (m[1] !== '.') steps.push({ name: m[1] ?? '', preds, ...(index !== undefined ? { index } : {}) });
  }
  return { text, absolute, steps };
}

/**
 * `name`, `name=value` or `name!=value` (spaces around the operator allowed), read in one pass: what
 * /^([^=!]+?)\s*(?:(!?=)\s*(.*))?$/ accepted, without its backtracking (the lazy name and the
 * spaces after it tried every split of a run of blanks: 70,000 tabs in a predicate took 5 s).
 */
export function splitPredicate(inner: string): { key: string; op?: '=' | '!='; value: string } | undefined {
  let i = 0;
  while (i < inner.length && inner[i] !== '=' && inner[i] !== '!') i++;
  if (i === 0) return undefined;
  if (i === inner.length) return { key: inner, value: '' };
  const op = inner[i] === '=' ? '=' : inner[i + 1] === '=' ? '!=' : undefined;
  if (!op) return undefined;
  let v = i + op.length;
  while (v < inner.length && /\s/.test(inner[v]!)) v++;
  const value = inner.slice(v);
  // "." (in "(.*)") does not match a line terminator
  if (/[\n\r\u2028\u2029]/.test(value)) return undefined;
  return { key: inner.slice(0, i), op, value };
}

function push(out: unknown[], v: unknown): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== undefined && x !== null) out.push(x);
  } else out.push(v);
}

function scalarOf(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && '#text' in v) return (v as Record<string, unknown>)['#text'];
  return v;
}

function predOk(item: unknown, p: ObjPred): boolean {
  const raw = item !== null && typeof item === 'object' ? scalarOf((item as Record<string, unknown>)[p.key]) : undefined;
  if (p.values === undefined) return raw !== undefined && raw !== null && raw !== '';
  const s = raw === undefined || raw === null ? '' : String(raw);
  return p.negate ? !p.values.includes(s) : p.values.includes(s);
}

function descend(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) {
    for (const x of v) descend(x, out);
  } else if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') descend(x, out);
  }
}

function pick(v: unknown, i: number): unknown {
  return Array.isArray(v) ? v[i] : i === 0 ? v : undefined;
}

function applyStep(cur: unknown[], s: ObjStep): unknown[] {
  const out: unknown[] = [];
  if (s.index !== undefined) {
    const i = s.index;
    for (const c of cur) {
      if (Array.isArray(c)) {
        for (const x of c) if (x !== null && typeof x === 'object') push(out, pick((x as Record<string, unknown>)[s.name], i));
      } else if (c !== null && typeof c === 'object') push(out, pick((c as Record<string, unknown>)[s.name], i));
    }
  } else if (s.name === '**') {
    for (const c of cur) descend(c, out);
  } else {
    for (const c of cur) {
      if (Array.isArray(c)) {
        for (const x of c) if (x !== null && typeof x === 'object') push(out, s.name === '*' ? Object.values(x) : (x as Record<string, unknown>)[s.name]);
      } else if (c !== null && typeof c === 'object') {
        push(out, s.name === '*' ? Object.values(c) : (c as Record<string, unknown>)[s.name]);
      }
    }
  }
  if (s.preds.length === 0) return out;
  return out.filter((x) => s.preds.every((p) => predOk(x, p)));
}

export type ObjGetter = (ctx: unknown, st: RunState) => unknown;

/** Every value the path selects; arrays are walked item by item. */
export function compileObjectNodes(p: ObjectPath): (ctx: unknown, st: RunState) => unknown[] {
  const steps = p.steps;
  const abs = p.absolute;
  return (ctx, st) => {
    let cur: unknown[] = [];
    push(cur, abs ? st.root : ctx);
    for (const s of steps) {
      cur = applyStep(cur, s);
      if (cur.length === 0) break;
    }
    return cur;
  };
}

function nonEmpty(v: unknown): unknown {
  const s = scalarOf(v);
  return s === '' || s === null ? undefined : s;
}

/** The first non-empty scalar the path selects (XML '#text' of an element with attributes). */
export function compileObjectValue(p: ObjectPath): ObjGetter {
  const steps = p.steps;
  const abs = p.absolute;
  const simple = steps.every((s) => s.preds.length === 0 && s.index === undefined && s.name !== '**' && s.name !== '*');
  if (simple && steps.length <= 3) {
    const names = steps.map((s) => s.name);
    const [a, b, c] = names;
    const get1 = (o: unknown, k: string): unknown => {
      if (o === null || typeof o !== 'object') return undefined;
      if (Array.isArray(o)) return o.length === 0 ? undefined : get1(o[0], k);
      return (o as Record<string, unknown>)[k];
    };
    const n = names.length;
    const first = (v: unknown): unknown => nonEmpty(Array.isArray(v) ? v[0] : v);
    if (n === 0) return (ctx, st) => first(abs ? st.root : ctx);
    if (n === 1) return (ctx, st) => first(get1(abs ? st.root : ctx, a as string));
    if (n === 2) return (ctx, st) => first(get1(get1(abs ? st.root : ctx, a as string), b as string));
    return (ctx, st) => first(get1(get1(get1(abs ? st.root : ctx, a as string), b as string), c as string));
  }
  const all = compileObjectNodes(p);
  return (ctx, st) => {
    for (const v of all(ctx, st)) {
      const s = nonEmpty(v);
      if (s !== undefined && (typeof s !== 'object' || s === null)) return s;
    }
    return undefined;
  };
}
