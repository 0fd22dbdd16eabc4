/**
 * Envelope state machine: takes tokenized segments and emits X12Items (see reader.ts).
 * Checks ISA13/IEA02, IEA01, GS06/GE02, GE01, ST02/SE02, SE01, missing trailers, segments
 * outside their envelope; builds each transaction set's tree when its SE (or the segment that
 * ends it) arrives, so memory holds one transaction set at a time.
 */
import type { Element, Segment, WireNode } from '../wire.ts';
import { cutFound, GROUP, SET, shown, TA1, type X12Error } from './errors.ts';
import type { GrammarRegistry } from './grammars/index.ts';
import { nearMiss } from '../near-miss.ts';
import { nestHierarchy } from './hierarchy.ts';
import type { IsaInfo, RawSegment, TokenizerSink } from './tokenizer.ts';
import { buildTree, compileGrammar, flatTree, MAX_SET_FINDINGS } from './tree.ts';
import type { GroupHeader, InterchangeHeader, TransactionResult, X12Item } from './types.ts';
import { validateGs, validateIsa } from './validate-envelope.ts';

const str = (e: Element | undefined): string => (e === undefined ? '' : typeof e === 'string' ? e : e.join(''));
const INTERCHANGE_SERVICE = new Set(['ISB', 'ISE', 'ISX']);

// plain loops, not callbacks: per-set closures are costly under transpilers that keep function names
function hasHlLoop(children: WireNode[]): boolean {
  for (const n of children) if (!('tag' in n) && n.loop === 'HL') return true;
  return false;
}
function hasRejecting(errors: X12Error[]): boolean {
  for (const e of errors) if (e.level !== 'interchange') return true;
  return false;
}
function needsSegmentsInError(errors: X12Error[]): boolean {
  let segmentLevel = false;
  for (const e of errors) {
    if (e.level === 'transaction' && e.code === SET.segmentsInError) return false;
    if (e.level === 'segment' || e.level === 'element') segmentLevel = true;
  }
  return segmentLevel;
}

/**
 * Keeps the first MAX_SET_FINDINGS segment and element findings of a set (the tree counted the
 * ones it did not make) and says how many more there were, so a flood of bad segments costs
 * neither memory nor an acknowledgement the size of the message.
 */
function capFindings(errors: X12Error[], suppressed: number, id: string, controlNumber: string, where: Partial<X12Error>): void {
  let kept = 0;
  let dropped = suppressed;
  let w = 0;
  for (let r = 0; r < errors.length; r++) {
    const e = errors[r] as X12Error;
    if (e.level === 'segment' || e.level === 'element') { if (kept >= MAX_SET_FINDINGS) { dropped++; continue; } kept++; }
    errors[w++] = e;
  }
  errors.length = w;
  if (dropped > 0) {
    errors.push({ error: 'x12_too_many_errors', level: 'transaction', code: SET.segmentsInError, message: `transaction set ${id} ${controlNumber} has more than ${MAX_SET_FINDINGS} segment and element findings; ${dropped} more are not listed`, ...where });
  }
}

/**
 * The ST02s seen in one group, to find a repeated one. Senders number sets 1, 2, 3 … (or 000000001 …):
 * such a run is kept as its first and last number, not one map entry per set (15 MB for the 259,010
 * sets of a 1 GB interchange); any ST02 outside the run goes in the map.
 */
function createSetNumbers() {
  const others = new Map<string, number>();
  // digits of one width, consecutive values at consecutive ordinals: value v is the set at ordinal + (v - first)
  let run: { first: number; last: number; width: number; ordinal: number } | undefined;
  const digits = (cn: string): boolean => cn.length > 0 && cn.length <= 15 && /^\d+$/.test(cn);
  return {
    firstOf(cn: string): number | undefined {
      if (run && cn.length === run.width && digits(cn)) {
        const v = Number(cn);
        if (v >= run.first && v <= run.last) return run.ordinal + (v - run.first);
      }
      return others.get(cn);
    },
    remember(cn: string, ordinal: number): void {
      if (digits(cn)) {
        const v = Number(cn);
        if (!run) { run = { first: v, last: v, width: cn.length, ordinal }; return; }
        if (cn.length === run.width && v === run.last + 1 && ordinal === run.ordinal + (v - run.first)) { run.last = v; return; }
      }
      others.set(cn, ordinal);
    },
  };
}

