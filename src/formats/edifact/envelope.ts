/**
 * Envelope headers: UNB (interchange), UNG (group), UNH (message) read into plain records,
 * and back into segments for the writer. Element ids follow ISO 9735 (S002 0004/0007...).
 */
import type { RawElement } from './tokenizer.ts';
import type { Element } from '../wire.ts';
import type { EdifactSeparators } from './syntax.ts';

export interface PartyId {
  /** 0004 / 0010 / 0040 / 0044 */
  id: string;
  /** 0007 partner identification code qualifier ('14' = EAN/GLN, 'ZZZ' mutually defined) */
  qualifier?: string;
  /** 0008 address for reverse routing (S002) / 0014 routing address (S003) / v4 internal id 0042 */
  routing?: string;
}

export interface EdifactInterchangeHeader {
  syntax: { id: string; version: string; serviceCodeListVersion?: string; characterEncoding?: string };
  sender: PartyId;
  recipient: PartyId;
  /** S004 0017 as sent (YYMMDD, or CCYYMMDD in syntax 4) */
  date: string;
  /** S004 0019 HHMM */
  time: string;
  /** 0020 interchange control reference */
  controlReference: string;
  recipientReference?: { password: string; qualifier?: string };
  applicationReference?: string;
  priority?: string;
  ackRequest?: string;
  agreementId?: string;
  /** 0035 = '1' */
  testIndicator: boolean;
  separators: EdifactSeparators;
  /** a UNA segment preceded the UNB */
  una: boolean;
}

export interface EdifactGroupHeader {
  /** 0038 message group identification ('ORDERS') */
  groupId: string;
  applicationSender?: PartyId;
  applicationRecipient?: PartyId;
  date?: string;
  time?: string;
  /** 0048 group reference number */
  reference: string;
  controllingAgency?: string;
  messageVersion?: { version: string; release: string; association?: string };
  password?: string;
}

export interface EdifactMessageHeader {
  /** 0062 message reference number */
  reference: string;
  /** S009 0065 'ORDERS' */
  type: string;
  /** S009 0052 'D' */
  version: string;
  /** S009 0054 '96A' */
  release: string;
  /** S009 0051 'UN' */
  agency: string;
  /** S009 0057 association assigned code ('EAN008') */
  association?: string;
  /** 0068 common access reference */
  commonAccessReference?: string;
  /** S010 status of the transfer */
  transfer?: { sequence: string; firstLast?: string };
}

const comp = (e: RawElement | Element | undefined, i: number): string | undefined => {
  if (e === undefined) return undefined;
  if (typeof e === 'string') return i === 0 ? e : undefined;
  return e[i];
};
const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

function party(e: RawElement | undefined): PartyId {
  const p: PartyId = { id: comp(e, 0) ?? '' };
  const q = opt(comp(e, 1));
  const r = opt(comp(e, 2));
  if (q !== undefined) p.qualifier = q;
  if (r !== undefined) p.routing = r;
  return p;
}

export function readUnb(el: RawElement[], separators: EdifactSeparators, una: boolean): EdifactInterchangeHeader {
  const s001 = el[0];
  const h: EdifactInterchangeHeader = {
    syntax: { id: comp(s001, 0) ?? '', version: comp(s001, 1) ?? '' },
    sender: party(el[1]),
    recipient: party(el[2]),
    date: comp(el[3], 0) ?? '',
    time: comp(el[3], 1) ?? '',
    controlReference: comp(el[4], 0) ?? '',
    testIndicator: comp(el[10], 0) === '1',
    // syntax 4 without UNA: the default repetition separator is '*'
    separators: !una && comp(s001, 1) === '4' && separators.repetition === ' ' ? { ...separators, repetition: '*' } : separators,
    una,
  };
  const sc = opt(comp(s001, 2)); if (sc) h.syntax.serviceCodeListVersion = sc;
  const ce = opt(comp(s001, 3)); if (ce) h.syntax.characterEncoding = ce;
  const pw = opt(comp(el[5], 0));
  if (pw !== undefined) { h.recipientReference = { password: pw }; const q = opt(comp(el[5], 1)); if (q) h.recipientReference.qualifier = q; }
  const set = (k: 'applicationReference' | 'priority' | 'ackRequest' | 'agreementId', v: string | undefined): void => { const o = opt(v); if (o !== undefined) h[k] = o; };
  set('applicationReference', comp(el[6], 0));
  set('priority', comp(el[7], 0));
  set('ackRequest', comp(el[8], 0));
  set('agreementId', comp(el[9], 0));
  return h;
}

