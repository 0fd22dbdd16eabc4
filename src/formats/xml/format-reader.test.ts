import { describe, expect, it } from 'vitest';
import { createXmlFormatReader } from './format-reader.ts';

const cxml = (body: string, mode = '') => Buffer.from(`<?xml version="1.0"?>
<cXML payloadID="p-1@x.example" timestamp="2026-11-20T09:00:00+01:00" version="1.2.050">
  <Header>
    <From><Credential domain="NetworkID"><Identity>AN0100</Identity></Credential></From>
    <To><Credential domain="DUNS"><Identity>123456789</Identity></Credential></To>
    <Sender><Credential domain="NetworkID"><Identity>AN0100</Identity><SharedSecret>s</SharedSecret></Credential></Sender>
  </Header>
  <Request${mode}>${body}</Request>
</cXML>`);
const ctx = { metadata: {} };

describe('XML / cXML format reader', () => {
  it('a cXML request is one unit named after the request, with payloadID, From credential and version', async () => {
    const r = await createXmlFormatReader().split(cxml('<OrderRequest><OrderRequestHeader orderID="PO-1"/></OrderRequest>', ' deploymentMode="test"'), ctx);
    expect(r.errors).toEqual([]);
    const u = r.units[0]!;
    expect([u.format, u.message, u.version, u.errors]).toEqual(['xml', 'OrderRequest', '1.2.050', []]);
    expect(u.envelope).toEqual({ sender: { qualifier: 'NetworkID', id: 'AN0100' }, receiver: { qualifier: 'DUNS', id: '123456789' }, interchangeControlNumber: 'p-1@x.example', test: true });
    expect((u.input as { cXML: { Request: { OrderRequest: { OrderRequestHeader: Record<string, string> } } } }).cXML.Request.OrderRequest.OrderRequestHeader['@orderID']).toBe('PO-1');
  });

  it('each mapped request type is recognised; others are reported as unsupported with their path', async () => {
    for (const t of ['ConfirmationRequest', 'ShipNoticeRequest', 'InvoiceDetailRequest']) {
      const r = await createXmlFormatReader().split(cxml(`<${t}/>`), ctx);
      expect([r.units[0]!.message, r.units[0]!.errors]).toEqual([t, []]);
    }
    const r = await createXmlFormatReader().split(cxml('<PunchOutSetupRequest operation="create"/>'), ctx);
    expect(r.units[0]!.errors[0]!.code).toBe('cxml_unsupported_document');
    expect(r.units[0]!.errors[0]!.detail).toMatchObject({ path: '/cXML/Request/PunchOutSetupRequest', found: 'PunchOutSetupRequest' });
  });

  it('generic XML: the message is the root element (or the metadata message)', async () => {
    const doc = Buffer.from('<order><id>7</id></order>');
    expect((await createXmlFormatReader().split(doc, ctx)).units[0]!.message).toBe('order');
    expect((await createXmlFormatReader().split(doc, { metadata: { message: 'partner-order' } })).units[0]!.message).toBe('partner-order');
  });

  it('malformed XML and external entities are refused with a precise error, not thrown', async () => {
    const bad = await createXmlFormatReader().split(Buffer.from('<a><b></a>'), ctx);
    expect(bad.errors[0]!.code).toBe('xml_malformed');
    expect(bad.errors[0]!.detail).toMatchObject({ line: 1 });
    const xxe = await createXmlFormatReader().split(Buffer.from('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'), ctx);
    expect(xxe.errors[0]!.code).toBe('xml_external_entity');
    const noPayload = await createXmlFormatReader().split(Buffer.from('<cXML timestamp="t"><Request><OrderRequest/></Request></cXML>'), ctx);
    expect(noPayload.errors[0]!.code).toBe('cxml_missing_payload_id');
  });
});
