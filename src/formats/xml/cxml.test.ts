import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseXml } from './reader.ts';
import { buildCxmlResponse, cxmlStatusForError, readCxml } from './cxml.ts';

const sample = fs.readFileSync(path.resolve(import.meta.dirname, '../../../test/xml/order-request-1.2.050.xml'));

describe('cXML', () => {
  it('reads request type, payloadID, timestamp, credentials and deployment mode', () => {
    const env = readCxml(parseXml(sample, { arrays: ['ItemOut'] }));
    expect(env).toMatchObject({
      kind: 'request', documentType: 'OrderRequest', payloadId: '20261120.0930.4711@buyer.example', timestamp: '2026-11-20T09:30:00+01:00',
      version: '1.2.050', lang: 'de-DE', deploymentMode: 'test', userAgent: 'Buyer Procurement 9.1',
      from: [{ domain: 'NetworkID', identity: 'AN01000004711' }], to: [{ domain: 'DUNS', identity: '123456789' }],
      sender: [{ domain: 'NetworkID', identity: 'AN01000004711', sharedSecret: 's3cret' }],
    });
    const body = env.body as { OrderRequestHeader: Record<string, unknown>; ItemOut: Array<Record<string, unknown>> };
    expect(body.OrderRequestHeader['@orderID']).toBe('PO-4711');
    expect(body.ItemOut.map((i) => i['@quantity'])).toEqual(['250', '800']);
    expect((body.ItemOut[0]!.ItemDetail as { Description: unknown }).Description).toEqual({ '@xml:lang': 'de', '#text': 'Schraube M6x20 & Scheibe' });
  });

  it('builds the Response document for a cXML post and reads it back', () => {
    const xml = buildCxmlResponse({ code: 400, text: 'Bad Request', message: 'XML is not well-formed at line 4 <Line>', payloadId: 'resp-1@gw', timestamp: '2026-11-20T09:30:01+01:00' });
    expect(xml).toContain('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd">');
    expect(xml).toContain('<Status code="400" text="Bad Request">XML is not well-formed at line 4 &lt;Line&gt;</Status>');
    const env = readCxml(parseXml(xml));
    expect(env).toMatchObject({ kind: 'response', payloadId: 'resp-1@gw', status: { code: 400, text: 'Bad Request', message: 'XML is not well-formed at line 4 <Line>' } });
    expect(readCxml(parseXml(buildCxmlResponse({ code: 200, text: 'OK', payloadId: 'p', timestamp: 't' }))).status).toEqual({ code: 200, text: 'OK' });
  });

  it('maps our error codes to cXML status codes', () => {
    expect(cxmlStatusForError('xml_malformed').code).toBe(400);
    expect(cxmlStatusForError('cxml_unknown_attribute').code).toBe(400);
    expect(cxmlStatusForError('auth_invalid_credential').code).toBe(401);
    expect(cxmlStatusForError('pipeline_unsupported_document').code).toBe(406);
    expect(cxmlStatusForError('db_down').code).toBe(500);
  });

  it('refuses envelopes the DTD does not allow, with the XML path', () => {
    expect(() => readCxml(parseXml('<cXML timestamp="t"><Header/></cXML>'))).toThrowError(expect.objectContaining({ code: 'cxml_missing_payload_id', detail: expect.objectContaining({ path: '/cXML/@payloadID' }) }));
    expect(() => readCxml(parseXml('<Index/>'))).toThrowError(expect.objectContaining({ code: 'cxml_not_cxml' }));
  });
});
