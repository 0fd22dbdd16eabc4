import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/index.ts';
import { loop, memoryOptions, tree } from './helpers.ts';

const HEAD = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\n';

/** Maps `doc` with a fields: block and returns the canonical value. */
async function mapWith(fields: string, doc = sample()): Promise<Record<string, unknown>> {
  const m = compileMapping({ file: 't.yaml', text: `${HEAD}fields:\n${fields}` }, memoryOptions());
  const out = await m.toCanonical(doc);
  expect(out.problems).toEqual([]);
  return out.value as Record<string, unknown>;
}

function sample() {
  return tree('x12', '850', '004010',
    'ST*850*0001',
    'BEG*00*SA*PO1**20260102',
    'REF*DP*038',
    'REF*IA*VEND-1',
    'DTM*010*20260105',
    'DTM*002*20260110',
    loop('N1', 'N1*BT*BILL CO*92*B1'),
    loop('N1', 'N1*ST*STORE 9*92*S9', 'N3*1 MAIN', 'N4*AKRON*OH*44301'),
    loop('N1', 'N1*ST*STORE 7*91*S7'),
    loop('PO1', 'PO1*1*5*EA*2**VP*V1*UP*012345678905', 'REF*ZZ*note:with:parts', loop('PID', 'PID*S****SKIP', 'MEA'), loop('PID', 'PID*F****FIRST LINE')),
    loop('PO1', 'PO1*2*1*EA*3**EN*4006381333931'),
    'SE*12*0001',
  );
}

describe('segment paths', () => {
  it('SEG/NN takes an element of the first matching segment', async () => {
    expect(await mapWith('  poNumber: BEG/03\n')).toEqual({ poNumber: 'PO1' });
  });

  it('predicates: [01=X], alternatives [01=X|Y], several predicates = and, != ', async () => {
    const v = await mapWith([
      '  paymentTerms: "REF[01=IA]/02"',
      '  poNumber: "REF[01=XX|DP]/02"',
      '  requestedDeliveryDate: { path: "DTM[01!=010]/02", as: date }',
      '  shipTo: { within: "N1[01=ST][03=91]", name: N1/02 }',
      '',
    ].join('\n'));
    expect(v).toEqual({ paymentTerms: 'VEND-1', poNumber: '038', requestedDeliveryDate: '2026-01-10', shipTo: { name: 'STORE 7' } });
  });

  it('a loop step tests its trigger segment; an element of a loop is its trigger\'s element', async () => {
    expect(await mapWith('  poNumber: "N1[01=ST]/04"\n  paymentTerms: "N1[01=ST]/N4/01"\n')).toEqual({ poNumber: 'S9', paymentTerms: 'AKRON' });
  });

  it('** searches any depth', async () => {
    expect(await mapWith('  paymentTerms: "**/PID[01=F]/05"\n  poNumber: "**/REF[01=ZZ]/02"\n')).toEqual({ paymentTerms: 'FIRST LINE', poNumber: 'note' });
  });

  it('a component: /NN/MM', async () => {
    expect(await mapWith('  poNumber: "**/REF[01=ZZ]/02/03"\n')).toEqual({ poNumber: 'parts' });
  });

  it('qualifier pair ~Q scans NN, NN+2, ... and takes the element after the qualifier', async () => {
    const v = await mapWith([
      '  lines:',
      '    each: PO1',
      '    fields:',
      '      quantity: { path: PO1/02, as: number }',
      '      vendorPartNumber: "PO1/06~VP"',
      '      gtin: ["PO1/06~UP", "PO1/06~EN"]',
      '      buyerPartNumber: "PO1/06~BP"',
      '',
    ].join('\n'));
    expect(v.lines).toEqual([
      { quantity: 5, vendorPartNumber: 'V1', gtin: '012345678905' },
      { quantity: 1, gtin: '4006381333931' },
    ]);
  });

  it('a leading / reads from the message root inside an each', async () => {
    const v = await mapWith('  lines:\n    each: PO1\n    fields:\n      quantity: { path: PO1/02, as: number }\n      description: /BEG/03\n');
    expect(v.lines).toEqual([{ quantity: 5, description: 'PO1' }, { quantity: 1, description: 'PO1' }]);
  });

  it('a list of paths into an array field collects the non-empty values; a single path collects from every match', async () => {
    const v = await mapWith('  shipTo:\n    within: "N1[01=ST]"\n    address: { lines: [N3/01, N3/02, N4/01] }\n  billTo:\n    address: { lines: "**/N1/02" }\n');
    expect(v).toEqual({ shipTo: { address: { lines: ['1 MAIN', 'AKRON'] } }, billTo: { address: { lines: ['BILL CO', 'STORE 9', 'STORE 7'] } } });
  });

  it('a missing segment or element yields no field (not an empty string)', async () => {
    expect(await mapWith('  poNumber: BEG/04\n  currency: CUR/02\n  paymentTerms: "N1[01=ZZ]/02"\n')).toEqual({});
  });
});
