import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/mapping/index.ts';
import { loop, memoryOptions, tree } from './helpers.ts';

describe('docs/mapping-language.md examples', () => {
  it('EDIFACT outbound composites, canonical predicates and indexes', async () => {
    const text = [
      'format: edifact', 'message: ORDERS', 'version: D96A', 'direction: outbound', 'document: purchase_order', 'segments:',
      '  - BGM: [["220"], "=poNumber", "9"]',
      '  - DTM: [["137", { path: poDate, as: date }, "102"]]',
      '  - { use: nad, with: { q: BY }, within: buyer }',
      '  - FTX: ["AAI", "", "", ["=lines[lineNumber=2].description", "=buyer.address.lines[1]"]]',
      'templates:',
      '  nad:',
      '    - loop: SG2',
      '      segments:',
      '        - NAD: ["${q}", ["=id", "", "9"], "", ["=name"]]',
      '',
    ].join('\n');
    const m = compileMapping({ file: 'o.yaml', text }, memoryOptions());
    const out = await m.fromCanonical({ poNumber: 'P9', poDate: '2026-11-20', buyer: { id: '5412345000013', name: 'B GMBH', address: { lines: ['A', 'B'] } }, lines: [{ lineNumber: '1', description: 'x' }, { lineNumber: '2', description: 'second' }] });
    expect(out.problems).toEqual([]);
    expect(out.value).toEqual({
      standard: 'edifact', message: 'ORDERS', version: 'D96A',
      root: { loop: 'ORDERS', children: [
        { tag: 'BGM', elements: [['220'], 'P9', '9'], position: 1 },
        { tag: 'DTM', elements: [['137', '20261120', '102']], position: 2 },
        { loop: 'SG2', children: [{ tag: 'NAD', elements: ['BY', ['5412345000013', '', '9'], '', ['B GMBH']], position: 3 }] },
        { tag: 'FTX', elements: ['AAI', '', '', ['second', 'B']], position: 4 },
      ] },
    });
  });

  it('a bare element position reads the context segment inside within:', async () => {
    const head = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\n';
    const m = compileMapping({ file: 'i.yaml', text: `${head}fields:\n  buyer: { within: "N1[01=BY]", name: "02", id: "04" }\n` }, memoryOptions());
    const out = await m.toCanonical(tree('x12', '850', '004010', loop('N1', 'N1*BY*B CO*92*7')));
    expect(out.value).toEqual({ buyer: { name: 'B CO', id: '7' } });
  });
});
