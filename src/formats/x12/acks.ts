/**
 * Functional acknowledgements for a received X12 message: per inbound interchange, one outbound
 * interchange holding a 997 or 999 per functional group (per the partner's `acks.x12`) and a TA1
 * when ISA14 asks for one or the interchange had errors (per `acks.ta1`). Sender and receiver
 * are swapped; control numbers are issued by the caller (persisted, never reused).
 *
 * A group's sets are kept in a set log (createSetLog) as they are read: in memory for the first
 * few thousand, past that in a temporary file, and the ack's text is written from the log in
 * chunks (ack-stream.ts), so a 1 GB interchange is acknowledged without a list of its sets or a
 * tree of its AK2 loops in memory. The pipeline stores the chunks through the spool (file store
 * past 8 MiB).
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  buildTa1, DEFAULT_DELIMITERS_4010, DEFAULT_DELIMITERS_5010, GROUP, GS06_MAX, ISA13_MAX, needsTa1,
  SET, TA1, X231A1, type X12Error,
} from './index.ts';
import { ack997Nodes } from './ack-997.ts';
import { ack999Nodes } from './ack-999.ts';
import { ackInterchangeChunks, type AckGroupToWrite } from './ack-stream.ts';
import type { GroupEndItem, InterchangeHeader, TransactionResult } from './types.ts';

export interface X12AckPolicy {
  x12?: '997' | '999' | 'none';
  ta1?: 'always' | 'on_error' | 'never';
}

/** a received group as the acknowledgement reads it: its sets from a log, read in order */
export type ReceivedGroup = Omit<GroupEndItem, 'transactions'> & { transactions: Iterable<TransactionResult> };

export interface ReceivedInterchange {
  header: InterchangeHeader;
  groups: ReceivedGroup[];
  errors: X12Error[];
  /** TA1 segments it carried (before any GS): an interchange of TA1s only is itself an acknowledgement */
  ta1Count?: number;
  /** its header was rejected (an ISA field): nothing in it was processed (TA104 R, no 997/999) */
  refused?: boolean;
}

export interface BuiltAck {
  message: '997' | '999' | 'TA1';
  interchangeControlNumber: string;
  inReplyTo: string;
  /** the interchange's text in chunks, written as they are read (once) */
  body: () => Iterable<string>;
}

/** The sets of one received group, in order, for its 997/999: the first `memorySets` in memory, the rest in an unlinked temporary file. */
export interface SetLog extends Iterable<TransactionResult> {
  add(t: TransactionResult): void;
  readonly count: number;
  /** true once sets went to the temporary file */
  readonly spilled: boolean;
  /** closes the temporary file (also done when the log is garbage-collected) */
  close(): void;
}

const closer = new FinalizationRegistry<{ fd: number }>((h) => { try { closeSync(h.fd); } catch { /* closed */ } });
const PLAIN = /^[0-9A-Za-z]+$/;
const FLUSH_CHARS = 256 * 1024;

export function createSetLog(opts: { memorySets?: number } = {}): SetLog {
  const memorySets = opts.memorySets ?? 4096;
  const memory: TransactionResult[] = [];
  let handle: { fd: number } | undefined;
  let pending = '';
  let fileBytes = 0;
  let count = 0;
  const flush = (): void => {
    if (!handle || pending.length === 0) return;
    const buf = Buffer.from(pending, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(handle.fd, buf, off, buf.length - off, fileBytes + off);
    fileBytes += buf.length;
    pending = '';
  };
  const log: SetLog = {
    get count() { return count; },
    get spilled() { return handle !== undefined; },
    add(t) {
      count++;
      if (memory.length < memorySets && !handle) { memory.push(t); return; }
      if (!handle) {
        const file = path.join(tmpdir(), `edigw-ack-sets-${process.pid}-${randomBytes(6).toString('hex')}`);
        handle = { fd: openSync(file, 'w+', 0o600) };
        unlinkSync(file);
        closer.register(log, handle, log);
      }
      // a clean accepted set (almost all of them) is one short line; any other is its JSON
      pending += t.accepted && t.errors.length === 0 && !t.implementationReference && !t.rejectedWithGroup && PLAIN.test(t.id) && PLAIN.test(t.controlNumber)
        ? `P\t${t.id}\t${t.controlNumber}\t${t.ordinal ?? ''}\n`
        : `J${JSON.stringify(t)}\n`;
      if (pending.length >= FLUSH_CHARS) flush();
    },
    *[Symbol.iterator]() {
      yield* memory;
      if (!handle) return;
      flush();
      const fd = handle.fd;
      const buf = Buffer.alloc(1 << 20);
      let carry = Buffer.alloc(0);
      for (let pos = 0; pos < fileBytes;) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, fileBytes - pos), pos);
        if (n <= 0) break;
        pos += n;
        const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
        const end = chunk.lastIndexOf(0x0a);
        if (end < 0) { carry = Buffer.from(chunk); continue; }
        const text = chunk.toString('utf8', 0, end);
        carry = Buffer.from(chunk.subarray(end + 1));
        for (const line of text.split('\n')) yield parseLine(line);
      }
    },
    close() {
      if (!handle) return;
      closer.unregister(log);
      try { closeSync(handle.fd); } catch { /* closed */ }
      handle = undefined;
      memory.length = 0;
    },
  };
  return log;
}

