/**
 * Push tokenizer for EDIFACT. Input is text where one char = one byte (latin1 / "binary" decoding
 * of the raw bytes), so chunk boundaries never split a character and every separator is found by
 * its byte; values are decoded to Unicode later, per the interchange's syntax identifier.
 *
 * Handles: UNA service string advice (also one per interchange), release character before any
 * character (including a release or terminator split across chunks), CR/LF anywhere outside a
 * released position ignored (segments wrapped over lines, hard-wrapped at 80 columns), spaces and
 * tabs between a segment terminator and the next tag ignored (indented files), syntax 4
 * repetition separator, reset to defaults after UNZ.
 */
import { DEFAULT_SEPARATORS, V4_REPETITION, parseUna, type EdifactSeparators } from './syntax.ts';
import { GatewayError } from '../../core/errors.ts';

export type RawElement = string | string[];

export interface RawSegment {
  tag: string;
  elements: RawElement[];
  /** repetitions per 0-based element index (syntax 4), first one also in elements[i] */
  repeats?: Record<number, RawElement[]>;
  /** offset in bytes of the segment's first character in the input */
  offset: number;
  /** separators in force when the segment was read */
  separators: EdifactSeparators;
  /** true when the segment came after a UNA in its interchange */
  una: boolean;
}

export interface EdifactTokenizer {
  /** feed a chunk decoded as latin1 (one char per byte) */
  write(chunk: string): void;
  /** end of input: throws edifact_truncated when a segment is not terminated */
  end(): void;
}

const CR = 13;
const LF = 10;

export function createEdifactTokenizer(onSegment: (seg: RawSegment) => void): EdifactTokenizer {
  let sep: EdifactSeparators = { ...DEFAULT_SEPARATORS };
  let una = false;
  let special = new Uint8Array(256);
  let cComp = 0, cElem = 0, cRel = 0, cRep = -1, cSeg = 0;
  const configure = (): void => {
    special = new Uint8Array(256);
    cComp = sep.component.charCodeAt(0);
    cElem = sep.element.charCodeAt(0);
    cRel = sep.release.charCodeAt(0);
    cSeg = sep.segment.charCodeAt(0);
    cRep = sep.repetition === ' ' || sep.repetition === '' ? -1 : sep.repetition.charCodeAt(0);
    for (const c of [cComp, cElem, cRel, cSeg, cRep, CR, LF]) if (c >= 0 && c < 256) special[c] = 1;
  };
  configure();

  let offset = 0; // bytes consumed before the current chunk
  let segStart = -1;
  let cur = '';
  let comps: string[] = [];
  let elems: RawElement[] = [];
  let reps: RawElement[] | undefined; // repetitions of the current element
  let repeats: Record<number, RawElement[]> | undefined;
  let released = false;
  let unaLeft = -1; // >= 0 while reading the 6 UNA characters
  let unaChars = '';
  let started = false; // current segment has content

  const endComponent = (): void => { comps.push(cur); cur = ''; };
  const elementValue = (): RawElement => (comps.length === 1 ? (comps[0] as string) : comps);
  const endElement = (): void => {
    endComponent();
    const v = elementValue();
    if (reps) {
      reps.push(v);
      (repeats ??= {})[elems.length] = reps;
      elems.push(reps[0] as RawElement);
      reps = undefined;
    } else elems.push(v);
    comps = [];
  };
  const endRepetition = (): void => {
    endComponent();
    (reps ??= []).push(elementValue());
    comps = [];
  };
  const endSegment = (): void => {
    endElement();
    const first = elems[0];
    const tag = typeof first === 'string' ? first : (first?.[0] ?? '');
    const seg: RawSegment = { tag, elements: elems.slice(1), offset: segStart, separators: sep, una };
    if (repeats) {
      const shifted: Record<number, RawElement[]> = {};
      for (const [k, v] of Object.entries(repeats)) if (Number(k) > 0) shifted[Number(k) - 1] = v;
      seg.repeats = shifted;
    }
    elems = [];
    repeats = undefined;
    started = false;
    segStart = -1;
    onSegment(seg);
    if (tag === 'UNB' && !una) {
      const s001 = seg.elements[0];
      const version = Array.isArray(s001) ? s001[1] : undefined;
      if (version === '4' && sep.repetition === ' ') { sep = { ...sep, repetition: V4_REPETITION }; configure(); }
    } else if (tag === 'UNZ') {
      sep = { ...DEFAULT_SEPARATORS };
      una = false;
      configure();
    }
  };

  let carry = '';
  const write = (input: string): void => {
    let chunk = input;
    if (carry) { offset -= carry.length; chunk = carry + input; carry = ''; }
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (unaLeft >= 0) {
        const take = Math.min(unaLeft, n - i);
        unaChars += chunk.slice(i, i + take);
        i += take;
        unaLeft -= take;
        if (unaLeft === 0) {
          sep = parseUna(unaChars);
          una = true;
          configure();
          unaLeft = -1;
          unaChars = '';
          started = false;
          segStart = -1;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (released) {
        cur += chunk[i];
        released = false;
        i++;
        continue;
      }
      // blanks (spaces, tabs) between a segment terminator and the next tag are layout, not part of the tag
      if (!started && (c === 32 || c === 9) && c !== cSeg && c !== cElem && c !== cComp && c !== cRel) { i++; continue; }
      if (!started && c === 85 /* U */) {
        if (n - i < 3 && 'UNA'.startsWith(chunk.slice(i))) { carry = chunk.slice(i); break; }
        if (chunk.startsWith('UNA', i)) { unaLeft = 6; unaChars = ''; i += 3; continue; }
      }
      if (c < 256 && special[c] === 1) {
        if ((c === CR || c === LF) && c !== cSeg && c !== cElem && c !== cComp) { i++; continue; }
        if (!started) { started = true; segStart = offset + i; }
        if (c === cRel) released = true;
        else if (c === cSeg) endSegment();
        else if (c === cElem) endElement();
        else if (c === cComp) endComponent();
        else if (c === cRep) endRepetition();
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n) {
        const d = chunk.charCodeAt(j);
        if (d < 256 && special[d] === 1) break;
        j++;
      }
      if (!started) { started = true; segStart = offset + i; }
      cur += chunk.slice(i, j);
      i = j;
    }
    offset += n;
  };

  const end = (): void => {
    if (carry) { cur += carry; started = true; carry = ''; }
    if (unaLeft >= 0) throw new GatewayError('edifact_truncated', 'input ends inside the UNA service string advice', { segment: 'UNA' });
    if (released || started || cur.length > 0 || comps.length > 0 || elems.length > 0) {
      const text = (elems.length > 0 ? String(Array.isArray(elems[0]) ? elems[0][0] : elems[0]) : cur).slice(0, 10);
      throw new GatewayError('edifact_truncated', `input ends inside a segment (no segment terminator '${sep.segment}' after '${text}')`, {
        segment: text, offsetBytes: segStart, expected: sep.segment, found: 'end of input',
      });
    }
  };
  return { write, end };
}
