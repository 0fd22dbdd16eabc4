/**
 * X12 writer (pure): serializes wire trees inside ISA/GS/ST..SE/GE/IEA with the given
 * delimiters, padded fixed-width ISA fields and computed counts. Control numbers are passed in.
 * A tree that already holds ST and SE (as read) keeps them, with ST02/SE01/SE02 rewritten;
 * a tree without them (built by a mapping) gets them added. Segments are written depth-first
 * in tree order; trailing empty elements and components are dropped.
 */
import type { Element, Loop, Segment, WireNode, WireTree } from '../wire.ts';
import { isSegment } from '../wire.ts';
import { formatIsa13 } from './control-numbers.ts';
import type { X12Delimiters } from './delimiters.ts';
import type { GroupHeader, InterchangeHeader } from './types.ts';

export interface InterchangeEnvelope {
  authorizationQualifier?: string; authorization?: string; securityQualifier?: string; security?: string;
  senderQualifier: string; senderId: string; receiverQualifier: string; receiverId: string;
  /** YYMMDD and HHMM (passed in: writers never read the clock) */
  date: string; time: string;
  /** ISA12, default '00401' (or '00501' when the delimiters have a repetition separator) */
  version?: string;
  controlNumber: number | string;
  ackRequested?: '0' | '1';
  usage?: 'P' | 'T' | 'I';
}

export interface GroupEnvelope {
  functionalId: string; senderCode: string; receiverCode: string;
  /** CCYYMMDD and HHMM[SS] */
  date: string; time: string;
  controlNumber: number | string;
  /** GS08, e.g. '004010' or '005010X231A1' */
  version: string;
  agency?: string;
}

export interface TransactionToWrite { tree: WireTree; controlNumber?: string; implementationReference?: string }
export interface GroupToWrite { group: GroupEnvelope; transactions: TransactionToWrite[] }

function trimTrailing<T>(list: T[], empty: (x: T) => boolean): T[] {
  let n = list.length;
  while (n > 0 && empty(list[n - 1] as T)) n--;
  return n === list.length ? list : list.slice(0, n);
}

function elementText(e: Element, d: X12Delimiters): string {
  if (typeof e === 'string') return e;
  return trimTrailing(e, (c) => c === '').join(d.component);
}

export function writeSegment(seg: { tag: string; elements: Element[]; repeats?: Record<number, Element[]> }, d: X12Delimiters): string {
  const parts = seg.elements.map((e, i) => {
    const reps = seg.repeats?.[i];
    if (reps && reps.length > 1 && d.repetition) return reps.map((r) => elementText(r, d)).join(d.repetition);
    return elementText(e, d);
  });
  const kept = trimTrailing(parts, (p) => p === '');
  return (kept.length ? seg.tag + d.element + kept.join(d.element) : seg.tag) + d.segment + (d.lineBreak ?? '');
}

/**
 * Depth-first segments of a tree. An HL whose HL01 is empty is numbered here (the next number after
 * the highest seen), and an empty HL02 gets its parent HL loop's number: an outbound mapping only
 * nests HL loops, and the 856 hierarchy numbers follow from the nesting.
 */
function collect(node: WireNode, out: Segment[], hl = { last: 0 }, parentHl = ''): void {
  if (isSegment(node)) { out.push(node); return; }
  let own = parentHl;
  for (const c of (node as Loop).children) {
    if (isSegment(c) && c.tag === 'HL') {
      const id = typeof c.elements[0] === 'string' ? c.elements[0] : '';
      if (id === '') {
        own = String(++hl.last);
        const parent = c.elements[1] === '' || c.elements[1] === undefined ? parentHl : c.elements[1];
        out.push({ ...c, elements: [own, parent, ...c.elements.slice(2)] });
        continue;
      }
      own = id;
      hl.last = Math.max(hl.last, Number(id) || 0);
    }
    collect(c, out, hl, own);
  }
}

