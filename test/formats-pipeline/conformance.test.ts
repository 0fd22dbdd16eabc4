/**
 * Every EDIFACT and cXML sample in ../shared/conformance (and the malformed EDIFACT/XML ones)
 * through translateFile with the repository's configuration, each with the outcome read by hand from
 * the file and PROVENANCE.tsv: the documents it must yield (type and business key), or the precise
 * error it must be refused with. Never a crash. Skipped when the folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from '../golden/gateway-config.ts';

const root = path.resolve(repoRoot, '../shared/conformance');

type Doc = { type: string; key: Record<string, string> };
type Outcome =
  /** documents; `errors`: interchange-level codes that must be reported beside them */
  | { documents: Doc[]; errors?: string[] }
  /** refused: these codes (in order), with `found` where the reader names what it saw */
  | { refused: Array<{ code: string; found?: string }> };

const po = (poNumber: string): Doc => ({ type: 'purchase_order', key: { poNumber } });
const inv = (invoiceNumber: string, poNumber?: string): Doc => ({ type: 'invoice', key: { invoiceNumber, ...(poNumber ? { poNumber } : {}) } });
const unsupported = (found: string, code = 'edifact_unsupported_message'): Outcome => ({ refused: [{ code, found }] });
const cxmlUnsupported = (found: string): Outcome => unsupported(found, 'cxml_unsupported_document');

const expected: Record<string, Outcome> = {
  // APERAK (application error and acknowledgement) is read and enveloped, not mapped
  'edifact/pydifact_aperak_d96a_v3.edi': unsupported('APERAK D96A'),
  'edifact/pydifact_aperak_d96a_v3_rejected.edi': unsupported('APERAK D96A'),
  'edifact/pydifact_aperak_d96a_v4.edi': unsupported('APERAK D96A'),
  'edifact/pydifact_aperak_d96a_v4_rejected.edi': unsupported('APERAK D96A'),
  // D97A INVOIC read with the nearest grammar and base (D96A); quantities are QTY+12
  'edifact/pydifact_invoic_d97a_trailing_component_sep.edi': { documents: [inv('1060113800026')] },
  'edifact/pydifact_invoic_d97a_vauxhall.edi': { documents: [inv('1060113800026')] },
  // no UNZ: the message is complete, the interchange trailer is reported
  'edifact/pydifact_orders_d96a_eancom_una_decimal_comma_no_unz.edi': { documents: [po('801715918011')], errors: ['edifact_interchange_trailer_missing'] },
  'edifact/pydifact_orders_d96a_unoc3_no_unz.edi': { documents: [po('PO123456')], errors: ['edifact_interchange_trailer_missing'] },
  // UNZ02 1234567 != UNB 0020 '1' (PROVENANCE); order date is DTM+4, quantity QTY+1
  'edifact/pydifact_orders_d96a_wikipedia_de.edi': { documents: [po('B10001')], errors: ['edifact_interchange_reference_mismatch'] },
  'edifact/staedi_baplie_d95b.edi': unsupported('BAPLIE D95B'),
  'edifact/staedi_iata_pnrgov_una_backslash_release.edi': unsupported('PNRGOV 111'),
  'edifact/staedi_invoic_d93a_una_decimal_comma.edi': { documents: [inv('9908001', 'O0010001')] },
  'edifact/staedi_invoic_d97b_una_nondefault_delims.edi': { documents: [inv('342459', '521052')] },
  'edifact/staedi_invoic_d97b_una_wrapped.edi': { documents: [inv('342459', '521052')] },
  'edifact/staedi_invoic_d97b_unoa3.edi': { documents: [inv('342459', '521052')] },
  'edifact/staedi_invoic_d97b_wrapped_80_columns.edi': { documents: [inv('342459', '521052')] },
  // UNT01 = 21, actual 18 (PROVENANCE): the message is rejected, not translated
  'edifact/staedi_orders_d96b_with_ung.edi': { refused: [{ code: 'edifact_message_segment_count_mismatch', found: '21' }] },

  'cxml/cxmlphp_CatalogUploadRequest_1.2.063.xml': cxmlUnsupported('CatalogUploadRequest'),
  // root <Index>, not <cXML>: generic XML named after its root, for which no mapping exists
  'cxml/cxmlphp_Index_catalog_1.2.063.xml': { refused: [{ code: 'mapping_missing' }] },
  'cxml/cxmlphp_OrderRequest_1.2.050.xml': { documents: [po('DO1234')] },
  'cxml/cxmlphp_OrderRequest_ariba_custom_dtd_1.2.060.xml': { documents: [po('acme-1-1')] },
  'cxml/cxmlphp_OrderRequest_builder_fixture.xml': { documents: [po('myorder-1')] },
  'cxml/cxmlphp_ProductActivityMessage.xml': cxmlUnsupported('ProductActivityMessage'),
  'cxml/cxmlphp_ProfileRequest_no_doctype.xml': cxmlUnsupported('ProfileRequest'),
  'cxml/cxmlphp_PunchOutOrderMessage.xml': cxmlUnsupported('PunchOutOrderMessage'),
  'cxml/cxmlphp_PunchOutOrderMessage_advanced_pricing.xml': cxmlUnsupported('PunchOutOrderMessage'),
  'cxml/cxmlphp_PunchOutOrderMessage_builder_1.2.054.xml': cxmlUnsupported('PunchOutOrderMessage'),
  'cxml/cxmlphp_PunchOutSetupRequest.xml': cxmlUnsupported('PunchOutSetupRequest'),
  'cxml/cxmlphp_QuoteMessage_1.2.060.xml': cxmlUnsupported('QuoteMessage'),
  // a ShipNoticePortion without ShipNoticeItem: a canonical ship notice needs lines per order
  'cxml/cxmlphp_ShipNoticeRequest_fulfill_1.2.050.xml': { refused: [{ code: 'mapping_failed' }] },
  'cxml/cxmlphp_StatusUpdateRequest.xml': cxmlUnsupported('StatusUpdateRequest'),
  'cxml/officeluv_ConfirmationRequest_officedepot.xml': { documents: [{ type: 'purchase_order_ack', key: { poNumber: '400-2591453-0', status: 'accepted' } }] },
  'cxml/officeluv_InvoiceDetailRequest_backed_and_unbacked_pos.xml': { documents: [inv('INVOICENUMBER')] },
  // a template: invoiceDate="invoice_date", currency="currency_code"
  'cxml/officeluv_InvoiceDetailRequest_multiple_line_taxes_1.2.037.xml': { refused: [{ code: 'mapping_failed' }] },
  'cxml/officeluv_InvoiceDetailRequest_multiple_pos.xml': { documents: [inv('INV00001')] },
  'cxml/officeluv_InvoiceDetailRequest_taxes_at_line.xml': { documents: [inv('3495')] },
  'cxml/officeluv_InvoiceDetailRequest_taxes_at_total.xml': { documents: [inv('3492')] },
  'cxml/officeluv_OrderRequest_1.2.014.xml': { documents: [po('3309')] },
  'cxml/officeluv_OrderRequest_coupa_commented.xml': { documents: [po('6112')] },
  'cxml/officeluv_PunchOutOrderMessage_minimal.xml': cxmlUnsupported('PunchOutOrderMessage'),
  'cxml/officeluv_PunchOutSetupRequest_coupa.xml': cxmlUnsupported('PunchOutSetupRequest'),
  'cxml/officeluv_PunchOutSetupRequest_with_shipto.xml': cxmlUnsupported('PunchOutSetupRequest'),
  'cxml/officeluv_PunchOutSetupResponse_200.xml': cxmlUnsupported('PunchOutSetupResponse'),
  'cxml/officeluv_Response_status_400_no_prolog.xml': cxmlUnsupported('response'),
  'cxml/officeluv_envelope_header_only.xml': cxmlUnsupported('CatalogUploadRequest'),

  'malformed/officeluv_cxml_response_unknown_attribute.xml': { refused: [{ code: 'cxml_unknown_attribute', found: 'invalid' }] },
  // UNT01 16 against ~110k segments, no UNZ: the message is refused with its first 100 findings
  'malformed/pydifact_huge_orders_2mb_stress.edi': { refused: [{ code: 'edifact_interchange_trailer_missing' }, { code: 'edifact_too_many_errors' }] },
  // NAD qualifier BYZZ (4 > an..3) first; QTY '1020A', PRI '$1.179', extra UNS follow as findings
  'malformed/staedi_edifact_invoic_bad_codes_counts.edi': { refused: [{ code: 'edifact_element_too_long', found: 'BYZZ' }] },
  // segments IEA / END inside a CUSTOM message: read, enveloped, reported unsupported
  'malformed/staedi_edifact_x12_trailer_tags_inside_msg.edi': unsupported('CUSTOM D97B'),
};

