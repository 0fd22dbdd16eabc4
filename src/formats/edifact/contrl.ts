/**
 * CONTRL (syntax and service report, ISO 9735-4) for one inbound interchange: UCI for the
 * interchange, UCF per group, UCM per message, UCS/UCD for segment and data element errors,
 * written in the inbound syntax identifier and version (CONTRL:D:3:UN for syntax 1-3,
 * CONTRL:4:1:UN for syntax 4). Issues without an ISO 9735 code (unsupported message type) are
 * not syntax errors and do not appear. Pure: date, time and references come in as arguments.
 */
import type { GatewayError } from '../../core/errors.ts';
import type { Element, Loop, Segment, WireTree } from '../wire.ts';
import type { EdifactInterchange } from './reader.ts';
import type { EdifactMessage } from './assembler.ts';
import type { EdifactInterchangeHeader } from './envelope.ts';
import { isBlocking } from './issues.ts';
import { writeEdifact, type EdifactWriteInput } from './writer.ts';
import { GatewayError as GE } from '../../core/errors.ts';

/** 0083 action codes */
export const CONTRL_ACTION = { rejected: '4', acknowledged: '7', received: '8' } as const;

export interface ContrlOptions {
  /** control reference (0020) of the CONTRL interchange we send */
  controlReference: string;
  /** date (YYMMDD, or CCYYMMDD in syntax 4) and time (HHMM) of preparation */
  date: string;
  time: string;
  messageReference?: string;
  /** 'all' (default): a UCM for every message; 'errors': UCM only for rejected messages */
  report?: 'all' | 'errors';
  /** separators for the CONTRL (default: the inbound interchange's) */
  lineEnding?: string;
}

export interface ContrlResult {
  /** overall outcome for the inbound interchange */
  outcome: 'accepted' | 'partially_accepted' | 'rejected';
  rejectedMessages: string[];
  tree: WireTree;
  interchange: EdifactWriteInput;
  bytes: Uint8Array;
}

const syntaxErrors = (errs: GatewayError[]): GatewayError[] => errs.filter((e) => isBlocking(e) && typeof e.detail.standardCode === 'string');
const s011 = (e: GatewayError): Element => (e.detail.elementPosition !== undefined
  ? (e.detail.componentPosition !== undefined ? [String(e.detail.elementPosition), String(e.detail.componentPosition)] : String(e.detail.elementPosition)) : '');
const trim = (a: Element[]): Element[] => { const x = [...a]; while (x.length > 0 && (x[x.length - 1] === '' || (Array.isArray(x[x.length - 1]) && (x[x.length - 1] as string[]).every((c) => c === '')))) x.pop(); return x; };

