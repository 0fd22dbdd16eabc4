/**
 * The JSONata escape hatch (`expr:`). Evaluated over a JSON view of the context, never on the
 * plain-path hot path. Wire view: a loop is { <child tag or loop id>: [views...] }, a segment is
 * { "01": "...", "02": [component, ...], ... } (element names need backticks: PO1.`02`).
 */
import jsonata from 'jsonata';
import type { Loop, Segment, WireNode } from '../formats/wire.ts';
import type { RunState } from './run-state.ts';

export function wireView(n: unknown): unknown {
  if (n === null || typeof n !== 'object') return n;
  if ((n as Segment).tag !== undefined) {
    const s = n as Segment;
    const o: Record<string, unknown> = {};
    s.elements.forEach((e, i) => {
      if (e !== '' && !(Array.isArray(e) && e.every((c) => c === ''))) o[String(i + 1).padStart(2, '0')] = e;
    });
    return o;
  }
  if ((n as Loop).children !== undefined) {
    const o: Record<string, unknown[]> = {};
    for (const c of (n as Loop).children as WireNode[]) {
      const k = (c as Segment).tag ?? (c as Loop).loop;
      (o[k] ??= []).push(wireView(c));
    }
    return o;
  }
  if ((n as { root?: Loop }).root) return wireView((n as { root: Loop }).root);
  return n;
}

export interface CompiledExpr {
  evaluate(ctx: unknown, st: RunState): Promise<unknown>;
}

/** Compiles an expression once; returns an error sentence on bad syntax. */
export function compileExpr(source: string, wire: boolean): CompiledExpr | string {
  let e: ReturnType<typeof jsonata>;
  try {
    e = jsonata(source);
  } catch (err) {
    const x = err as { message?: string; position?: number };
    return `JSONata: ${x.message ?? String(err)}${x.position !== undefined ? ` at character ${x.position}` : ''}`;
  }
  const view = wire ? wireView : (v: unknown) => v;
  return {
    async evaluate(ctx, st) {
      st.rootView ??= view(st.root);
      const r: unknown = await e.evaluate(view(ctx), { root: st.rootView });
      return r;
    },
  };
}
