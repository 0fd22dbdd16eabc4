import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIsa13, formatSt02, nextControlNumber } from './control-numbers.ts';
import { parseX12, parseTransactions } from './reader.ts';
import type { GroupEndItem, InterchangeStartItem, TransactionItem } from './types.ts';
import { groupEnvelopeOf, interchangeEnvelopeOf, writeInterchange, writeIsa, writeSegment } from './writer.ts';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/x12');

/** Re-serialize one single-interchange input from what the reader produced. */
function rewrite(text: string, lineBreak: string): string {
  const items = parseX12(text);
  const start = items.find((i): i is InterchangeStartItem => i.kind === 'interchange_start')!;
  const groups = items.filter((i): i is GroupEndItem => i.kind === 'group_end');
  const sets = items.filter((i): i is TransactionItem => i.kind === 'transaction');
  return writeInterchange({
    delimiters: { ...start.interchange.delimiters, lineBreak },
    interchange: interchangeEnvelopeOf(start.interchange),
    groups: groups.map((g) => ({ group: groupEnvelopeOf(g.group), transactions: sets.filter((s) => s.group === g.group).map((s) => ({ tree: s.tree })) })),
  });
}

describe('writer', () => {
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.edi') && !f.includes('rejects'))) { // well-formed samples only
    it(`round-trips ${name} byte for byte`, () => {
      const text = readFileSync(resolve(fixtures, name), 'latin1');
      expect(rewrite(text, '\n')).toBe(text);
    });
  }

  it('pads ISA fields to their fixed widths (106 characters)', () => {
    const isa = writeIsa({ senderQualifier: 'ZZ', senderId: 'ME', receiverQualifier: '01', receiverId: '123456789', date: '240101', time: '0930', controlNumber: 42, ackRequested: '1', usage: 'T' },
      { element: '*', component: ':', repetition: '^', segment: '~' });
    expect(isa).toBe('ISA*00*          *00*          *ZZ*ME             *01*123456789      *240101*0930*^*00501*000000042*1*T*:~');
    expect(isa.length).toBe(106);
  });

  it('recomputes SE01/SE02 and GE01/IEA01, adds ST/SE to trees built without them', () => {
    const tree = { standard: 'x12' as const, message: '850', version: '004010', root: { loop: '850', children: [
      { tag: 'BEG', elements: ['00', 'SA', 'PO9', '', '20240101'], position: 0 },
      { loop: 'PO1', children: [{ tag: 'PO1', elements: ['1', '5', 'EA', '2.5', '', 'BP', 'ABC', '', ''], position: 0 }] }] } };
    const text = writeInterchange({ delimiters: { element: '*', component: '>', segment: '~' },
      interchange: { senderQualifier: 'ZZ', senderId: 'US', receiverQualifier: 'ZZ', receiverId: 'THEM', date: '240101', time: '1200', controlNumber: 7 },
      groups: [{ group: { functionalId: 'PO', senderCode: 'US', receiverCode: 'THEM', date: '20240101', time: '1200', controlNumber: 7, version: '004010' }, transactions: [{ tree, controlNumber: '0007' }] }] });
    expect(text.slice(106)).toBe('GS*PO*US*THEM*20240101*1200*7*X*004010~ST*850*0007~BEG*00*SA*PO9**20240101~PO1*1*5*EA*2.5**BP*ABC~SE*4*0007~GE*1*7~IEA*1*000000007~');
    expect(parseTransactions(text)[0]?.accepted).toBe(true);
  });

  it('writes components and repetitions with the given separators', () => {
    expect(writeSegment({ tag: 'REF', elements: ['ZZ', ['A', 'B', ''], 'X'], repeats: { 2: ['X', 'Y'] } }, { element: '*', component: ':', repetition: '^', segment: '~' })).toBe('REF*ZZ*A:B*X^Y~');
  });
});

describe('control numbers', () => {
  it('increments and rolls over after the maximum, never issuing 0', () => {
    expect(nextControlNumber(41)).toBe(42);
    expect(nextControlNumber('000000041')).toBe(42);
    expect(nextControlNumber(999_999_999)).toBe(1);
    expect(nextControlNumber(9999, 9999)).toBe(1);
    expect(nextControlNumber(0)).toBe(1);
    expect(nextControlNumber('garbage')).toBe(1);
  });

  it('formats ISA13 as 9 digits and ST02 with at least 4', () => {
    expect(formatIsa13(42)).toBe('000000042');
    expect(formatSt02(7)).toBe('0007');
    expect(formatSt02(123456)).toBe('123456');
  });
});
