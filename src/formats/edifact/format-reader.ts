/**
 * EDIFACT messages into translation units: one per message (UNH..UNT), with the interchange
 * sender/recipient (UNB S002/S003 with their qualifiers) the pipeline identifies the partner by
 * and the control references UNB 0020 / UNG 0048 / UNH 0062. Interchange-level findings concern
 * the whole message; a rejected message carries its own findings (segment and element positions);
 * message types without a grammar are reported as unsupported. Inbound CONTRL messages are not
 * documents: they are returned as receipts for reconciliation.
 *
 * Numeric data elements (class n: QTY 6060, PRI 5118, MOA 5004 ...) are normalised to a '.'
 * decimal mark, so mappings read '30,00' (UNA decimal comma) as '30.00'.
 */
import { GatewayError } from '../../core/errors.ts';
import {
  buildContrl, createEdifactGrammarRegistry, isBlocking, messageVersionKey, normalizeEdifactNumber, parseEdifact,
  type EdifactGrammarRegistry, type EdifactInterchange, type EdifactMessage,
} from './index.ts';
import type { ElementDef, MessageGrammar } from '../grammar.ts';
import { nearMiss } from '../near-miss.ts';
import type { Element, Loop, Segment } from '../wire.ts';
import type { AckContext, DuplicateMark, FormatReader, FunctionalAck, SplitResult, TranslationUnit } from '../../pipeline/inbound/units.ts';

/** message types the shipped base mappings translate */
export const EDIFACT_MAPPED_MESSAGES = ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC', 'RECADV', 'INVRPT', 'IFTSTA'] as const;
const receiptTypes = new Set(['CONTRL']);

export interface EdifactSplitExtras {
  /** interchanges as read (headers, counts, envelope errors): what a CONTRL back needs */
  interchanges: EdifactInterchange[];
  /** inbound CONTRL messages, for reconciliation against our outbound interchanges */
  receipts: EdifactMessage[];
}

export interface EdifactReaderDeps {
  /** message tables (default: the codec's ORDERS/ORDRSP/DESADV/INVOIC D96A + D01B) */
  grammars?: EdifactGrammarRegistry;
}

/**
 * CONTRL per inbound interchange when the partner's policy says `acks.edifact: contrl`: UCI for
 * the interchange, UCM per message with UCS/UCD detail, in the inbound syntax version, sent with a
 * fresh interchange reference (never reused). A CONTRL is never answered with a CONTRL.
 */
async function buildContrls(interchanges: EdifactInterchange[], ctx: AckContext, repeats: Repeats = new Map()): Promise<FunctionalAck[]> {
  if (ctx.policy.edifact !== 'contrl') return [];
  const out: FunctionalAck[] = [];
  const iso = ctx.now.toISOString();
  for (const ic of interchanges) {
    if (!ic.header.controlReference || (ic.messages.length > 0 && ic.messages.every((m) => receiptTypes.has(m.header.type)))) continue;
    const ref = String(await ctx.issue('unb', 99_999_999_999_999));
    const v4 = ic.header.syntax.version === '4';
    const date = (v4 ? iso.slice(0, 4) : iso.slice(2, 4)) + iso.slice(5, 7) + iso.slice(8, 10);
    const r = buildContrl(withRejectedRepeats(ic, repeats), { controlReference: ref, date, time: iso.slice(11, 13) + iso.slice(14, 16) });
    out.push({ format: 'edifact', message: 'CONTRL', interchangeControlNumber: ref, inReplyTo: ic.header.controlReference, text: Buffer.from(r.bytes).toString('latin1'), bytes: r.bytes });
  }
  return out;
}

