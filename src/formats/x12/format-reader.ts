/**
 * X12 messages into translation units: one per transaction set (ST..SE), with the envelope ids the
 * pipeline identifies the partner by. Interchange-level findings (bad ISA, counts, garbage after
 * IEA) concern the whole message; a rejected set carries its own findings, and the good sets beside
 * it still go through. Inbound 997/999/TA1 are not documents: they are returned as receipts.
 */
import { GatewayError } from '../../core/errors.ts';
import { createX12Reader, SET, toGatewayError, type X12Error } from './index.ts';
import type { InterchangeHeader, TransactionItem, X12Item } from './types.ts';
import type { DuplicateMark, FormatReader, SplitResult, TranslationUnit } from '../../pipeline/inbound/units.ts';
import { buildX12Acks, createSetLog, type ReceivedGroup, type ReceivedInterchange, type SetLog } from './acks.ts';

const ackSets = new Set(['997', '999']);

export interface X12SplitExtras {
  /** per received group: what a 997/999 back needs (its sets in a set log, read in order) */
  groups: Array<{ interchange: InterchangeHeader; group: ReceivedGroup }>;
  /** inbound functional acknowledgements (997/999 sets) for reconciliation; TA1s are counted, not documents */
  receipts: TransactionItem[];
}

/** bytes handed to the X12 reader at a time: a message is read (and its units processed) slice by slice */
const SLICE = 1 << 20;
/**
 * bytes pushed into the X12 reader at a time (a slice from the file store is cut into these): the
 * items of one push (~15 sets of 100 lines at 64 KiB, ~230 at 1 MiB) live until the pipeline has
 * processed them, so they outlive the 4 MB young generation and are promoted; at 1 MiB a processing
 * thread's heap grew to 101 MB during a 64 MB interchange, at 64 KiB to 69 MB (peak RSS 292 -> 262 MB,
 * same CPU; .prof/memtrace.mts, decisions in /tmp/notes/large11-decisions.md)
 */
const PUSH = 64 * 1024;

/**
 * X12 split as a stream: `units` yields each transaction set as soon as it is read, so the
 * pipeline holds one set's tree at a time however big the interchange is. The other fields
 * (errors, groups, receipts, sender, acknowledge) are complete once `units` has been iterated.
 */
export function createX12FormatReader(): FormatReader & {
  splitX12(bytes: Uint8Array): SplitResult & X12SplitExtras & { units: TranslationUnit[] };
  streamX12(bytes: Uint8Array): SplitResult & X12SplitExtras;
} {
  const streamSlices = (slices: Iterable<Uint8Array>): SplitResult & X12SplitExtras => {
    const result: SplitResult & X12SplitExtras = { units: [], errors: [], groups: [], receipts: [] };
    result.units = readUnits(slices, result);
    return result;
  };
  const streamX12 = (bytes: Uint8Array): SplitResult & X12SplitExtras => streamSlices(slicesOf(bytes));
  return {
    format: 'x12',
    streamX12,
    /** everything read at once, every set's tree kept (tests, small messages) */
    splitX12(bytes) {
      const result = streamX12(bytes);
      return { ...result, units: [...result.units] };
    },
    async split(bytes) {
      return streamX12(bytes);
    },
    async splitSlices(slices) {
      return streamSlices(slices);
    },
  };
}

function* slicesOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += SLICE) yield bytes.subarray(offset, offset + SLICE);
}

/** the reader's items, one batch per slice read, the last one at the end of the input */
function* itemsOf(slices: Iterable<Uint8Array>): Generator<X12Item[]> {
  // set results go to each group's set log (x12-acks.ts), not into the group_end item: no O(sets) list
  const reader = createX12Reader({ keepSetResults: false });
  for (const slice of slices) {
    for (let o = 0; o < slice.length; o += PUSH) yield reader.push(slice.subarray(o, o + PUSH));
  }
  yield reader.end();
}

