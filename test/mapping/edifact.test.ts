import { describe, expect, it } from 'vitest';
import type { ElementDef, MessageGrammar } from '../../src/formats/grammar.ts';
import { compileMapping, formatProblem, MappingCompileError } from '../../src/mapping/index.ts';
import { loop, memoryOptions, seg, tree } from './helpers.ts';

const e = (id: string, ...components: string[]): ElementDef => ({ id, name: id, ...(components.length ? { components: components.map((c) => ({ id: c, name: c })) } : {}) });

/** ORDERS D96A, the segments and groups this test uses, element ids as in the D96A directory. */
const ORDERS_D96A: MessageGrammar = {
  standard: 'edifact',
  message: 'ORDERS',
  version: 'D96A',
  name: 'Purchase order message',
  children: [
    { segment: 'UNH' }, { segment: 'BGM' }, { segment: 'DTM', max: 35 }, { segment: 'CUX' },
    { loop: 'SG2', max: 99, children: [{ segment: 'NAD' }] },
    { loop: 'SG25', max: 200000, children: [{ segment: 'LIN' }, { segment: 'PIA', max: 25 }, { segment: 'QTY', max: 99 }, { loop: 'SG28', children: [{ segment: 'PRI' }] }] },
    { segment: 'UNS' }, { segment: 'CNT' }, { segment: 'UNT' },
  ],
  segments: {
    UNH: { tag: 'UNH', name: 'Message header', elements: [e('0062'), e('S009', '0065', '0052', '0054', '0051', '0057')] },
    BGM: { tag: 'BGM', name: 'Beginning of message', elements: [e('C002', '1001', '1131', '3055', '1000'), e('1004'), e('1225'), e('4343')] },
    DTM: { tag: 'DTM', name: 'Date/time/period', elements: [e('C507', '2005', '2380', '2379')] },
    CUX: { tag: 'CUX', name: 'Currencies', elements: [e('C504', '6347', '6345', '6343', '6348'), e('C504', '6347', '6345', '6343', '6348'), e('5402'), e('6341')] },
    NAD: { tag: 'NAD', name: 'Name and address', elements: [e('3035'), e('C082', '3039', '1131', '3055'), e('C058', '3124', '3124', '3124', '3124', '3124'),
      e('C080', '3036', '3036', '3036', '3036', '3036', '3045'), e('C059', '3042', '3042', '3042', '3042'), e('3164'), e('C819', '3229', '1131', '3055', '3228'), e('3251'), e('3207')] },
    LIN: { tag: 'LIN', name: 'Line item', elements: [e('1082'), e('1229'), e('C212', '7140', '7143', '1131', '3055')] },
    PIA: { tag: 'PIA', name: 'Additional product id', elements: [e('4347'), e('C212', '7140', '7143', '1131', '3055')] },
    QTY: { tag: 'QTY', name: 'Quantity', elements: [e('C186', '6063', '6060', '6411')] },
    PRI: { tag: 'PRI', name: 'Price details', elements: [e('C509', '5125', '5118', '5375', '5387', '5284', '6411')] },
    UNS: { tag: 'UNS', name: 'Section control', elements: [e('0081')] },
    CNT: { tag: 'CNT', name: 'Control total', elements: [e('C270', '6069', '6066')] },
    UNT: { tag: 'UNT', name: 'Message trailer', elements: [e('0074'), e('0062')] },
  },
};

function orders() {
  return tree('edifact', 'ORDERS', 'D96A',
    'UNH*1*ORDERS:D:96A:UN:EAN008',
    'BGM*220*PO-77*9',
    'DTM*137:20261120:102',
    'DTM*2:20261201:102',
    'CUX*2:EUR:9',
    loop('SG2', 'NAD*BY*5412345000013::9**BUYER GMBH*HAUPTSTR 1*BERLIN**10115*DE'),
    loop('SG2', 'NAD*SU*4012345500004::9'),
    loop('SG25', 'LIN*1**4000862141404:EN', 'PIA*1*ABC-1:SA', 'QTY*21:48:PCE', loop('SG28', 'PRI*AAA:12.50')),
    loop('SG25', 'LIN*2**4000862141411:EN', 'QTY*21:6:KGM', loop('SG28', 'PRI*AAA:3')),
    'UNS*S',
    'CNT*2:2',
    'UNT*14*1',
  );
}

const HEAD = 'format: edifact\nmessage: ORDERS\nversion: D96A\ndirection: inbound\ndocument: purchase_order\n';
const BY_IDS = [
  'fields:',
  '  poNumber: BGM/1004',
  '  poDate: { path: "DTM[C507/2005=137]/C507/2380", as: date }',
  '  requestedDeliveryDate: { path: "DTM[C507/2005=2]/C507/2380", as: date }',
  '  currency: { path: "CUX[C504/6347=2]/C504/6345", as: currency }',
  '  purpose: { path: BGM/1225, codes: { "9": original, "5": change, "4": change, "1": cancel } }',
  '  buyer:',
  '    within: "SG2[3035=BY]"',
  '    id: C082/3039',
  '    idQualifier: C082/3055',
  '    name: NAD/C080/3036',
  '    address: { lines: [NAD/C059/3042], city: NAD/3164, postalCode: NAD/3251, country: NAD/3207 }',
  '  seller: { within: "SG2[3035=SU|SE]", id: NAD/C082/3039 }',
  '  lines:',
  '    each: SG25',
  '    fields:',
  '      lineNumber: LIN/1082',
  '      gtin: "LIN[C212/7143=EN]/C212/7140"',
  '      vendorPartNumber: "PIA[C212/7143=SA]/C212/7140"',
  '      quantity: { path: "QTY[C186/6063=21]/C186/6060", as: number }',
  '      unitOfMeasure: { path: QTY/C186/6411, as: uom }',
  '      unitPrice: { path: "SG28/PRI[C509/5125=AAA]/C509/5118", as: number }',
  '  totals: { lineCount: { path: "CNT[C270/6069=2]/C270/6066", as: integer } }',
  '',
].join('\n');

