/**
 * Every real X12 sample in ../shared/conformance/x12 through translateFile (what `edigw translate`
 * runs, with the repository's configuration), each with its expected outcome, read by hand from
 * the file and PROVENANCE.tsv: the documents it must yield (type and business key), the sets it
 * must report as unsupported, or the acknowledgements it must take as receipts without an error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from './gateway-config.ts';

const dir = path.resolve(repoRoot, '../shared/conformance/x12');

type Doc = { type: string; key: Record<string, string> };
type Outcome =
  | { documents: Doc[]; errors?: string[] }                       // errors: codes that must also be reported
  | { unsupported: string; errors?: string[] }                     // the set id reported as x12_unsupported_transaction
  | { receipts: number }                                           // 997/999 taken as receipts, no error
  | { ta1: true };                               // TA1 only: must be a receipt, no error

const po = (poNumber: string): Doc => ({ type: 'purchase_order', key: { poNumber } });
const ack = (poNumber: string, status: string): Doc => ({ type: 'purchase_order_ack', key: { poNumber, status } });
const inv = (invoiceNumber: string, poNumber: string): Doc => ({ type: 'invoice', key: { invoiceNumber, poNumber } });

const expected: Record<string, Outcome> = {
  // a 940 is a set the gateway sends (warehouse_order -> 940), not one it maps inbound
  'libas2_940_4030_isa16_tilde_newline_terminator.edi': { documents: [], errors: ['mapping_missing'] },
  // truncated after SE: the missing GE and IEA are reported as well
  'nodex12_271_5010_eligibility.edi': { unsupported: '271', errors: ['x12_ge_missing', 'x12_iea_missing'] },
  'nodex12_850_4010_petco_newline_terminator.edi': { documents: [po('----------')] },
  'nodex12_850_4010vics_newline_terminator.edi': { documents: [po('08292233294')] },
  'nodex12_850_4010vics_tilde_lf.edi': { documents: [po('08292233294')] },
  // the same interchange twice (ISA13 000003438): the default duplicate policy (reject) lets only the first through
  'nodex12_850_4010vics_two_isa.edi': { documents: [po('08292233294')], errors: ['duplicate_interchange_in_message'] },
  'nodex12_855_4010_book_ack.edi': { documents: [ack('POTEST1112', 'accepted')] },             // BAK02 AD
  'nodex12_856_4060_asn.edi': { documents: [{ type: 'ship_notice', key: { shipmentId: '829716' } }] },
  'staedi_210_wrapped_80_columns.edi': { unsupported: '210' },
  'staedi_214_ellipsis_segment_terminator.edi': { documents: [{ type: 'shipment_status', key: { shipmentId: '7727019', proNumber: '0542550913' } }] },   // B1002, B1001
  'staedi_810_4010_two_st.edi': { documents: [inv('00001', 'A99999-01'), inv('00001', 'A99999-04')] },
  // one GS 004010 (two 810s), one GS 003010 (an 850)
  'staedi_810_850_two_gs_mixed_versions.edi': { documents: [inv('00001', 'A99999-01'), inv('00001', 'A99999-04'), po('S115921858')] },
  'staedi_855_4010_two_st_minimal.edi': { documents: [ack('ORDER1', 'accepted_with_changes'), ack('ORDER2', 'accepted_with_changes')] }, // BAK02 AC
  'staedi_997_5010_ak3_ak4_reject.edi': { receipts: 1 },
  'staedi_997_5010_repetitions_and_components.edi': { receipts: 1 },
  'staedi_997_5010_three_isa.edi': { receipts: 3 },
  'staedi_997_with_isb_ise_segments.edi': { receipts: 1 },
  'staedi_999_5010.edi': { receipts: 1 },
  'staedi_TA1_5010_only.edi': { ta1: true },
  'staedi_bin_segment_binary_with_newlines.edi': { unsupported: '000' },                       // ST*000 carrying BIN segments
  'stedi_850_5010_dropship.edi': { documents: [po('365465413')] },
  'stedi_855_5010_ack.edi': { documents: [ack('365465413', 'accepted')] },
  'stedi_855_5010_isa11_U.edi': { documents: [ack('365465413', 'accepted')] },
};

describe.skipIf(!existsSync(dir))('X12 conformance samples (../shared/conformance/x12)', () => {
  const { deps } = loadRepoConfig();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.edi')).sort() : [];
  const translate = (f: string) => translateFile(deps, readFileSync(path.join(dir, f)), {});

  it('every sample has an expected outcome here', () => {
    expect(files.filter((f) => !(f in expected))).toEqual([]);
  });

  for (const f of files) {
    const want = expected[f];
    if (!want) continue;
    if ('ta1' in want) {
      it(`${f}: TA1 taken as a receipt without an error`, async () => {
        const got = await translate(f);
        expect(got.errors).toEqual([]);
      });
      continue;
    }
    it(f, async () => {
      const got = await translate(f);
      const codes = got.errors.map((e) => e.code);
      if ('documents' in want) {
        expect(got.errors.filter((e) => !(want.errors ?? []).includes(e.code)).map((e) => `${e.code}: ${e.message}`)).toEqual([]);
        for (const c of want.errors ?? []) expect(codes).toContain(c);
        expect(got.documents.map((d) => d.type)).toEqual(want.documents.map((d) => d.type));
        want.documents.forEach((d, i) => expect(got.documents[i]!.document).toMatchObject(d.key));
      } else if ('unsupported' in want) {
        expect(got.documents).toEqual([]);
        const unsupported = got.errors.filter((e) => e.code === 'x12_unsupported_transaction');
        expect(unsupported.length).toBeGreaterThan(0);
        for (const e of unsupported) expect(e.detail).toMatchObject({ found: want.unsupported });
        expect(codes.filter((c) => c !== 'x12_unsupported_transaction').sort()).toEqual([...(want.errors ?? [])].sort());
      } else {
        expect(got.documents).toEqual([]);
        expect(got.errors).toEqual([]);
        expect(createX12FormatReader().splitX12(readFileSync(path.join(dir, f))).receipts).toHaveLength(want.receipts);
      }
    });
  }
});

/**
 * The acknowledgements among the samples, as `edigw translate` describes them (read by hand from
 * each file's AK1/AK2/AK5/AK9, IK5, TA1): what they acknowledge and with which disposition; a
 * 997 whose own elements break its grammar (placeholder values in AK3/AK4) is said to be invalid.
 */
