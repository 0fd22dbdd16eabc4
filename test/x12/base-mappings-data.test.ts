/**
 * The X12 base mappings carry what partners really send: every product id pair (X12 235
 * qualifiers IN, CB, PI, VC, MG, SK, EN, UA besides BP/VP/UP), CUR01 SE (selling party's
 * currency), PID01 X (semi-structured description), and an 855 line's DTM*067 (current schedule
 * delivery) inside the ACK loop. Files and expected values written by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-basemap-'));
mkdirSync(path.join(dir, 'partners'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
async function translate(name: string, text: string) {
  writeFileSync(path.join(dir, name), text);
  const out: string[] = []; const err: string[] = [];
  await runCli(['translate', path.join(dir, name)], { out: (t) => out.push(t), err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_DATABASE_URL: path.join(dir, 'none.db') }, cwd: dir });
  return { docs: JSON.parse(out.join('\n') || '[]'), err: err.join('\n') };
}
const wrap = (fid: string, version: string, segs: string[]) => {
  const isa = `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*${version === '005010' ? '^' : 'U'}*${version === '005010' ? '00501' : '00401'}*000000401*0*P*>~\n`;
  return `${isa}GS*${fid}*BUYERCO*GATEWAY*20261120*1030*41*X*${version}~\n${[...segs, `SE*${segs.length + 1}*0001`].join('~\n')}~\nGE*1*41~\nIEA*1*000000401~\n`;
};
const allIds = '*BP*WID-100*IN*BI-7*CB*CAT-3*PI*PIC-9*VC*VCAT-1*MG*MFR-22*SK*SKU-5*EN*4006381333931*UA*012345678905';
const itemIds = { buyerItemNumber: 'BI-7', buyerCatalogNumber: 'CAT-3', purchaserItemCode: 'PIC-9', vendorCatalogNumber: 'VCAT-1', manufacturerPartNumber: 'MFR-22', sku: 'SKU-5', ean: '4006381333931', upcCaseCode: '012345678905' };

describe('X12 base mappings keep the data partners send', () => {
  for (const version of ['004010', '005010']) {
    it(`850 ${version}: all product id qualifiers, CUR*SE, PID*X`, async () => {
      const r = await translate(`850-${version}.edi`, wrap('PO', version, ['ST*850*0001', 'BEG*00*SA*PO-1**20261120', 'CUR*SE*CAD', `PO1*1*24*EA*12.50*${allIds}`, 'PID*X***LB*LED PANEL 60CM', 'CTT*1']));
      expect(r.err).toBe('');
      expect(r.docs[0].document).toMatchObject({ currency: 'CAD', lines: [{ buyerPartNumber: 'WID-100', gtin: '4006381333931', itemIds, description: 'LED PANEL 60CM' }] });
    });
  }

  it('810: IT1 product ids beyond BP/VP/UP', async () => {
    const r = await translate('810.edi', wrap('IN', '004010', ['ST*810*0001', 'BIG*20261120*INV-1**PO-1', 'CUR*SE*USD', `IT1*1*24*EA*12.50*${allIds}`, 'TDS*30000', 'CTT*1']));
    expect(r.err).toBe('');
    expect(r.docs[0].document).toMatchObject({ currency: 'USD', lines: [{ buyerPartNumber: 'WID-100', itemIds }] });
  });

  it('855: DTM*067 inside the ACK loop is the line scheduled delivery date; product ids kept', async () => {
    const r = await translate('855.edi', wrap('PR', '004010', ['ST*855*0001', 'BAK*00*AC*PO-1*20261120', `PO1*1*24*EA*12.50*${allIds}`, 'ACK*IA*24*EA', 'DTM*067*20261205', 'CTT*1']));
    expect(r.err).toBe('');
    expect(r.docs[0].document.lines[0]).toMatchObject({ status: 'accepted', scheduledDeliveryDate: '2026-12-05', gtin: '4006381333931', itemIds });
  });

  it('856: LIN product ids beyond BP/VP/UP', async () => {
    const r = await translate('856.edi', wrap('SH', '004010', ['ST*856*0001', 'BSN*00*ASN-1*20261120*0900', 'HL*1**S', 'DTM*011*20261120', 'HL*2*1*O', 'PRF*PO-1',
      `HL*3*2*I`, `LIN*1${allIds}`, 'SN1**24*EA', 'CTT*3']));
    expect(r.err).toBe('');
    expect(r.docs[0].document.orders[0].lines[0]).toMatchObject({ buyerPartNumber: 'WID-100', quantityShipped: 24, itemIds });
  });
});
