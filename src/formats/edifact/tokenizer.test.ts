import { describe, expect, it } from 'vitest';
import { createEdifactTokenizer, type RawSegment } from './tokenizer.ts';

function tokenize(chunks: string[]): RawSegment[] {
  const out: RawSegment[] = [];
  const t = createEdifactTokenizer((s) => out.push(s));
  for (const c of chunks) t.write(c);
  t.end();
  return out;
}
const simple = (segs: RawSegment[]): unknown[] => segs.map((s) => [s.tag, ...s.elements]);

describe('EDIFACT tokenizer', () => {
  it('reads default separators :+.? \' and the release character in every position', () => {
    const segs = tokenize(["FTX+AAI+++a?+b?:c?'d??e:x?'+?:'"]);
    expect(simple(segs)).toEqual([['FTX', 'AAI', '', '', ["a+b:c'd?e", "x'"], ':']]);
  });

  it('gives the same segments for every split of the input into two chunks (release and UNA across chunk ends)', () => {
    const text = "UNA:+.? 'UNB+UNOC:3+A+B+260101:1200+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++x?'y??'UNT+3+1'UNZ+1+1'";
    const whole = simple(tokenize([text]));
    for (let i = 1; i < text.length; i++) {
      expect(simple(tokenize([text.slice(0, i), text.slice(i)])), `split at ${i}`).toEqual(whole);
    }
    expect(simple(tokenize(text.split('')))).toEqual(whole);
    expect(whole[2]).toEqual(['FTX', 'AAI', '', '', "x'y?"]);
  });

  it('does not put blanks after a segment terminator into the next tag (indented or CRLF + space layouts, any chunking)', () => {
    const text = "UNB+UNOC:3+A+B+260101:1200+1'\r\n  UNH+1+ORDERS:D:96A:UN'\n\tBGM+220+P 1+9' \r\n FTX+AAI+++ x'   UNT+4+1'\nUNZ+1+1'  \n";
    const whole = tokenize([text]);
    expect(simple(whole)).toEqual([
      ['UNB', ['UNOC', '3'], 'A', 'B', ['260101', '1200'], '1'], ['UNH', '1', ['ORDERS', 'D', '96A', 'UN']],
      ['BGM', '220', 'P 1', '9'], ['FTX', 'AAI', '', '', ' x'], ['UNT', '4', '1'], ['UNZ', '1', '1'],
    ]);
    // offsets point at the tag, not at the blanks before it
    expect(whole.map((s) => text.slice(s.offset, s.offset + 3))).toEqual(['UNB', 'UNH', 'BGM', 'FTX', 'UNT', 'UNZ']);
    for (let i = 1; i < text.length; i++) expect(simple(tokenize([text.slice(0, i), text.slice(i)])), `split at ${i}`).toEqual(simple(whole));
  });

  it('applies UNA service string advice, and resets to the defaults after UNZ', () => {
    const segs = tokenize(["UNA=*,? ~UNB*UNOA=3*S*R*260101=1200*7~UNZ*0*7~UNB+UNOA:3+S+R+260101:1200+8'UNZ+0+8'"]);
    expect(simple(segs)).toEqual([
      ['UNB', ['UNOA', '3'], 'S', 'R', ['260101', '1200'], '7'], ['UNZ', '0', '7'],
      ['UNB', ['UNOA', '3'], 'S', 'R', ['260101', '1200'], '8'], ['UNZ', '0', '8'],
    ]);
    expect(segs[0]?.separators.decimal).toBe(',');
    expect(segs[0]?.una).toBe(true);
    expect(segs[2]?.una).toBe(false);
  });

  it('ignores CR/LF between and inside segments (wrapped lines)', () => {
    const segs = tokenize(["UNB+UNOA:3+SEN\r\nDER+REC'\r\nUNH+1+ORD", "ERS:D:96A:UN'\n"]);
    expect(simple(segs)).toEqual([['UNB', ['UNOA', '3'], 'SENDER', 'REC'], ['UNH', '1', ['ORDERS', 'D', '96A', 'UN']]]);
  });

  it('splits syntax 4 repetitions (default * without UNA) and keeps the first in elements', () => {
    const segs = tokenize(["UNB+UNOW:4+S+R+20260101:1200+9'UNH+1+X:D:01B:UN'NAT+2+A:1*B:2'"]);
    const nat = segs[2] as RawSegment;
    expect(nat.elements).toEqual(['2', ['A', '1']]);
    expect(nat.repeats).toEqual({ 1: [['A', '1'], ['B', '2']] });
  });

  it('refuses input that ends inside a segment', () => {
    expect(() => tokenize(["UNB+UNOA:3+S+R+260101:1200+1'UNH+1+ORD"])).toThrowError(expect.objectContaining({ code: 'edifact_truncated' }));
    expect(() => tokenize(["UNB+UNOA:3+S+R+260101:1200+1?"])).toThrowError(expect.objectContaining({ code: 'edifact_truncated' }));
  });
});
