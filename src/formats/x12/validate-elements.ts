/**
 * Element syntax checks of one segment against its SegmentDef: too many elements, mandatory
 * element missing, length (N/R lengths exclude sign and decimal point), characters of
 * numeric types, dates (CCYYMMDD / YYMMDD), times (HHMM[SS[d..]]), code lists, composites.
 * Findings use the AK4/IK4 data element syntax error codes.
 */
import type { ElementDef, SegmentDef } from '../grammar.ts';
import type { Element, Segment } from '../wire.ts';
import { ELEM, type X12Error } from './errors.ts';

const NUMERIC = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function isValidDate(v: string): boolean {
  let y: number; let m: number; let d: number;
  if (v.length === 8) { y = Number(v.slice(0, 4)); m = Number(v.slice(4, 6)); d = Number(v.slice(6, 8)); }
  else if (v.length === 6) { y = 2000 + Number(v.slice(0, 2)); m = Number(v.slice(2, 4)); d = Number(v.slice(4, 6)); }
  else return false;
  if (!/^\d+$/.test(v) || m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

export function isValidTime(v: string): boolean {
  if (!/^\d{4}(\d{2}(\d{1,2})?)?$/.test(v)) return false;
  const h = Number(v.slice(0, 2)); const mi = Number(v.slice(2, 4));
  const sec = v.length >= 6 ? Number(v.slice(4, 6)) : 0;
  return h <= 23 && mi <= 59 && sec <= 59;
}

/** Length as X12 counts it: numeric types exclude sign and decimal point. */
function x12Length(v: string, type: string | undefined): number {
  if (type === 'R' || (type !== undefined && type[0] === 'N' && type !== 'N')) {
    let n = v.length;
    if (v.charCodeAt(0) === 45) n--;
    if (v.indexOf('.') >= 0) n--;
    return n;
  }
  return v.length;
}

type Where = Pick<X12Error, 'segment' | 'segmentPosition' | 'transactionControlNumber' | 'loopId'>;

function check(def: ElementDef, v: string, where: Where, position: number, component: number | undefined, out: X12Error[]): void {
  const base = (code: string, error: string, message: string, expected?: string): X12Error => ({
    error, level: 'element', code, message: `${where.segment}${String(position).padStart(2, '0')}${component ? `-${component}` : ''}: ${message}`, ...where,
    elementPosition: position, ...(component ? { componentPosition: component } : {}), elementReference: def.id, found: v,
    ...(expected !== undefined ? { expected } : {}),
  });
  const t = def.type;
  if (t === 'DT') { if (!isValidDate(v)) { out.push(base(ELEM.invalidDate, 'x12_invalid_date', `invalid date '${v}'`, 'CCYYMMDD')); return; } }
  else if (t === 'TM') { if (!isValidTime(v)) { out.push(base(ELEM.invalidTime, 'x12_invalid_time', `invalid time '${v}'`, 'HHMM[SS[d..]]')); return; } }
  else if (t === 'R') { if (!DECIMAL.test(v)) { out.push(base(ELEM.invalidCharacter, 'x12_invalid_character', `'${v}' is not a decimal number`, 'R')); return; } }
  else if (t !== undefined && t[0] === 'N' && t.length === 2) { if (!NUMERIC.test(v)) { out.push(base(ELEM.invalidCharacter, 'x12_invalid_character', `'${v}' is not numeric`, t)); return; } }
  if (def.codes && !def.codes.includes(v)) { out.push(base(ELEM.invalidCode, 'x12_invalid_code', `'${v}' is not a valid code`, def.codes.join('|'))); return; }
  const len = x12Length(v, t);
  if (def.min !== undefined && len < def.min && t !== 'DT') out.push(base(ELEM.tooShort, 'x12_element_too_short', `'${v}' is shorter than ${def.min}`, `${def.min}..${def.max ?? ''}`));
  else if (def.max !== undefined && len > def.max) out.push(base(ELEM.tooLong, 'x12_element_too_long', `'${v}' is longer than ${def.max}`, `${def.min ?? 1}..${def.max}`));
}

function isEmpty(e: Element | undefined): boolean {
  if (e === undefined) return true;
  if (typeof e === 'string') return e.length === 0;
  for (const c of e) if (c.length > 0) return false;
  return true;
}

/** Appends element findings for `seg` to `out`; returns true when there were any. */
export function validateElements(seg: Segment, def: SegmentDef, where: Where, out: X12Error[]): boolean {
  const defs = def.elements;
  if (defs.length === 0) return false; // open segment
  const before = out.length;
  const els = seg.elements;
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i] as ElementDef;
    const e = els[i];
    if (isEmpty(e)) {
      if (d.required) out.push({ error: 'x12_mandatory_element_missing', level: 'element', code: ELEM.mandatoryMissing, message: `${seg.tag}${String(i + 1).padStart(2, '0')} (${d.name}) is mandatory`, ...where, elementPosition: i + 1, elementReference: d.id });
      continue;
    }
    if (d.components) {
      const comps = typeof e === 'string' ? [e] : (e as string[]);
      if (comps.length > d.components.length) out.push({ error: 'x12_too_many_components', level: 'element', code: ELEM.tooManyComponents, message: `${seg.tag}${String(i + 1).padStart(2, '0')} has ${comps.length} components, at most ${d.components.length}`, ...where, elementPosition: i + 1, elementReference: d.id });
      for (let c = 0; c < d.components.length; c++) {
        const cd = d.components[c] as ElementDef;
        const cv = comps[c];
        if (cv === undefined || cv.length === 0) {
          if (cd.required) out.push({ error: 'x12_mandatory_element_missing', level: 'element', code: ELEM.mandatoryMissing, message: `${seg.tag}${String(i + 1).padStart(2, '0')}-${c + 1} (${cd.name}) is mandatory`, ...where, elementPosition: i + 1, componentPosition: c + 1, elementReference: cd.id });
          continue;
        }
        check(cd, cv, where, i + 1, c + 1, out);
      }
    } else if (typeof e !== 'string') {
      out.push({ error: 'x12_unexpected_components', level: 'element', code: ELEM.tooManyComponents, message: `${seg.tag}${String(i + 1).padStart(2, '0')} is a simple element but holds components`, ...where, elementPosition: i + 1, elementReference: d.id, found: (e as string[]).join(':') });
    } else {
      check(d, e, where, i + 1, undefined, out);
    }
  }
  for (let i = defs.length; i < els.length; i++) {
    if (!isEmpty(els[i])) {
      out.push({ error: 'x12_too_many_elements', level: 'element', code: ELEM.tooMany, message: `${seg.tag} has ${els.length} elements, at most ${defs.length}`, ...where, elementPosition: i + 1 });
      break;
    }
  }
  return out.length > before;
}
