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
} from '../../formats/edifact/index.ts';
import type { ElementDef, MessageGrammar } from '../../formats/grammar.ts';
import type { Element, Loop, Segment } from '../../formats/wire.ts';
import type { AckContext, FormatReader, FunctionalAck, SplitResult, TranslationUnit } from '../units.ts';

/** message types the shipped base mappings translate */
export const EDIFACT_MAPPED_MESSAGES = ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC'] as const;
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
async function buildContrls(interchanges: EdifactInterchange[], ctx: AckContext): Promise<FunctionalAck[]> {
  if (ctx.policy.edifact !== 'contrl') return [];
  const out: FunctionalAck[] = [];
  const iso = ctx.now.toISOString();
  for (const ic of interchanges) {
    if (!ic.header.controlReference || (ic.messages.length > 0 && ic.messages.every((m) => receiptTypes.has(m.header.type)))) continue;
    const ref = String(await ctx.issue('unb', 99_999_999_999_999));
    const v4 = ic.header.syntax.version === '4';
    const date = (v4 ? iso.slice(0, 4) : iso.slice(2, 4)) + iso.slice(5, 7) + iso.slice(8, 10);
    const r = buildContrl(ic, { controlReference: ref, date, time: iso.slice(11, 13) + iso.slice(14, 16) });
    out.push({ format: 'edifact', message: 'CONTRL', interchangeControlNumber: ref, inReplyTo: ic.header.controlReference, text: Buffer.from(r.bytes).toString('latin1'), bytes: r.bytes });
  }
  return out;
}

export function createEdifactFormatReader(deps: EdifactReaderDeps = {}): FormatReader<TranslationUnit[]> & { splitEdifact(bytes: Uint8Array): SplitResult<TranslationUnit[]> & EdifactSplitExtras } {
  const grammars = deps.grammars ?? createEdifactGrammarRegistry();
  const splitEdifact = (bytes: Uint8Array): SplitResult<TranslationUnit[]> & EdifactSplitExtras => {
    const result: SplitResult<TranslationUnit[]> & EdifactSplitExtras = { units: [], errors: [], interchanges: [], receipts: [] };
    let interchanges: EdifactInterchange[];
    try {
      interchanges = parseEdifact(bytes, { grammars });
    } catch (e) {
      result.errors.push(e instanceof GatewayError ? e : new GatewayError('edifact_unreadable', `the EDIFACT file cannot be read: ${String(e)}`));
      return result;
    }
    result.interchanges = interchanges;
    let position = 0;
    for (const ic of interchanges) {
      for (const e of ic.errors) result.errors.push(e);
      for (const m of ic.messages) {
        if (receiptTypes.has(m.header.type)) { result.receipts.push(m); continue; }
        result.units.push(unitOf(m, position++, grammars));
      }
    }
    if (result.units.length === 0 && result.receipts.length === 0 && result.errors.length === 0) {
      result.errors.push(new GatewayError('edifact_no_message', 'the interchange holds no message (no UNH..UNT)', { expected: 'UNH' }));
    }
    result.receiptCount = result.receipts.length;
    const first = interchanges[0]?.header.sender;
    if (first) result.sender = { id: first.id, ...(first.qualifier ? { qualifier: first.qualifier } : {}) };
    result.acknowledge = (ctx) => buildContrls(interchanges, ctx);
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
      { ...control, found: `${m.header.type} ${version}`, expected: `${EDIFACT_MAPPED_MESSAGES.join(', ')} in D93A..D03B` }));
    return unit;
  }
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
