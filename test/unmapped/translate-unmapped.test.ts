/**
 * `edigw translate --unmapped`: the elements of an X12 or EDIFACT input no mapping rule read,
 * undeclared apart from what the base mapping's ignore: drops on purpose. Expected lists written by
 * hand from the base mappings (850 004010: BEG 01/03/05, PO1 01-04 and the BP/VP/UP/IN/CB/... pairs,
 * CTT 01; ignore: BEG/02, REF, PO1/05; ORDERS D96A: BGM 1004/1225, DTM 137 2380, NAD, LIN IN,
 * QTY 21; ignore: DTM 2379, BGM 1001, FTX) and the standards (RFF 1153 ZZZ mutually defined).
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

async function run(args: string[]) {
  const out: string[] = []; const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_DATABASE_URL: path.join(dir, 'none.db') }, cwd: dir }).catch((e: Error & { exitCode?: number }) => { err.push(e.message); return e.exitCode ?? -1; });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('edigw translate --unmapped', () => {
  it('X12 850: undeclared drops apart from those the base mapping declares, with counts and examples', async () => {
    const segs = ['ST*850*0001', 'BEG*00*SA*PO-1**20261120', 'REF*DP*038', 'PO1*1*24*EA*12.50*TE*BP*WID-100*ZZ*X1', 'PO1*2*5*EA*3.00*TE*BP*WID-200', 'CTT*2'];
    const text = `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000501*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261120*1030*51*X*004010~\n${[...segs, `SE*${segs.length + 1}*0001`].join('~\n')}~\nGE*1*51~\nIEA*1*000000501~\n`;
    writeFileSync(path.join(dir, 'po.edi'), text);
    const r = await run(['translate', '--unmapped', path.join(dir, 'po.edi')]);
    expect(r.code).toBe(0);
    const [doc] = JSON.parse(r.out);
    expect(doc).toMatchObject({ document: 1, message: '850', mappingFile: '_base/x12-004010-850.inbound.yaml' });
    // PO108 ZZ / PO109 X1: a product id under a qualifier (mutually defined) nobody maps
    expect(doc.undeclared).toEqual([{ path: 'PO1/08~ZZ', count: 1, example: 'X1' }]);
    expect(doc.declared.map((d: { path: string; count: number; example: string }) => [d.path, d.count, d.example])).toEqual([
      ['PO1/05', 2, 'TE'],            // PO105 basis of unit price code
      ['BEG/02', 1, 'SA'],            // BEG02 purchase order type code
      ['REF[01=DP]', 1, 'REF*DP*038'], // a whole segment: department number
    ]);
    expect(doc.declared[0].reason).toMatch(/basis of unit price/);
    expect(r.err).toContain("po.edi (document 1, 850, _base/x12-004010-850.inbound.yaml): PO1/08~ZZ not mapped: 1x (e.g. 'X1')");
    expect(r.err).toContain('4 elements dropped as declared (ignore:) in 3 paths');
  });

  it('EDIFACT ORDERS: segments qualified by their first component, elements by directory id', async () => {
    const segs = ['UNH+1+ORDERS:D:96A:UN', 'BGM+220+PO-9+9', 'DTM+137:20261120:102', 'FTX+ZZZ+++HELLO', 'RFF+ZZZ:ABC', 'NAD+BY+123::9', 'LIN+1++ABC:IN', 'QTY+21:5', 'UNS+S'];
    const text = `UNB+UNOC:3+SENDER+RECEIVER+261120:1030+1'${segs.join("'")}'UNT+${segs.length + 1}+1'UNZ+1+1'`;
    writeFileSync(path.join(dir, 'orders.edi'), text);
    const r = await run(['translate', '--unmapped', path.join(dir, 'orders.edi')]);
    expect(r.code).toBe(0);
    const [doc] = JSON.parse(r.out);
    expect(doc).toMatchObject({ document: 1, message: 'ORDERS', mappingFile: '_base/edifact-d96a-orders.inbound.yaml' });
    // RFF 1153 ZZZ: a mutually defined reference, which the base neither maps nor declares
    expect(doc.undeclared).toEqual([{ path: 'RFF+ZZZ', count: 1, example: 'RFF+ZZZ:ABC' }]);
    expect(doc.declared.map((d: { path: string; example: string }) => [d.path, d.example])).toEqual([
      ['BGM/C002/1001', '220'],        // document name code 220 order
      ['DTM+137/C507/2379', '102'],    // date format CCYYMMDD
      ['FTX+ZZZ', 'FTX+ZZZ+++HELLO'],  // free text other than AAB (terms of payment), a whole segment
    ]);
  });

  it('says precisely what it does not read', async () => {
    writeFileSync(path.join(dir, 'order.xml'), '<?xml version="1.0"?><cXML><Request><OrderRequest/></Request></cXML>');
    const r = await run(['translate', '--unmapped', path.join(dir, 'order.xml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('order.xml: the unmapped report reads X12 and EDIFACT; it is not supported for xml (cXML)');
  });
});