/** ST..SE text of one tree; returns the text and its segment count. */
export function writeTransaction(t: TransactionToWrite, d: X12Delimiters): { text: string; segmentCount: number } {
  const segs: Segment[] = [];
  collect(t.tree.root, segs);
  const body = segs.filter((s) => s.tag !== 'ST' && s.tag !== 'SE');
  const st = segs.find((s) => s.tag === 'ST');
  const controlNumber = t.controlNumber ?? (st && typeof st.elements[1] === 'string' ? st.elements[1] : '0001');
  const ref = t.implementationReference ?? (st && typeof st.elements[2] === 'string' ? st.elements[2] : undefined);
  const count = body.length + 2;
  let text = writeSegment({ tag: 'ST', elements: [t.tree.message, controlNumber, ...(ref ? [ref] : [])] }, d);
  for (const s of body) text += writeSegment(s, d);
  text += writeSegment({ tag: 'SE', elements: [String(count), controlNumber] }, d);
  return { text, segmentCount: count };
}

const pad = (v: string | undefined, n: number, fill = ' '): string => (v ?? '').slice(0, n).padEnd(n, fill);

export function writeIsa(env: InterchangeEnvelope, d: X12Delimiters): string {
  const version = env.version ?? (d.repetition ? '00501' : '00401');
  const isa11 = Number(version) >= 402 && d.repetition ? d.repetition : 'U';
  const cn = typeof env.controlNumber === 'number' ? formatIsa13(env.controlNumber) : env.controlNumber.padStart(9, '0');
  const f = [pad(env.authorizationQualifier ?? '00', 2), pad(env.authorization, 10), pad(env.securityQualifier ?? '00', 2), pad(env.security, 10),
    pad(env.senderQualifier, 2), pad(env.senderId, 15), pad(env.receiverQualifier, 2), pad(env.receiverId, 15), pad(env.date, 6), pad(env.time, 4),
    isa11, pad(version, 5), cn, env.ackRequested ?? '0', env.usage ?? 'P', d.component];
  return 'ISA' + d.element + f.join(d.element) + d.segment + (d.lineBreak ?? '');
}

export function writeGroup(g: GroupToWrite, d: X12Delimiters): string {
  const cn = String(g.group.controlNumber);
  let text = writeSegment({ tag: 'GS', elements: [g.group.functionalId, g.group.senderCode, g.group.receiverCode, g.group.date, g.group.time, cn, g.group.agency ?? 'X', g.group.version] }, d);
  for (const t of g.transactions) text += writeTransaction(t, d).text;
  text += writeSegment({ tag: 'GE', elements: [String(g.transactions.length), cn] }, d);
  return text;
}

/** A whole interchange: ISA, each group, IEA with the group count. */
export function writeInterchange(input: { interchange: InterchangeEnvelope; groups: GroupToWrite[]; delimiters: X12Delimiters; ta1?: Segment[] }): string {
  const d = input.delimiters;
  let text = writeIsa(input.interchange, d);
  for (const s of input.ta1 ?? []) text += writeSegment(s, d);
  for (const g of input.groups) text += writeGroup(g, d);
  const cn = typeof input.interchange.controlNumber === 'number' ? formatIsa13(input.interchange.controlNumber) : input.interchange.controlNumber.padStart(9, '0');
  text += writeSegment({ tag: 'IEA', elements: [String(input.groups.length), cn] }, d);
  return text;
}

/** Envelope values of a read interchange/group, to write a reply or re-serialize. */
export function interchangeEnvelopeOf(h: InterchangeHeader): InterchangeEnvelope {
  return { authorizationQualifier: h.authorizationQualifier, authorization: h.authorization, securityQualifier: h.securityQualifier, security: h.security,
    senderQualifier: h.senderQualifier, senderId: h.senderId, receiverQualifier: h.receiverQualifier, receiverId: h.receiverId, date: h.date, time: h.time,
    version: h.version, controlNumber: h.controlNumber, ackRequested: h.ackRequested === '1' ? '1' : '0', usage: (h.usage === 'T' || h.usage === 'I') ? h.usage : 'P' };
}

export function groupEnvelopeOf(g: GroupHeader): GroupEnvelope {
  return { functionalId: g.functionalId, senderCode: g.senderCode, receiverCode: g.receiverCode, date: g.date, time: g.time, controlNumber: g.controlNumber, version: g.version, agency: g.agency };
}