function* readUnits(slices: Iterable<Uint8Array>, result: SplitResult & X12SplitExtras): Generator<TranslationUnit> {
  let position = 0;
  let unitCount = 0;
  const received: ReceivedInterchange[] = [];
  // repeats inside this message, by occurrence ('2' interchange, '1/2' group, '1/1/3' set): one mark per occurrence
  const marks = new Map<string, DuplicateMark>();
  let warnings: GatewayError[] = [];
  let ta1Count = 0;
  let sets: SetLog | undefined; // the open group's
  // the open interchange's header was rejected (TA1 R): nothing in it is translated, reconciled or given a 997
  let refused: { header: Set<X12Error>; sets: number } | undefined;
  const interchangeErrors = (errs: X12Error[], ic?: InterchangeHeader) => {
    for (const e of errs) {
      if (e.code === '000') continue;
      const err = toGatewayError(e);
      if (!refused?.header.has(e) || !ic) { result.errors.push(err); continue; }
      result.errors.push(new GatewayError(err.code,
        `${err.message}: interchange ${ic.controlNumber} from ${ic.senderQualifier}:${ic.senderId} is rejected (TA1 TA104 R, TA105 ${e.code}); its ${refused.sets} transaction set(s) are not translated and get no 997/999`,
        { ...err.detail, sender: `${ic.senderQualifier}:${ic.senderId}`, interchangeRejected: true, setsNotProcessed: refused.sets }));
    }
  };
  for (const items of itemsOf(slices)) {
    for (const item of items) {
      switch (item.kind) {
        case 'transaction': {
          if (refused) { refused.sets++; break; }
          if (item.group) (sets ??= createSetLog()).add(item.result);
          if (ackSets.has(item.transaction.id)) { result.receipts.push(item); break; }
          unitCount++;
          const unit = unitOf(item, position++);
          if (warnings.length > 0) unit.warnings = [...warnings, ...(unit.warnings ?? [])];
          const mark = duplicateMark(item, marks);
          if (mark) unit.duplicate = mark;
          yield unit;
          break;
        }
        case 'interchange_start':
          // read on, said on every document of the interchange (ISA11 not 'U' before 00402)
          warnings = item.errors.filter((e) => e.severity === 'warning').map((e) => toGatewayError(e));
          // a header finding (an ISA field, a non-fixed-width ISA) is TA104 R: X12 says the interchange was not processed
          {
            const header = item.errors.filter((e) => e.severity !== 'warning' && e.code !== '000');
            refused = header.length > 0 ? { header: new Set(header), sets: 0 } : undefined;
          }
          received.push({ header: item.interchange, groups: [], errors: [...item.errors], ...(refused ? { refused: true } : {}) });
          result.sender ??= { qualifier: item.interchange.senderQualifier, id: item.interchange.senderId };
          break;
        case 'group_start':
          sets = createSetLog();
          break;
        case 'group_end': {
          if (refused) { sets = undefined; break; }
          const group: ReceivedGroup = { ...item, transactions: sets ?? [] };
          sets = undefined;
          result.groups.push({ interchange: item.interchange, group });
          received.at(-1)?.groups.push(group);
          for (const e of item.errors) result.errors.push(toGatewayError(e));
          break;
        }
        case 'interchange_end': {
          interchangeErrors(item.errors, item.interchange);
          if (!refused) ta1Count += item.ta1.length;
          refused = undefined;
          const r = received.at(-1);
          if (r) { r.errors = item.errors; r.ta1Count = item.ta1.length; }
          break;
        }
        case 'garbage':
          interchangeErrors(item.errors);
          break;
        default:
          break;
      }
    }
  }
  if (unitCount === 0 && result.receipts.length === 0 && ta1Count === 0 && result.errors.length === 0) {
    result.errors.push(new GatewayError('x12_no_transaction', 'the interchange holds no transaction set (no ST..SE)'));
  }
  result.receiptCount = result.receipts.length + ta1Count;
  if (received.length > 0) {
    result.acknowledge = async (ctx) => (await buildX12Acks(received, ctx.policy, (kind, max) => ctx.issue(kind, max), ctx.now, ctx.duplicateInterchanges, (key) => marks.get(key)?.verdict === 'rejected'))
      .map((a) => ({ format: 'x12' as const, text: '', ...a }));
  }
}

/** The occurrence key of a transaction set's interchange, group and set (see x12-acks.ts). */
export const occurrenceKeys = (ic: number, group?: number, set?: number): string => [ic, group, set].filter((x) => x !== undefined).join('/');

