/**
 * Inbound CONTRL -> reconciliation record: which of our interchanges, groups and messages the
 * partner acknowledged or rejected, and why (ISO 9735 0085 codes with segment/element positions).
 */
import { GatewayError } from '../../core/errors.ts';
import type { Element } from '../wire.ts';
import type { EdifactMessage } from './assembler.ts';
import { segmentsOf } from './writer.ts';

export type ContrlAction = 'rejected' | 'acknowledged' | 'received' | 'unknown';
export interface ContrlErrorRef { code: string; serviceSegment?: string; elementPosition?: number; componentPosition?: number }
export interface ContrlSegmentReport { position: number; code?: string; elements: ContrlErrorRef[] }
export interface ContrlMessageReport { reference: string; type: string; version: string; release: string; action: ContrlAction; error?: ContrlErrorRef; segments: ContrlSegmentReport[]; groupReference?: string }
export interface ContrlReport {
  /** UCI 0020: the control reference of OUR interchange being acknowledged */
  interchangeReference: string;
  /** UCI S002/S003 as the partner copied them (sender = us) */
  sender: string;
  recipient: string;
  action: ContrlAction;
  error?: ContrlErrorRef;
  groups: Array<{ reference: string; action: ContrlAction; error?: ContrlErrorRef }>;
  messages: ContrlMessageReport[];
}

const ACTIONS: Record<string, ContrlAction> = { '4': 'rejected', '7': 'acknowledged', '8': 'received' };
const str = (e: Element | undefined, i = 0): string => (e === undefined ? '' : typeof e === 'string' ? (i === 0 ? e : '') : (e[i] ?? ''));
const errRef = (code: Element | undefined, tag: Element | undefined, pos: Element | undefined): ContrlErrorRef | undefined => {
  const c = str(code);
  if (!c) return undefined;
  const r: ContrlErrorRef = { code: c };
  if (str(tag)) r.serviceSegment = str(tag);
  if (str(pos)) r.elementPosition = Number(str(pos));
  if (str(pos, 1)) r.componentPosition = Number(str(pos, 1));
  return r;
};
const withErr = <T extends object>(o: T, e: ContrlErrorRef | undefined): T & { error?: ContrlErrorRef } => (e ? { ...o, error: e } : o);

export function parseContrl(message: EdifactMessage): ContrlReport {
  if (message.header.type !== 'CONTRL') throw new GatewayError('edifact_not_contrl', `message ${message.header.reference} is ${message.header.type}, not CONTRL`, { transactionControlNumber: message.header.reference, expected: 'CONTRL', found: message.header.type });
  const segs = segmentsOf(message.tree.root);
  const uci = segs.find((s) => s.tag === 'UCI');
  if (!uci) throw new GatewayError('edifact_contrl_without_uci', 'CONTRL has no UCI segment', { transactionControlNumber: message.header.reference, segment: 'UCI', expected: 'UCI' });
  const u = uci.elements;
  const report: ContrlReport = withErr({ interchangeReference: str(u[0]), sender: str(u[1]), recipient: str(u[2]), action: ACTIONS[str(u[3])] ?? 'unknown', groups: [], messages: [] } as ContrlReport, errRef(u[4], u[5], u[6]));
  let group: string | undefined;
  let current: ContrlMessageReport | undefined;
  let seg: ContrlSegmentReport | undefined;
  for (const s of segs) {
    const e = s.elements;
    if (s.tag === 'UCF') {
      group = str(e[0]);
      report.groups.push(withErr({ reference: group, action: ACTIONS[str(e[3])] ?? 'unknown' }, errRef(e[4], e[5], e[6])));
    } else if (s.tag === 'UCM') {
      current = withErr({ reference: str(e[0]), type: str(e[1], 0), version: str(e[1], 1), release: str(e[1], 2), action: ACTIONS[str(e[2])] ?? 'unknown', segments: [] as ContrlSegmentReport[], ...(group ? { groupReference: group } : {}) }, errRef(e[3], e[4], e[5]));
      report.messages.push(current);
      seg = undefined;
    } else if (s.tag === 'UCS' && current) {
      seg = { position: Number(str(e[0])), elements: [] };
      if (str(e[1])) seg.code = str(e[1]);
      current.segments.push(seg);
    } else if (s.tag === 'UCD' && seg) {
      const r = errRef(e[0], undefined, e[1]);
      if (r) seg.elements.push(r);
    }
  }
  return report;
}

export interface ContrlReconciliation {
  /** the CONTRL refers to this outbound interchange */
  matches: boolean;
  interchangeAccepted: boolean;
  accepted: string[];
  rejected: Array<{ reference: string; reasons: string[] }>;
  /** our messages the CONTRL does not mention: accepted implicitly when UCI action is 7 */
  notMentioned: string[];
}

/** Reconciles a CONTRL with what we sent (our UNB 0020 and UNH 0062 references). */
export function reconcileContrl(report: ContrlReport, outbound: { controlReference: string; messageReferences: string[] }): ContrlReconciliation {
  const mentioned = new Map(report.messages.map((m) => [m.reference, m]));
  const accepted: string[] = [];
  const rejected: ContrlReconciliation['rejected'] = [];
  const notMentioned: string[] = [];
  const interchangeAccepted = report.action !== 'rejected';
  for (const ref of outbound.messageReferences) {
    const m = mentioned.get(ref);
    if (!m) { notMentioned.push(ref); if (report.action === 'acknowledged') accepted.push(ref); else if (!interchangeAccepted) rejected.push({ reference: ref, reasons: [`interchange rejected (${report.error?.code ?? 'no code'})`] }); continue; }
    if (m.action === 'rejected' || !interchangeAccepted) {
      const reasons = [
        ...(m.error ? [`message: syntax error ${m.error.code}${m.error.serviceSegment ? ` in ${m.error.serviceSegment}` : ''}`] : []),
        ...m.segments.map((s) => `segment ${s.position}${s.code ? ` error ${s.code}` : ''}${s.elements.map((d) => `; element ${d.elementPosition ?? '?'}${d.componentPosition ? `:${d.componentPosition}` : ''} error ${d.code}`).join('')}`),
      ];
      rejected.push({ reference: ref, reasons });
    } else accepted.push(ref);
  }
  return { matches: report.interchangeReference === outbound.controlReference, interchangeAccepted, accepted, rejected, notMentioned };
}
