/**
 * Element-level checks of one segment against its definition: mandatory elements and components,
 * too many constituents, class (n / a / an), length, code lists. Reports ISO 9735 codes
 * 13, 16, 37, 39, 40, 12 with element and component positions (1-based, as CONTRL's S011).
 * Also normalises composites to string[] (the WireTree contract) when the definition says composite.
 * Detail objects are built only when a check fails (this runs for every value of every message).
 */
import type { ElementDef, SegmentDef } from '../grammar.ts';
import type { Element, Segment } from '../wire.ts';
import type { GatewayError } from '../../core/errors.ts';
import { SYNTAX_ERROR, issue } from './issues.ts';
import { normalizeEdifactNumber, numericLength } from './syntax.ts';

export function normalizeComposites(seg: Segment, def: SegmentDef): void {
  const n = Math.min(seg.elements.length, def.elements.length);
  for (let i = 0; i < n; i++) {
    const v = seg.elements[i] as Element;
    if (typeof v === 'string' && v !== '' && (def.elements[i] as ElementDef).components) seg.elements[i] = [v];
  }
}

interface Ctx { seg: Segment; context: Record<string, unknown>; errors: GatewayError[] }

function fail(c: Ctx, code: string, message: string, standardCode: string, elementPosition: number, componentPosition: number | undefined, extra: Record<string, unknown>): void {
  c.errors.push(issue(code, message, {
    ...c.context, level: 'element', severity: 'error', standardCode, segment: c.seg.tag, segmentPosition: c.seg.position, elementPosition,
    ...(componentPosition !== undefined ? { componentPosition } : {}), ...extra,
  }));
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function validateSegment(seg: Segment, def: SegmentDef, context: Record<string, unknown>, errors: GatewayError[]): void {
  const c: Ctx = { seg, context, errors };
  const defs = def.elements;
  if (seg.elements.length > defs.length) {
    fail(c, 'edifact_too_many_elements', `${seg.tag} at position ${seg.position} has ${seg.elements.length} data elements, at most ${defs.length} are defined`,
      SYNTAX_ERROR.tooManyConstituents, defs.length + 1, undefined, { expected: String(defs.length), found: String(seg.elements.length) });
  }
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i] as ElementDef;
    const v = seg.elements[i];
    if (v === undefined || v === '' || (Array.isArray(v) && v.every((x) => x === ''))) {
      if (d.required) fail(c, 'edifact_mandatory_element_missing', `${seg.tag}${pad(i + 1)} (${d.id} ${d.name}) is mandatory and missing`, SYNTAX_ERROR.missing, i + 1, undefined, { elementId: d.id, expected: d.id });
      continue;
    }
    if (d.components) {
      const comps = Array.isArray(v) ? v : [v];
      const cds = d.components;
      if (comps.length > cds.length) {
        fail(c, 'edifact_too_many_components', `${seg.tag}${pad(i + 1)} (${d.id}) has ${comps.length} components, at most ${cds.length} are defined`, SYNTAX_ERROR.tooManyConstituents, i + 1, cds.length + 1, { elementId: d.id });
      }
      for (let j = 0; j < cds.length; j++) {
        const cd = cds[j] as ElementDef;
        const cv = comps[j] ?? '';
        if (cv === '') {
          if (cd.required) fail(c, 'edifact_mandatory_element_missing', `${seg.tag}${pad(i + 1)}-${pad(j + 1)} (${d.id}/${cd.id} ${cd.name}) is mandatory and missing`, SYNTAX_ERROR.missing, i + 1, j + 1, { elementId: cd.id, expected: cd.id });
          continue;
        }
        checkValue(cv, cd, i + 1, j + 1, c);
      }
    } else if (Array.isArray(v)) {
      fail(c, 'edifact_too_many_components', `${seg.tag}${pad(i + 1)} (${d.id}) is a simple data element but has ${v.length} components`, SYNTAX_ERROR.tooManyConstituents, i + 1, 2, { elementId: d.id });
    } else checkValue(v, d, i + 1, undefined, c);
  }
}

function where(c: Ctx, d: ElementDef, el: number, comp: number | undefined): string {
  return `${c.seg.tag}${pad(el)}${comp !== undefined ? `-${pad(comp)}` : ''} (${d.id} ${d.name})`;
}

function checkValue(value: string, d: ElementDef, el: number, comp: number | undefined, c: Ctx): void {
  if (d.type === 'n') {
    if (normalizeEdifactNumber(value) === undefined) {
      fail(c, 'edifact_invalid_numeric', `${where(c, d, el, comp)} must be numeric, found '${value}'`, SYNTAX_ERROR.invalidTypeOfCharacters, el, comp, { elementId: d.id, expected: `n..${d.max ?? ''}`, found: value });
      return;
    }
    if (d.max === undefined && d.min === undefined) return;
    const len = numericLength(value);
    if (d.max !== undefined && len > d.max) fail(c, 'edifact_element_too_long', `${where(c, d, el, comp)} has ${len} digits, at most ${d.max} allowed`, SYNTAX_ERROR.elementTooLong, el, comp, { elementId: d.id, expected: `n..${d.max}`, found: value });
    if (d.min !== undefined && len < d.min) fail(c, 'edifact_element_too_short', `${where(c, d, el, comp)} has ${len} digits, at least ${d.min} required`, SYNTAX_ERROR.elementTooShort, el, comp, { elementId: d.id, expected: `n${d.min}`, found: value });
    return;
  }
  if (d.type === 'a' && /\d/.test(value)) {
    fail(c, 'edifact_invalid_alphabetic', `${where(c, d, el, comp)} must be alphabetic, found '${value}'`, SYNTAX_ERROR.invalidTypeOfCharacters, el, comp, { elementId: d.id, expected: `a..${d.max ?? ''}`, found: value });
  }
  // string length in characters (code points); value.length is enough unless astral characters occur
  const len = value.length;
  if (d.max !== undefined && len > d.max) {
    const cp = [...value].length;
    if (cp > d.max) fail(c, 'edifact_element_too_long', `${where(c, d, el, comp)} is ${cp} characters long, at most ${d.max} allowed: '${value}'`, SYNTAX_ERROR.elementTooLong, el, comp, { elementId: d.id, expected: `${d.type ?? 'an'}..${d.max}`, found: value });
  }
  if (d.min !== undefined && len < d.min) fail(c, 'edifact_element_too_short', `${where(c, d, el, comp)} is ${len} characters long, at least ${d.min} required`, SYNTAX_ERROR.elementTooShort, el, comp, { elementId: d.id, expected: `${d.type ?? 'an'}${d.min}`, found: value });
  if (d.codes && !d.codes.includes(value)) fail(c, 'edifact_invalid_code', `${where(c, d, el, comp)} '${value}' is not one of ${d.codes.join(', ')}`, SYNTAX_ERROR.invalidValue, el, comp, { elementId: d.id, expected: d.codes.join('|'), found: value });
}
