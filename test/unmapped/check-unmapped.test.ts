/**
 * `edigw check --unmapped`: the unmapped report over the fixtures' X12/EDIFACT inputs, printed per
 * fixture; `--unmapped=strict` fails the check on undeclared elements, plain `--unmapped` does not.
 * The fixture's expected document is written by hand from the base 850 (BEG03/05, PO1 01-04, BP pair).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-check-unmapped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const segs = ['ST*850*0001', 'BEG*00*SA*PO-7**20261120', 'PO1*1*2*EA*3.50**BP*W-1*ZZ*X1', 'CTT*1'];
const x12 = `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000701*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261120*1030*71*X*004010~\n${[...segs, `SE*${segs.length + 1}*0001`].join('~\n')}~\nGE*1*71~\nIEA*1*000000701~\n`;
const expected = [{ type: 'purchase_order', document: { poNumber: 'PO-7', poDate: '2026-11-20', purpose: 'original', lines: [{ lineNumber: '1', quantity: 2, unitOfMeasure: 'EA', unitPrice: 3.5, buyerPartNumber: 'W-1' }], totals: { lineCount: 1 } } }];

mkdirSync(path.join(dir, 'partners'));
mkdirSync(path.join(dir, 'fixtures/x12-004010/po-with-zz'), { recursive: true });
writeFileSync(path.join(dir, 'fixtures/x12-004010/po-with-zz/input.edi'), x12);
writeFileSync(path.join(dir, 'fixtures/x12-004010/po-with-zz/expected.json'), JSON.stringify(expected));

async function check(...flags: string[]) {
  const out: string[] = [];
  const code = await runCli(['check', '--quiet', '--fixtures', path.join(dir, 'fixtures'), ...flags], { out: (t) => out.push(t), err: () => {}, env: { EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings') }, cwd: dir });
  return { code, out: out.join('\n') };
}

describe('edigw check --unmapped', () => {
  it('lists the undeclared elements per fixture; only =strict fails on them', async () => {
    const listed = await check('--unmapped');
    expect(listed.out).toContain('fixtures: 1 of 1 passed, 0 failed');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('unmapped data (X12/EDIFACT inputs): 1 fixture(s), 1 set(s), 1 element(s) undeclared, 1 declared (ignore:)');
    expect(listed.out).toContain("  x12-004010/po-with-zz (document 1, _base/x12-004010-850.inbound.yaml): PO1/08~ZZ not mapped: 1x (e.g. 'X1')");
    const strict = await check('--unmapped=strict');
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('--unmapped=strict: 1 undeclared element(s) fail the check');
  });
});
