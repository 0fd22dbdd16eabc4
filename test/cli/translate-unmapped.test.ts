/**
 * `edigw translate --unmapped`: the elements of an X12 input no mapping rule read, grouped by
 * segment/qualifier/position with counts. Expected list written by hand from the 004010 850 base
 * mapping (it reads BEG 01/03/05, PO1 01-04 and the BP/VP/UP/IN/CB/... pairs, CTT 01, PID*F/X 05).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-unmapped-'));
mkdirSync(path.join(dir, 'partners'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edigw translate --unmapped', () => {
  it('lists what the base 850 mapping does not read, with counts and an example', async () => {
    const segs = ['ST*850*0001', 'BEG*00*SA*PO-1**20261120', 'REF*DP*038', 'PO1*1*24*EA*12.50*TE*BP*WID-100*ZZ*X1', 'PO1*2*5*EA*3.00*TE*BP*WID-200', 'CTT*2'];
    const text = `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000501*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261120*1030*51*X*004010~\n${[...segs, `SE*${segs.length + 1}*0001`].join('~\n')}~\nGE*1*51~\nIEA*1*000000501~\n`;
    writeFileSync(path.join(dir, 'po.edi'), text);
    const out: string[] = []; const err: string[] = [];
    const code = await runCli(['translate', '--unmapped', path.join(dir, 'po.edi')], { out: (t) => out.push(t), err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_DATABASE_URL: path.join(dir, 'none.db') }, cwd: dir });
    expect(code).toBe(0);
    const [doc] = JSON.parse(out.join('\n'));
    expect(doc).toMatchObject({ document: 1, message: '850', mappingFile: '_base/x12-004010-850.inbound.yaml' });
    expect(doc.unmapped).toEqual([
      { path: 'PO1/05', count: 2, example: 'TE' },              // PO105 basis of unit price code
      { path: 'BEG/02', count: 1, example: 'SA' },              // BEG02 purchase order type code
      { path: 'PO1/08~ZZ', count: 1, example: 'X1' },           // PO108 ZZ / PO109 X1: a product id under a qualifier nobody maps
      { path: 'REF[01=DP]/01', count: 1, example: 'DP' },
      { path: 'REF[01=DP]/02', count: 1, example: '038' },      // department number
    ]);
    expect(err.join('\n')).toContain("po.edi (document 1, _base/x12-004010-850.inbound.yaml): PO1/05 not mapped: 2x (e.g. 'TE')");
  });
});
