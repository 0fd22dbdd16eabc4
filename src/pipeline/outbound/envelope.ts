/**
 * X12 envelope for an outbound transaction set: ISA (our id -> the partner's), GS (PO group,
 * GS03 = the partner's gsId or id), ST..SE from the mapping's tree, with fresh ISA13/GS06/ST02
 * issued by the caller. Delimiters: the partner's `formats.x12`, else the version's defaults.
 */
import { GatewayError } from '../../core/errors.ts';
import {
  DEFAULT_DELIMITERS_4010, DEFAULT_DELIMITERS_5010, formatIsa13, formatSt02, GS06_MAX, ISA13_MAX, ST02_MAX, writeInterchange, type X12Delimiters,
} from '../../formats/x12/index.ts';
import type { WireTree } from '../../formats/wire.ts';
import type { OutboundPartner } from './types.ts';

export interface OurX12Id { qualifier: string; id: string; gsId?: string }

export interface X12EnvelopeResult {
  text: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
  transactionControlNumber: string;
}

const functionalIds: Record<string, string> = { '850': 'PO', '855': 'PR', '856': 'SH', '810': 'IN', '860': 'PC', '940': 'OW', '943': 'AR' };

export function delimitersFor(partner: OutboundPartner, version: string): X12Delimiters {
  const five = version >= '005010';
  const base = five ? DEFAULT_DELIMITERS_5010 : DEFAULT_DELIMITERS_4010;
  const f = partner.formats?.x12;
  const d: X12Delimiters = {
    ...base,
    ...(f?.elementSeparator ? { element: f.elementSeparator } : {}),
    ...(f?.componentSeparator ? { component: f.componentSeparator } : {}),
    ...(f?.segmentTerminator ? { segment: f.segmentTerminator } : {}),
    ...(five && f?.repetitionSeparator ? { repetition: f.repetitionSeparator } : {}),
  };
  // a terminator that is itself a line break gets no second one
  if (/[\r\n]/.test(d.segment)) delete d.lineBreak;
  const used = [d.element, d.component, d.segment, ...(d.repetition ? [d.repetition] : [])];
  if (new Set(used).size !== used.length) {
    throw new GatewayError('x12_delimiters_invalid', `partner "${partner.id}": formats.x12 delimiters must all differ, got ${JSON.stringify(used)}`, { partnerId: partner.id, found: used.join(' ') });
  }
  return d;
}

export async function envelopeX12(input: {
  partner: OutboundPartner;
  tree: WireTree;
  version: string;
  ourId: OurX12Id;
  issue: (kind: 'isa' | 'gs' | 'st', max: number) => Promise<number>;
  now: Date;
}): Promise<X12EnvelopeResult> {
  const { partner, tree, version } = input;
  const them = partner.identifiers.x12;
  if (!them) {
    throw new GatewayError('x12_identifiers_missing', `partner "${partner.id}" has no identifiers.x12 (ISA qualifier and id) to address the interchange to`,
      { partnerId: partner.id, expected: 'identifiers: { x12: { qualifier, id } }' });
  }
  const functionalId = functionalIds[tree.message];
  if (!functionalId) throw new GatewayError('x12_functional_id_unknown', `no GS01 functional id known for transaction set ${tree.message}`, { partnerId: partner.id, found: tree.message });
  const delimiters = delimitersFor(partner, version);
  // issued in this order and never reused: a crash after issuing burns numbers, it never repeats them
  const isa = await input.issue('isa', ISA13_MAX);
  const gs = await input.issue('gs', GS06_MAX);
  const st = await input.issue('st', ST02_MAX);
  const iso = input.now.toISOString();
  const ccyymmdd = iso.slice(0, 10).replaceAll('-', '');
  const hhmm = iso.slice(11, 16).replace(':', '');
  const st02 = formatSt02(st);
  const text = writeInterchange({
    delimiters,
    interchange: {
      senderQualifier: input.ourId.qualifier, senderId: input.ourId.id, receiverQualifier: them.qualifier, receiverId: them.id,
      date: ccyymmdd.slice(2), time: hhmm, version: version >= '005010' ? '00501' : version.startsWith('003') ? '00300' : '00401',
      controlNumber: isa, ackRequested: '0', usage: partner.status === 'test' ? 'T' : 'P',
    },
    groups: [{
      group: { functionalId, senderCode: input.ourId.gsId ?? input.ourId.id, receiverCode: them.gsId ?? them.id, date: ccyymmdd, time: hhmm, controlNumber: gs, version },
      transactions: [{ tree, controlNumber: st02 }],
    }],
  });
  return { text, interchangeControlNumber: formatIsa13(isa), groupControlNumber: String(gs), transactionControlNumber: st02 };
}
