/**
 * Every cXML file in ../shared/conformance/cxml (DTDs excluded: they are not documents) and the
 * XML/CSV files in ../shared/conformance/malformed, with the outcome each should have.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseXml, readCxml, type CxmlEnvelope } from '../../src/formats/xml/index.ts';
import { parseCsv } from '../../src/formats/csv/index.ts';

const root = path.resolve(import.meta.dirname, '../../../shared/conformance');
const present = fs.existsSync(root);
const read = (rel: string): Buffer => fs.readFileSync(path.join(root, rel));

type Exp = [kind: CxmlEnvelope['kind'], documentType: string | undefined, version: string | undefined, deploymentMode?: string];
const EXPECTED: Record<string, Exp | 'not-cxml'> = {
  'cxmlphp_CatalogUploadRequest_1.2.063.xml': ['request', 'CatalogUploadRequest', '1.2.063'],
  'cxmlphp_Index_catalog_1.2.063.xml': 'not-cxml',
  'cxmlphp_OrderRequest_1.2.050.xml': ['request', 'OrderRequest', '1.2.050', 'test'],
  'cxmlphp_OrderRequest_ariba_custom_dtd_1.2.060.xml': ['request', 'OrderRequest', '1.2.060', 'test'],
  'cxmlphp_OrderRequest_builder_fixture.xml': ['request', 'OrderRequest', '1.2.050'],
  'cxmlphp_ProductActivityMessage.xml': ['message', 'ProductActivityMessage', '1.2.050'],
  'cxmlphp_ProfileRequest_no_doctype.xml': ['request', 'ProfileRequest', undefined],
  'cxmlphp_PunchOutOrderMessage.xml': ['message', 'PunchOutOrderMessage', '1.2.050'],
  'cxmlphp_PunchOutOrderMessage_advanced_pricing.xml': ['message', 'PunchOutOrderMessage', '1.2.050'],
  'cxmlphp_PunchOutOrderMessage_builder_1.2.054.xml': ['message', 'PunchOutOrderMessage', '1.2.054'],
  'cxmlphp_PunchOutSetupRequest.xml': ['request', 'PunchOutSetupRequest', '1.2.050', 'test'],
  'cxmlphp_QuoteMessage_1.2.060.xml': ['message', 'QuoteMessage', '1.2.060'],
  'cxmlphp_ShipNoticeRequest_fulfill_1.2.050.xml': ['request', 'ShipNoticeRequest', '1.2.050'],
  'cxmlphp_StatusUpdateRequest.xml': ['request', 'StatusUpdateRequest', '1.2.050'],
  'officeluv_ConfirmationRequest_officedepot.xml': ['request', 'ConfirmationRequest', '1.2.011', 'production'],
  'officeluv_InvoiceDetailRequest_backed_and_unbacked_pos.xml': ['request', 'InvoiceDetailRequest', '1.0', 'production'],
  'officeluv_InvoiceDetailRequest_multiple_line_taxes_1.2.037.xml': ['request', 'InvoiceDetailRequest', '1.0', 'production'],
  'officeluv_InvoiceDetailRequest_multiple_pos.xml': ['request', 'InvoiceDetailRequest', '1.0', 'production'],
  'officeluv_InvoiceDetailRequest_taxes_at_line.xml': ['request', 'InvoiceDetailRequest', '1.0', 'production'],
  'officeluv_InvoiceDetailRequest_taxes_at_total.xml': ['request', 'InvoiceDetailRequest', '1.0', 'production'],
  'officeluv_OrderRequest_1.2.014.xml': ['request', 'OrderRequest', '1.2.014'],
  'officeluv_OrderRequest_coupa_commented.xml': ['request', 'OrderRequest', '1.2.014', 'production'],
  'officeluv_PunchOutOrderMessage_minimal.xml': ['message', 'PunchOutOrderMessage', '1.2.020'],
  'officeluv_PunchOutSetupRequest_coupa.xml': ['request', 'PunchOutSetupRequest', '1.2.014'],
  'officeluv_PunchOutSetupRequest_with_shipto.xml': ['request', 'PunchOutSetupRequest', undefined, 'production'],
  'officeluv_PunchOutSetupResponse_200.xml': ['response', 'PunchOutSetupResponse', '1.2.020'],
  'officeluv_Response_status_400_no_prolog.xml': ['response', undefined, '1.2.020'],
  'officeluv_envelope_header_only.xml': ['request', 'CatalogUploadRequest', '1.2.014'],
};

describe.skipIf(!present)('cXML conformance files', () => {
  it('has an expectation for every cXML document', () => {
    expect(fs.readdirSync(path.join(root, 'cxml')).filter((f) => f.endsWith('.xml')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`${name}`, () => {
      const doc = parseXml(read(`cxml/${name}`));
      if (exp === 'not-cxml') {
        expect(doc.root).toBe('Index');
        expect(() => readCxml(doc)).toThrowError(expect.objectContaining({ code: 'cxml_not_cxml' }));
        return;
      }
      const env = readCxml(doc);
      expect([env.kind, env.documentType, env.version, env.deploymentMode]).toEqual([exp[0], exp[1], exp[2], exp[3]]);
      expect(env.payloadId).not.toBe('');
      if (env.kind !== 'response') expect(env.from.length).toBeGreaterThan(0);
    });
  }

  it('reads the details a pipeline relies on from real documents', () => {
    const conf = readCxml(parseXml(read('cxml/officeluv_ConfirmationRequest_officedepot.xml')));
    expect(conf).toMatchObject({ payloadId: '1346769469000.process.162998590@officedepot.com', timestamp: '2012-09-04T02:37:49-05:00',
      from: [{ domain: 'NetworkID', identity: 'AN01000000147' }], sender: [{ domain: 'NetworkID', identity: 'AN01000000147', sharedSecret: 'welcome' }], userAgent: 'BSD 8.12' });
    const r400 = readCxml(parseXml(read('cxml/officeluv_Response_status_400_no_prolog.xml')));
    expect(r400.status).toEqual({ code: 400, text: "java.lang.Exception: missing required parameter 'document'" });
    const ship = readCxml(parseXml(read('cxml/cxmlphp_ShipNoticeRequest_fulfill_1.2.050.xml')));
    expect(ship.userAgent).toBe('Supplier\u2019s Super Order Processor'); // UTF-8 right single quote decoded
  });
});

describe.skipIf(!present)('malformed XML and CSV conformance files', () => {
  it('refuses the cXML Response with an attribute the DTD does not declare, naming the XML path', () => {
    const doc = parseXml(read('malformed/officeluv_cxml_response_unknown_attribute.xml'));
    expect(() => readCxml(doc)).toThrowError(expect.objectContaining({ code: 'cxml_unknown_attribute', detail: expect.objectContaining({ path: '/cXML/Response/@invalid', found: 'invalid' }) }));
  });

  it('covers every XML and CSV file in malformed/', () => {
    const files = fs.readdirSync(path.join(root, 'malformed')).filter((f) => /\.(xml|csv)$/i.test(f));
    expect(files).toEqual(['officeluv_cxml_response_unknown_attribute.xml']);
    for (const f of files.filter((x) => x.endsWith('.csv'))) expect(() => parseCsv(read(`malformed/${f}`))).toThrow();
  });
});
