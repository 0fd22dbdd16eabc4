/**
 * Functional acknowledgements for a received X12 message: per inbound interchange, one outbound
 * interchange holding a 997 or 999 per functional group (per the partner's `acks.x12`) and a TA1
 * when ISA14 asks for one or the interchange had errors (per `acks.ta1`). Sender and receiver
 * are swapped; control numbers are issued by the caller (persisted, never reused).
 */
import {
  build997, build999, buildTa1, DEFAULT_DELIMITERS_4010, DEFAULT_DELIMITERS_5010, GROUP, GS06_MAX, ISA13_MAX, needsTa1,
  SET, TA1, writeInterchange, X231A1, type GroupToWrite, type X12Error,
} from '../../formats/x12/index.ts';
import type { GroupEndItem, InterchangeHeader, TransactionResult } from '../../formats/x12/types.ts';

export interface X12AckPolicy {
  x12?: '997' | '999' | 'none';
  ta1?: 'always' | 'on_error' | 'never';
}

export interface ReceivedInterchange {
  header: InterchangeHeader;
  groups: GroupEndItem[];
  errors: X12Error[];
}

export interface BuiltAck {
  message: '997' | '999' | 'TA1';
  interchangeControlNumber: string;
  inReplyTo: string;
  text: string;
}

export async function buildX12Acks(
  received: ReceivedInterchange[],
  policy: X12AckPolicy,
  issue: (kind: 'isa' | 'gs', max: number) => Promise<number>,
  now: Date,
  duplicates: ReadonlySet<string> = new Set(),
  /** true when the repeat at this occurrence ('2', '1/2', '1/1/3': interchange/group/set ordinals) was rejected by the duplicate policy */
  rejectedRepeat: (key: string) => boolean = () => false,
): Promise<BuiltAck[]> {
  const out: BuiltAck[] = [];
  const kind = policy.x12 ?? '997';
  const ta1Policy = policy.ta1 ?? 'on_error';
  const iso = now.toISOString();
  const yymmdd = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  const ccyymmdd = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  const hhmm = iso.slice(11, 13) + iso.slice(14, 16);
  for (const r of received) {
    const h = r.header;
    // a duplicate interchange the partner's policy rejects is refused whole: TA1 R with note 025, no 997
    const duplicate = duplicates.has(h.controlNumber) || rejectedRepeat(String(h.index));
    const errors: X12Error[] = duplicate
      ? [{ error: 'x12_duplicate_interchange', level: 'interchange', code: TA1.duplicateControlNumber, message: `interchange ${h.controlNumber} was already received`, interchangeControlNumber: h.controlNumber }, ...r.errors]
      : r.errors;
    const wantTa1 = ta1Policy === 'always' || (ta1Policy === 'on_error' && needsTa1(h, errors)) || (duplicate && ta1Policy !== 'never');
    const groups: GroupToWrite[] = [];
    if (kind !== 'none' && !duplicate) {
      for (const g of r.groups) {
        // an acknowledgement is never acknowledged (X12.6: no 997/999 answers a group of 997s or 999s, functional id FA)
        if (g.group.functionalId === 'FA') continue;
        const input = { group: { functionalId: g.group.functionalId, controlNumber: g.group.controlNumber, version: g.group.version }, ...withRejectedRepeats(h, g, kind, rejectedRepeat), includedCount: g.transactionCount };
        const tree = kind === '999' ? build999(input) : build997(input);
        const gs = await issue('gs', GS06_MAX);
        groups.push({
          group: { functionalId: 'FA', senderCode: g.group.receiverCode, receiverCode: g.group.senderCode, date: ccyymmdd, time: hhmm, controlNumber: gs, version: kind === '999' ? X231A1 : g.group.version },
          transactions: [{ tree, controlNumber: '0001' }],
        });
      }
    }
    if (groups.length === 0 && !wantTa1) continue;
    const isa = await issue('isa', ISA13_MAX);
    const v5010 = h.version >= '00501';
    const delimiters = { ...(v5010 ? DEFAULT_DELIMITERS_5010 : DEFAULT_DELIMITERS_4010), ...pick(h) };
    const text = writeInterchange({
      interchange: {
        senderQualifier: h.receiverQualifier, senderId: h.receiverId, receiverQualifier: h.senderQualifier, receiverId: h.senderId,
        date: yymmdd, time: hhmm, version: h.version, controlNumber: isa, ackRequested: '0', usage: h.usage === 'T' ? 'T' : 'P',
      },
      groups,
      delimiters,
      ...(wantTa1 ? { ta1: [buildTa1(h, errors)] } : {}),
    });
    out.push({ message: groups.length > 0 ? kind as '997' | '999' : 'TA1', interchangeControlNumber: String(isa).padStart(9, '0'), inReplyTo: h.controlNumber, text });
  }
  return out;
}

/**
 * A group or set the duplicate policy rejected as a repeat inside the message: a repeated GS06 is
 * AK9/IK9 R with code 19 (functional group control number not unique within interchange; 716 has
 * it from 005010, in 004010 code 19 means a missing S1E, so a 004010 997 gives none) and its sets
 * R; a repeated ST02 is AK5/IK5 R with code 23 (transaction set control number not unique within
 * the functional group, 718 in 004010 and 005010).
 */
function withRejectedRepeats(h: InterchangeHeader, g: GroupEndItem, kind: '997' | '999', rejected: (key: string) => boolean): { transactions: TransactionResult[]; errors: X12Error[] } {
  const where = { interchangeControlNumber: h.controlNumber, groupControlNumber: g.group.controlNumber };
  if (g.group.ordinal !== undefined && rejected(`${h.index}/${g.group.ordinal}`)) {
    const code19 = kind === '999' || g.group.version >= '005010';
    return {
      transactions: g.transactions.map((t) => ({ ...t, accepted: false, rejectedWithGroup: true })),
      errors: [...g.errors, ...(code19 ? [{ error: 'duplicate_group', level: 'group' as const, code: GROUP.controlNumberNotUnique, message: `GS06 '${g.group.controlNumber}' is used twice in interchange ${h.controlNumber}`, ...where }] : [])],
    };
  }
  const transactions = g.transactions.map((t) => (t.ordinal !== undefined && rejected(`${h.index}/${g.group.ordinal}/${t.ordinal}`)
    ? { ...t, accepted: false, errors: [...t.errors, { error: 'duplicate_transaction', level: 'transaction' as const, code: SET.controlNumberNotUnique, message: `ST02 '${t.controlNumber}' is used twice in group ${g.group.controlNumber}`, transactionControlNumber: t.controlNumber, ...where }] }
    : t));
  return { transactions, errors: g.errors };
}

/** Answer with the partner's own delimiters, as read from their ISA. */
function pick(h: InterchangeHeader) {
  const d = h.delimiters;
  return { element: d.element, component: d.component, segment: d.segment, ...(d.repetition ? { repetition: d.repetition } : {}) };
}
