/**
 * 856-style HL hierarchy: nests each HL loop under the HL loop named by its HL02 (parent id),
 * regardless of where it appears. HL loops without HL02 stay where the grammar put them.
 * An HL02 naming no earlier HL01, or a repeated HL01, is reported (AK4 code 7 on HL02/HL01).
 */
import type { Loop, WireNode } from '../wire.ts';
import { isSegment } from '../wire.ts';
import { ELEM, type X12Error } from './errors.ts';

function hlSegment(n: WireNode): { id: string; parent: string; position: number } | undefined {
  if (isSegment(n) || n.loop !== 'HL') return undefined;
  const first = n.children[0];
  if (!first || !isSegment(first) || first.tag !== 'HL') return undefined;
  const id = first.elements[0]; const parent = first.elements[1];
  return { id: typeof id === 'string' ? id : '', parent: typeof parent === 'string' ? parent : '', position: first.position };
}

export function nestHierarchy(root: Loop, errors: X12Error[], transactionControlNumber?: string): void {
  const byId = new Map<string, Loop>();
  const kept: WireNode[] = [];
  const where = transactionControlNumber !== undefined ? { transactionControlNumber } : {};
  for (const node of root.children) {
    const hl = hlSegment(node);
    if (!hl) { kept.push(node); continue; }
    const loop = node as Loop;
    if (byId.has(hl.id)) errors.push({ error: 'x12_hl_duplicate_id', level: 'element', code: ELEM.invalidCode, message: `HL01 '${hl.id}' is used twice`, segment: 'HL', segmentPosition: hl.position, loopId: 'HL', elementPosition: 1, elementReference: '628', found: hl.id, ...where });
    else byId.set(hl.id, loop);
    const parent = hl.parent !== '' ? byId.get(hl.parent) : undefined;
    if (hl.parent !== '' && !parent) {
      errors.push({ error: 'x12_hl_parent_unknown', level: 'element', code: ELEM.invalidCode, message: `HL02 '${hl.parent}' names no earlier HL01`, segment: 'HL', segmentPosition: hl.position, loopId: 'HL', elementPosition: 2, elementReference: '734', found: hl.parent, ...where });
    }
    if (parent && parent !== loop) parent.children.push(loop);
    else kept.push(loop);
  }
  root.children = kept;
}
