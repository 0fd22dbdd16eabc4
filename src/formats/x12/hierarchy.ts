/**
 * 856-style HL hierarchy: nests each HL loop under the HL loop named by its HL02 (parent id),
 * regardless of where it appears. HL loops without HL02 stay where the grammar put them.
 * An HL02 naming no earlier HL01, or a repeated HL01, is reported (AK4 code 7 on HL02/HL01).
 *
 * HL ids are compared as strings. The usual ids (1, 2, 3... without leading zeros) are looked up
 * by number straight from the segment text, which spares splitting every HL segment and hashing
 * its ids; any other id takes the string map.
 */
import type { Loop, Segment, WireNode } from '../wire.ts';
import { isSegment } from '../wire.ts';
import { ELEM, type X12Error } from './errors.ts';
import { X12Segment } from './segment.ts';

const MAX_NUMBERED = 1 << 20;
/** a parsed HL id: >= 0 a canonical number, -1 empty, -2 anything else (use the string) */
const EMPTY = -1;
const OTHER = -2;

/** the canonical number in text[from, to): digits without a leading zero, below MAX_NUMBERED */
function idNumber(text: string, from: number, to: number): number {
  if (to <= from) return EMPTY;
  if (to - from > 7 || (text.charCodeAt(from) === 48 && to - from > 1)) return OTHER;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return OTHER;
    n = n * 10 + c;
  }
  return n < MAX_NUMBERED ? n : OTHER;
}

const str = (e: Segment['elements'][number] | undefined): string => (typeof e === 'string' ? e : '');

interface HlIds { id: string; parent: string; idNumber: number; parentNumber: number }

function hlIds(first: Segment, out: HlIds): void {
  const text = first instanceof X12Segment ? first.simpleSource : undefined;
  if (text !== undefined) {
    const x = first as X12Segment;
    const sep = x.elementSeparator; const start = x.textStart; const end = x.textEnd;
    let a = text.indexOf(sep, start); if (a >= end) a = -1;
    const idEnd = a < 0 ? end : a;
    let b = a < 0 ? -1 : text.indexOf(sep, a + 1); if (b >= end) b = -1;
    const parentEnd = a < 0 ? -1 : b < 0 ? end : b;
    out.idNumber = idNumber(text, start, idEnd);
    out.parentNumber = a < 0 ? EMPTY : idNumber(text, a + 1, parentEnd);
    if (out.idNumber !== OTHER && out.parentNumber !== OTHER) { out.id = ''; out.parent = ''; return; }
  }
  out.id = str(first.elements[0]); out.parent = str(first.elements[1]);
  out.idNumber = out.id === '' ? EMPTY : OTHER; out.parentNumber = out.parent === '' ? EMPTY : OTHER;
}

function firstHl(n: WireNode): Segment | undefined {
  if (isSegment(n) || n.loop !== 'HL') return undefined;
  const first = n.children[0];
  return first && isSegment(first) && first.tag === 'HL' ? first : undefined;
}

export function nestHierarchy(root: Loop, errors: X12Error[], transactionControlNumber?: string): void {
  const byNumber: Array<Loop | undefined> = [];
  const byId = new Map<string, Loop>();
  const kept: WireNode[] = [];
  const where = transactionControlNumber !== undefined ? { transactionControlNumber } : {};
  const ids: HlIds = { id: '', parent: '', idNumber: EMPTY, parentNumber: EMPTY };
  for (const node of root.children) {
    const first = firstHl(node);
    if (!first) { kept.push(node); continue; }
    const loop = node as Loop;
    hlIds(first, ids);
    const known = ids.idNumber >= 0 ? byNumber[ids.idNumber] !== undefined : byId.has(ids.id);
    if (known) {
      const id = ids.idNumber >= 0 ? String(ids.idNumber) : ids.id;
      errors.push({ error: 'x12_hl_duplicate_id', level: 'element', code: ELEM.invalidCode, message: `HL01 '${id}' is used twice`, segment: 'HL', segmentPosition: first.position, loopId: 'HL', elementPosition: 1, elementReference: '628', found: id, ...where });
    } else if (ids.idNumber >= 0) {
      while (byNumber.length < ids.idNumber) byNumber.push(undefined);
      byNumber[ids.idNumber] = loop;
    } else byId.set(ids.id, loop);
    const hasParent = ids.parentNumber !== EMPTY;
    const parent = !hasParent ? undefined : ids.parentNumber >= 0 ? byNumber[ids.parentNumber] : byId.get(ids.parent);
    if (hasParent && !parent) {
      const p = ids.parentNumber >= 0 ? String(ids.parentNumber) : ids.parent;
      errors.push({ error: 'x12_hl_parent_unknown', level: 'element', code: ELEM.invalidCode, message: `HL02 '${p}' names no earlier HL01`, segment: 'HL', segmentPosition: first.position, loopId: 'HL', elementPosition: 2, elementReference: '734', found: p, ...where });
    }
    if (parent && parent !== loop) parent.children.push(loop);
    else kept.push(loop);
  }
  root.children = kept;
}
