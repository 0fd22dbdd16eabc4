/**
 * Element syntax checks of one segment against its SegmentDef: too many elements, mandatory
 * element missing, length (N/R lengths exclude sign and decimal point), characters of
 * numeric types, dates (CCYYMMDD / YYMMDD), times (HHMM[SS[d..]]), code lists, composites.
 * Findings use the AK4/IK4 data element syntax error codes.
 */
import type { ElementDef, SegmentDef } from '../grammar.ts';
import type { Element, Segment } from '../wire.ts';
import { cutFound, ELEM, shown, type X12Error } from './errors.ts';


const dig = (v: string, i: number): number => v.charCodeAt(i) - 48;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** CCYYMMDD or YYMMDD at v[s, s + len) */
export function isValidDateAt(v: string, s: number, len: number): boolean {
  if ((len !== 8 && len !== 6) || !digitsIn(v, s, s + len)) return false;
  let y: number; let m: number; let d: number;
  if (len === 8) { y = dig(v, s) * 1000 + dig(v, s + 1) * 100 + dig(v, s + 2) * 10 + dig(v, s + 3); m = dig(v, s + 4) * 10 + dig(v, s + 5); d = dig(v, s + 6) * 10 + dig(v, s + 7); }
  else { y = 2000 + dig(v, s) * 10 + dig(v, s + 1); m = dig(v, s + 2) * 10 + dig(v, s + 3); d = dig(v, s + 4) * 10 + dig(v, s + 5); }
  if (m < 1 || m > 12 || d < 1) return false;
  if (m !== 2) return d <= (DAYS[m - 1] ?? 0);
  return d <= ((y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28);
}

export function isValidDate(v: string): boolean {
  return isValidDateAt(v, 0, v.length);
}

/** HHMM[SS[d..]] at v[s, s + len) */
export function isValidTimeAt(v: string, s: number, len: number): boolean {
  if (len < 4 || len > 8 || len === 5 || !digitsIn(v, s, s + len)) return false;
  const h = dig(v, s) * 10 + dig(v, s + 1); const mi = dig(v, s + 2) * 10 + dig(v, s + 3);
  const sec = len >= 6 ? dig(v, s + 4) * 10 + dig(v, s + 5) : 0;
  return h <= 23 && mi <= 59 && sec <= 59;
}

export function isValidTime(v: string): boolean {
  return isValidTimeAt(v, 0, v.length);
}

/**
 * X12 decimal (R): optional minus, digits with an optional decimal point (at least one digit), an
 * optional exponent: the language of /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, read in one pass.
 * That regular expression backtracked over every split of a digit run between `\d+` and `\d*`
 * (issue 12: 100,000 nines and an 'x' took 28 s); this scan reads each character once.
 */
export function isDecimal(v: string): boolean {
  const n = v.length;
  let i = v.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  for (; i < n; i++) { const c = v.charCodeAt(i); if (c < 48 || c > 57) break; digits++; }
  if (i < n && v.charCodeAt(i) === 46) {
    i++;
    for (; i < n; i++) { const c = v.charCodeAt(i); if (c < 48 || c > 57) break; digits++; }
  }
  if (digits === 0) return false;
  if (i === n) return true;
  const e = v.charCodeAt(i);
  if (e !== 69 && e !== 101) return false;
  i++;
  const sign = v.charCodeAt(i);
  if (sign === 43 || sign === 45) i++;
  return digitsIn(v, i, n);
}

/** the length X12 counts for a numeric value at v[s, e): without its sign and decimal point */
export function numericLength(v: string, s: number, e: number): number {
  let n = e - s;
  if (v.charCodeAt(s) === 45) n--;
  // look for the point inside the value only: v may be a whole segment or buffer (validate-text.ts),
  // and indexOf('.') from s read to its end for every numeric element (issue 11: superlinear 856s)
  for (let i = s; i < e; i++) if (v.charCodeAt(i) === 46) { n--; break; }
  return n;
}

/** Length as X12 counts it: numeric types exclude sign and decimal point. */
function x12Length(v: string, type: string | undefined): number {
  return type === 'R' || (type !== undefined && type[0] === 'N' && type !== 'N') ? numericLength(v, 0, v.length) : v.length;
}

type Where = Pick<X12Error, 'segment' | 'segmentPosition' | 'transactionControlNumber' | 'loopId'>;

function whereOf(w: Where): Where {
  const out: Where = { segment: w.segment, segmentPosition: w.segmentPosition };
  if (w.transactionControlNumber !== undefined) out.transactionControlNumber = w.transactionControlNumber;
  if (w.loopId !== undefined) out.loopId = w.loopId;
  return out;
}

function elementError(def: ElementDef, v: string, where: Where, position: number, component: number | undefined, code: string, error: string, message: string, expected?: string): X12Error {
  return {
    error, level: 'element', code, message: `${where.segment}${String(position).padStart(2, '0')}${component ? `-${component}` : ''}: ${message}`, ...whereOf(where),
    elementPosition: position, ...(component ? { componentPosition: component } : {}), elementReference: def.id, found: cutFound(v),
    ...(expected !== undefined ? { expected } : {}),
  };
}

/** v[from, to) is one or more digits */
export function digitsIn(v: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) { const c = v.charCodeAt(i); if (c < 48 || c > 57) return false; }
  return true;
}