const samples = (): string[] => ['edifact', 'cxml', 'malformed'].flatMap((d) => {
  const dir = path.join(root, d);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => (d === 'malformed' ? /^(?!staedi_x12).*\.(edi|xml)$/.test(f) : /\.(edi|xml)$/.test(f))).sort().map((f) => `${d}/${f}`);
});

describe.skipIf(!existsSync(root))('EDIFACT and cXML conformance samples (../shared/conformance)', () => {
  const { deps } = loadRepoConfig();
  const files = samples();

  it('every EDIFACT and cXML sample has an expected outcome here', () => {
    expect(files.filter((f) => !(f in expected))).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  for (const f of files) {
    const want = expected[f];
    if (!want) continue;
    it(f, async () => {
      const got = await translateFile(deps, readFileSync(path.join(root, f)), {});
      if ('documents' in want) {
        expect(got.errors.map((e) => e.code)).toEqual(want.errors ?? []);
        expect(got.documents.map((d) => d.type)).toEqual(want.documents.map((d) => d.type));
        want.documents.forEach((d, i) => expect(got.documents[i]!.document).toMatchObject(d.key));
      } else {
        expect(got.documents).toEqual([]);
        expect(got.errors.map((e) => e.code)).toEqual(want.refused.map((r) => r.code));
        want.refused.forEach((r, i) => {
          expect(got.errors[i]!.message.length).toBeGreaterThan(20);
          if (r.found) expect(got.errors[i]!.detail).toMatchObject({ found: r.found });
        });
      }
    });
  }

  it('a rejected EDIFACT message names the segment and element positions', async () => {
    const got = await translateFile(deps, readFileSync(path.join(root, 'malformed/staedi_edifact_invoic_bad_codes_counts.edi')), {});
    const detail = got.errors[0]!.detail as { segment?: string; segmentPosition?: number; elementPosition?: number; findings?: unknown[]; interchangeControlNumber?: string };
    expect(detail.segment).toBe('NAD');
    expect(typeof detail.segmentPosition).toBe('number');
    expect(detail.elementPosition).toBe(1);
    expect(detail.findings!.length).toBeGreaterThan(1);
    expect(detail.interchangeControlNumber).toBeTruthy();
  });
});
