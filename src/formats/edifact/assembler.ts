/**
 * Interchange / group / message assembly over tokenised segments, with the envelope checks of
 * ISO 9735: UNZ count and reference = UNB 0020, UNE count and reference = UNG 0048, UNT segment
 * count and reference = UNH 0062, groups and messages not mixed, nothing outside a message.
 * Emits each message when its UNT arrives (so memory holds one message at a time) and each
 * interchange summary when its UNZ arrives (or at end of input).
 */
import type { GatewayError } from '../../core/errors.ts';
import type { Segment, WireTree } from '../wire.ts';
import type { RawSegment } from './tokenizer.ts';
import { EDIFACT_MESSAGES, EDIFACT_VERSIONS, type EdifactGrammarRegistry } from './grammars/index.ts';
import { readUnb, readUng, readUnh, messageVersionKey, type EdifactGroupHeader, type EdifactInterchangeHeader, type EdifactMessageHeader } from './envelope.ts';
import { charsetFor, DEFAULT_SEPARATORS, SYNTAX_CHARSETS } from './syntax.ts';
import { createValueDecoder, decodeSegment } from './decode.ts';
import { SYNTAX_ERROR, issue, type IssueLevel } from './issues.ts';
import { buildTree, flatTree } from './tree.ts';
import { normalizeComposites, validateSegment } from './validate.ts';

export interface EdifactMessage {
  interchange: EdifactInterchangeHeader;
  group?: EdifactGroupHeader;
  header: EdifactMessageHeader;
  tree: WireTree;
  /** grammar used ('D99B' for a D98B message read with the nearest shipped directory); absent = unsupported */
  grammarVersion?: string;
  /** UNH S009 0057 names a subset of the directory: EANCOM ('EAN008' = EANCOM subset version 008) */
  subset?: { name: 'EANCOM'; code: string; version: string };
  /** segments UNH..UNT counted as received */
  segmentCount: number;
  /** UNT as received */
  trailer?: { segmentCount: string; reference: string };
  /** byte offset of UNH in the input */
  offset: number;
  /** envelope, structure and element issues of this message; see isBlocking() */
  errors: GatewayError[];
}

export interface EdifactGroupSummary { header: EdifactGroupHeader; messageCount: number; messageReferences: string[]; trailer?: { messageCount: string; reference: string } }

export interface EdifactInterchangeSummary {
  header: EdifactInterchangeHeader;
  groups: EdifactGroupSummary[];
  /** messages outside groups and inside, in order */
  messageCount: number;
  messageReferences: string[];
  trailer?: { count: string; reference: string };
  offset: number;
  errors: GatewayError[];
}

export interface AssemblerOptions {
  /** message tables; null = no structure (flat trees, no element checks) */
  grammars: EdifactGrammarRegistry | null;
  /** stop collecting issues for one message after this many (default 100) */
  maxErrorsPerMessage?: number;
  onMessage(m: EdifactMessage): void;
  onInterchange(i: EdifactInterchangeSummary): void;
}

export interface EdifactAssembler { segment(raw: RawSegment): void; end(): void }

