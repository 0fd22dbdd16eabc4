import { describe, expect, it } from 'vitest';
import { compileMapping, formatProblem } from '../../src/mapping/index.ts';
import { loop, memoryOptions, tree } from './helpers.ts';

const partner = [
  'extends: _base/x12-004010-850.inbound.yaml',
  'codeTables:',
  '  uomCodes: { EA: EA, CA: CS }',
  'fields:',
  '  lines:',
  '    fields:',
  '      unitOfMeasure: { path: PO1/03, codes: uomCodes }',
  '',
].join('\n');

function bad850() {
  return tree('x12', '850', '004010',
    'ST*850*0001',
    'BEG*07*SA*PO-9**20261120',
    loop('PO1', 'PO1*1*12x*EA*1.50'),
    loop('PO1', 'PO1*2*3*BX*2'),
    loop('PO1', 'PO1*3**EA*2'),
    'SE*6*0001',
  );
}

describe('run-time problems: the code or value, where in the message, which mapping line', () => {
  it('reports unknown code, unparseable number and missing required value with their locations', async () => {
    const m = compileMapping({ file: 'acme/x12-850.inbound.yaml', text: partner }, memoryOptions());
    const out = await m.toCanonical(bad850());
    expect(out.problems.map(formatProblem)).toEqual([
      '_base/x12-004010-850.inbound.yaml:38:3 unknown_code: purpose: code "07" is not in code table purpose at BEG segment position 2, element 01 (hint: add "07" to the table, or "*": <default> for any other code)',
      '_base/x12-004010-850.inbound.yaml:51:7 invalid_value: lines.quantity: "12x" is not a number at PO1 segment position 3, element 02',
      'acme/x12-850.inbound.yaml:7:7 unknown_code: lines.unitOfMeasure: code "BX" is not in code table uomCodes at PO1 segment position 4, element 03 (hint: add "BX" to the table, or "*": <default> for any other code)',
      '_base/x12-004010-850.inbound.yaml:51:7 required_missing: lines.quantity is required but PO1/02 is empty',
    ]);
    expect(out.problems.map((p) => [p.field, p.pointer])).toEqual([
      ['purpose', '/purpose'],
      ['lines.quantity', '/lines/0/quantity'],
      ['lines.unitOfMeasure', '/lines/1/unitOfMeasure'],
      ['lines.quantity', '/lines/2/quantity'],
    ]);
    // the rest of the document is still mapped, so the pipeline can show everything at once
    expect(out.value).toMatchObject({ poNumber: 'PO-9', poDate: '2026-11-20', lines: [{ lineNumber: '1', unitOfMeasure: 'EA', unitPrice: 1.5 }, { lineNumber: '2', quantity: 3 }, { lineNumber: '3' }] });
  });

  it('a table with "*" maps any other code to its default instead of failing', async () => {
    const text = partner.replace('{ EA: EA, CA: CS }', '{ EA: EA, CA: CS, "*": EA }');
    const m = compileMapping({ file: 'acme/x12-850.inbound.yaml', text }, memoryOptions());
    const out = await m.toCanonical(bad850());
    expect(out.problems.filter((p) => p.rule === 'unknown_code').map((p) => p.field)).toEqual(['purpose']);
    expect((out.value as { lines: Array<{ unitOfMeasure?: string }> }).lines[1]?.unitOfMeasure).toBe('EA');
  });

  it('a required field with no segment at all', async () => {
    const m = compileMapping({ file: 'acme/x12-850.inbound.yaml', text: partner }, memoryOptions());
    const out = await m.toCanonical(tree('x12', '850', '004010', 'ST*850*0001', 'SE*2*0001'));
    expect(out.problems.map(formatProblem)).toEqual([
      '_base/x12-004010-850.inbound.yaml:36:3 required_missing: poNumber is required but BEG/03 is empty',
      '_base/x12-004010-850.inbound.yaml:37:3 required_missing: poDate is required but BEG/05 is empty',
      'acme/x12-850.inbound.yaml:5:3 required_missing: lines is required but PO1 matched nothing',
    ]);
  });
});
