/**
 * A repeated ST02 inside one group is found whether the sender numbers its sets in a run
 * (0001, 0002, 0003 …, kept as first/last) or not (kept one by one): duplicateOf names the ordinal of
 * the first set with that ST02, checked by hand against the set list below.
 */
import { describe, expect, it } from 'vitest';
import { parseX12 } from './reader.ts';
import type { TransactionItem } from './types.ts';

const set = (cn: string) => `ST*850*${cn}~BEG*00*SA*P${cn}**20240315~PO1*1*2*EA*3.5**BP*X1~SE*4*${cn}~`;
const interchange = (cns: string[]) => 'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*ACMESUPPLY     *240315*1030*U*00401*000000101*0*P*>~'
  + `GS*PO*BUYERCO*ACMESUPPLY*20240315*1030*101*X*004010~${cns.map(set).join('')}GE*${cns.length}*101~IEA*1*000000101~`;
const duplicates = (cns: string[]) => parseX12(interchange(cns)).filter((i): i is TransactionItem => i.kind === 'transaction').map((t) => t.transaction.duplicateOf ?? null);

describe('repeated ST02 in a group', () => {
  it('inside a numbered run, after it, and among numbers outside any run', () => {
    // ordinals:     1       2       3       4 (=2)  5       6       7 (=5)  8 (=1)  9      10 (=9)
    expect(duplicates(['0001', '0002', '0003', '0002', '0005', '0004', '0005', '0001', 'A1B2', 'A1B2'])).toEqual([null, null, null, 2, null, null, 5, 1, null, 9]);
  });

  it('the same digits in another width are another ST02', () => {
    expect(duplicates(['0001', '0002', '002', '0002', '2'])).toEqual([null, null, null, 2, null]);
  });

  it('a run of 5,000 numbered sets, then a repeat of its 4,321st', () => {
    const cns = Array.from({ length: 5000 }, (_, i) => String(i + 1).padStart(9, '0'));
    const d = duplicates([...cns, '000004321']);
    expect(d.slice(0, 5000).every((x) => x === null)).toBe(true);
    expect(d[5000]).toBe(4321);
  });
});