export function createEdifactAssembler(opts: AssemblerOptions): EdifactAssembler {
  const maxErrors = opts.maxErrorsPerMessage ?? 100;
  let ic: (EdifactInterchangeSummary & { directMessages: number }) | undefined;
  let grp: EdifactGroupSummary | undefined;
  let msg: { header: EdifactMessageHeader; segments: Segment[]; offset: number; errors: GatewayError[]; group?: EdifactGroupHeader } | undefined;
  let stray = 0; // segments outside any message in the current interchange
  // group findings (UNG/UNE and groups mixed with messages) in the current interchange: listed up to
  // maxErrors, then counted (2,777 nested UNG..UNE made 5,555 errors; 800 KB of them held the loop 0.7 s)
  let groupFindings = 0;
  const groupErr = (to: GatewayError[], make: () => GatewayError): void => {
    if (++groupFindings <= maxErrors) to.push(make());
  };
  let decode = createValueDecoder(SYNTAX_CHARSETS.UNOB as NonNullable<ReturnType<typeof charsetFor>>);

  const ctx = (): Record<string, unknown> => ({
    ...(ic ? { interchangeControlNumber: ic.header.controlReference } : {}),
    ...(grp ? { groupControlNumber: grp.header.reference } : {}),
    ...(msg ? { transactionControlNumber: msg.header.reference, message: msg.header.type } : {}),
  });
  const envErr = (code: string, text: string, level: IssueLevel, standardCode: string, serviceSegment: string, extra: Record<string, unknown> = {}): GatewayError =>
    issue(code, text, { ...ctx(), level, severity: 'error', standardCode, serviceSegment, segment: serviceSegment, ...extra });

  const openInterchange = (raw: RawSegment, header: EdifactInterchangeHeader, errors: GatewayError[]): void => {
    ic = { header, groups: [], messageCount: 0, messageReferences: [], offset: raw.offset, errors, directMessages: 0 };
    const cs = charsetFor(header.syntax.id);
    if (!cs) {
      errors.push(envErr('edifact_unsupported_syntax', `syntax identifier '${header.syntax.id}' is not supported; values are read as ISO 8859-1`, 'interchange', SYNTAX_ERROR.syntaxVersionNotSupported, 'UNB', { elementPosition: 1, componentPosition: 1, found: header.syntax.id }));
    }
    decode = createValueDecoder(cs ?? (SYNTAX_CHARSETS.UNOC as NonNullable<typeof cs>));
  };

  const closeMessage = (trailer?: Segment): void => {
    if (!msg || !ic) return;
    const m = msg;
    msg = undefined;
    const context = { interchangeControlNumber: ic.header.controlReference, ...(grp ? { groupControlNumber: grp.header.reference } : {}), transactionControlNumber: m.header.reference, message: m.header.type };
    const errors = m.errors;
    const count = m.segments.length;
    let tr: EdifactMessage['trailer'];
    if (trailer) {
      const c0 = trailer.elements[0];
      const c1 = trailer.elements[1];
      tr = { segmentCount: typeof c0 === 'string' ? c0 : (c0?.[0] ?? ''), reference: typeof c1 === 'string' ? c1 : (c1?.[0] ?? '') };
      if (tr.segmentCount !== String(count) && Number(tr.segmentCount) !== count) {
        errors.push(issue('edifact_message_segment_count_mismatch', `UNT says ${tr.segmentCount} segments, message ${m.header.reference} has ${count} (UNH..UNT)`, { ...context, level: 'message', severity: 'error', standardCode: SYNTAX_ERROR.controlCountMismatch, serviceSegment: 'UNT', segment: 'UNT', segmentPosition: count, elementPosition: 1, expected: String(count), found: tr.segmentCount }));
      }
      if (tr.reference !== m.header.reference) {
        errors.push(issue('edifact_message_reference_mismatch', `UNT reference '${tr.reference}' does not match UNH reference '${m.header.reference}'`, { ...context, level: 'message', severity: 'error', standardCode: SYNTAX_ERROR.referencesDoNotMatch, serviceSegment: 'UNT', segment: 'UNT', segmentPosition: count, elementPosition: 2, expected: m.header.reference, found: tr.reference }));
      }
    } else {
      errors.push(issue('edifact_message_trailer_missing', `message ${m.header.reference} (${m.header.type}) has no UNT trailer`, { ...context, level: 'message', severity: 'error', standardCode: SYNTAX_ERROR.missing, serviceSegment: 'UNT', segment: 'UNT', segmentPosition: count + 1, expected: 'UNT' }));
    }
    const version = messageVersionKey(m.header);
    const resolved = opts.grammars?.resolve(m.header.type, version);
    const grammar = resolved?.grammar;
    let root;
    if (resolved?.substitutedFor) {
      errors.push(issue('edifact_directory_substituted', `${m.header.type} ${version} is read with directory ${resolved.grammar.version}, the nearest we ship (${version} is not shipped: element lengths and the segment table are ${resolved.grammar.version}'s)`, {
        ...context, level: 'message', severity: 'warning', segment: 'UNH', segmentPosition: 1, elementPosition: 2, found: version, expected: resolved.grammar.version,
      }));
    }
    if (grammar) {
      const structural: GatewayError[] = [];
      for (const seg of m.segments) {
        const def = grammar.segments[seg.tag];
        if (!def) continue;
        normalizeComposites(seg, def);
        if (seg.tag !== 'UNH' && seg.tag !== 'UNT' && structural.length < maxErrors) validateSegment(seg, def, context, structural);
      }
      const t = buildTree(m.header.type, m.segments, grammar, context, maxErrors);
      root = t.root;
      const all = [...t.errors, ...structural];
      if (all.length > maxErrors || t.suppressed > 0) {
        all.sort((a, b) => Number(a.detail.segmentPosition ?? 0) - Number(b.detail.segmentPosition ?? 0));
        all.splice(maxErrors, all.length - maxErrors, issue('edifact_too_many_errors', `more than ${maxErrors} structure/element issues in message ${m.header.reference}; the rest are not listed`, { ...context, level: 'message', severity: 'error' }));
      }
      errors.push(...all);
      errors.sort((a, b) => Number(a.detail.segmentPosition ?? 0) - Number(b.detail.segmentPosition ?? 0));
    } else {
      root = flatTree(m.header.type, m.segments);
      if (opts.grammars && m.header.type !== 'CONTRL') errors.push(issue('edifact_unsupported_message', `no message table for ${m.header.type} ${version} (supported: ${EDIFACT_MESSAGES.join(', ')} in the UN/EDIFACT directories ${EDIFACT_VERSIONS[0]}..${EDIFACT_VERSIONS[EDIFACT_VERSIONS.length - 1]} and the nearest one to any other D directory)`, { ...context, level: 'message', severity: 'error', segment: 'UNH', segmentPosition: 1, elementPosition: 2, found: `${m.header.type}:${m.header.version}:${m.header.release}` }));
    }
    ic.messageCount++;
    ic.messageReferences.push(m.header.reference);
    if (grp) { grp.messageCount++; grp.messageReferences.push(m.header.reference); } else ic.directMessages++;
    const out: EdifactMessage = {
      interchange: ic.header, header: m.header,
      tree: { standard: 'edifact', message: m.header.type, version, root },
      segmentCount: count, offset: m.offset, errors,
    };
    if (m.group) out.group = m.group;
    if (grammar) out.grammarVersion = grammar.version;
    const ean = /^EAN(\d{3})$/.exec(m.header.association ?? '');
    if (ean) out.subset = { name: 'EANCOM', code: m.header.association as string, version: ean[1] as string };
    if (tr) out.trailer = tr;
    opts.onMessage(out);
  };

  const closeGroup = (trailer?: Segment): void => {
    if (!grp || !ic) return;
    if (msg) closeMessage();
    const gs = grp;
    if (trailer) {
      const count = String(trailer.elements[0] ?? '');
      const ref = String(trailer.elements[1] ?? '');
      gs.trailer = { messageCount: count, reference: ref };
      if (Number(count) !== gs.messageCount) groupErr(ic.errors, () => envErr('edifact_group_count_mismatch', `UNE says ${count} messages, group ${gs.header.reference} has ${gs.messageCount}`, 'group', SYNTAX_ERROR.controlCountMismatch, 'UNE', { elementPosition: 1, expected: String(gs.messageCount), found: count }));
      if (ref !== gs.header.reference) groupErr(ic.errors, () => envErr('edifact_group_reference_mismatch', `UNE reference '${ref}' does not match UNG reference '${gs.header.reference}'`, 'group', SYNTAX_ERROR.referencesDoNotMatch, 'UNE', { elementPosition: 2, expected: gs.header.reference, found: ref }));
    } else groupErr(ic.errors, () => envErr('edifact_group_trailer_missing', `group ${gs.header.reference} has no UNE trailer`, 'group', SYNTAX_ERROR.missing, 'UNE', { expected: 'UNE' }));
    grp = undefined;
  };

  const closeInterchange = (trailer?: Segment): void => {
    if (!ic) return;
    if (msg) closeMessage();
    if (grp) closeGroup();
    const cur = ic;
    if (stray > maxErrors) cur.errors.push(envErr('edifact_too_many_errors', `interchange ${cur.header.controlReference} has ${stray} segments outside any message (UNH..UNT); ${stray - maxErrors} more are not listed`, 'interchange', SYNTAX_ERROR.invalidOccurrenceOutsideMessage, 'UNH', { expected: 'UNH' }));
    stray = 0;
    if (groupFindings > maxErrors) cur.errors.push(envErr('edifact_too_many_errors', `interchange ${cur.header.controlReference} has ${groupFindings} group findings (UNG..UNE); ${groupFindings - maxErrors} more are not listed`, 'interchange', SYNTAX_ERROR.groupsAndMessagesMixed, 'UNG'));
    groupFindings = 0;
    const expectedCount = cur.groups.length > 0 ? cur.groups.length : cur.messageCount;
    if (trailer) {
      const count = String(trailer.elements[0] ?? '');
      const ref = String(trailer.elements[1] ?? '');
      cur.trailer = { count, reference: ref };
      if (Number(count) !== expectedCount || count === '') cur.errors.push(envErr('edifact_interchange_count_mismatch', `UNZ says ${count} ${cur.groups.length > 0 ? 'groups' : 'messages'}, interchange ${cur.header.controlReference} has ${expectedCount}`, 'interchange', SYNTAX_ERROR.controlCountMismatch, 'UNZ', { elementPosition: 1, expected: String(expectedCount), found: count }));
      if (ref !== cur.header.controlReference) cur.errors.push(envErr('edifact_interchange_reference_mismatch', `UNZ reference '${ref}' does not match UNB control reference '${cur.header.controlReference}'`, 'interchange', SYNTAX_ERROR.referencesDoNotMatch, 'UNZ', { elementPosition: 2, expected: cur.header.controlReference, found: ref }));
    } else cur.errors.push(envErr('edifact_interchange_trailer_missing', `interchange ${cur.header.controlReference} has no UNZ trailer`, 'interchange', SYNTAX_ERROR.missing, 'UNZ', { expected: 'UNZ' }));
    ic = undefined;
    const { directMessages: _d, ...summary } = cur;
    void _d;
    opts.onInterchange(summary);
  };

  const segment = (raw: RawSegment): void => {
    const tag = raw.tag;
    if (tag === 'UNB') {
      const errors: GatewayError[] = [];
      if (ic) { closeInterchange(); }
      openInterchange(raw, readUnb(raw.elements, raw.separators, raw.una), errors);
      return;
    }
    if (!ic) {
      // no UNB: read what follows as an interchange without header, and say so
      openInterchange(raw, { syntax: { id: 'UNOB', version: '' }, sender: { id: '' }, recipient: { id: '' }, date: '', time: '', controlReference: '', testIndicator: false, separators: raw.separators ?? DEFAULT_SEPARATORS, una: raw.una }, []);
      (ic as unknown as EdifactInterchangeSummary).errors.push(envErr('edifact_interchange_header_missing', `input does not start with UNB (found ${tag} at byte ${raw.offset})`, 'interchange', SYNTAX_ERROR.missing, 'UNB', { expected: 'UNB', found: tag, offsetBytes: raw.offset }));
    }
    const cur = ic as EdifactInterchangeSummary & { directMessages: number };
    if (tag === 'UNZ') { closeInterchange(decodeSegment(raw, 0, decode).segment); return; }
    if (tag === 'UNG') {
      if (msg) closeMessage();
      if (grp) closeGroup();
      if (cur.directMessages > 0) groupErr(cur.errors, () => envErr('edifact_groups_and_messages_mixed', 'UNG after messages outside groups', 'interchange', SYNTAX_ERROR.groupsAndMessagesMixed, 'UNG'));
      const header = readUng(decodeSegment(raw, 0, decode).segment.elements as never);
      grp = { header, messageCount: 0, messageReferences: [] };
      cur.groups.push(grp);
      return;
    }
    if (tag === 'UNE') { closeGroup(decodeSegment(raw, 0, decode).segment); return; }
    if (tag === 'UNH') {
      if (msg) closeMessage();
      if (!grp && cur.groups.length > 0) groupErr(cur.errors, () => envErr('edifact_groups_and_messages_mixed', 'UNH outside a group in an interchange that has groups', 'interchange', SYNTAX_ERROR.groupsAndMessagesMixed, 'UNH'));
      const d = decodeSegment(raw, 1, decode);
      msg = { header: readUnh(d.segment.elements as never), segments: [d.segment], offset: raw.offset, errors: [] };
      if (grp) msg.group = grp.header;
      return;
    }
    if (!msg) {
      // listed up to maxErrors per interchange, then counted (16,000 stray segments made 16,000 errors: 1.3 s)
      if (++stray > maxErrors) return;
      cur.errors.push(envErr('edifact_segment_outside_message', `segment ${tag} at byte ${raw.offset} is outside any message (UNH..UNT)`, 'interchange', SYNTAX_ERROR.invalidOccurrenceOutsideMessage, tag, { found: tag, offsetBytes: raw.offset }));
      return;
    }
    const d = decodeSegment(raw, msg.segments.length + 1, decode);
    msg.segments.push(d.segment);
    if (d.invalidCharacters && msg.errors.length < maxErrors) {
      msg.errors.push(issue('edifact_invalid_character', `${tag} at position ${d.segment.position} has characters outside the ${cur.header.syntax.id} repertoire (read as UTF-8)`, {
        ...ctx(), level: 'element', severity: 'warning', standardCode: SYNTAX_ERROR.invalidCharacters, segment: tag, segmentPosition: d.segment.position, ...d.invalidCharacters,
      }));
    }
    if (tag === 'UNT') closeMessage(d.segment);
  };

  return { segment, end: () => closeInterchange() };
}
