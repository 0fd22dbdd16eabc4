/**
 * Outbound cXML OrderRequest rendered with the repository's own configuration (partner officeline,
 * mappings/_base/xml-OrderRequest.outbound.yaml): the golden document, and the round trip through
 * the gateway's own inbound cXML reader and base inbound mapping back to the same purchase order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { renderOutbound } from '../../src/pipeline/outbound/render.ts';
import type { OutboundConfig } from '../../src/pipeline/outbound/types.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from '../golden/gateway-config.ts';

const dir = path.join(repoRoot, 'fixtures/officeline/order-request-out');
const input = JSON.parse(readFileSync(path.join(dir, 'purchase-order.json'), 'utf8')) as { type: string; document: Record<string, unknown> };
const { config, deps } = loadRepoConfig();
const render = (doc: unknown = input, unique?: string) => renderOutbound({ config: config as unknown as OutboundConfig, validators: createCanonicalValidators() }, 'officeline', doc,
  { now: new Date('2026-11-23T15:00:00Z'), controlNumbers: async () => 1, ...(unique ? { cxmlUnique: unique } : {}) });

describe('outbound cXML OrderRequest (partner officeline)', () => {
  it('renders the golden document: UTF-8 text/xml, payloadID as the interchange control number', async () => {
    const r = await render();
    expect(r.contentType).toBe('text/xml; charset=utf-8');
    expect([r.format, r.message, r.mappingFile.endsWith('_base/xml-OrderRequest.outbound.yaml')]).toEqual(['xml', 'OrderRequest', true]);
    expect(r.interchangeControlNumber).toBe('1795446000000.PO-CX-5001@gateway.buyer.example');
    expect(Buffer.from(r.bytes).toString('utf8')).toBe(readFileSync(path.join(dir, 'expected-order-request.xml'), 'utf8'));
  });

  it('the elements a supplier reads are where the cXML DTD puts them (checked with an independent parser)', async () => {
    const xml = Buffer.from((await render()).bytes).toString('utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, isArray: (n) => ['ItemOut', 'Street'].includes(n) }).parse(xml) as any;
    const header = doc.cXML.Request.OrderRequest.OrderRequestHeader;
    expect([header['@orderID'], header['@orderDate'], header['@type']]).toEqual(['PO-CX-5001', '2026-11-23T12:00:00+00:00', 'new']);
    // 10 x 24.90 + 4 x 189.00
    expect(header.Total.Money).toEqual({ '@currency': 'USD', '#text': '1005' });
    expect(header.ShipTo.Address.PostalAddress.Street).toEqual(['200 Harbor Rd', 'Dock 7']);
    expect(header.BillTo.Address.Email).toBe('ap@buyer.example');
    const [first, second] = doc.cXML.Request.OrderRequest.ItemOut;
    expect([first['@quantity'], first['@lineNumber'], first['@requestedDeliveryDate'], first.ItemID.SupplierPartID, first.ItemID.BuyerPartID]).toEqual(['10', '1', '2026-11-30', 'OL-PAPER-A4', 'MRO-1001']);
    expect(first.ItemDetail.UnitPrice.Money).toEqual({ '@currency': 'USD', '#text': '24.9' });
    expect([first.ItemDetail.UnitOfMeasure, first.ItemDetail.Description['#text'], first.ItemDetail.Description['@xml:lang']]).toEqual(['BX', 'Copy paper A4 80 g, 5 reams', 'en']);
    expect(second.ItemDetail.Description['#text']).toBe('Desk chair "Ergo 7" & armrests');
    expect(Object.keys(first.ItemDetail)).toEqual(['UnitPrice', 'Description', 'UnitOfMeasure', 'Classification']);
  });

  it('round trip: read back by the inbound cXML reader and base inbound mapping, it is the same purchase order', async () => {
    const r = await render();
    const back = await translateFile(deps, r.bytes, {});
    expect(back.errors).toEqual([]);
    expect(back.documents.map((d) => [d.type, d.mappingFile?.endsWith('_base/xml-OrderRequest.inbound.yaml')])).toEqual([['purchase_order', true]]);
    expect(back.documents[0]!.document).toEqual({
      poNumber: 'PO-CX-5001', poDate: '2026-11-23', purpose: 'original', currency: 'USD',
      shipTo: {
        id: 'DC-EAST', name: 'Buyer Corp East DC',
        address: { lines: ['200 Harbor Rd', 'Dock 7'], city: 'Newark', region: 'NJ', postalCode: '07105', country: 'US' },
        contact: { name: 'Receiving', phone: '+1 973 555 0100' },
      },
      billTo: {
        id: 'HQ', name: 'Buyer Corp Accounts Payable',
        address: { lines: ['1 Main St'], city: 'Columbus', region: 'OH', postalCode: '43215', country: 'US' },
        contact: { email: 'ap@buyer.example' },
      },
      lines: [
        { lineNumber: '1', quantity: 10, unitOfMeasure: 'BX', unitPrice: 24.9, vendorPartNumber: 'OL-PAPER-A4', buyerPartNumber: 'MRO-1001', description: 'Copy paper A4 80 g, 5 reams' },
        { lineNumber: '2', quantity: 4, unitOfMeasure: 'EA', unitPrice: 189, vendorPartNumber: 'OL-CHAIR-7', description: 'Desk chair "Ergo 7" & armrests' },
      ],
      totals: { amount: 1005 },
    });
  });

  it('a change and a cancel become type="update" / "delete"; a given total is written as given', async () => {
    const change = { ...input, document: { ...input.document, purpose: 'change', totals: { amount: 1004.5 } } };
    const xml = Buffer.from((await render(change)).bytes).toString('utf8');
    expect(xml).toContain('orderID="PO-CX-5001" orderDate="2026-11-23T12:00:00+00:00" type="update"');
    expect(xml).toContain('<Money currency="USD">1004.5</Money>');
    const cancel = { ...input, document: { ...input.document, purpose: 'cancel' } };
    expect(Buffer.from((await render(cancel)).bytes).toString('utf8')).toContain('type="delete"');
  });

  it('a change or cancel refers to the previous OrderRequest with DocumentReference, after BillTo as the DTD orders it; a new order does not', async () => {
    const opts = { now: new Date('2026-11-23T15:00:00Z'), controlNumbers: async () => 1, cxmlPreviousPayloadId: '1795446000000.msg_first@gateway.buyer.example' };
    const deps = { config: config as unknown as OutboundConfig, validators: createCanonicalValidators() };
    const cancel = Buffer.from((await renderOutbound(deps, 'officeline', { ...input, document: { ...input.document, purpose: 'cancel' } }, opts)).bytes).toString('utf8');
    expect(cancel).toMatch(/<\/BillTo>\n {8}<DocumentReference payloadID="1795446000000\.msg_first@gateway\.buyer\.example"\/>\n {6}<\/OrderRequestHeader>/);
    const original = Buffer.from((await renderOutbound(deps, 'officeline', input, opts)).bytes).toString('utf8');
    expect(original).not.toContain('DocumentReference');
  });

  it('a payloadID part given by the caller (the message id) makes each payloadID unique', async () => {
    expect((await render(input, 'msg_0001')).interchangeControlNumber).toBe('1795446000000.msg_0001@gateway.buyer.example');
  });

  it('what cXML cannot carry is refused before anything is stored: a line without supplier part number, an order without currency', async () => {
    const lines = (input.document.lines as Array<Record<string, unknown>>).map((l, i) => (i === 1 ? { ...l, vendorPartNumber: undefined } : l));
    await expect(render({ ...input, document: { ...input.document, lines } })).rejects.toMatchObject({
      code: 'mapping_failed', detail: { partnerId: 'officeline', problems: [expect.objectContaining({ rule: 'required_missing', message: expect.stringContaining('SupplierPartID') })] },
    });
    const { currency: _c, ...noCurrency } = input.document;
    void _c;
    await expect(render({ ...input, document: noCurrency })).rejects.toMatchObject({ code: 'mapping_failed', message: expect.stringContaining('@currency') });
  });

  it('a character XML cannot carry (a control character pasted into a description) is refused naming where it is', async () => {
    const lines = (input.document.lines as Array<Record<string, unknown>>).map((l, i) => (i === 0 ? { ...l, description: 'Copy paper\u0007' } : l));
    await expect(render({ ...input, document: { ...input.document, lines } })).rejects.toMatchObject({
      code: 'mapping_failed',
      detail: { partnerId: 'officeline', reason: 'xml_invalid_character', found: 'U+0007', path: '/cXML/Request/OrderRequest/ItemOut[1]/ItemDetail/Description' },
    });
  });
});
