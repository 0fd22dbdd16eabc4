/** Tiny constructors that keep the grammar data files readable. */
import type { ElementDef, LoopUse, SegmentDef, SegmentUse } from '../../grammar.ts';

type Cls = 'a' | 'n' | 'an';

/** simple data element: id, name, class, max length, mandatory */
export function e(id: string, name: string, type: Cls, max: number, required = false, codes?: string[]): ElementDef {
  const d: ElementDef = { id, name, type, max };
  if (required) d.required = true;
  if (codes) d.codes = codes;
  return d;
}
/** fixed-length simple element (a1, n2...) */
export function fixed(id: string, name: string, type: Cls, len: number, required = false, codes?: string[]): ElementDef {
  return { ...e(id, name, type, len, required, codes), min: len };
}
/** composite data element */
export function c(id: string, name: string, required: boolean, components: ElementDef[]): ElementDef {
  const d: ElementDef = { id, name, components };
  if (required) d.required = true;
  return d;
}
export function seg(tag: string, name: string, elements: ElementDef[]): SegmentDef {
  return { tag, name, elements };
}
/** segment use in a message table: M/C and max repeat */
export function s(segment: string, required: boolean, max: number): SegmentUse {
  return required ? { segment, required, max } : { segment, max };
}
export function g(loop: string, required: boolean, max: number, children: Array<SegmentUse | LoopUse>): LoopUse {
  return required ? { loop, required, max, children } : { loop, max, children };
}
export const M = true;
export const C = false;

/** code list 1131 / 3055 pair, repeated in many composites */
export const codeList = (): ElementDef[] => [e('1131', 'Code list qualifier', 'an', 3), e('3055', 'Code list responsible agency, coded', 'an', 3)];
