/**
 * Writer: message trees -> one interchange with the partner's separators (UNA written when they
 * differ from the defaults, or always/never on request), release-character escaping, character
 * set per syntax identifier (iconv-lite), UNT segment counts, UNE/UNZ counts and references.
 * UNH/UNT found in a tree are regenerated from the message header (counts are always computed).
 * Numeric elements get the UNA decimal mark when the message's segment directory is given.
 */
import iconv from 'iconv-lite';
import { GatewayError } from '../../core/errors.ts';
import type { SegmentDef } from '../grammar.ts';
import type { Element, Loop, Segment, WireTree } from '../wire.ts';
import { isSegment } from '../wire.ts';
import { DEFAULT_SEPARATORS, V4_REPETITION, charsetFor, formatUna, sameSeparators, type EdifactSeparators } from './syntax.ts';
import { applyDecimalMark } from './decimal-mark.ts';
import { unbElements, ungElements, unhElements, type EdifactGroupHeader, type EdifactInterchangeHeader, type EdifactMessageHeader } from './envelope.ts';

export interface EdifactOutboundMessage {
  /** UNH data; when omitted it is read from the tree's UNH segment */
  header?: EdifactMessageHeader;
  tree: WireTree;
  /**
   * The message's segment directory (its grammar's `segments`): numeric (class n) elements are
   * written with the interchange's decimal mark when that is not '.'. Without it values are written as they are.
   */
  segments?: Readonly<Record<string, SegmentDef>>;
}

export interface EdifactWriteInput {
  header: Omit<EdifactInterchangeHeader, 'separators' | 'una'>;
  separators?: Partial<EdifactSeparators>;
  /** 'auto' (default): UNA only when separators differ from the defaults */
  una?: 'auto' | 'always' | 'never';
  /** messages directly in the interchange, or groups (not both) */
  messages?: EdifactOutboundMessage[];
  groups?: Array<{ header: EdifactGroupHeader; messages: EdifactOutboundMessage[] }>;
  /** written after every segment terminator, e.g. '\n' or '\r\n' (default '') */
  lineEnding?: string;
}

export function segmentsOf(node: Loop): Segment[] {
  const out: Segment[] = [];
  const walk = (l: Loop): void => { for (const c of l.children) { if (isSegment(c)) out.push(c); else walk(c); } };
  walk(node);
  return out;
}

export function createSegmentSerializer(sep: EdifactSeparators): (tag: string, elements: Element[], repeats?: Record<number, Element[]>) => string {
  const specials = [sep.release, sep.element, sep.component, sep.segment, ...(sep.repetition !== ' ' ? [sep.repetition] : [])];
  const re = new RegExp(`[${specials.map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`, 'g');
  const esc = (v: string): string => v.replace(re, (c) => sep.release + c);
  const el = (e: Element): string => (typeof e === 'string' ? esc(e) : e.map(esc).join(sep.component));
  return (tag, elements, repeats) => {
    const parts = elements.map((e, i) => {
      const reps = repeats?.[i];
      if (reps && sep.repetition !== ' ') return reps.map(el).join(sep.repetition);
      return el(e);
    });
    return (parts.length > 0 ? tag + sep.element + parts.join(sep.element) : tag) + sep.segment;
  };
}