/** The first level (interchange, group, set) at which this set repeats one earlier in the message. */
function duplicateMark(item: TransactionItem, marks: Map<string, DuplicateMark>): DuplicateMark | undefined {
  const ic = item.interchange;
  const g = item.group;
  const t = item.transaction;
  const get = (key: string, make: () => DuplicateMark): DuplicateMark => {
    let m = marks.get(key);
    if (!m) { m = make(); marks.set(key, m); }
    return m;
  };
  if (ic.duplicateOf !== undefined) {
    return get(occurrenceKeys(ic.index), () => ({ level: 'interchange', code: 'duplicate_interchange_in_message', controlNumber: ic.controlNumber,
      description: `ISA13 '${ic.controlNumber}' from ${ic.senderQualifier}:${ic.senderId} to ${ic.receiverQualifier}:${ic.receiverId}: interchange ${ic.index} of this message repeats interchange ${ic.duplicateOf}` }));
  }
  if (g?.duplicateOf !== undefined && g.ordinal !== undefined) {
    return get(occurrenceKeys(ic.index, g.ordinal), () => ({ level: 'group', code: 'duplicate_group', controlNumber: g.controlNumber,
      description: `GS06 '${g.controlNumber}' in interchange ${ic.controlNumber}: group ${g.ordinal} repeats group ${g.duplicateOf} of the same interchange` }));
  }
  if (g && t.duplicateOf !== undefined && t.ordinal !== undefined && g.ordinal !== undefined) {
    return get(occurrenceKeys(ic.index, g.ordinal, t.ordinal), () => ({ level: 'set', code: 'duplicate_transaction', controlNumber: t.controlNumber,
      description: `ST02 '${t.controlNumber}' in group ${g.controlNumber} of interchange ${ic.controlNumber}: transaction set ${t.ordinal} repeats set ${t.duplicateOf} of the same group` }));
  }
  return undefined;
}

function unitOf(item: TransactionItem, position: number): TranslationUnit {
  const isa = item.interchange;
  const unit: TranslationUnit = {
    position,
    format: 'x12',
    message: item.transaction.id,
    version: item.group?.version ?? isa.version,
    envelope: {
      sender: { qualifier: isa.senderQualifier, id: isa.senderId },
      receiver: { qualifier: isa.receiverQualifier, id: isa.receiverId },
      interchangeControlNumber: isa.controlNumber,
      ...(item.group ? { groupControlNumber: item.group.controlNumber } : {}),
      transactionControlNumber: item.transaction.controlNumber,
      test: isa.usage === 'T',
    },
    input: item.tree,
    errors: [],
  };
  // a version without a grammar of its own (002040, 003060, 004030 ...) is read with the nearest one: said, not silent
  const sent = /^\d{6}/.exec(unit.version ?? '')?.[0];
  const usedVersion = item.grammar?.split('/')[1];
  if (item.supported && sent && usedVersion && sent !== usedVersion) {
    unit.warnings = [new GatewayError('x12_version_nearest', `X12 version ${sent} (GS08 '${unit.version}') has no grammar of its own: transaction set ${item.transaction.id} is read with the ${usedVersion} grammar, the nearest shipped, and mapped with the nearest base mapping`,
      { found: sent, expected: usedVersion, transactionControlNumber: item.transaction.controlNumber, interchangeControlNumber: isa.controlNumber })];
  }
  // a set we do not map still has its envelope checked: a wrong SE01/SE02, a missing SE, a BIN01 that is no length is named first
  const envelopeDefect = item.supported ? undefined : item.errors.find((e) => e.level !== 'interchange' && !(e.level === 'transaction' && (e.code === SET.notSupported || e.code === SET.segmentsInError)));
  if (envelopeDefect) {
    const err = toGatewayError(envelopeDefect);
    unit.errors.push(new GatewayError(err.code, `${err.message} (transaction set ${item.transaction.id} ${item.transaction.controlNumber}, which this gateway reads but does not map)`, { ...err.detail, findings: item.errors }));
  } else if (!item.supported) {
    unit.errors.push(new GatewayError('x12_unsupported_transaction',
      `transaction set ${item.transaction.id} (control number ${item.transaction.controlNumber}) was read and enveloped correctly, but this gateway does not map ${item.transaction.id} documents`,
      { interchangeControlNumber: isa.controlNumber, groupControlNumber: item.group?.controlNumber, transactionControlNumber: item.transaction.controlNumber, found: item.transaction.id, expected: '850, 855, 856 or 810' }));
  } else if (!item.accepted) {
    const first = item.errors.find((e) => e.level !== 'interchange') ?? item.errors[0];
    if (first) {
      const err = toGatewayError(first);
      unit.errors.push(new GatewayError(err.code, `${err.message}${item.errors.length > 1 ? ` (and ${item.errors.length - 1} more finding(s))` : ''}`, { ...err.detail, findings: item.errors }));
    }
  }
  return unit;
}
