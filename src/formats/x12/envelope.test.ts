import { describe, expect, it } from 'vitest';
import { parseX12 } from './reader.ts';
import type { GroupEndItem, InterchangeEndItem, TransactionItem, X12Item } from './types.ts';

const ISA = (cn = '000000001', ack = '0'): string => `ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*${cn}*${ack}*P*>~`;
const GS = (cn = '1'): string => `GS*PO*SENDER*RECEIVER*20240101*1200*${cn}*X*004010~`;
/** a valid 850 with 4 segments */
const PO = (cn: string, se = '4', se02 = cn): string => `ST*850*${cn}~BEG*00*SA*PO${cn}**20240101~PO1*1*2*EA*3.5**BP*X1~SE*${se}*${se02}~`;

const sets = (items: X12Item[]): TransactionItem[] => items.filter((i): i is TransactionItem => i.kind === 'transaction');
const groupEnd = (items: X12Item[]): GroupEndItem | undefined => items.find((i): i is GroupEndItem => i.kind === 'group_end');
const icEnd = (items: X12Item[]): InterchangeEndItem | undefined => items.find((i): i is InterchangeEndItem => i.kind === 'interchange_end');
const codes = (errors: Array<{ level: string; code: string }>): string[] => errors.map((e) => `${e.level}:${e.code}`);

