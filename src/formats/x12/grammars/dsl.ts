/**
 * Compact notation for X12 grammars as data (src/formats/grammar.ts shapes).
 * An element is written 'ref/type/min/max[/M]/Name' (M = mandatory); a composite is
 * `comp('C030/M/Position in Segment', [...components])`. A segment defined with no elements is
 * "open": its elements are not checked (segments the gateway never maps).
 */
import type { DataType, ElementDef, LoopUse, SegmentDef, SegmentUse } from '../../grammar.ts';

export const UNBOUNDED = Number.POSITIVE_INFINITY;

export function el(spec: string): ElementDef {
  const [id = '', type = 'AN', min = '1', max = '1', req = '', ...rest] = spec.split('/');
  const mandatory = req === 'M';
  const name = (mandatory ? rest : [req, ...rest]).join('/');
  return { id, name, type: type as DataType, min: Number(min), max: Number(max), ...(mandatory ? { required: true } : {}) };
}

export function comp(spec: string, components: string[]): ElementDef {
  const [id = '', req = '', ...rest] = spec.split('/');
  const mandatory = req === 'M';
  const name = (mandatory ? rest : [req, ...rest]).join('/');
  return { id, name, components: components.map(el), ...(mandatory ? { required: true } : {}) };
}

export function seg(tag: string, name: string, elements: Array<string | ElementDef> = []): SegmentDef {
  return { tag, name, elements: elements.map((e) => (typeof e === 'string' ? el(e) : e)) };
}

/** Repeats an element pair (e.g. product id qualifier / product id) n times. */
export function pairs(a: string, b: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(a, b);
  return out;
}

/** segment use: tag, max (default 1), 'M' when mandatory */
export function s(segment: string, max = 1, req?: 'M'): SegmentUse {
  return { segment, max, ...(req === 'M' ? { required: true } : {}) };
}

export function loop(id: string, max: number, children: Array<SegmentUse | LoopUse>, req?: 'M'): LoopUse {
  return { loop: id, max, children, ...(req === 'M' ? { required: true } : {}) };
}

export function dict(...defs: SegmentDef[]): Record<string, SegmentDef> {
  const out: Record<string, SegmentDef> = {};
  for (const d of defs) out[d.tag] = d;
  return out;
}
