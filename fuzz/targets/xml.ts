/** XML and cXML: parseXml and readCxml directly (the reader would wrap a crash), then the pipeline reader. */
import { parseXml, readCxml } from '../../src/formats/xml/index.ts';
import { createXmlFormatReader } from '../../src/formats/xml/format-reader.ts';
import type { FuzzTarget } from '../types.ts';
import { assertTyped, isXml, pick } from './common.ts';

const reader = createXmlFormatReader();

export const target: FuzzTarget = {
  name: 'xml',
  description: 'parseXml/readCxml (src/formats/xml) and the pipeline xml reader',
  dialect: {
    delimiters: ['<', '>', '/', '"', "'", '=', '&', ';', '!', '?'],
    segmentEnds: ['>', '\n'],
    nesting: [['<a>', '</a>'], ['<a b="c">', '</a>'], ['<!--', '-->'], ['<![CDATA[', ']]>'], ['&amp;', ''], ['<!DOCTYPE x [<!ENTITY a "aaaa">]>', '']],
  },
  ratio: 5000,
  floorMs: 100,
  async setup(src) { return pick(src, isXml); },
  async run(bytes) {
    const doc = parseXml(bytes);
    if (doc.root.toLowerCase() === 'cxml') readCxml(doc);
    const r = await reader.split(bytes, { metadata: {} });
    assertTyped(r.errors, 'split');
    for (const u of r.units) assertTyped(u.errors, 'unit');
  },
};
