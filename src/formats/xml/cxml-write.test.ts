import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { cxmlPayloadId, cxmlTimestamp, decimalText, escapeAttribute, escapeText, withSenderSharedSecret, writeCxmlRequest, writeElement } from './cxml-write.ts';
import { parseXml } from './reader.ts';
import { readCxml } from './cxml.ts';

const request = (over: Partial<Parameters<typeof writeCxmlRequest>[0]> = {}) => writeCxmlRequest({
  payloadId: '1795446000000.msg_1@gateway.buyer.example', timestamp: '2026-11-23T15:00:00+00:00',
  from: [{ domain: 'NetworkID', identity: 'AN01000000001' }], to: [{ domain: 'DUNS', identity: '123456789' }],
  sender: [{ domain: 'NetworkID', identity: 'AN01000000001' }], userAgent: 'edi-gateway',
  request: { OrderRequest: { OrderRequestHeader: { '@orderID': 'PO-1', '@orderDate': '2026-11-23T12:00:00+00:00' }, ItemOut: [{ '@quantity': 1 }] } },
  ...over,
});

describe('XML escaping', () => {
  it('text: & < > become entities, quotes stay as they are', () => {
    expect(escapeText(`Tom & Jerry <b> "x" 'y'`)).toBe(`Tom &amp; Jerry &lt;b&gt; "x" 'y'`);
  });

  it('attributes: & < " and TAB/LF/CR become references (a parser would fold literal ones into spaces)', () => {
    expect(escapeAttribute('a&b<c>"d"\te\nf\rg')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#9;e&#10;f&#13;g');
  });

  it('a control character XML 1.0 cannot carry is refused with its code point and path', () => {
    expect(() => writeElement('Description', 'bell\u0007', 0, '/ItemDetail')).toThrow(expect.objectContaining({ code: 'xml_invalid_character', detail: expect.objectContaining({ path: '/ItemDetail/Description', found: 'U+0007' }) }));
    expect(() => escapeAttribute('\uD800')).toThrow(expect.objectContaining({ code: 'xml_invalid_character', detail: expect.objectContaining({ found: 'U+D800' }) }));
  });

  it('an element name that is not an XML name is refused', () => {
    expect(() => writeElement('Ship To', 'x')).toThrow(expect.objectContaining({ code: 'xml_invalid_name' }));
    expect(() => writeElement('A', { '@1x': 'v' })).toThrow(expect.objectContaining({ code: 'xml_invalid_name' }));
  });

  it('what it writes an independent parser reads back: special and non-ASCII characters, attributes, repeats', () => {
    const tree = { '@name': 'Müller & Söhne "GmbH"', Street: ['Hauptstraße 5', 'Tor <4>'], Note: { '@xml:lang': 'ja', '#text': '東京 & 大阪\ttab' }, Empty: '', Gone: null };
    const xml = writeElement('Address', tree);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false, parseAttributeValue: false, trimValues: false }).parse(xml) as Record<string, Record<string, unknown>>;
    // (the indentation between elements is whitespace text to a parser that keeps whitespace)
    const { '#text': indentation, ...address } = parsed.Address!;
    expect(String(indentation).trim()).toBe('');
    expect(address).toEqual({ '@name': 'Müller & Söhne "GmbH"', Street: ['Hauptstraße 5', 'Tor <4>'], Note: { '@xml:lang': 'ja', '#text': '東京 & 大阪\ttab' } });
    expect(xml).not.toContain('Empty');
  });

  it('mixed content (text and elements) is written on one line: no whitespace is added to the text', () => {
    expect(writeElement('Description', { '@xml:lang': 'en', '#text': 'Desk chair', ShortName: 'Chair' }, 2))
      .toBe('    <Description xml:lang="en">Desk chair<ShortName>Chair</ShortName></Description>\n');
    expect(writeElement('Empty', {})).toBe('<Empty/>\n');
    expect(writeElement('Flag', { '@on': true })).toBe('<Flag on="true"/>\n');
  });

  it('numbers are plain decimals, never exponents', () => {
    expect([decimalText(0.12), decimalText(1e-7), decimalText(2.5e21), decimalText(-1.5e-3)]).toEqual(['0.12', '0.0000001', '2500000000000000000000', '-0.0015']);
    expect(() => decimalText(Number.NaN)).toThrow(expect.objectContaining({ code: 'xml_invalid_number' }));
  });
});

describe('cXML request document', () => {
  it('starts with the XML declaration and the DOCTYPE of its version', () => {
    expect(request()).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE cXML SYSTEM "http:\/\/xml\.cxml\.org\/schemas\/cXML\/1\.2\.014\/cXML\.dtd">\n<cXML /);
    expect(request({ version: '1.2.050' })).toContain('"http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd"');
    expect(() => request({ version: '1.2"><x' })).toThrow(expect.objectContaining({ code: 'cxml_invalid_version' }));
  });

  it('the gateway reads the envelope back: payloadID, timestamp, credentials, deployment mode, request type', () => {
    const env = readCxml(parseXml(Buffer.from(request({ deploymentMode: 'test' }), 'utf8')));
    expect(env).toMatchObject({
      kind: 'request', documentType: 'OrderRequest', payloadId: '1795446000000.msg_1@gateway.buyer.example', timestamp: '2026-11-23T15:00:00+00:00',
      version: '1.2.014', lang: 'en-US', deploymentMode: 'test', userAgent: 'edi-gateway',
      from: [{ domain: 'NetworkID', identity: 'AN01000000001' }], to: [{ domain: 'DUNS', identity: '123456789' }], sender: [{ domain: 'NetworkID', identity: 'AN01000000001' }],
    });
    expect(env.sender[0]!.sharedSecret).toBeUndefined();
  });

  it('Header holds From, To, Sender in the DTD order, and Request comes after Header', () => {
    const xml = request();
    const at = (s: string) => xml.indexOf(s);
    expect(at('<Header>') < at('<From>') && at('<From>') < at('<To>') && at('<To>') < at('<Sender>') && at('<Sender>') < at('<UserAgent>') && at('</Header>') < at('<Request deploymentMode="production">')).toBe(true);
  });

  it('the shared secret goes into the Sender credential only, escaped', () => {
    const xml = withSenderSharedSecret(request(), 's3cr&t<');
    const env = readCxml(parseXml(Buffer.from(xml, 'utf8')));
    expect(env.sender[0]!.sharedSecret).toBe('s3cr&t<');
    expect(env.from[0]!.sharedSecret).toBeUndefined();
    expect(xml).toContain('<Identity>AN01000000001</Identity><SharedSecret>s3cr&amp;t&lt;</SharedSecret>');
    expect(() => withSenderSharedSecret(xml, 'again')).toThrow(expect.objectContaining({ code: 'cxml_shared_secret_present' }));
    expect(() => withSenderSharedSecret('<cXML/>', 'x')).toThrow(expect.objectContaining({ code: 'cxml_sender_missing' }));
  });

  it('payloadID is <time>.<unique>@<domain>; the timestamp is ISO 8601 with a zone, from the Date given', () => {
    expect(cxmlPayloadId(1795446000000, 'msg_01', 'gateway.buyer.example')).toBe('1795446000000.msg_01@gateway.buyer.example');
    expect(cxmlTimestamp(new Date('2026-11-23T15:00:00.123Z'))).toBe('2026-11-23T15:00:00+00:00');
  });
});
