/**
 * Streaming X12 segment tokenizer. Text is fed as latin1 strings (one char = one byte, so
 * BIN lengths and multi-byte terminators are exact); chunk boundaries may fall anywhere,
 * including exactly on a terminator. For every complete segment it calls `sink.segment`;
 * for an ISA it first works out the interchange's delimiters (see delimiters.ts).
 *
 * Layout rules: a BOM, whitespace and blank lines between segments are skipped; CR/LF inside a
 * segment are removed when the terminator is not itself CR/LF (80-column wrapped files); BIN
 * segments are read by their length (BIN01) so their payload may hold delimiters or newlines.
 * Bytes outside an interchange are reported once per run as garbage. Values with bytes >= 0x80 are decoded as UTF-8 (unless `latin1`).
 */
import type { Segment } from '../wire.ts';
import { repetitionFromIsa, utf8SequenceLength, type X12Delimiters } from './delimiters.ts';
import { X12Segment, type X12ElementSyntax } from './segment.ts';

/** A segment as tokenized (position 0; the envelope machine numbers it within its transaction set). */
export type RawSegment = Segment;

export interface IsaInfo {
  delimiters: X12Delimiters;
  /** false when ISA's element separators are not at the fixed positions of a 106-byte ISA */
  fixedWidth: boolean;
  /** problem with the terminator or separators; the interchange cannot be read */
  fatal?: string;
}

export interface TokenizerSink {
  isa(segment: RawSegment, info: IsaInfo, fileSegment: number, offset: number): void;
  /** fileSegment: 1-based ordinal in the input; offset: byte offset; unterminated: last segment of a truncated input */
  segment(segment: RawSegment, fileSegment: number, offset: number, unterminated: boolean): void;
  garbage(offset: number, length: number, sample: string): void;
}

export interface SegmentTokenizer {
  /** feed latin1 text; `ascii`: the caller knows it holds no byte >= 0x80 (saves a scan) */
  push(text: string, ascii?: boolean): void;
  /** input finished: flush the tail */
  end(): void;
}

/** an ISA is 106 bytes (a few more when wrapped over lines): past this many it is not one */
const ISA_SCAN = 4096;
const ISA_SEPARATOR_POSITIONS = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];
const HIGH = /[\x80-\xff]/;
/**
 * The engine's own copy of a short string (a property key is always one): the same object as the
 * grammars' tag literals, so comparing and hashing tags is a pointer check.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

/** '0'-'9' -> 0-9, 'A'-'Z' -> 10-35, anything else -1: tag characters, numbered for tagOf's table */
const TAG_CHAR: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 26; i++) t[65 + i] = 10 + i;
  return t;
})();
/**
 * Every tag read so far, by its characters' numbers: a bounded cache of immutable strings shared by
 * all readers (a table per reader cost 190 KB per message on the intake path)
 */
const TAGS: Array<string | undefined> = new Array<string | undefined>(36 * 36 * 37).fill(undefined);
const LATIN1_BOM = '\xef\xbb\xbf';

function isSpace(c: number): boolean {
  return c === 10 || c === 13 || c === 32 || c === 9 || c === 0 || c === 12 || c === 11;
}
/** ASCII whitespace as /\s/ sees it in a latin1 string, without 0xA0 (a UTF-8 continuation byte there) */
function isTrailingSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
/**
 * s without the trailing characters `drop` accepts. A scan from the end: /[\r\n\s]+$/ tried every
 * start inside a run of spaces and read the run to its end each time (issue 12: quadratic,
 * 40,000 spaces before a last character took 2 s).
 */
