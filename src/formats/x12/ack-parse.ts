/**
 * Reads an inbound 997 or 999 (a TransactionItem from the reader) into a reconciliation record
 * that the pipeline matches against our outbound group/transaction control numbers.
 */
import type { Element, Loop, Segment, WireNode } from '../wire.ts';
import { isSegment } from '../wire.ts';

export type AckStatus = 'accepted' | 'accepted_with_errors' | 'partially_accepted' | 'rejected';

export interface AckElementNote { position: number; component?: number; repetition?: number; reference?: string; code: string; value?: string }
export interface AckSegmentNote { segment: string; position: number; loopId?: string; code?: string; elements: AckElementNote[] }
export interface AckSetResult { id: string; controlNumber: string; status: AckStatus; ackCode: string; codes: string[]; errors: AckSegmentNote[] }

export interface AckReconciliation {
  type: '997' | '999';
  functionalId: string;
  groupControlNumber: string;
  version?: string;
  groupStatus: AckStatus;
  groupAckCode: string;
  groupCodes: string[];
  included?: number;
  received?: number;
  accepted?: number;
  sets: AckSetResult[];
}

const s = (e: Element | undefined): string => (e === undefined ? '' : typeof e === 'string' ? e : (e[0] ?? ''));
const num = (e: Element | undefined): number | undefined => { const v = s(e); return /^\d+$/.test(v) ? Number(v) : undefined; };

function status(code: string): AckStatus {
  if (code === 'A') return 'accepted';
  if (code === 'E') return 'accepted_with_errors';
  if (code === 'P') return 'partially_accepted';
  return 'rejected';
}

function flatten(node: WireNode, out: Segment[]): void {
  if (isSegment(node)) out.push(node);
  else for (const c of (node as Loop).children) flatten(c, out);
}

export function parseAck(tree: { message: string; root: Loop }): AckReconciliation {
  const segs: Segment[] = [];
  flatten(tree.root, segs);
  const type = tree.message === '999' ? '999' : '997';
  const rec: AckReconciliation = { type, functionalId: '', groupControlNumber: '', groupStatus: 'rejected', groupAckCode: '', groupCodes: [], sets: [] };
  let set: AckSetResult | undefined;
  let note: AckSegmentNote | undefined;
  for (const seg of segs) {
    const e = seg.elements;
    switch (seg.tag) {
      case 'AK1':
        rec.functionalId = s(e[0]); rec.groupControlNumber = s(e[1]);
        if (s(e[2])) rec.version = s(e[2]);
        break;
      case 'AK2':
        set = { id: s(e[0]), controlNumber: s(e[1]), status: 'rejected', ackCode: '', codes: [], errors: [] };
        rec.sets.push(set); note = undefined;
        break;
      case 'AK3': case 'IK3':
        note = { segment: s(e[0]), position: num(e[1]) ?? 0, elements: [], ...(s(e[2]) ? { loopId: s(e[2]) } : {}), ...(s(e[3]) ? { code: s(e[3]) } : {}) };
        set?.errors.push(note);
        break;
      case 'AK4': case 'IK4': {
        const pos = e[0];
        const parts = typeof pos === 'string' ? [pos] : pos ?? [];
        const el: AckElementNote = { position: Number(parts[0] ?? 0), code: s(e[2]) };
        if (parts[1]) el.component = Number(parts[1]);
        if (parts[2]) el.repetition = Number(parts[2]);
        if (s(e[1])) el.reference = s(e[1]);
        if (s(e[3])) el.value = typeof e[3] === 'string' ? e[3] : (e[3] ?? []).join(':');
        note?.elements.push(el);
        break;
      }
      case 'AK5': case 'IK5':
        if (set) { set.ackCode = s(e[0]); set.status = status(set.ackCode); set.codes = e.slice(1).map(s).filter((c) => c !== ''); }
        break;
      case 'AK9': {
        rec.groupAckCode = s(e[0]); rec.groupStatus = status(rec.groupAckCode);
        const inc = num(e[1]); const rcv = num(e[2]); const acc = num(e[3]);
        if (inc !== undefined) rec.included = inc;
        if (rcv !== undefined) rec.received = rcv;
        if (acc !== undefined) rec.accepted = acc;
        rec.groupCodes = e.slice(4).map(s).filter((c) => c !== '');
        break;
      }
      default:
    }
  }
  return rec;
}
