/**
 * Element checks on a segment's text, without splitting it into strings (see segment.ts).
 *
 * `textLooksValid` answers only "certainly valid": true means validate-elements.ts would find
 * nothing in this segment. Anything it cannot decide on the text (a bad value, a composite, a
 * code list, an exponent in a decimal) returns false, and the caller runs the full element
 * checks, which split the segment and word the findings. So findings come from one place, and
 * this file only has to be right about the good case (validate-text.test.ts compares the two).
 */
import { digitsIn, isValidDateAt, isValidTimeAt, numericLength, TEXT_KIND, type FastDef } from './validate-elements.ts';

/** X12 decimal (R) at v[s, e): optional minus, digits with at most one decimal point, one digit at least */
function plainDecimal(v: string, s: number, e: number): boolean {
  let i = v.charCodeAt(s) === 45 ? s + 1 : s;
  let digits = 0; let points = 0;
  for (; i < e; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && points === 0) points++;
    else return false;
  }
  return digits > 0;
}

function elementLooksValid(kind: number, v: string, s: number, e: number, min: number, max: number): boolean {
  const len = e - s;
  switch (kind) {
    case TEXT_KIND.plain: return len >= min && len <= max;
    case TEXT_KIND.date: return isValidDateAt(v, s, len) && len <= max;
    case TEXT_KIND.time: return isValidTimeAt(v, s, len) && len >= min && len <= max;
    case TEXT_KIND.decimal: { if (!plainDecimal(v, s, e)) return false; const n = numericLength(v, s, e); return n >= min && n <= max; }
    case TEXT_KIND.numeric: { if (!digitsIn(v, v.charCodeAt(s) === 45 ? s + 1 : s, e)) return false; const n = numericLength(v, s, e); return n >= min && n <= max; }
    default: return false;
  }
}

/**
 * text[start, end): the elements of a segment after its tag and first separator (empty for none),
 * holding no component or repetition separator; sep: the element separator.
 */
export function textLooksValid(text: string, start: number, end: number, sep: string, f: FastDef): boolean {
  const count = f.kind.length;
  const n = end;
  const sepCode = sep.charCodeAt(0);
  let i = 0;
  let s = start;
  for (;;) {
    // elements are a few characters long: a plain scan beats a call to indexOf per element
    let e = s;
    while (e < n && text.charCodeAt(e) !== sepCode) e++;
    if (e > s) {
      if (i >= count) return false; // too many elements
      if (!elementLooksValid(f.kind[i] as number, text, s, e, f.min[i] as number, f.max[i] as number)) return false;
    } else if (i < count && f.required[i]) return false;
    i++;
    if (e >= n) break;
    s = e + 1;
  }
  for (; i < count; i++) if (f.required[i]) return false;
  return true;
}