function isDigits(v: string, from: number): boolean {
  return digitsIn(v, from, v.length);
}

/** the codes an element allows, as `expected`: listed when short, else named (X12 355 has 847 codes) */
function codeList(def: ElementDef): string {
  const codes = def.codes ?? [];
  return codes.length <= 24 ? codes.join('|') : `one of the ${codes.length} codes of data element ${def.id}`;
}

/** Hot path: no allocation unless the value is bad (closures are costly under some transpilers). */
function check(def: ElementDef, v: string, where: Where, position: number, component: number | undefined, out: X12Error[]): void {
  const t = def.type;
  if (t === 'DT') { if (!isValidDate(v)) { out.push(elementError(def, v, where, position, component, ELEM.invalidDate, 'x12_invalid_date', `invalid date ${shown(v)}`, 'CCYYMMDD')); return; } }
  else if (t === 'TM') { if (!isValidTime(v)) { out.push(elementError(def, v, where, position, component, ELEM.invalidTime, 'x12_invalid_time', `invalid time ${shown(v)}`, 'HHMM[SS[d..]]')); return; } }
  else if (t === 'R') { if (!isDecimal(v)) { out.push(elementError(def, v, where, position, component, ELEM.invalidCharacter, 'x12_invalid_character', `${shown(v)} is not a decimal number`, 'R')); return; } }
  else if (t !== undefined && t.length === 2 && t.charCodeAt(0) === 78) { if (!isDigits(v, v.charCodeAt(0) === 45 ? 1 : 0)) { out.push(elementError(def, v, where, position, component, ELEM.invalidCharacter, 'x12_invalid_character', `${shown(v)} is not numeric`, t)); return; } }
  if (def.codes && !def.codes.includes(v)) { out.push(elementError(def, v, where, position, component, ELEM.invalidCode, 'x12_invalid_code', `${shown(v)} is not a valid code`, codeList(def))); return; }
  const len = x12Length(v, t);
  if (def.min !== undefined && len < def.min && t !== 'DT') out.push(elementError(def, v, where, position, component, ELEM.tooShort, 'x12_element_too_short', `${shown(v)} is shorter than ${def.min}`, `${def.min}..${def.max ?? ''}`));
  else if (def.max !== undefined && len > def.max) out.push(elementError(def, v, where, position, component, ELEM.tooLong, 'x12_element_too_long', `${shown(v)} is longer than ${def.max}`, `${def.min ?? 1}..${def.max}`));
}

function isEmpty(e: Element | undefined): boolean {
  if (e === undefined) return true;
  if (typeof e === 'string') return e.length === 0;
  for (const c of e) if (c.length > 0) return false;
  return true;
}

/**
 * Per element: how validate-text.ts may check it on the segment's text without splitting it.
 * 0 AN/ID length only, 1 DT, 2 TM, 3 R, 4 numeric Nn, 5 anything else (composite, code list: checked on the elements)
 */
export const TEXT_KIND = { plain: 0, date: 1, time: 2, decimal: 3, numeric: 4, other: 5 } as const;

export interface FastDef { min: number[]; max: number[]; required: boolean[]; requiredIdx: number[]; kind: number[] }
const fastCache = new WeakMap<SegmentDef, FastDef>();

