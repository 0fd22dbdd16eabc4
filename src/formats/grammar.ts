/**
 * Grammars as data: X12 transaction sets and EDIFACT messages share these shapes, so the
 * reader, the validator, the writer and the mapping compiler all read one description.
 */
export type DataType =
  | 'AN' // string
  | 'ID' // code value
  | 'DT' // date (X12 CCYYMMDD / YYMMDD)
  | 'TM' // time HHMM[SS[d..]]
  | 'R'  // decimal number with optional explicit decimal point
  | `N${number}` // X12 numeric with implied decimals (N0, N2)
  | 'B'  // binary
  | 'a' | 'n' | 'an'; // EDIFACT character classes

export interface ElementDef {
  /** X12 data element number ('143') or EDIFACT data element / composite id ('3035', 'C080') */
  id: string;
  name: string;
  type?: DataType;
  min?: number;
  max?: number;
  required?: boolean;
  /** composite: its components, component 1 first */
  components?: ElementDef[];
  /** allowed code values, when the grammar restricts them */
  codes?: string[];
}

export interface SegmentDef {
  tag: string;
  name: string;
  elements: ElementDef[];
}

export interface SegmentUse {
  segment: string;
  required?: boolean;
  /** maximum occurrences; undefined = 1; Infinity = unbounded */
  max?: number;
}

export interface LoopUse {
  /** loop id ('N1', 'PO1', 'HL', 'SG2'); its first child is its trigger segment */
  loop: string;
  required?: boolean;
  max?: number;
  children: Array<SegmentUse | LoopUse>;
}

export interface MessageGrammar {
  standard: 'x12' | 'edifact';
  message: string;
  version: string;
  name: string;
  /** the body between the header and trailer (X12 ST/SE, EDIFACT UNH/UNT) including them */
  children: Array<SegmentUse | LoopUse>;
  segments: Record<string, SegmentDef>;
}

export function isLoopUse(u: SegmentUse | LoopUse): u is LoopUse {
  return (u as LoopUse).loop !== undefined;
}
