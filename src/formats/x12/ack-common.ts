/** Shared pieces of the 997 and 999 builders: grouping findings per segment, status codes. */
import type { Element, Loop, Segment, WireNode, WireTree } from '../wire.ts';
import { SET, type X12Error } from './errors.ts';
import type { GroupHeader, TransactionResult } from './types.ts';

/** Input of build997 / build999: what the reader reported for one received group. */
export interface AckGroupInput {
  group: Pick<GroupHeader, 'functionalId' | 'controlNumber' | 'version'>;
  /** read once, in order: an array, or a log of a large group's sets (ack-set-log.ts) */
  transactions: Iterable<TransactionResult>;
  /** group-level findings (AK9 codes) */
  errors: X12Error[];
  /** GE01 as received; defaults to the number of transaction sets counted */
  includedCount?: number;
}

export interface SegmentNote { tag: string; position: number; loopId?: string; code: string; elements: X12Error[] }

/** Segment and element findings of one set grouped per segment (AK3/IK3 + AK4/IK4), in position order. */
export function segmentNotes(errors: X12Error[]): SegmentNote[] {
  const byKey = new Map<string, SegmentNote>();
  for (const e of errors) {
    if ((e.level !== 'segment' && e.level !== 'element') || e.segment === undefined) continue;
    const key = `${e.segment}@${e.segmentPosition ?? 0}`;
    let note = byKey.get(key);
    if (!note) {
      note = { tag: e.segment, position: e.segmentPosition ?? 0, code: e.level === 'segment' ? e.code : '8', elements: [], ...(e.loopId ? { loopId: e.loopId } : {}) };
      byKey.set(key, note);
    } else if (e.level === 'segment' && note.code === '8') note.code = e.code;
    if (e.level === 'element') note.elements.push(e);
  }
  return [...byKey.values()].sort((a, b) => a.position - b.position);
}

/** AK5/IK5 codes (max 5) of one set. */
export function setCodes(t: TransactionResult): string[] {
  const codes: string[] = [];
  for (const e of t.errors) if (e.level === 'transaction' && !codes.includes(e.code)) codes.push(e.code);
  if (!t.accepted && codes.length === 0 && !t.rejectedWithGroup) codes.push(SET.segmentsInError);
  return codes.slice(0, 5);
}

export function positionElement(e: X12Error, withRepetition: boolean): Element {
  const parts = [String(e.elementPosition ?? 1)];
  if (e.componentPosition !== undefined || (withRepetition && e.repetitionPosition !== undefined)) parts.push(e.componentPosition !== undefined ? String(e.componentPosition) : '');
  if (withRepetition && e.repetitionPosition !== undefined) parts.push(String(e.repetitionPosition));
  return parts.length === 1 ? (parts[0] as string) : parts;
}

/** AK404 / IK404 copy of the bad element: at most 99 chars; characters commonly used as delimiters become spaces so the ack stays well-formed. */
export function badValue(e: X12Error): string {
  return (e.found ?? '').replace(/[~*:^>|!\r\n\u0000-\u001f]/g, ' ').slice(0, 99);
}

/** AK9/IK9 of a group: `received` and `accepted` are counted while its sets were acknowledged. */
export function groupStatus(input: Pick<AckGroupInput, 'errors' | 'includedCount'>, received: number, accepted: number): { code: string; included: number; received: number; accepted: number; codes: string[] } {
  const codes = [...new Set(input.errors.filter((e) => e.level === 'group').map((e) => e.code))].slice(0, 5);
  let code: string;
  if (received > 0 && accepted === 0) code = 'R';
  else if (accepted < received) code = 'P';
  else if (codes.length > 0 || received === 0) code = codes.length > 0 ? 'E' : 'A';
  else code = 'A';
  return { code, included: input.includedCount ?? received, received, accepted, codes };
}

/**
 * The nodes of one 997/999 in order: its first segments (ST, AK1), one AK2 loop per set as the
 * sets are read from `input.transactions`, then AK9 and SE (SE01 counted on the way). The tree
 * (ackTree) and the streamed writer (ack-stream.ts) both take them from here, so a large group
 * is acknowledged without holding its sets.
 */
export function* ackNodes(input: AckGroupInput, controlNumber: string, head: Segment[], setLoop: (t: TransactionResult) => Loop): Generator<WireNode> {
  let count = 0;
  let received = 0;
  let accepted = 0;
  for (const s of head) { count++; yield s; }
  for (const t of input.transactions) {
    received++;
    if (t.accepted) accepted++;
    const loop = setLoop(t);
    count += segmentCount(loop);
    yield loop;
  }
  const g = groupStatus(input, received, accepted);
  yield mk('AK9', [g.code, String(g.included), String(g.received), String(g.accepted), ...g.codes]);
  yield mk('SE', [String(count + 2), controlNumber]);
}

function segmentCount(n: WireNode): number {
  if ('tag' in n) return 1;
  let c = 0;
  for (const x of n.children) c += segmentCount(x);
  return c;
}

/** A 997/999 as a wire tree (nodes nested under the root, segments numbered). */
export function ackTree(message: '997' | '999', version: string, nodes: Iterable<WireNode>): WireTree {
  const root: Loop = { loop: message, children: [] };
  const all: Segment[] = [];
  const flat = (n: WireNode): void => { if ('tag' in n) all.push(n); else n.children.forEach(flat); };
  for (const n of nodes) { root.children.push(n); flat(n); }
  numberPositions(all);
  return { standard: 'x12', message, version, root };
}

export function mk(tag: string, elements: Element[]): Segment {
  return { tag, elements, position: 0 };
}

export function numberPositions(segments: Segment[]): void {
  segments.forEach((s, i) => { s.position = i + 1; });
}