/** Monomorphic arrays per segment definition: AN/ID elements without code lists are checked inline. */
export function fastDef(def: SegmentDef): FastDef {
  let f = fastCache.get(def);
  if (f) return f;
  const min: number[] = []; const max: number[] = []; const required: boolean[] = []; const requiredIdx: number[] = []; const kind: number[] = [];
  def.elements.forEach((d, i) => {
    const isPlain = !d.components && !d.codes && (d.type === 'AN' || d.type === 'ID' || d.type === undefined);
    kind.push(d.components || d.codes ? TEXT_KIND.other : isPlain ? TEXT_KIND.plain : d.type === 'DT' ? TEXT_KIND.date : d.type === 'TM' ? TEXT_KIND.time
      : d.type === 'R' ? TEXT_KIND.decimal : d.type !== undefined && d.type.length === 2 && d.type[0] === 'N' ? TEXT_KIND.numeric : TEXT_KIND.other);
    min.push(d.min ?? 0); max.push(d.max ?? Number.MAX_SAFE_INTEGER); required.push(d.required === true);
    if (d.required) requiredIdx.push(i);
  });
  f = { min, max, required, requiredIdx, kind };
  fastCache.set(def, f);
  return f;
}

function missing(seg: Segment, d: ElementDef, i: number, where: Where, out: X12Error[]): void {
  out.push({ error: 'x12_mandatory_element_missing', level: 'element', code: ELEM.mandatoryMissing, message: `${seg.tag}${String(i + 1).padStart(2, '0')} (${d.name}) is mandatory`, ...whereOf(where), elementPosition: i + 1, elementReference: d.id });
}

function slowElement(seg: Segment, d: ElementDef, e: Element, i: number, where: Where, out: X12Error[]): void {
  if (d.components) {
    const comps = typeof e === 'string' ? [e] : e;
    if (comps.length > d.components.length) out.push({ error: 'x12_too_many_components', level: 'element', code: ELEM.tooManyComponents, message: `${seg.tag}${String(i + 1).padStart(2, '0')} has ${comps.length} components, at most ${d.components.length}`, ...whereOf(where), elementPosition: i + 1, elementReference: d.id });
    for (let c = 0; c < d.components.length; c++) {
      const cd = d.components[c] as ElementDef;
      const cv = comps[c];
      if (cv === undefined || cv.length === 0) {
        if (cd.required) out.push({ error: 'x12_mandatory_element_missing', level: 'element', code: ELEM.mandatoryMissing, message: `${seg.tag}${String(i + 1).padStart(2, '0')}-${c + 1} (${cd.name}) is mandatory`, ...whereOf(where), elementPosition: i + 1, componentPosition: c + 1, elementReference: cd.id });
        continue;
      }
      check(cd, cv, where, i + 1, c + 1, out);
    }
  } else if (typeof e !== 'string') {
    out.push({ error: 'x12_unexpected_components', level: 'element', code: ELEM.tooManyComponents, message: `${seg.tag}${String(i + 1).padStart(2, '0')} is a simple element but holds components`, ...whereOf(where), elementPosition: i + 1, elementReference: d.id, found: e.join(':') });
  } else {
    check(d, e, where, i + 1, undefined, out);
  }
}

/** Appends element findings for `seg` to `out`; returns true when there were any. */
export function validateElements(seg: Segment, def: SegmentDef, where: Where, out: X12Error[], fast?: FastDef): boolean {
  const defs = def.elements;
  if (defs.length === 0) return false; // open segment
  const f = fast ?? fastDef(def);
  const before = out.length;
  const els = seg.elements;
  const n = els.length < defs.length ? els.length : defs.length;
  for (let i = 0; i < n; i++) {
    const e = els[i] as Element;
    if (typeof e === 'string') {
      const len = e.length;
      if (len === 0) { if (f.required[i]) missing(seg, defs[i] as ElementDef, i, where, out); continue; }
      if (f.kind[i] === TEXT_KIND.plain && len >= (f.min[i] as number) && len <= (f.max[i] as number)) continue;
    } else if (isEmpty(e)) {
      if (f.required[i]) missing(seg, defs[i] as ElementDef, i, where, out);
      continue;
    }
    slowElement(seg, defs[i] as ElementDef, e, i, where, out);
  }
  for (const i of f.requiredIdx) if (i >= n) missing(seg, defs[i] as ElementDef, i, where, out);
  for (let i = defs.length; i < els.length; i++) {
    if (!isEmpty(els[i])) {
      out.push({ error: 'x12_too_many_elements', level: 'element', code: ELEM.tooMany, message: `${seg.tag} has ${els.length} elements, at most ${defs.length}`, ...whereOf(where), elementPosition: i + 1 });
      break;
    }
  }
  return out.length > before;
}