export function buildContrl(inbound: EdifactInterchange, opts: ContrlOptions): ContrlResult {
  const h = inbound.header;
  if (!h.controlReference) throw new GE('edifact_contrl_no_interchange', 'cannot acknowledge input without a UNB interchange header', { expected: 'UNB' });
  const v4 = h.syntax.version === '4';
  const segs: Array<{ tag: string; elements: Element[] }> = [];
  const ref = opts.messageReference ?? '1';
  segs.push({ tag: 'UNH', elements: [ref, v4 ? ['CONTRL', '4', '1', 'UN'] : ['CONTRL', 'D', '3', 'UN']] });

  const icErr = syntaxErrors(inbound.errors);
  const icLevel = icErr.filter((e) => e.detail.level === 'interchange');
  const firstIc = icLevel[0];
  const party = (p: EdifactInterchangeHeader['sender']): Element => trim([p.id, p.qualifier ?? '', p.routing ?? '']) as string[];
  segs.push({ tag: 'UCI', elements: trim([h.controlReference, party(h.sender), party(h.recipient),
    firstIc ? CONTRL_ACTION.rejected : CONTRL_ACTION.acknowledged,
    firstIc ? String(firstIc.detail.standardCode) : '', firstIc ? String(firstIc.detail.serviceSegment ?? '') : '', firstIc ? s011(firstIc) : '']) });

  const rejected: string[] = [];
  const ucm = (m: EdifactMessage, groupRejected = false): void => {
    const errs = syntaxErrors(m.errors);
    if (errs.length > 0 || groupRejected) rejected.push(m.header.reference);
    if (errs.length === 0 && opts.report === 'errors') return;
    const env = errs.find((e) => e.detail.level === 'message');
    const s009 = trim([m.header.type, m.header.version, m.header.release, m.header.agency, m.header.association ?? '']);
    segs.push({ tag: 'UCM', elements: trim([m.header.reference, s009 as string[], errs.length > 0 || firstIc || groupRejected ? CONTRL_ACTION.rejected : CONTRL_ACTION.acknowledged,
      env ? String(env.detail.standardCode) : '', env ? String(env.detail.serviceSegment ?? '') : '', env ? s011(env) : '']) });
    const bySeg = new Map<number, GatewayError[]>();
    for (const e of errs) {
      if (e.detail.level !== 'segment' && e.detail.level !== 'element') continue;
      const p = Number(e.detail.segmentPosition ?? 0);
      const list = bySeg.get(p) ?? [];
      list.push(e);
      bySeg.set(p, list);
    }
    for (const [pos, list] of [...bySeg.entries()].sort((a, b) => a[0] - b[0])) {
      const segErr = list.find((e) => e.detail.level === 'segment');
      segs.push({ tag: 'UCS', elements: trim([String(pos), segErr ? String(segErr.detail.standardCode) : '']) });
      for (const e of list.filter((x) => x.detail.level === 'element').slice(0, 99)) segs.push({ tag: 'UCD', elements: [String(e.detail.standardCode), s011(e)] });
    }
  };

  if (inbound.groups.length > 0) {
    const headers = new Set(inbound.groups.map((g) => g.header));
    inbound.groups.forEach((g, j) => {
      // a group is found by its place when the error names it (two groups may share a 0048: a repeat), else by its 0048
      const gErr = icErr.find((e) => e.detail.level === 'group' && (e.detail.groupOrdinal !== undefined ? e.detail.groupOrdinal === String(j) : e.detail.groupControlNumber === g.header.reference));
      segs.push({ tag: 'UCF', elements: trim([g.header.reference, g.header.applicationSender ? party(g.header.applicationSender) : '', g.header.applicationRecipient ? party(g.header.applicationRecipient) : '',
        gErr || firstIc ? CONTRL_ACTION.rejected : CONTRL_ACTION.acknowledged, gErr ? String(gErr.detail.standardCode) : '', gErr ? String(gErr.detail.serviceSegment ?? '') : '', gErr ? s011(gErr) : '']) });
      // the group's own messages (by identity: a repeated 0048 names another group too); a rejected group's are rejected with it
      for (const m of inbound.messages.filter((x) => x.group === g.header || (x.group !== undefined && !headers.has(x.group) && x.group.reference === g.header.reference))) ucm(m, gErr !== undefined);
    });
  } else inbound.messages.forEach((m) => ucm(m));
  segs.push({ tag: 'UNT', elements: [String(segs.length + 1), ref] });

  const children: Segment[] = segs.map((s, i) => ({ ...s, position: i + 1 }));
  const tree: WireTree = { standard: 'edifact', message: 'CONTRL', version: v4 ? '41' : 'D3', root: { loop: 'CONTRL', children } as Loop };
  const interchange: EdifactWriteInput = {
    header: { syntax: { ...h.syntax }, sender: h.recipient, recipient: h.sender, date: opts.date, time: opts.time, controlReference: opts.controlReference, testIndicator: h.testIndicator },
    separators: h.separators, una: h.una ? 'always' : 'auto', messages: [{ tree }],
    ...(opts.lineEnding !== undefined ? { lineEnding: opts.lineEnding } : {}),
  };
  const outcome = firstIc || (inbound.messages.length > 0 && rejected.length === inbound.messages.length) ? 'rejected' : rejected.length > 0 ? 'partially_accepted' : 'accepted';
  return { outcome, rejectedMessages: rejected, tree, interchange, bytes: writeEdifact(interchange) };
}
