/**
 * Turns a tokenised segment (values as latin1 byte strings) into a wire Segment with Unicode
 * values, decoding with the interchange's character set (iconv-lite). 7-bit syntaxes (UNOA,
 * UNOB, IATA) carrying 8-bit bytes get a warning (ISO 9735 code 21) and are read as UTF-8 when
 * the bytes are valid UTF-8, else as ISO 8859-1: the data is kept, the partner is told.
 */
import iconv from 'iconv-lite';
import type { Element, Segment } from '../wire.ts';
import type { RawElement, RawSegment } from './tokenizer.ts';
import type { SyntaxCharset } from './syntax.ts';

const HIGH = /[\x80-\xff]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodeResult { segment: Segment; invalidCharacters?: { elementPosition: number; componentPosition?: number } }

export function createValueDecoder(charset: SyntaxCharset): (v: string) => { text: string; invalid: boolean } {
  return (v) => {
    if (!HIGH.test(v)) return { text: v, invalid: false };
    const bytes = Buffer.from(v, 'latin1');
    if (charset.sevenBit) {
      try { return { text: utf8.decode(bytes), invalid: true }; } catch { return { text: v, invalid: true }; }
    }
    if (charset.encoding === 'iso-8859-1') return { text: v, invalid: false };
    return { text: iconv.decode(bytes, charset.encoding), invalid: false };
  };
}

type ValueDecoder = (v: string) => { text: string; invalid: boolean };

/** decodes one element in place-free fashion; returns the invalid position (component index or -1) */
function decodeElement(e: RawElement, decode: ValueDecoder, bad: { at: number }): Element {
  if (typeof e === 'string') {
    if (!HIGH.test(e)) return e;
    const r = decode(e);
    if (r.invalid && bad.at === -2) bad.at = -1;
    return r.text;
  }
  let out: string[] | undefined;
  for (let j = 0; j < e.length; j++) {
    const c = e[j] as string;
    if (!HIGH.test(c)) continue;
    const r = decode(c);
    if (r.invalid && bad.at === -2) bad.at = j;
    (out ??= [...e])[j] = r.text;
  }
  return out ?? e;
}

export function decodeSegment(raw: RawSegment, position: number, decode: ValueDecoder): DecodeResult {
  let invalid: DecodeResult['invalidCharacters'];
  const bad = { at: -2 };
  const elements: Element[] = new Array<Element>(raw.elements.length);
  for (let i = 0; i < raw.elements.length; i++) {
    elements[i] = decodeElement(raw.elements[i] as RawElement, decode, bad);
    if (bad.at !== -2 && !invalid) invalid = bad.at === -1 ? { elementPosition: i + 1 } : { elementPosition: i + 1, componentPosition: bad.at + 1 };
  }
  const segment: Segment = { tag: raw.tag, elements, position };
  if (raw.repeats) {
    const reps: Record<number, Element[]> = {};
    for (const k of Object.keys(raw.repeats)) {
      const list = raw.repeats[Number(k)] as RawElement[];
      const conv: Element[] = [];
      for (const e of list) conv.push(decodeElement(e, decode, bad));
      reps[Number(k)] = conv;
    }
    segment.repeats = reps;
  }
  return invalid ? { segment, invalidCharacters: invalid } : { segment };
}
