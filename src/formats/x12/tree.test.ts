import { describe, expect, it } from 'vitest';
import type { Loop, WireNode } from '../wire.ts';
import { createGrammarRegistry } from './grammars/index.ts';
import { parseTransactions } from './reader.ts';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~';
const wrap = (body: string[], gs08 = '004010', id = '850'): string =>
  `${ISA}GS*PO*SENDER*RECEIVER*20240101*1200*1*X*${gs08}~ST*${id}*0001~${body.join('~')}~SE*${body.length + 2}*0001~GE*1*1~IEA*1*000000001~`;

/** loop structure as nested arrays of tags, e.g. ['ST', 'BEG', ['N1', 'N3']] */
function shape(n: WireNode): unknown {
  if ('tag' in n) return n.tag;
  return { [n.loop]: (n as Loop).children.map(shape) };
}

describe('grammar registry', () => {
  it('maps GS08 versions to the nearest shipped grammar', () => {
    const r = createGrammarRegistry();
    expect(r.find('850', '004010VICS')?.version).toBe('004010');
    expect(r.find('850', '003040')?.version).toBe('004010');
    expect(r.find('856', '004060')?.version).toBe('004010');
    expect(r.find('810', '005010')?.version).toBe('005010');
    expect(r.find('855', '005010X999')?.version).toBe('005010');
    expect(r.find('999', '005010X231A1')?.message).toBe('999');
    expect(r.find('271', '005010X279A1')).toBeUndefined();
  });
});

describe('tree building', () => {
  it('nests 850 N1, PO1 and PO1 subloops (PID, SCH, N1) and the CTT summary', () => {
    const [t] = parseTransactions(wrap(['BEG*00*SA*P1**20240101', 'N1*ST*DC', 'N3*1 MAIN ST', 'N4*CITY*OH*43215',
      'PO1*1*2*EA*3.5**BP*X1', 'PID*F****WIDGET', 'SCH*2*EA***002*20240110', 'N1*ST*STORE 9', 'PO1*2*1*EA*4**BP*X2', 'CTT*2']));
    expect(t?.errors).toEqual([]);
    expect(shape(t!.tree.root)).toEqual({ 850: ['ST', 'BEG', { N1: ['N1', 'N3', 'N4'] },
      { PO1: ['PO1', { PID: ['PID'] }, { SCH: ['SCH'] }, { N1: ['N1'] }] }, { PO1: ['PO1'] }, { CTT: ['CTT'] }, 'SE'] });
  });

  it('builds the 856 HL hierarchy from HL02 parent links, not position', () => {
    // item 4 (parent 2) appears after order 3: position would put it under 3
    const [t] = parseTransactions(wrap(['BSN*00*S1*20240101*1200', 'HL*1**S', 'TD1*CTN25*1', 'HL*2*1*O', 'PRF*PO1', 'HL*3*1*O', 'PRF*PO2',
      'HL*4*2*I', 'LIN**BP*A', 'SN1**1*EA', 'HL*5*3*I', 'LIN**BP*B', 'SN1**2*EA', 'CTT*5'], '004010', '856'));
    expect(t?.errors).toEqual([]);
    expect(shape(t!.tree.root)).toEqual({ 856: ['ST', 'BSN',
      { HL: ['HL', 'TD1', { HL: ['HL', 'PRF', { HL: ['HL', 'LIN', 'SN1'] }] }, { HL: ['HL', 'PRF', { HL: ['HL', 'LIN', 'SN1'] }] }] }, 'CTT', 'SE'] });
    const order1 = ((t!.tree.root.children[2] as Loop).children[2] as Loop);
    expect((order1.children[2] as Loop).children[0]).toMatchObject({ tag: 'HL', elements: ['4', '2', 'I'] });
  });

  it('reports an HL02 naming no earlier HL01', () => {
    const [t] = parseTransactions(wrap(['BSN*00*S1*20240101*1200', 'HL*1**S', 'HL*2*9*O', 'CTT*2'], '004010', '856'));
    expect(t?.errors[0]).toMatchObject({ error: 'x12_hl_parent_unknown', segment: 'HL', segmentPosition: 4, elementPosition: 2, found: '9' });
  });

  it('reports segment errors with AK3 codes: unrecognized, not in set, out of sequence, mandatory missing, over max', () => {
    const [t] = parseTransactions(wrap(['CUR*BY*USD', 'BEG*00*SA*P1**20240101', 'ZZZ*1', 'B2*X', 'PO1*1*2*EA*3.5**BP*X1', 'CTT*1', 'CTT*1']));
    const seg = t!.errors.filter((e) => e.level === 'segment').map((e) => `${e.segment}@${e.segmentPosition}:${e.code}`);
    expect(seg).toEqual(['BEG@3:7', 'ZZZ@4:6', 'B2@5:6', 'CTT@8:4']);
    const [u] = parseTransactions(wrap(['PO1*1*2*EA*3.5**BP*X1']));
    expect(u!.errors.filter((e) => e.level === 'segment').map((e) => `${e.segment}:${e.code}`)).toEqual(['BEG:3']);
    const [v] = parseTransactions(wrap(['BEG*00*SA*P1**20240101', 'PO1*1*2*EA*3.5**BP*X1', 'LOWER*1']));
    expect(v!.errors.find((e) => e.level === 'segment')).toMatchObject({ code: '1', segment: 'LOWER', error: 'x12_unrecognized_segment' });
    expect(t?.accepted).toBe(false);
    expect(t?.errors.find((e) => e.level === 'transaction')?.code).toBe('5');
  });

  it('reports element errors with AK4 codes: mandatory, type, date, time, length, too many', () => {
    const [t] = parseTransactions(wrap(['BEG*00*SA*THIS-PO-NUMBER-IS-TOO-LONG**20241301', 'DTM*002*20240101*2561', 'N1**NO CODE',
      'PO1*1*TWO*EA*3.5**BP*X1', 'CTT*1*1*1*LB*1*CF*TEXT*EXTRA']));
    const el = t!.errors.filter((e) => e.level === 'element').map((e) => `${e.segment}${String(e.elementPosition).padStart(2, '0')}:${e.code}`);
    expect(el).toEqual(['BEG03:5', 'BEG05:8', 'DTM03:9', 'N101:1', 'PO102:6', 'CTT08:3']);
    expect(t!.errors.find((e) => e.segment === 'BEG' && e.code === '8')).toMatchObject({ elementReference: '373', found: '20241301', segmentPosition: 2 });
  });

  it('keeps unsupported sets as a flat tree', () => {
    const [t] = parseTransactions(wrap(['B3**1*2*PP', 'LX*1'], '004010', '210'));
    expect(t?.supported).toBe(false);
    expect(shape(t!.tree.root)).toEqual({ 210: ['ST', 'B3', 'LX', 'SE'] });
    expect(t?.accepted).toBe(true);
  });
});