export function writeEdifact(input: EdifactWriteInput): Uint8Array {
  const h = input.header;
  const syntaxV4 = h.syntax.version === '4';
  const sep: EdifactSeparators = { ...DEFAULT_SEPARATORS, ...(syntaxV4 ? { repetition: V4_REPETITION } : {}), ...input.separators };
  const defaults = { ...DEFAULT_SEPARATORS, ...(syntaxV4 ? { repetition: V4_REPETITION } : {}) };
  const withUna = input.una === 'always' || (input.una !== 'never' && !sameSeparators(sep, defaults));
  const nl = input.lineEnding ?? '';
  const ser = createSegmentSerializer(sep);
  const out: string[] = [];
  if (withUna) out.push(formatUna(sep) + nl);
  out.push(ser('UNB', unbElements({ ...h, separators: sep, una: withUna })) + nl);
  if (input.messages && input.groups) throw new GatewayError('edifact_groups_and_messages_mixed', 'an interchange carries either messages or groups, not both', { interchangeControlNumber: h.controlReference });

  const writeMessage = (m: EdifactOutboundMessage, index: number): void => {
    const segs = segmentsOf(m.tree.root);
    const header = m.header ?? headerFromTree(m.tree, index);
    const body = segs.filter((s) => s.tag !== 'UNH' && s.tag !== 'UNT');
    out.push(ser('UNH', unhElements(header)) + nl);
    for (const s of body) {
      const { elements, repeats } = applyDecimalMark(s, m.segments, sep.decimal);
      out.push(ser(s.tag, elements, repeats) + nl);
    }
    out.push(ser('UNT', [String(body.length + 2), header.reference]) + nl);
  };
  let count = 0;
  if (input.groups) {
    for (const g of input.groups) {
      out.push(ser('UNG', ungElements(g.header)) + nl);
      g.messages.forEach(writeMessage);
      out.push(ser('UNE', [String(g.messages.length), g.header.reference]) + nl);
      count++;
    }
  } else {
    (input.messages ?? []).forEach(writeMessage);
    count = input.messages?.length ?? 0;
  }
  out.push(ser('UNZ', [String(count), h.controlReference]) + nl);
  try {
    return encode(out.join(''), h.syntax.id, h.controlReference);
  } catch (e) {
    if (!(e instanceof GatewayError) || e.code !== 'edifact_unencodable_character') throw e;
    // name the segment that carries the character
    let position = 0;
    for (const part of out) {
      if (part.includes(String(e.detail.found))) {
        const tag = part.replace(/^UNA.{6}/s, '').slice(0, 3);
        throw new GatewayError(e.code, `${e.message} (segment ${tag}, segment ${position} of the interchange)`, { ...e.detail, segment: tag, segmentPosition: position });
      }
      position++;
    }
    throw e;
  }
}

function headerFromTree(tree: WireTree, index: number): EdifactMessageHeader {
  const unh = segmentsOf(tree.root).find((s) => s.tag === 'UNH');
  if (!unh) {
    const m = /^([A-Z])(\w+)$/.exec(tree.version);
    return { reference: String(index + 1), type: tree.message, version: m?.[1] ?? tree.version, release: m?.[2] ?? '', agency: 'UN' };
  }
  const s009 = unh.elements[1];
  const c = (i: number): string => (Array.isArray(s009) ? (s009[i] ?? '') : i === 0 ? (s009 ?? '') : '');
  const h: EdifactMessageHeader = { reference: String(unh.elements[0] ?? ''), type: c(0), version: c(1), release: c(2), agency: c(3) };
  if (c(4)) h.association = c(4);
  return h;
}

function encode(text: string, syntaxId: string, controlReference: string): Uint8Array {
  const cs = charsetFor(syntaxId);
  if (!cs) throw new GatewayError('edifact_unsupported_syntax', `cannot write syntax identifier '${syntaxId}'`, { interchangeControlNumber: controlReference, found: syntaxId });
  if (cs.sevenBit) {
    const bad = /[^\x00-\x7f]/.exec(text);
    if (bad) throw unencodable(bad[0], text, bad.index, syntaxId, controlReference);
    return Buffer.from(text, 'latin1');
  }
  const bytes = iconv.encode(text, cs.encoding);
  if (cs.encoding !== 'utf-8') {
    const back = iconv.decode(bytes, cs.encoding);
    if (back !== text) {
      let i = 0;
      while (i < text.length && text[i] === back[i]) i++;
      throw unencodable(text[i] ?? '', text, i, syntaxId, controlReference);
    }
  }
  return bytes;
}

function unencodable(ch: string, text: string, index: number, syntaxId: string, controlReference: string): GatewayError {
  void text; void index;
  return new GatewayError('edifact_unencodable_character', `character '${ch}' (U+${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}) cannot be written in syntax ${syntaxId}`, {
    interchangeControlNumber: controlReference, found: ch, expected: `a character of ${syntaxId}`,
  });
}
