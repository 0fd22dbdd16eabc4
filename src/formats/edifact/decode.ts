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

export function decodeSegment(raw: RawSegment, position: number, decode: (v: string) => { text: string; invalid: boolean }): DecodeResult {
  let invalid: DecodeResult['invalidCharacters'];
  const conv = (e: RawElement, i: number): Element => {
    if (typeof e === 'string') {
      const r = decode(e);
      if (r.invalid && !invalid) invalid = { elementPosition: i + 1 };
      return r.text;
    }
    return e.map((c, j) => {
      const r = decode(c);
      if (r.invalid && !invalid) invalid = { elementPosition: i + 1, componentPosition: j + 1 };
      return r.text;
    });
  };
  const segment: Segment = { tag: raw.tag, elements: raw.elements.map(conv), position };
  if (raw.repeats) {
    const reps: Record<number, Element[]> = {};
    for (const [k, list] of Object.entries(raw.repeats)) reps[Number(k)] = list.map((e) => conv(e, Number(k)));
    segment.repeats = reps;
  }
  return invalid ? { segment, invalidCharacters: invalid } : { segment };
}