export function createEdifactFormatReader(deps: EdifactReaderDeps = {}): FormatReader<TranslationUnit[]> & { splitEdifact(bytes: Uint8Array): SplitResult<TranslationUnit[]> & EdifactSplitExtras } {
  const grammars = deps.grammars ?? createEdifactGrammarRegistry();
  const splitEdifact = (bytes: Uint8Array): SplitResult<TranslationUnit[]> & EdifactSplitExtras => {
    const result: SplitResult<TranslationUnit[]> & EdifactSplitExtras = { units: [], errors: [], interchanges: [], receipts: [] };
    const envelope = envelopeStartProblem(bytes);
    if (envelope) { result.errors.push(envelope); return result; }
    let interchanges: EdifactInterchange[];
    try {
      interchanges = parseEdifact(bytes, { grammars });
    } catch (e) {
      result.errors.push(e instanceof GatewayError ? e : new GatewayError('edifact_unreadable', `the EDIFACT file cannot be read: ${String(e)}`));
      return result;
    }
    result.interchanges = interchanges;
    let position = 0;
    const repeats: Repeats = new Map();
    const seenInterchanges = new Map<string, number>();
    interchanges.forEach((ic, i) => {
      for (const e of ic.errors) result.errors.push(e);
      const h = ic.header;
      const key = `${h.sender.qualifier ?? ''}:${h.sender.id}|${h.recipient.qualifier ?? ''}:${h.recipient.id}|${h.controlReference}`;
      const firstIc = h.controlReference ? seenInterchanges.get(key) : undefined;
      if (h.controlReference && firstIc === undefined) seenInterchanges.set(key, i + 1);
      const icMark: DuplicateMark | undefined = firstIc === undefined ? undefined : { level: 'interchange', code: 'duplicate_interchange_in_message', controlNumber: h.controlReference,
        description: `UNB 0020 '${h.controlReference}' from ${h.sender.id} to ${h.recipient.id}: interchange ${i + 1} of this message repeats interchange ${firstIc}` };
      if (icMark) repeats.set(ic, icMark);
      const groupMarks = new Map<unknown, DuplicateMark>();
      const seenGroups = new Map<string, number>();
      ic.groups.forEach((g, j) => {
        const first = seenGroups.get(g.header.reference);
        if (first === undefined) { seenGroups.set(g.header.reference, j + 1); return; }
        const mark: DuplicateMark = { level: 'group', code: 'duplicate_group', controlNumber: g.header.reference,
          description: `UNG 0048 '${g.header.reference}' in interchange ${h.controlReference}: group ${j + 1} repeats group ${first} of the same interchange` };
        groupMarks.set(g.header, mark);
        repeats.set(g.header, mark);
      });
      const seenMessages = new Map<string, number>();
      ic.messages.forEach((m, k) => {
        if (receiptTypes.has(m.header.type)) { result.receipts.push(m); return; }
        const unit = unitOf(m, position++, grammars);
        const first = seenMessages.get(m.header.reference);
        if (first === undefined) seenMessages.set(m.header.reference, k + 1);
        let mark = icMark ?? (m.group ? groupMarks.get(m.group) : undefined);
        if (!mark && first !== undefined) {
          mark = { level: 'set', code: 'duplicate_message', controlNumber: m.header.reference,
            description: `UNH 0062 '${m.header.reference}' in interchange ${h.controlReference}: message ${k + 1} repeats message ${first} of the same interchange` };
          repeats.set(m, mark);
        }
        if (mark) unit.duplicate = mark;
        result.units.push(unit);
      });
    });
    if (result.units.length === 0 && result.receipts.length === 0 && result.errors.length === 0) {
      result.errors.push(new GatewayError('edifact_no_message', 'the interchange holds no message (no UNH..UNT)', { expected: 'UNH' }));
    }
    result.receiptCount = result.receipts.length;
    const first = interchanges[0]?.header.sender;
    if (first) result.sender = { id: first.id, ...(first.qualifier ? { qualifier: first.qualifier } : {}) };
    result.acknowledge = (ctx) => buildContrls(interchanges, ctx, repeats);
    return result;
  };
  return {
    format: 'edifact',
    splitEdifact,
    async split(bytes) {
      return splitEdifact(bytes);
    },
  };
}

/**
 * An input whose first segment is not UNA/UNB: a misspelt one ('UBN' at byte 0: did you mean
 * UNB?) or a service segment that belongs inside an interchange (UNH with no UNB). Reading on
 * would only add findings about a message nobody can identify or acknowledge.
 */
const SERVICE_SEGMENTS = new Set(['UNG', 'UNH', 'UNS', 'UNT', 'UNE', 'UNZ']);

function envelopeStartProblem(bytes: Uint8Array): GatewayError | undefined {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  const lead = head.length - head.replace(/^(\u00EF\u00BB\u00BF)?\s*/, '').length;
  const m = /^([A-Z0-9]{3})[+:]/.exec(head.slice(lead));
  if (!m || m[1] === 'UNA' || m[1] === 'UNB') return undefined;
  const tag = m[1]!;
  if (!SERVICE_SEGMENTS.has(tag) && (nearMiss(tag, 'UNB') || nearMiss(tag, 'UNA'))) {
    const want = nearMiss(tag, 'UNB') ? 'UNB' : 'UNA';
    return new GatewayError('edifact_envelope_misspelt', `'${tag}' at byte ${lead}: did you mean ${want}?`, { level: 'interchange', severity: 'error', standardCode: '4', serviceSegment: 'UNB', found: tag, expected: want, offset: lead });
  }
  return new GatewayError('edifact_outside_interchange', `segment ${tag} at byte ${lead} outside any interchange: UNB expected`, { level: 'interchange', severity: 'error', standardCode: '4', serviceSegment: 'UNB', found: tag, expected: 'UNA or UNB', offset: lead });
}

/** repeats inside the message, keyed by the interchange, group header or message they mark */
type Repeats = Map<unknown, DuplicateMark>;

/**
 * The interchange as the CONTRL reports it, with the repeats the duplicate policy rejected added
 * as syntax errors 26 (duplicate detected, ISO 9735 0085): UCI for a repeated UNB 0020 (element
 * 5), UCF for a repeated UNG 0048 (element 5), UCM for a repeated UNH 0062 (element 1).
 */
