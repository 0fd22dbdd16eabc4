/**
 * Element-level checks of one segment against its definition: mandatory elements and components,
 * too many constituents, class (n / a / an), length, code lists. Reports ISO 9735 codes
 * 13, 16, 37, 39, 40, 12 with element and component positions (1-based, as CONTRL's S011).
 * Also normalises composites to string[] (the WireTree contract) when the definition says composite.
 */
import type { ElementDef, SegmentDef } from '../grammar.ts';
import type { Element, Segment } from '../wire.ts';
import type { GatewayError } from '../../core/errors.ts';
import { SYNTAX_ERROR, issue } from './issues.ts';
import { normalizeEdifactNumber, numericLength } from './syntax.ts';

export function normalizeComposites(seg: Segment, def: SegmentDef): void {
  for (let i = 0; i < seg.elements.length && i < def.elements.length; i++) {
    const d = def.elements[i] as ElementDef;
    const v = seg.elements[i] as Element;
    if (d.components && typeof v === 'string' && v !== '') seg.elements[i] = [v];
  }
}

export function validateSegment(seg: Segment, def: SegmentDef, context: Record<string, unknown>, errors: GatewayError[]): void {
  const at = (elementPosition: number, componentPosition?: number): Record<string, unknown> => ({
    ...context, level: 'element', severity: 'error', segment: seg.tag, segmentPosition: seg.position, elementPosition,
    ...(componentPosition !== undefined ? { componentPosition } : {}),
  });
  if (seg.elements.length > def.elements.length) {
    errors.push(issue('edifact_too_many_elements', `${seg.tag} at position ${seg.position} has ${seg.elements.length} data elements, at most ${def.elements.length} are defined`, {
      ...at(def.elements.length + 1), level: 'element', severity: 'error', standardCode: SYNTAX_ERROR.tooManyConstituents, expected: String(def.elements.length), found: String(seg.elements.length),
    }));
  }
  def.elements.forEach((d, i) => {
    const v = seg.elements[i];
    const empty = v === undefined || v === '' || (Array.isArray(v) && v.every((x) => x === ''));
    if (empty) {
      if (d.required) errors.push(issue('edifact_mandatory_element_missing', `${seg.tag}${pad(i + 1)} (${d.id} ${d.name}) is mandatory and missing`, {
        ...at(i + 1), level: 'element', severity: 'error', standardCode: SYNTAX_ERROR.missing, elementId: d.id, expected: d.id,
      }));
      return;
    }
    if (d.components) {
      const comps = Array.isArray(v) ? v : [v as string];
      if (comps.length > d.components.length) {
        errors.push(issue('edifact_too_many_components', `${seg.tag}${pad(i + 1)} (${d.id}) has ${comps.length} components, at most ${d.components.length} are defined`, {
          ...at(i + 1, d.components.length + 1), level: 'element', severity: 'error', standardCode: SYNTAX_ERROR.tooManyConstituents, elementId: d.id,
        }));
      }
      d.components.forEach((cd, j) => {
        const cv = comps[j] ?? '';
        if (cv === '') {
          if (cd.required) errors.push(issue('edifact_mandatory_element_missing', `${seg.tag}${pad(i + 1)}-${pad(j + 1)} (${d.id}/${cd.id} ${cd.name}) is mandatory and missing`, {
            ...at(i + 1, j + 1), level: 'element', severity: 'error', standardCode: SYNTAX_ERROR.missing, elementId: cd.id, expected: cd.id,
          }));
          return;
        }
        checkValue(cv, cd, `${seg.tag}${pad(i + 1)}-${pad(j + 1)}`, at(i + 1, j + 1), errors);
      });
    } else if (Array.isArray(v)) {
      errors.push(issue('edifact_too_many_components', `${seg.tag}${pad(i + 1)} (${d.id}) is a simple data element but has ${v.length} components`, {
        ...at(i + 1, 2), level: 'element', severity: 'error', standardCode: SYNTAX_ERROR.tooManyConstituents, elementId: d.id,
      }));
    } else checkValue(v as string, d, `${seg.tag}${pad(i + 1)}`, at(i + 1), errors);
  });
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

function checkValue(value: string, d: ElementDef, where: string, ctx: Record<string, unknown>, errors: GatewayError[]): void {
  const base = { ...ctx, level: 'element' as const, severity: 'error' as const, elementId: d.id, found: value };
  if (d.type === 'n') {
    if (normalizeEdifactNumber(value) === undefined) {
      errors.push(issue('edifact_invalid_numeric', `${where} (${d.id} ${d.name}) must be numeric, found '${value}'`, { ...base, standardCode: SYNTAX_ERROR.invalidTypeOfCharacters, expected: `n..${d.max ?? ''}` }));
      return;
    }
    const len = numericLength(value);
    if (d.max !== undefined && len > d.max) errors.push(issue('edifact_element_too_long', `${where} (${d.id}) has ${len} digits, at most ${d.max} allowed`, { ...base, standardCode: SYNTAX_ERROR.elementTooLong, expected: `n..${d.max}` }));
    if (d.min !== undefined && len < d.min) errors.push(issue('edifact_element_too_short', `${where} (${d.id}) has ${len} digits, at least ${d.min} required`, { ...base, standardCode: SYNTAX_ERROR.elementTooShort, expected: `n${d.min}` }));
    return;
  }
  if (d.type === 'a' && /\d/.test(value)) {
    errors.push(issue('edifact_invalid_alphabetic', `${where} (${d.id} ${d.name}) must be alphabetic, found '${value}'`, { ...base, standardCode: SYNTAX_ERROR.invalidTypeOfCharacters, expected: `a..${d.max ?? ''}` }));
  }
  const len = [...value].length;
  if (d.max !== undefined && len > d.max) errors.push(issue('edifact_element_too_long', `${where} (${d.id} ${d.name}) is ${len} characters long, at most ${d.max} allowed: '${value}'`, { ...base, standardCode: SYNTAX_ERROR.elementTooLong, expected: `${d.type ?? 'an'}..${d.max}` }));
  if (d.min !== undefined && len < d.min) errors.push(issue('edifact_element_too_short', `${where} (${d.id}) is ${len} characters long, at least ${d.min} required`, { ...base, standardCode: SYNTAX_ERROR.elementTooShort, expected: `${d.type ?? 'an'}${d.min}` }));
  if (d.codes && !d.codes.includes(value)) errors.push(issue('edifact_invalid_code', `${where} (${d.id} ${d.name}) '${value}' is not one of ${d.codes.join(', ')}`, { ...base, standardCode: SYNTAX_ERROR.invalidValue, expected: d.codes.join('|') }));
}