const expected = {
  poNumber: 'PO-77', poDate: '2026-11-20', requestedDeliveryDate: '2026-12-01', currency: 'EUR', purpose: 'original',
  buyer: { id: '5412345000013', idQualifier: '9', name: 'BUYER GMBH', address: { lines: ['HAUPTSTR 1'], city: 'BERLIN', postalCode: '10115', country: 'DE' } },
  seller: { id: '4012345500004' },
  lines: [
    { lineNumber: '1', gtin: '4000862141404', vendorPartNumber: 'ABC-1', quantity: 48, unitOfMeasure: 'PCE', unitPrice: 12.5 },
    { lineNumber: '2', gtin: '4000862141411', quantity: 6, unitOfMeasure: 'KGM', unitPrice: 3 },
  ],
  totals: { lineCount: 2 },
};

describe('EDIFACT paths', () => {
  it('element and component ids resolve through the grammar (NAD[3035=BY]/C080/3036)', async () => {
    const m = compileMapping({ file: 'e.yaml', text: HEAD + BY_IDS }, memoryOptions({}, () => ORDERS_D96A));
    const out = await m.toCanonical(orders());
    expect(out.problems).toEqual([]);
    expect(out.value).toEqual(expected);
  });

  it('the same mapping written with positions needs no grammar', async () => {
    const positional = BY_IDS.replace('BGM/1004', 'BGM/02')
      .replace('"DTM[C507/2005=137]/C507/2380"', '"DTM[01/01=137]/01/02"').replace('"DTM[C507/2005=2]/C507/2380"', '"DTM[01/01=2]/01/02"')
      .replace('"CUX[C504/6347=2]/C504/6345"', '"CUX[01/01=2]/01/02"').replace('BGM/1225', 'BGM/03')
      .replace('"SG2[3035=BY]"', '"SG2[01=BY]"').replace('id: C082/3039', 'id: 02/01').replace('C082/3055', '02/03')
      .replace('NAD/C080/3036', 'NAD/04/01').replace('[NAD/C059/3042]', '[NAD/05/01]').replace('NAD/3164', 'NAD/06').replace('NAD/3251', 'NAD/08').replace('NAD/3207', 'NAD/09')
      .replace('"SG2[3035=SU|SE]", id: NAD/C082/3039', '"SG2[01=SU|SE]", id: NAD/02/01')
      .replace('LIN/1082', 'LIN/01').replace('"LIN[C212/7143=EN]/C212/7140"', '"LIN[03/02=EN]/03/01"').replace('"PIA[C212/7143=SA]/C212/7140"', '"PIA[02/02=SA]/02/01"')
      .replace('"QTY[C186/6063=21]/C186/6060"', '"QTY[01/01=21]/01/02"').replace('QTY/C186/6411', 'QTY/01/03')
      .replace('"SG28/PRI[C509/5125=AAA]/C509/5118"', '"SG28/PRI[01/01=AAA]/01/02"').replace('"CNT[C270/6069=2]/C270/6066"', '"CNT[01/01=2]/01/02"');
    const m = compileMapping({ file: 'e.yaml', text: HEAD + positional }, memoryOptions());
    expect((await m.toCanonical(orders())).value).toEqual(expected);
  });

  it('an id the segment does not have names the segment, the id, and what it has', () => {
    const text = `${HEAD}fields:\n  poNumber: BGM/1005\n  buyer: { within: "SG2[3035=BY]", name: NAD/C080/3037 }\n  currency: "CUX/6345"\n  lines: { each: SG25, fields: { quantity: { path: "QTY/C186/6060", as: number } } }\n  paymentTerms: "FTX/4440"\n`;
    try {
      compileMapping({ file: 'e.yaml', text }, memoryOptions({}, () => ORDERS_D96A));
      expect.unreachable();
    } catch (err) {
      expect((err as MappingCompileError).problems.map(formatProblem)).toEqual([
        'e.yaml:7:13 not_in_grammar: path "BGM/1005": BGM has no element 1005 in ORDERS D96A (hint: BGM has C002, 1004, 1225, 4343)',
        'e.yaml:8:42 not_in_grammar: path "NAD/C080/3037": NAD/C080 has no component 3037 in ORDERS D96A (hint: NAD/C080 has 3036, 3036, 3036, 3036, 3036, 3045)',
        'e.yaml:9:13 not_in_grammar: path "CUX/6345": CUX has no element 6345 in ORDERS D96A (hint: CUX has C504, C504, 5402, 6341)',
        'e.yaml:11:17 not_in_grammar: path "FTX/4440": segment FTX is not in the grammar of ORDERS D96A (hint: did you mean DTM?)',
      ]);
    }
  });
});

describe('wire tree helper', () => {
  it('splits composites like a reader', () => {
    expect(seg('NAD*BY*5412345000013::9').elements).toEqual(['BY', ['5412345000013', '', '9']]);
  });
});