describe.skipIf(!existsSync(dir))('X12 conformance acknowledgements described', () => {
  const read = async (f: string) => (await import('../../src/pipeline/inbound/read-acks.ts')).readAcknowledgements('x12', readFileSync(path.join(dir, f)));
  it('997 AK5 R 5 / AK9 R: group HC 000001, set 837 0021 rejected', async () => {
    expect(await read('staedi_997_5010_ak3_ak4_reject.edi')).toEqual([expect.objectContaining({ message: '997', disposition: 'rejected',
      acknowledges: { functionalId: 'HC', group: '000001', sets: [{ id: '837', controlNumber: '0021', disposition: 'rejected', codes: ['AK5 5 (one or more segments in error)'] }] } })]);
  });
  it('997 after ISB/ISE: group HC 000001 accepted, no sets listed', async () => {
    expect(await read('staedi_997_with_isb_ise_segments.edi')).toEqual([expect.objectContaining({ message: '997', disposition: 'accepted', acknowledges: { functionalId: 'HC', group: '000001', sets: [] } })]);
  });
  it('999: group HC 17456 (005010X222) partially accepted, 0001 accepted, 0002 and 0003 rejected IK5 5', async () => {
    const [a] = await read('staedi_999_5010.edi');
    expect(a).toMatchObject({ message: '999', disposition: 'partially_accepted', acknowledges: { group: '17456', version: '005010X222' } });
    expect(a!.acknowledges.sets.map((s) => [s.controlNumber, s.disposition, s.codes.join()])).toEqual([['0001', 'accepted', ''], ['0002', 'rejected', 'IK5 5 (one or more segments in error)'], ['0003', 'rejected', 'IK5 5 (one or more segments in error)']]);
    expect(a!.defects).toBeUndefined();
  });
  it('TA1 alone: interchange 000000050 accepted, TA105 000', async () => {
    expect(await read('staedi_TA1_5010_only.edi')).toEqual([expect.objectContaining({ message: 'TA1', disposition: 'accepted', acknowledges: { interchange: '000000050', sets: [] }, codes: ['TA105 000 (no error)'] })]);
  });
  it('three interchanges, one 997 each', async () => {
    expect((await read('staedi_997_5010_three_isa.edi')).map((a) => a.acknowledges.group)).toEqual(['000001', '000001', '000001']);
  });
  it('a 997 whose AK302 is not numeric is described and named invalid', async () => {
    const [a] = await read('staedi_997_5010_repetitions_and_components.edi');
    expect(a!.defects?.[0]).toMatch(/^x12_invalid_character: AK302: 'AK302-R1' is not numeric/);
  });
});