describe('envelope validation', () => {
  it('accepts a well-formed interchange without findings', () => {
    const items = parseX12(ISA() + GS() + PO('0001') + 'GE*1*1~IEA*1*000000001~');
    expect(items.flatMap((i) => ('errors' in i ? i.errors : []))).toEqual([]);
    expect(sets(items)[0]?.accepted).toBe(true);
  });

  it('reports SE01 count and SE02 mismatches on the set (AK5 4 and 3), the good set stays accepted', () => {
    const items = parseX12(ISA() + GS() + PO('0001') + PO('0002', '9') + PO('0003', '4', '0999') + 'GE*3*1~IEA*1*000000001~');
    const [a, b, c] = sets(items);
    expect(a?.accepted).toBe(true);
    expect(b?.accepted).toBe(false);
    expect(b?.errors[0]).toMatchObject({ error: 'x12_segment_count_mismatch', level: 'transaction', code: '4', segment: 'SE', segmentPosition: 4, elementPosition: 1, expected: '4', found: '9', transactionControlNumber: '0002', groupControlNumber: '1', interchangeControlNumber: '000000001' });
    expect(c?.errors[0]).toMatchObject({ error: 'x12_transaction_control_number_mismatch', code: '3', expected: '0003', found: '0999' });
    expect(groupEnd(items)?.transactions.map((t) => t.accepted)).toEqual([true, false, false]);
    expect(groupEnd(items)?.errors).toEqual([]);
  });

  it('reports a missing SE (AK5 2) and keeps reading the next set', () => {
    const items = parseX12(ISA() + GS() + 'ST*850*0001~BEG*00*SA*PO1**20240101~PO1*1*2*EA*3.5**BP*X1~' + PO('0002') + 'GE*2*1~IEA*1*000000001~');
    const [a, b] = sets(items);
    expect(codes(a?.errors ?? [])).toEqual(['transaction:2']);
    expect(b?.accepted).toBe(true);
  });

  it('reports GE01 count, GE02 control number (AK9 5 and 4) and a missing GE (AK9 3)', () => {
    let items = parseX12(ISA() + GS('7') + PO('0001') + 'GE*2*8~IEA*1*000000001~');
    expect(codes(groupEnd(items)?.errors ?? [])).toEqual(['group:5', 'group:4']);
    items = parseX12(ISA() + GS('7') + PO('0001') + 'IEA*1*000000001~');
    expect(groupEnd(items)?.errors[0]).toMatchObject({ error: 'x12_ge_missing', code: '3', groupControlNumber: '7' });
    expect(sets(items)[0]?.accepted).toBe(true);
  });

  it('reports IEA01 count and IEA02 control number (TA1 021 and 001)', () => {
    const items = parseX12(ISA('000000123') + GS() + PO('0001') + 'GE*1*1~IEA*2*000000124~');
    expect(icEnd(items)?.errors.map((e) => [e.code, e.error])).toEqual([['021', 'x12_group_count_mismatch'], ['001', 'x12_interchange_control_number_mismatch']]);
  });

  it('reports a truncated file: premature end (TA1 023), missing GE and SE', () => {
    const full = ISA() + GS() + PO('0001');
    const items = parseX12(full.slice(0, full.length - 12)); // cut inside PO1
    expect(sets(items)[0]?.errors.map((e) => e.code)).toContain('2');
    expect(groupEnd(items)?.errors.map((e) => e.code)).toEqual(['3']);
    expect(icEnd(items)?.errors.map((e) => e.code)).toEqual(['023']);
  });

  it('reports garbage after IEA without losing the interchange', () => {
    const items = parseX12(ISA() + GS() + PO('0001') + 'GE*1*1~IEA*1*000000001~\nTHIS IS NOT EDI\n');
    expect(sets(items)[0]?.accepted).toBe(true);
    const g = items.find((i) => i.kind === 'garbage');
    expect(g).toMatchObject({ kind: 'garbage', errors: [{ error: 'x12_garbage', found: 'THIS IS NOT EDI\n'.replace('\n', '.') }] });
  });

  it('reports a corrupt ISA (field widths, bad values) with TA1 codes', () => {
    const bad = 'ISA*00*          *00*          *ZZ*SENDER*ZZ*RECEIVER       *241301*1299*U*00401*00001*2*X*>~';
    const items = parseX12(bad + GS() + PO('0001') + 'GE*1*1~IEA*1*00001~');
    const start = items[0];
    expect(start?.kind).toBe('interchange_start');
    expect(start?.kind === 'interchange_start' && start.errors.map((e) => `${e.code}@${e.elementPosition}`)).toEqual(['006@6', '014@9', '015@10', '018@13', '019@14', '020@15']);
    expect(sets(items)[0]?.accepted).toBe(true); // delimiters still found: the set is read
  });

  it('reports an invalid segment terminator after ISA16 and skips the interchange', () => {
    const items = parseX12('ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>AGS*PO');
    expect(icEnd(items)?.errors.map((e) => e.code)).toContain('004');
    expect(sets(items)).toEqual([]);
  });

  it('never throws or hangs on binary junk, and finds an interchange after it', () => {
    let seed = 42;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed & 0xff; };
    const junk = Buffer.from(Array.from({ length: 20000 }, rnd));
    const good = Buffer.from(ISA() + GS() + PO('0001') + 'GE*1*1~IEA*1*000000001~', 'latin1');
    const items = parseX12(Buffer.concat([junk, good]));
    expect(items[0]?.kind).toBe('garbage');
    expect(sets(items).map((t) => t.accepted)).toEqual([true]);
    for (let i = 0; i < 30; i++) expect(() => parseX12(Buffer.from(Array.from({ length: 3000 }, rnd)))).not.toThrow();
    expect(() => parseX12(Buffer.concat([good.subarray(0, 50), junk.subarray(0, 500)]))).not.toThrow();
  });

  it('reports a transaction set outside a group (AK5 18)', () => {
    const items = parseX12(ISA() + PO('0001') + 'IEA*0*000000001~');
    expect(sets(items)[0]?.errors[0]).toMatchObject({ code: '18', error: 'x12_st_outside_group' });
  });

  it('marks a repeated ST02 within a group, GS06 within an interchange and ISA13 within the input (the duplicate policy decides, not the reader)', () => {
    const items = parseX12(ISA() + GS() + PO('0001') + PO('0001') + 'GE*2*1~' + GS() + PO('0001') + 'GE*1*1~IEA*2*000000001~' + ISA() + GS() + PO('0001') + 'GE*1*1~IEA*1*000000001~');
    const t = items.filter((i) => i.kind === 'transaction');
    expect(t.map((i) => [i.interchange.index, i.interchange.duplicateOf, i.group?.ordinal, i.group?.duplicateOf, i.transaction.ordinal, i.transaction.duplicateOf])).toEqual([
      [1, undefined, 1, undefined, 1, undefined],
      [1, undefined, 1, undefined, 2, 1],
      [1, undefined, 2, 1, 1, undefined],
      [2, 1, 1, undefined, 1, undefined],
    ]);
    expect(t.every((i) => i.accepted)).toBe(true);
  });

  it('counts a TA1 in IEA01 or not, and returns it on interchange_end', () => {
    const text = `${ISA()}TA1*000000050*240101*1200*A*000~IEA*1*000000001~`;
    const end = icEnd(parseX12(text));
    expect(end?.errors).toEqual([]);
    expect(end?.ta1[0]?.elements).toEqual(['000000050', '240101', '1200', 'A', '000']);
  });
});

describe('bounded memory on unterminated input', () => {
  it('reports a run without terminator as garbage instead of buffering it', async () => {
    const { createSegmentTokenizer } = await import('./tokenizer.ts');
    const garbage: number[] = [];
    const tok = createSegmentTokenizer({ isa() {}, segment() {}, garbage(_o, len) { garbage.push(len); } }, { maxSegment: 1000 });
    tok.push(ISA());
    for (let i = 0; i < 10; i++) tok.push('X'.repeat(500));
    tok.push(ISA('000000002'));
    tok.end();
    expect(garbage.length).toBe(1);
    expect(garbage[0]).toBeGreaterThanOrEqual(1000);
  });
});