function trimEndWhere(s: string, drop: (c: number) => boolean): string {
  let e = s.length;
  while (e > 0 && drop(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}
const isCrLf = (c: number): boolean => c === 13 || c === 10;
function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** maxSegment: bytes without a terminator after which the rest is reported as garbage (default 16 MiB) */
export function createSegmentTokenizer(sink: TokenizerSink, opts: { latin1?: boolean; maxSegment?: number } = {}): SegmentTokenizer {
  const decodeUtf8 = !opts.latin1;
  const maxSegment = opts.maxSegment ?? 16 * 1048576;
  let buf = '';
  let base = 0; // byte offset of buf[0] in the input
  let fileSegment = 0;
  let d: X12Delimiters | undefined; // undefined: outside an interchange
  // what a segment of the current interchange needs to split itself (segment.ts)
  let simpleSyntax: X12ElementSyntax = { element: '*', component: ':', simple: true };
  let compositeSyntax: X12ElementSyntax = { ...simpleSyntax, simple: false };
  let stripNewlines = false;
  let garbageStart = -1;
  let searched = 0; // input offset before which the pending segment holds no terminator
  let garbageSample = '';
  let lastTerminator = '';

  function flushGarbage(endOffset: number): void {
    if (garbageStart < 0) return;
    sink.garbage(garbageStart, endOffset - garbageStart, garbageSample);
    garbageStart = -1;
    garbageSample = '';
  }
  function addGarbage(from: number, to: number): void {
    if (to <= from) return;
    const text = buf.slice(from, to);
    if (/^[\s\x00]*$/.test(text)) return;
    if (lastTerminator && text.split(lastTerminator).join('').trim() === '') return; // stray terminators after IEA
    if (garbageStart < 0) garbageStart = base + from;
    if (garbageSample.length < 40) garbageSample += text.slice(0, 40 - garbageSample.length);
  }

  /** Slow path: a segment text that may hold layout characters or non-ASCII bytes. */
  function emit(text: string, offset: number, unterminated: boolean): void {
    const delim = d as X12Delimiters;
    if (stripNewlines && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)) text = text.replace(/[\r\n]/g, '');
    if (text.length === 0) return;
    if (decodeUtf8 && HIGH.test(text)) text = Buffer.from(text, 'latin1').toString('utf8');
    const hasRep = delim.repetition !== undefined && text.indexOf(delim.repetition) >= 0;
    const p = text.indexOf(delim.element);
    segmentOf(text, 0, text.length, !hasRep && text.indexOf(delim.component) < 0, offset, unterminated, p < 0 ? text.length : p);
  }

  /**
   * The tag of src[from, to) as one shared string per distinct tag: no allocation, and the maps
   * that look tags up (grammar loops, element checks) find its hash already computed.
   */
  function tagOf(src: string, from: number, to: number): string {
    const len = to - from;
    if (len < 2 || len > 3) return src.slice(from, to);
    const a = TAG_CHAR[src.charCodeAt(from)] ?? -1; const b = TAG_CHAR[src.charCodeAt(from + 1)] ?? -1;
    const c = len === 3 ? TAG_CHAR[src.charCodeAt(from + 2)] ?? -1 : 36;
    if (a < 0 || b < 0 || c < 0) return src.slice(from, to);
    const key = (a * 36 + b) * 37 + c;
    return TAGS[key] ?? (TAGS[key] = internalized(src.slice(from, to)));
  }

  /**
   * Emits the segment src[from, to): its tag now, its elements when something reads them (segment.ts).
   * p: the first element separator at or after from (>= to: none in the segment). The caller finds
   * it within the segment or from a cached position: indexOf from every segment start read up to
   * the next separator, past every tag-only segment on the way (quadratic on runs of empty segments).
   */
  function segmentOf(src: string, from: number, to: number, simple: boolean, offset: number, unterminated: boolean, p: number): void {
    const syntax = simple ? simpleSyntax : compositeSyntax;
    const seg = p >= to
      ? new X12Segment(tagOf(src, from, to), src, to + 1, to, syntax)
      : new X12Segment(tagOf(src, from, p), src, p + 1, to, syntax);
    sink.segment(seg, ++fileSegment, offset, unterminated);
    if (seg.tag === 'IEA') { lastTerminator = (d as X12Delimiters).segment; d = undefined; }
  }

  // cached positions of the next LF, CR, component and repetition separator in buf (amortised O(n))
  let nextLf = -1; let nextCr = -1; let nextComp = -1; let nextRep = -1; let nextElem = -1; let bufHigh = false;
  const after = (c: string, from: number): number => { const i = buf.indexOf(c, from); return i < 0 ? Number.MAX_SAFE_INTEGER : i; };

  /** Fast path: a segment [pos, t) without layout characters or non-ASCII bytes, split straight from buf. */
  function emitFast(pos: number, t: number, delim: X12Delimiters): void {
    if (nextComp < pos) nextComp = after(delim.component, pos);
    let hasRep = false;
    if (delim.repetition !== undefined) { if (nextRep < pos) nextRep = after(delim.repetition, pos); hasRep = nextRep < t; }
    if (nextElem < pos) nextElem = after(delim.element, pos);
    segmentOf(buf, pos, t, nextComp >= t && !hasRep, base + pos, false, nextElem);
  }

  /** Try to read an ISA at pos. Returns the position after it, or -1 when more input is needed. */
  function readIsa(pos: number, final: boolean): number {
    // collect 105 significant chars (ISA..ISA16), skipping CR/LF (wrapped files)
    let i = pos;
    let collected = '';
    while (collected.length < 105 && i < buf.length && i - pos < ISA_SCAN) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) collected += buf[i];
      i++;
    }
    if ((collected.length < 105 && i - pos < ISA_SCAN) || i >= buf.length) {
      if (!final) return -1;
    }
    const element = collected[3] ?? '*';
    let fixedWidth = collected.length === 105;
    for (const p of ISA_SEPARATOR_POSITIONS) if (collected[p] !== element) { fixedWidth = false; break; }
    let isaText = collected;
    let after = i; // raw index just after ISA16
    if (!fixedWidth) {
      // not fixed width: ISA16 is the character after the 16th element separator
      let count = 0;
      let j = pos;
      isaText = '';
      while (j < buf.length && count < 16 && j - pos < ISA_SCAN) {
        const c = buf.charCodeAt(j);
        if (c !== 10 && c !== 13) { isaText += buf[j]; if (buf[j] === element) count++; }
        j++;
      }
      if (count < 16 && j < buf.length) {
        // not an ISA any more: refuse it here rather than hold (and rescan on every push) the rest of the input
        const seg: RawSegment = { tag: 'ISA', elements: isaText.slice(0, 120).split(element).slice(1), position: 1 };
        sink.isa(seg, { delimiters: { element, component: '', segment: '' }, fixedWidth: false, fatal: `the ISA segment has ${count} of its 16 element separators '${element}' in its first ${ISA_SCAN} bytes` }, ++fileSegment, base + pos);
        return j;
      }
      if (count < 16 || j >= buf.length) {
        if (!final) return -1;
        const seg: RawSegment = { tag: 'ISA', elements: isaText.split(element).slice(1), position: 1 };
        sink.isa(seg, { delimiters: { element, component: '', segment: '' }, fixedWidth: false, fatal: 'input ends inside the ISA segment' }, ++fileSegment, base + pos);
        return buf.length;
      }
      isaText += buf[j];
      after = j + 1;
    }
    const component = isaText[isaText.length - 1] ?? '';
    const lead = buf.charCodeAt(after);
    if (Number.isNaN(lead)) {
      if (!final) return -1;
    }
    const termLen = Number.isNaN(lead) ? 0 : utf8SequenceLength(lead);
    if (after + termLen > buf.length && !final) return -1;
    const segment = buf.slice(after, after + termLen);
    const elements = isaText.split(element).slice(1);
    if (elements.length > 16) { // ISA16 equal to the element separator etc.
      elements.length = 16;
    }
    const repetition = repetitionFromIsa(elements[10] ?? '', elements[11] ?? '');
    const delimiters: X12Delimiters = { element, component, segment, ...(repetition !== undefined ? { repetition } : {}) };
    const seg: RawSegment = { tag: 'ISA', elements, position: 1 };
    let fatal: string | undefined;
    if (segment.length === 0) fatal = 'input ends right after ISA16 (no segment terminator)';
    else if (isAlnumCode(lead) || segment === element || segment === ' ') fatal = `segment terminator '${segment}' after ISA16 is invalid`;
    else if (isAlnumCode(element.charCodeAt(0)) || element === ' ') fatal = `element separator '${element}' is invalid`;
    sink.isa(seg, { delimiters, fixedWidth, ...(fatal ? { fatal } : {}) }, ++fileSegment, base + pos);
    if (fatal) return after;
    d = delimiters;
    simpleSyntax = { element, component, ...(repetition !== undefined ? { repetition } : {}), simple: true };
    compositeSyntax = { ...simpleSyntax, simple: false };
    stripNewlines = segment !== '\n' && segment !== '\r';
    return after + segment.length;
  }

  function startsIsa(pos: number): boolean {
    return buf.charCodeAt(pos) === 73 && buf.charCodeAt(pos + 1) === 83 && buf.charCodeAt(pos + 2) === 65
      && pos + 3 < buf.length && !isAlnumCode(buf.charCodeAt(pos + 3)) && !isSpace(buf.charCodeAt(pos + 3));
  }

  function run(final: boolean): void {
    let pos = 0;
    const n = buf.length;
    nextLf = -1; nextCr = -1; nextComp = -1; nextRep = -1; nextElem = -1;
    for (;;) {
      // skip layout between segments
      while (pos < n) { const c = buf.charCodeAt(pos); if (c > 32 || !isSpace(c)) break; pos++; }
      if (pos < n && buf.charCodeAt(pos) === 0xef && buf.startsWith(LATIN1_BOM, pos)) { pos += 3; continue; }
      if (pos >= n) break;
      if (d === undefined || (buf.charCodeAt(pos) === 73 && startsIsa(pos))) {
        if (pos + 4 > n && !final) break;
        if (!startsIsa(pos)) {
          // outside an interchange: skip to the next ISA
          let next = pos + 1;
          for (;;) {
            next = buf.indexOf('ISA', next);
            if (next < 0 || startsIsa(next) || next + 3 >= n) break;
            next++;
          }
          if (next < 0) {
            const keep = final ? n : Math.max(pos, n - 3);
            addGarbage(pos, keep);
            pos = keep;
            break;
          }
          if (!startsIsa(next) && !final) { addGarbage(pos, next); pos = next; break; }
          addGarbage(pos, next);
          pos = next;
          if (!startsIsa(pos)) { addGarbage(pos, n); pos = n; break; }
        }
        flushGarbage(base + pos);
        const after = readIsa(pos, final);
        if (after < 0) break;
        pos = after;
        continue;
      }
      const delim = d;
      // BIN: length-prefixed binary payload
      if (buf.charCodeAt(pos) === 66 && buf.startsWith('BIN' + delim.element, pos)) {
        const lenStart = pos + 4;
        const lenEnd = buf.indexOf(delim.element, lenStart);
        const len = lenEnd > 0 ? Number(buf.slice(lenStart, lenEnd)) : Number.NaN;
        if (lenEnd > 0 && Number.isInteger(len) && len >= 0 && len <= maxSegment && /^\d+$/.test(buf.slice(lenStart, lenEnd))) {
          const end = lenEnd + 1 + len;
          if (end + delim.segment.length > n && !final) break;
          if (buf.startsWith(delim.segment, end)) {
            const seg: RawSegment = { tag: 'BIN', elements: [buf.slice(lenStart, lenEnd), buf.slice(lenEnd + 1, end)], position: 0 };
            sink.segment(seg, ++fileSegment, base + pos, false);
            pos = end + delim.segment.length;
            continue;
          }
        }
        // malformed BIN length (or none yet): read it as an ordinary segment, which waits for its terminator
      }
      // a segment still waiting for its terminator is not searched again from its start on every push
      const t = buf.indexOf(delim.segment, pos > searched - base ? pos : searched - base);
      if (t < 0) {
        searched = base + n - delim.segment.length + 1;
        if (!final && n - pos > maxSegment) {
          // no terminator in maxSegment bytes: not X12 any more; report it and look for the next ISA (bounded memory)
          addGarbage(pos, n); d = undefined; pos = n;
          break;
        }
        if (!final) break;
        emit(trimEndWhere(buf.slice(pos), isTrailingSpace), base + pos, true);
        pos = n;
        break;
      }
      let layout = false;
      if (nextLf < pos) nextLf = after('\n', pos);
      if (nextCr < pos) nextCr = after('\r', pos);
      if (nextLf < t || nextCr < t) layout = true;
      if (!layout && !bufHigh) {
        emitFast(pos, t, delim);
      } else {
        let text = buf.slice(pos, t);
        const last = text.charCodeAt(text.length - 1);
        if (last === 13 || last === 10) text = trimEndWhere(text, isCrLf);
        emit(text, base + pos, false);
      }
      pos = t + delim.segment.length;
    }
    if (final) flushGarbage(base + n);
    buf = buf.slice(pos);
    base += pos;
    if (bufHigh) bufHigh = HIGH.test(buf);
  }

  return {
    push(text: string, ascii?: boolean): void {
      buf = buf.length === 0 ? text : buf + text;
      // bytes >= 0x80 send segments down the UTF-8 decoding path; the caller may know there are none
      if (decodeUtf8 && !bufHigh && ascii !== true) bufHigh = HIGH.test(text);
      run(false);
    },
    end(): void {
      run(true);
      if (garbageStart >= 0) flushGarbage(base + buf.length);
    },
  };
}