function withRejectedRepeats(ic: EdifactInterchange, repeats: Repeats): EdifactInterchange {
  const rejected = (x: unknown): DuplicateMark | undefined => { const m = repeats.get(x); return m?.verdict === 'rejected' ? m : undefined; };
  const dup = (m: DuplicateMark, level: 'interchange' | 'group' | 'message', serviceSegment: string, elementPosition: number, extra: Record<string, string> = {}) =>
    new GatewayError(m.code, m.description, { level, severity: 'error', standardCode: DUPLICATE_DETECTED, serviceSegment, elementPosition, found: m.controlNumber, ...extra });
  const icMark = rejected(ic);
  const groupErrors = ic.groups.flatMap((g, j) => { const m = rejected(g.header); return m ? [dup(m, 'group', 'UNG', 5, { groupControlNumber: g.header.reference, groupOrdinal: String(j) })] : []; });
  const messages = ic.messages.map((msg) => { const m = rejected(msg); return m ? { ...msg, errors: [...msg.errors, dup(m, 'message', 'UNH', 1)] } : msg; });
  if (!icMark && groupErrors.length === 0 && messages.every((m, i) => m === ic.messages[i])) return ic;
  return { ...ic, errors: [...(icMark ? [dup(icMark, 'interchange', 'UNB', 5)] : []), ...ic.errors, ...groupErrors], messages };
}

/** ISO 9735 0085 code 26: duplicate detected */
const DUPLICATE_DETECTED = '26';

function unitOf(m: EdifactMessage, position: number, grammars: EdifactGrammarRegistry): TranslationUnit {
  const ic = m.interchange;
  const version = messageVersionKey(m.header);
  const control = {
    interchangeControlNumber: ic.controlReference,
    ...(m.group ? { groupControlNumber: m.group.reference } : {}),
    transactionControlNumber: m.header.reference,
  };
  const unit: TranslationUnit = {
    position,
    format: 'edifact',
    message: m.header.type,
    version,
    envelope: {
      sender: { id: ic.sender.id, ...(ic.sender.qualifier ? { qualifier: ic.sender.qualifier } : {}) },
      receiver: { id: ic.recipient.id, ...(ic.recipient.qualifier ? { qualifier: ic.recipient.qualifier } : {}) },
      ...control,
      test: ic.testIndicator,
    },
    input: m.tree,
    errors: [],
  };
  const grammar = m.grammarVersion ? grammars.find(m.header.type, m.grammarVersion) : undefined;
  if (!grammar || !(EDIFACT_MAPPED_MESSAGES as readonly string[]).includes(m.header.type)) {
    unit.errors.push(new GatewayError('edifact_unsupported_message',
      `message ${m.header.type} ${version} (reference ${m.header.reference}) was read and enveloped, but this gateway does not map ${m.header.type} ${version} messages`,
      { ...control, found: `${m.header.type} ${version}`, expected: `${EDIFACT_MAPPED_MESSAGES.join(', ')} in a UN/EDIFACT D directory` }));
    return unit;
  }
  const warnings = m.errors.filter((e) => !isBlocking(e));
  if (warnings.length > 0) unit.warnings = warnings;
  if (m.subset) unit.subset = `${m.subset.name} ${m.subset.code}`;
  const blocking = m.errors.filter(isBlocking);
  const first = blocking[0];
  if (first) {
    unit.errors.push(new GatewayError(first.code, `${first.message}${blocking.length > 1 ? ` (and ${blocking.length - 1} more finding(s))` : ''}`, { ...control, ...first.detail, findings: blocking }));
    return unit;
  }
  normaliseNumbers(m.tree.root, grammar);
  return unit;
}

/** Class n values (per the segment directory) get a '.' decimal mark; unreadable ones are left as sent. */
function normaliseNumbers(node: Loop, grammar: MessageGrammar): void {
  for (const child of node.children) {
    if ('loop' in child) { normaliseNumbers(child, grammar); continue; }
    const def = grammar.segments[child.tag];
    if (def) normaliseSegment(child, def.elements);
  }
}

function normaliseSegment(seg: Segment, defs: ElementDef[]): void {
  seg.elements.forEach((el, i) => {
    const def = defs[i];
    if (def) seg.elements[i] = normaliseElement(el, def);
  });
}

function normaliseElement(el: Element, def: ElementDef): Element {
  if (typeof el === 'string') {
    const d = def.components ? def.components[0] : def;
    return d?.type === 'n' ? numberText(el) : el;
  }
  const comps = def.components;
  if (!comps) return el;
  return el.map((c, j) => (comps[j]?.type === 'n' ? numberText(c) : c));
}

const numberText = (v: string): string => (v.includes(',') ? (normalizeEdifactNumber(v) ?? v) : v);