export function readUng(el: RawElement[]): EdifactGroupHeader {
  const g: EdifactGroupHeader = { groupId: comp(el[0], 0) ?? '', reference: comp(el[4], 0) ?? '' };
  if (el[1] !== undefined) g.applicationSender = party(el[1]);
  if (el[2] !== undefined) g.applicationRecipient = party(el[2]);
  const d = opt(comp(el[3], 0)); if (d) g.date = d;
  const t = opt(comp(el[3], 1)); if (t) g.time = t;
  const a = opt(comp(el[5], 0)); if (a) g.controllingAgency = a;
  if (el[6] !== undefined) {
    g.messageVersion = { version: comp(el[6], 0) ?? '', release: comp(el[6], 1) ?? '' };
    const as = opt(comp(el[6], 2)); if (as) g.messageVersion.association = as;
  }
  const pw = opt(comp(el[7], 0)); if (pw) g.password = pw;
  return g;
}

export function readUnh(el: RawElement[]): EdifactMessageHeader {
  const s009 = el[1];
  const h: EdifactMessageHeader = {
    reference: comp(el[0], 0) ?? '',
    type: comp(s009, 0) ?? '',
    version: comp(s009, 1) ?? '',
    release: comp(s009, 2) ?? '',
    agency: comp(s009, 3) ?? '',
  };
  const as = opt(comp(s009, 4)); if (as) h.association = as;
  const car = opt(comp(el[2], 0)); if (car) h.commonAccessReference = car;
  if (el[3] !== undefined) {
    h.transfer = { sequence: comp(el[3], 0) ?? '' };
    const fl = opt(comp(el[3], 1)); if (fl) h.transfer.firstLast = fl;
  }
  return h;
}

/** 'D' + '96A' -> 'D96A'; other versions joined as they are ('4' + '1' -> '41'). */
export function messageVersionKey(h: Pick<EdifactMessageHeader, 'version' | 'release'>): string {
  return `${h.version}${h.release}`.toUpperCase();
}

const trimEnd = (a: Element[]): Element[] => {
  const out = a.map((e) => (Array.isArray(e) ? trimComps(e) : e));
  while (out.length > 0 && isEmpty(out[out.length - 1])) out.pop();
  return out;
};
const trimComps = (c: string[]): Element => {
  const x = [...c];
  while (x.length > 1 && x[x.length - 1] === '') x.pop();
  return x.length === 1 ? (x[0] as string) : x;
};
const isEmpty = (e: Element | undefined): boolean => e === undefined || e === '' || (Array.isArray(e) && e.every((c) => c === ''));
const partyEl = (p: PartyId | undefined): string[] => (p ? [p.id, p.qualifier ?? '', p.routing ?? ''] : []);

export function unbElements(h: EdifactInterchangeHeader): Element[] {
  return trimEnd([
    [h.syntax.id, h.syntax.version, h.syntax.serviceCodeListVersion ?? '', h.syntax.characterEncoding ?? ''],
    partyEl(h.sender), partyEl(h.recipient), [h.date, h.time], h.controlReference,
    [h.recipientReference?.password ?? '', h.recipientReference?.qualifier ?? ''],
    h.applicationReference ?? '', h.priority ?? '', h.ackRequest ?? '', h.agreementId ?? '', h.testIndicator ? '1' : '',
  ]);
}

export function ungElements(g: EdifactGroupHeader): Element[] {
  return trimEnd([
    g.groupId, partyEl(g.applicationSender), partyEl(g.applicationRecipient), [g.date ?? '', g.time ?? ''], g.reference,
    g.controllingAgency ?? '', g.messageVersion ? [g.messageVersion.version, g.messageVersion.release, g.messageVersion.association ?? ''] : '',
    g.password ?? '',
  ]);
}

export function unhElements(h: EdifactMessageHeader): Element[] {
  return trimEnd([
    h.reference, [h.type, h.version, h.release, h.agency, h.association ?? ''], h.commonAccessReference ?? '',
    h.transfer ? [h.transfer.sequence, h.transfer.firstLast ?? ''] : '',
  ]);
}