function parseLine(line: string): TransactionResult {
  if (line.charCodeAt(0) === 0x4a /* J */) return JSON.parse(line.slice(1)) as TransactionResult;
  const [, id, controlNumber, ordinal] = line.split('\t');
  return { id: id!, controlNumber: controlNumber!, accepted: true, errors: [], ...(ordinal ? { ordinal: Number(ordinal) } : {}) };
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
    // a TA1 is never acknowledged: an interchange holding only TA1s gets no TA1 back (whatever ISA14 or acks.ta1 say), nor a 997
    if ((r.ta1Count ?? 0) > 0 && r.groups.length === 0) continue;
    // a duplicate interchange the partner's policy rejects is refused whole: TA1 R with note 025, no 997
    const duplicate = duplicates.has(h.controlNumber) || rejectedRepeat(String(h.index));
    const errors: X12Error[] = duplicate
      ? [{ error: 'x12_duplicate_interchange', level: 'interchange', code: TA1.duplicateControlNumber, message: `interchange ${h.controlNumber} was already received`, interchangeControlNumber: h.controlNumber }, ...r.errors]
      : r.errors;
    const wantTa1 = ta1Policy === 'always' || (ta1Policy === 'on_error' && needsTa1(h, errors)) || (duplicate && ta1Policy !== 'never');
    const groups: AckGroupToWrite[] = [];
    if (kind !== 'none' && !duplicate && !r.refused) {
      for (const g of r.groups) {
        // an acknowledgement is never acknowledged (X12.6: no 997/999 answers a group of 997s or 999s, functional id FA)
        if (g.group.functionalId === 'FA') continue;
        const input = { group: { functionalId: g.group.functionalId, controlNumber: g.group.controlNumber, version: g.group.version }, ...withRejectedRepeats(h, g, kind, rejectedRepeat), includedCount: g.transactionCount };
        const gs = await issue('gs', GS06_MAX);
        groups.push({
          group: { functionalId: 'FA', senderCode: g.group.receiverCode, receiverCode: g.group.senderCode, date: ccyymmdd, time: hhmm, controlNumber: gs, version: kind === '999' ? X231A1 : g.group.version },
          nodes: { [Symbol.iterator]: () => (kind === '999' ? ack999Nodes(input, '0001') : ack997Nodes(input, '0001')) },
        });
      }
    }
    if (groups.length === 0 && !wantTa1) continue;
    const isa = await issue('isa', ISA13_MAX);
    const v5010 = h.version >= '00501';
    const delimiters = { ...(v5010 ? DEFAULT_DELIMITERS_5010 : DEFAULT_DELIMITERS_4010), ...pick(h) };
    const interchange = {
      senderQualifier: h.receiverQualifier, senderId: h.receiverId, receiverQualifier: h.senderQualifier, receiverId: h.senderId,
      date: yymmdd, time: hhmm, version: h.version, controlNumber: isa, ackRequested: '0' as const, usage: h.usage === 'T' ? 'T' as const : 'P' as const,
    };
    // R when nothing of it was processed (header rejected, a rejected repeat); E when its sets were read and answered
    const ta1 = wantTa1 ? [buildTa1(h, errors, !duplicate && !r.refused)] : undefined;
    out.push({
      message: groups.length > 0 ? kind as '997' | '999' : 'TA1', interchangeControlNumber: String(isa).padStart(9, '0'), inReplyTo: h.controlNumber,
      body: () => ackInterchangeChunks({ interchange, groups, delimiters, ...(ta1 ? { ta1 } : {}) }),
    });
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
function withRejectedRepeats(h: InterchangeHeader, g: ReceivedGroup, kind: '997' | '999', rejected: (key: string) => boolean): { transactions: Iterable<TransactionResult>; errors: X12Error[] } {
  const where = { interchangeControlNumber: h.controlNumber, groupControlNumber: g.group.controlNumber };
  if (g.group.ordinal !== undefined && rejected(`${h.index}/${g.group.ordinal}`)) {
    const code19 = kind === '999' || g.group.version >= '005010';
    return {
      transactions: mapped(g.transactions, (t) => ({ ...t, accepted: false, rejectedWithGroup: true })),
      errors: [...g.errors, ...(code19 ? [{ error: 'duplicate_group', level: 'group' as const, code: GROUP.controlNumberNotUnique, message: `GS06 '${g.group.controlNumber}' is used twice in interchange ${h.controlNumber}`, ...where }] : [])],
    };
  }
  const transactions = mapped(g.transactions, (t) => (t.ordinal !== undefined && rejected(`${h.index}/${g.group.ordinal}/${t.ordinal}`)
    ? { ...t, accepted: false, errors: [...t.errors, { error: 'duplicate_transaction', level: 'transaction' as const, code: SET.controlNumberNotUnique, message: `ST02 '${t.controlNumber}' is used twice in group ${g.group.controlNumber}`, transactionControlNumber: t.controlNumber, ...where }] }
    : t));
  return { transactions, errors: g.errors };
}

/** each set as the ack reads it, mapped on the way (the log is not copied) */
function mapped(sets: Iterable<TransactionResult>, f: (t: TransactionResult) => TransactionResult): Iterable<TransactionResult> {
  return { *[Symbol.iterator]() { for (const t of sets) yield f(t); } };
}

/** Answer with the partner's own delimiters, as read from their ISA. */
function pick(h: InterchangeHeader) {
  const d = h.delimiters;
  return { element: d.element, component: d.component, segment: d.segment, ...(d.repetition ? { repetition: d.repetition } : {}) };
}