export interface EnvelopeOptions {
  grammars: GrammarRegistry;
  validateElements: boolean;
  /** false: a group_end item lists no set results (each transaction item carries its own `result`): a reader that logs them elsewhere keeps no O(sets) state */
  keepSetResults?: boolean;
}

export function createEnvelopeMachine(opts: EnvelopeOptions, out: X12Item[]): TokenizerSink & { finish(): void } {
  let ic: InterchangeHeader | undefined;
  let icErrors: X12Error[] = [];
  let icGroups = 0;
  let icTa1: Segment[] = [];
  let icIndex = 0;
  let icStray = 0; // segments outside any transaction set in this interchange (the first MAX_SET_FINDINGS are listed)
  let gs: GroupHeader | undefined;
  let gsErrors: X12Error[] = [];
  let gsSets: TransactionResult[] = [];
  let gsSetCount = 0; // sets in the current group (gsSets holds them only when keepSetResults)
  const keepSetResults = opts.keepSetResults !== false;
  let gsSetNumbers = createSetNumbers(); // ST02 -> ordinal of its first set in this group
  let icGroupNumbers = new Map<string, number>(); // GS06 -> ordinal of its first group in this interchange
  const fileInterchanges = new Map<string, number>(); // sender|receiver|ISA13 -> index of its first interchange in this input
  let st: { segments: Segment[]; id: string; controlNumber: string; implementationReference?: string; errors: X12Error[]; ordinal: number; duplicateOf?: number } | undefined;
  let skipping = false; // after a fatal ISA problem: ignore segments until the next ISA
  // one array for the segments of every transaction set in turn: the tree keeps the segments, not the array
  const setSegments: Segment[] = [];

  const icErr = (error: string, code: string, message: string, extra: Partial<X12Error> = {}): void => {
    icErrors.push({ error, level: 'interchange', code, message, ...(ic ? { interchangeControlNumber: ic.controlNumber } : {}), ...extra });
  };
  const seg = (raw: RawSegment, position: number): Segment => {
    raw.position = position;
    return raw;
  };

  function endTransaction(trailer: Segment | undefined): void {
    const t = st;
    if (!t || !ic) return;
    st = undefined;
    const errors = t.errors;
    const where = { transactionControlNumber: t.controlNumber, ...(gs ? { groupControlNumber: gs.controlNumber } : {}), interchangeControlNumber: ic.controlNumber };
    if (!trailer) {
      errors.push({ error: 'x12_se_missing', level: 'transaction', code: SET.trailerMissing, message: `transaction set ${t.id} ${t.controlNumber} has no SE trailer`, ...where });
    } else {
      t.segments.push(trailer);
      const count = str(trailer.elements[0]);
      if (count !== String(t.segments.length) && Number(count) !== t.segments.length) {
        errors.push({ error: 'x12_segment_count_mismatch', level: 'transaction', code: SET.countMismatch, message: `SE01 says ${count} segments, counted ${t.segments.length}`, segment: 'SE', segmentPosition: trailer.position, elementPosition: 1, expected: String(t.segments.length), found: count, ...where });
      }
      const cn = str(trailer.elements[1]);
      if (cn !== t.controlNumber) {
        errors.push({ error: 'x12_transaction_control_number_mismatch', level: 'transaction', code: SET.controlNumberMismatch, message: `SE02 ${shown(cn)} does not match ST02 '${t.controlNumber}'`, segment: 'SE', segmentPosition: trailer.position, elementPosition: 2, expected: t.controlNumber, found: cutFound(cn), ...where });
      }
    }
    const version = gs?.version ?? '';
    const grammar = opts.grammars.find(t.id, version);
    let root;
    if (grammar) {
      const built = buildTree(compileGrammar(grammar), t.segments, { validateElements: opts.validateElements, transactionControlNumber: t.controlNumber });
      root = built.root;
      for (const e of built.errors) { if (!trailer && e.segment === 'SE') continue; errors.push({ ...where, ...e }); }
      if (hasHlLoop(root.children)) nestHierarchy(root, errors, t.controlNumber);
      capFindings(errors, built.suppressed, t.id, t.controlNumber, where);
    } else {
      root = flatTree(t.id, t.segments);
    }
    const rejecting = errors.length > 0 && hasRejecting(errors);
    if (rejecting && needsSegmentsInError(errors)) {
      errors.push({ error: 'x12_segments_in_error', level: 'transaction', code: SET.segmentsInError, message: 'one or more segments in error', ...where });
    }
    // a set this gateway has no grammar for is read and enveloped, but its functional ack says
    // AK5/IK5 R with code 1 (transaction set not supported)
    const ackErrors = grammar ? errors : [...errors, { error: 'x12_unsupported_transaction', level: 'transaction' as const, code: SET.notSupported, message: `transaction set ${t.id} is not supported`, ...where }];
    const result: TransactionResult = { id: t.id, controlNumber: t.controlNumber, accepted: grammar ? !rejecting : false, errors: ackErrors, ordinal: t.ordinal, ...(t.implementationReference ? { implementationReference: t.implementationReference } : {}) };
    if (gs) { gsSetCount++; if (keepSetResults) gsSets.push(result); }
    out.push({
      kind: 'transaction', interchange: ic, ...(gs ? { group: gs } : {}),
      transaction: { id: t.id, controlNumber: t.controlNumber, ordinal: t.ordinal, ...(t.duplicateOf !== undefined ? { duplicateOf: t.duplicateOf } : {}), ...(t.implementationReference ? { implementationReference: t.implementationReference } : {}) },
      tree: { standard: 'x12', message: t.id, version: gs?.version ?? ic.version, root },
      supported: grammar !== undefined, ...(grammar ? { grammar: `${grammar.message}/${grammar.version}` } : {}),
      segmentCount: t.segments.length, accepted: !rejecting, errors, result,
    });
  }

  function endGroup(trailer: Segment | undefined): void {
    if (st) endTransaction(undefined);
    const g = gs;
    if (!g || !ic) return;
    gs = undefined;
    const where = { interchangeControlNumber: ic.controlNumber, groupControlNumber: g.controlNumber };
    if (!trailer) gsErrors.push({ error: 'x12_ge_missing', level: 'group', code: GROUP.trailerMissing, message: `functional group ${g.controlNumber} has no GE trailer`, ...where });
    else {
      const count = str(trailer.elements[0]);
      if (Number(count) !== gsSetCount || !/^\d+$/.test(count)) gsErrors.push({ error: 'x12_transaction_count_mismatch', level: 'group', code: GROUP.countMismatch, message: `GE01 says ${count} transaction sets, counted ${gsSetCount}`, segment: 'GE', elementPosition: 1, expected: String(gsSetCount), found: count, ...where });
      const cn = str(trailer.elements[1]);
      if (cn !== g.controlNumber) gsErrors.push({ error: 'x12_group_control_number_mismatch', level: 'group', code: GROUP.controlNumberMismatch, message: `GE02 ${shown(cn)} does not match GS06 '${g.controlNumber}'`, segment: 'GE', elementPosition: 2, expected: g.controlNumber, found: cutFound(cn), ...where });
    }
    out.push({ kind: 'group_end', interchange: ic, group: g, ...(trailer ? { trailer } : {}), transactionCount: gsSetCount, transactions: gsSets, errors: gsErrors });
    gsSets = []; gsSetCount = 0; gsErrors = []; gsSetNumbers = createSetNumbers();
  }

  function endInterchange(trailer: Segment | undefined, premature: boolean): void {
    if (gs || st) endGroup(undefined);
    if (!ic) return;
    if (!trailer) icErr('x12_iea_missing', premature ? TA1.prematureEndOfFile : TA1.invalidControlStructure, `interchange ${ic.controlNumber} has no IEA trailer`);
    else {
      const count = str(trailer.elements[0]);
      if (!/^\d+$/.test(count) || (Number(count) !== icGroups && Number(count) !== icGroups + icTa1.length)) icErr('x12_group_count_mismatch', TA1.invalidGroupCount, `IEA01 says ${count} groups, counted ${icGroups}`, { segment: 'IEA', elementPosition: 1, expected: String(icGroups), found: count });
      const cn = str(trailer.elements[1]);
      if (cn !== ic.controlNumber) icErr('x12_interchange_control_number_mismatch', TA1.controlNumberMismatch, `IEA02 ${shown(cn)} does not match ISA13 '${ic.controlNumber}'`, { segment: 'IEA', elementPosition: 2, expected: ic.controlNumber, found: cutFound(cn) });
    }
    if (icStray > MAX_SET_FINDINGS) icErr('x12_segment_outside_transaction', TA1.invalidContent, `interchange ${ic.controlNumber} has ${icStray} segments outside any transaction set; ${icStray - MAX_SET_FINDINGS} more are not listed`);
    out.push({ kind: 'interchange_end', interchange: ic, ...(trailer ? { trailer } : {}), groupCount: icGroups, ta1: icTa1, errors: icErrors });
    ic = undefined; icErrors = []; icGroups = 0; icTa1 = []; icStray = 0; icGroupNumbers = new Map();
  }

  return {
    isa(raw: RawSegment, info: IsaInfo, _fileSegment: number, offset: number): void {
      if (ic) endInterchange(undefined, false);
      const e = raw.elements;
      const delimiters = info.delimiters;
      const isaSeg: Segment = raw;
      ic = {
        authorizationQualifier: str(e[0]), authorization: str(e[1]), securityQualifier: str(e[2]), security: str(e[3]),
        senderQualifier: str(e[4]), senderId: str(e[5]).trimEnd(), receiverQualifier: str(e[6]), receiverId: str(e[7]).trimEnd(),
        date: str(e[8]), time: str(e[9]), standardsId: str(e[10]), version: str(e[11]), controlNumber: str(e[12]), ackRequested: str(e[13]),
        usage: str(e[14]), delimiters, segment: isaSeg, index: ++icIndex, offset,
      };
      // the same interchange twice in one input: the partner's duplicate policy decides (pipeline dedupe stage)
      const key = `${ic.senderQualifier}:${ic.senderId}|${ic.receiverQualifier}:${ic.receiverId}|${ic.controlNumber}`;
      const first = fileInterchanges.get(key);
      if (first !== undefined) ic.duplicateOf = first;
      else fileInterchanges.set(key, ic.index);
      icErrors = validateIsa(e, ic.controlNumber);
      if (!info.fixedWidth && !icErrors.some((x) => x.error === 'x12_isa_invalid_field')) icErr('x12_isa_not_fixed_width', TA1.invalidControlStructure, 'ISA is not 106 characters with fixed-width fields');
      if (info.fatal) {
        icErr('x12_isa_unreadable', info.fatal.includes('terminator') ? TA1.segmentTerminatorInvalid : info.fatal.includes('element separator') ? TA1.invalidElementSeparator : TA1.prematureEndOfFile, info.fatal);
        out.push({ kind: 'interchange_start', interchange: ic, errors: icErrors.slice() });
        skipping = true;
        endInterchange(undefined, true);
        return;
      }
      skipping = false;
      out.push({ kind: 'interchange_start', interchange: ic, errors: icErrors.slice() });
    },
    segment(raw: RawSegment, fileSegment: number): void {
      if (skipping || !ic) return;
      const tag = raw.tag;
      if (st) {
        if (tag === 'SE') { endTransaction(seg(raw, st.segments.length + 1)); return; }
        if (tag !== 'ST' && tag !== 'GE' && tag !== 'IEA' && tag !== 'GS') {
          const s = seg(raw, st.segments.length + 1);
          st.segments.push(s);
          if (tag === 'BIN' && !/^\d+$/.test(str(raw.elements[0]))) {
            st.errors.push({ error: 'x12_bin_length_invalid', level: 'element', code: '6', message: `BIN01 length '${str(raw.elements[0])}' is not numeric`, segment: 'BIN', segmentPosition: s.position, elementPosition: 1, elementReference: '784', found: str(raw.elements[0]), transactionControlNumber: st.controlNumber, interchangeControlNumber: ic.controlNumber });
          }
          return;
        }
        endTransaction(undefined);
      }
      if (tag === 'ST') {
        const id = str(raw.elements[0]); const controlNumber = str(raw.elements[1]); const ref = str(raw.elements[2]);
        const errors: X12Error[] = [];
        const where = { transactionControlNumber: controlNumber, interchangeControlNumber: ic.controlNumber, ...(gs ? { groupControlNumber: gs.controlNumber } : {}) };
        if (!gs) errors.push({ error: 'x12_st_outside_group', level: 'transaction', code: SET.notInGroup, message: `transaction set ${id} ${controlNumber} is not inside a GS/GE group`, ...where });
        if (!/^[0-9A-Z]{3}$/.test(id)) errors.push({ error: 'x12_invalid_transaction_set_id', level: 'transaction', code: SET.invalidIdentifier, message: `ST01 '${id}' is not a transaction set identifier`, segment: 'ST', segmentPosition: 1, elementPosition: 1, found: id, ...where });
        if (!/^[0-9A-Za-z]{4,9}$/.test(controlNumber)) errors.push({ error: 'x12_invalid_transaction_control_number', level: 'transaction', code: SET.invalidControlNumber, message: `ST02 '${controlNumber}' must be 4-9 characters`, segment: 'ST', segmentPosition: 1, elementPosition: 2, found: controlNumber, ...where });
        // the same ST02 twice in a group is marked, not refused here: the partner's duplicate policy decides (AK5 code 23 when rejected)
        const ordinal = gsSetCount + 1;
        const duplicateOf = gsSetNumbers.firstOf(controlNumber);
        if (duplicateOf === undefined) gsSetNumbers.remember(controlNumber, ordinal);
        setSegments.length = 0;
        setSegments.push(seg(raw, 1));
        st = { segments: setSegments, id, controlNumber, errors, ordinal, ...(duplicateOf !== undefined ? { duplicateOf } : {}), ...(ref ? { implementationReference: ref } : {}) };
        return;
      }
      if (tag === 'GS') {
        if (gs) endGroup(undefined);
        const e = raw.elements;
        gs = { functionalId: str(e[0]), senderCode: str(e[1]), receiverCode: str(e[2]), date: str(e[3]), time: str(e[4]), controlNumber: str(e[5]), agency: str(e[6]), version: str(e[7]), segment: { tag: 'GS', elements: e, position: 1 }, ordinal: icGroups + 1 };
        icGroups++;
        // the same GS06 twice in an interchange: marked for the duplicate policy (AK9 code 19 from 005010 when rejected)
        const firstGroup = icGroupNumbers.get(gs.controlNumber);
        if (firstGroup !== undefined) gs.duplicateOf = firstGroup;
        else icGroupNumbers.set(gs.controlNumber, icGroups);
        for (const x of validateGs(e, gs.controlNumber)) (x.level === 'group' ? gsErrors : icErrors).push({ ...x, interchangeControlNumber: ic.controlNumber });
        out.push({ kind: 'group_start', interchange: ic, group: gs });
        return;
      }
      if (tag === 'GE') {
        if (!gs) { if (++icStray <= MAX_SET_FINDINGS) icErr('x12_ge_without_gs', TA1.invalidControlStructure, 'GE without a GS', { fileSegment }); return; }
        endGroup(seg(raw, 0));
        return;
      }
      if (tag === 'IEA') { endInterchange(seg(raw, 0), false); return; }
      if (tag === 'TA1' && !gs) { icTa1.push(seg(raw, 0)); return; }
      if (INTERCHANGE_SERVICE.has(tag) && !gs) return;
      if (++icStray <= MAX_SET_FINDINGS) icErr('x12_segment_outside_transaction', TA1.invalidContent, `segment ${tag} is outside any transaction set`, { segment: tag, fileSegment });
    },
    garbage(offset: number, length: number, sample: string): void {
      const printable = sample.replace(/[^\x20-\x7e]/g, '.');
      out.push({ kind: 'garbage', offset, length, errors: [{ error: 'x12_garbage', level: 'interchange', code: TA1.invalidControlStructure, message: `${explainOutside(sample, offset)}${length} bytes at offset ${offset} are not inside an interchange ('${printable}')`, found: printable, expected: 'ISA' }] });
    },
    finish(): void {
      if (ic) endInterchange(undefined, true);
    },
  };
}

/** X12 segment tags that belong inside an interchange: found outside one, an ISA is what is missing */
const ENVELOPED = /^(GS|ST|GE|SE|IEA|TA1|BEG|BAK|BSN|BIG|N1|PO1|HL|IT1|CTT|AK1|AK2|AK5|AK9)$/;


/** What the bytes outside any interchange look like: a misspelt ISA, or a segment whose ISA is missing. */
function explainOutside(sample: string, offset: number): string {
  const lead = sample.length - sample.trimStart().length;
  const m = /^([A-Z0-9]{2,3})([^A-Za-z0-9\s])/.exec(sample.slice(lead));
  if (!m) return '';
  const tag = m[1]!;
  const at = offset + lead;
  if (nearMiss(tag, 'ISA')) return `'${tag}' at byte ${at}: did you mean ISA? `;
  if (ENVELOPED.test(tag)) return `segment ${tag} at byte ${at} outside any interchange: ISA expected. `;
  return '';
}
