/**
 * X12 grammar gaps and misleading errors found with real partner files (issue 14). Structures
 * checked against the published 004010/005010 850 tables (SPI loop: SPI, REF, DTM, MSG, N1 loop
 * with G61, CB1 loop; from 005010 the N9 loop holds MTX, not MSG) and the 810 summary order
 * (TDS before ISS); expected values written by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { parseX12, type TransactionItem } from '../../src/formats/x12/index.ts';
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-gaps-'));
mkdirSync(path.join(dir, 'partners'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
async function translate(name: string, text: string) {
  writeFileSync(path.join(dir, name), text);
  const out: string[] = []; const err: string[] = [];
  const code = await runCli(['translate', path.join(dir, name)], { out: (t) => out.push(t), err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_DATABASE_URL: path.join(dir, 'none.db') }, cwd: dir });
  return { code, docs: JSON.parse(out.join('\n') || '[]'), err: err.join('\n') };
}

const isa = (opts: { version?: string; isa11?: string; date?: string } = {}) => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *${opts.date ?? '261120'}*1030*${opts.isa11 ?? 'U'}*${opts.version ?? '00401'}*000000301*0*P*>~\n`;
const wrap = (fid: string, gs08: string, segs: string[], opts: Parameters<typeof isa>[0] = {}) =>
  `${isa(opts)}GS*${fid}*BUYERCO*GATEWAY*20261120*1030*31*X*${gs08}~\n${[...segs, `SE*${segs.length + 1}*0001`].join('~\n')}~\nGE*1*31~\nIEA*1*000000301~\n`;
const sets = (text: string) => parseX12(text).filter((i): i is TransactionItem => i.kind === 'transaction');
const po850 = (extra: string[]) => ['ST*850*0001', 'BEG*00*SA*PO-1**20261120', ...extra, 'PO1*1*24*EA*12.50**BP*WID-100', 'CTT*1'];

describe('X12 grammar gaps', () => {
  it('a 004010 850 whose SPI loop holds REF, DTM, MSG and an N1 loop is read and mapped', async () => {
    const text = wrap('PO', '004010', po850(['SPI*00', 'REF*ZZ*SPEC-1', 'DTM*002*20261201', 'MSG*BUILD TO PRINT REV B', 'N1*ST*DOCK 4', 'MSG*DELIVER TO DOCK 4']));
    expect(sets(text)[0]!.errors).toEqual([]);
    const r = await translate('spi.edi', text);
    expect(r.err).toBe('');
    expect(r.docs[0].document).toMatchObject({ poNumber: 'PO-1', lines: [{ quantity: 24, buyerPartNumber: 'WID-100' }] });
  });

  it('a 005010 850 with MTX in the header N9 loop is read (005010 has MTX there, 004010 MSG)', () => {
    const t = sets(wrap('PO', '005010', po850(['N9*L1*SPECIAL', 'MTX**SHIP COMPLETE ONLY']), { version: '00501', isa11: '^' }))[0]!;
    expect(t.errors).toEqual([]);
    expect(t.accepted).toBe(true);
  });

  it('an 810 with ISS before TDS names TDS as out of order (AK304 7), not as missing', () => {
    const t = sets(wrap('IN', '004010', ['ST*810*0001', 'BIG*20261120*INV-1', 'IT1*1*2*EA*5.00**BP*WID-1', 'ISS*2*CT', 'TDS*1000', 'CTT*1']))[0]!;
    expect(t.errors.filter((e) => e.level === 'segment')).toEqual([
      expect.objectContaining({ code: '7', segment: 'TDS', segmentPosition: 5, message: 'segment TDS is out of order: it must come before loop ISS' }),
    ]);
  });

  it('an 856 with only shipment (S) and item (I) levels maps as one order (the shipment), its PO number from PRF', async () => {
    const r = await translate('856si.edi', wrap('SH', '004010', ['ST*856*0001', 'BSN*00*ASN-1*20261120*0900*0002', 'HL*1**S', 'PRF*PO-9', 'TD1*CTN25*2', 'DTM*011*20261120',
      'HL*2*1*I', 'LIN*1*BP*CLIP-10', 'SN1**10*EA', 'HL*3*1*I', 'LIN*2*BP*CLIP-20', 'SN1**5*CA', 'CTT*3']));
    expect(r.err).toBe('');
    expect(r.docs[0].document).toMatchObject({ shipmentId: 'ASN-1', shipDate: '2026-11-20', packageCount: 2,
      orders: [{ poNumber: 'PO-9', lines: [{ lineNumber: '1', buyerPartNumber: 'CLIP-10', quantityShipped: 10, unitOfMeasure: 'EA' }, { lineNumber: '2', buyerPartNumber: 'CLIP-20', quantityShipped: 5, unitOfMeasure: 'CS' }] }] });
  });

  it("ISA11 other than 'U' before 00402 is read with a warning, not refused (no TA1 needed)", () => {
    const items = parseX12(wrap('PO', '004010', po850([]), { isa11: '^' }));
    const start = items.find((i) => i.kind === 'interchange_start')!;
    expect(start.errors).toEqual([expect.objectContaining({ error: 'x12_isa11_not_u', severity: 'warning', elementPosition: 11, found: '^', expected: 'U' })]);
    expect(sets(wrap('PO', '004010', po850([]), { isa11: '^' }))[0]!.accepted).toBe(true);
    const split = createX12FormatReader().splitX12(Buffer.from(wrap('PO', '004010', po850([]), { isa11: '^' })));
    expect(split.errors).toEqual([]);
    expect(split.units[0]!.errors).toEqual([]);
    expect(split.units[0]!.warnings?.map((w) => w.code)).toEqual(['x12_isa11_not_u']);
  });

  it("ISA09 '051513' is reported as a bad month, TA105 014 (invalid interchange date)", () => {
    const start = parseX12(wrap('PO', '004010', po850([]), { date: '051513' })).find((i) => i.kind === 'interchange_start')!;
    expect(start.errors).toEqual([expect.objectContaining({ code: '014', elementPosition: 9, message: "ISA09 (Interchange Date) '051513' is invalid: month 15 is not 01-12 (YYMMDD)" })]);
  });

  it('an SE01 that does not match is named for a set the gateway does not map (204), before "unsupported"', () => {
    const split = createX12FormatReader().splitX12(Buffer.from(wrap('SM', '004010', ['ST*204*0001', 'B2**NWCO**SH-1**PP', 'B2A*00', 'S5*1*LD']).replace('SE*5*0001', 'SE*9*0001')));
    expect(split.units[0]!.errors[0]).toMatchObject({ code: 'x12_segment_count_mismatch', message: 'SE01 says 9 segments, counted 5 (transaction set 204 0001, which this gateway reads but does not map)' });
  });

  it('a BIN01 length that is not a number is named for a set the gateway does not map', () => {
    const split = createX12FormatReader().splitX12(Buffer.from(wrap('XX', '005010', ['ST*000*0001', 'BIN*4a*DATA']).replace('*U*00401*', '*^*00501*')));
    expect(split.units[0]!.errors[0]).toMatchObject({ code: 'x12_bin_length_invalid', message: "BIN01 length '4a' is not numeric (transaction set 000 0001, which this gateway reads but does not map)" });
  });

  it('versions 002040..004060 map through the nearest base mapping, with a warning that names the grammar used', async () => {
    // nearest by version number among the shipped 850 bases 003010, 004010, 005010 (the band 002000..004060)
    const expected: Record<string, string> = { '002040': '003010', '003010': '003010', '003040': '003010', '003060': '003010', '004030': '004010', '004060': '004010' };
    for (const [v, base] of Object.entries(expected)) {
      const r = await translate(`v${v}.edi`, wrap('PO', v, po850([])));
      expect(r.err, v).toBe('');
      expect(r.docs[0], v).toMatchObject({ mappingFile: `_base/x12-${base}-850.inbound.yaml`, source: { version: v }, document: { poNumber: 'PO-1' },
        warnings: [{ code: 'x12_version_nearest', message: expect.stringContaining(`read with the 004010 grammar`) }] });
    }
  });
});
