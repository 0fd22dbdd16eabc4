/**
 * XML reader on fast-xml-parser, hardened for documents from partners:
 * - attributes under '@name', text under '#text', repeated elements become arrays (and names
 *   listed in `arrays` are always arrays, so mappings see one shape);
 * - no external entities and no DTD fetches: a DOCTYPE is tolerated (cXML carries one with a
 *   SYSTEM id) but never loaded; external or parameter entity declarations are refused;
 * - internal entities expand within bounds (count, size, total expansion);
 * - size, depth and element-count limits, checked before the tree is built;
 * - errors carry the XML path and line/column.
 * Pure: bytes in, ObjectTree out.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { GatewayError } from '../../core/errors.ts';
import { lineCol, scanXml } from './scan.ts';

export interface XmlReadOptions {
  /** bytes (default 50 MB) */
  maxBytes?: number;
  /** element nesting (default 64) */
  maxDepth?: number;
  /** elements in the document (default 2,000,000) */
  maxElements?: number;
  /** element names that are always arrays (e.g. ItemOut) */
  arrays?: string[];
  /** internal entity limits */
  maxEntities?: number;
  maxExpandedLength?: number;
}

export interface XmlDocument {
  /** root element name */
  root: string;
  /** { [root]: {...} } as fast-xml-parser builds it */
  tree: Record<string, unknown>;
  doctype?: { name: string; systemId?: string; publicId?: string };
  encoding: string;
}

function detectEncoding(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const decl = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'));
  const enc = (decl?.[1] ?? 'utf-8').toLowerCase();
  if (!iconv.encodingExists(enc)) throw new GatewayError('xml_unsupported_encoding', `XML declares encoding '${decl?.[1]}' which is not supported`, { path: '/', line: 1, found: decl?.[1] });
  return { text: enc === 'utf-8' || enc === 'utf8' ? bytes.toString('utf8') : iconv.decode(bytes, enc), encoding: enc };
}

export function parseXml(input: Uint8Array | string, opts: XmlReadOptions = {}): XmlDocument {
  const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) throw new GatewayError('xml_too_large', `XML document is ${size} bytes, the limit is ${maxBytes}`, { path: '/', expected: `<= ${maxBytes} bytes`, found: String(size) });
  const { text, encoding } = typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), encoding: 'utf-16' } : detectEncoding(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  if (text.trim() === '') throw new GatewayError('xml_empty', 'XML document is empty', { path: '/' });

  const maxDepth = opts.maxDepth ?? 64;
  const scan = scanXml(text, { maxDepth });
  if (scan.tooDeep) {
    const at = lineCol(text, scan.tooDeep.offset);
    throw new GatewayError('xml_too_deep', `XML nesting deeper than ${maxDepth} at ${scan.tooDeep.path} (line ${at.line}, column ${at.col})`, { path: scan.tooDeep.path, ...at, expected: `depth <= ${maxDepth}` });
  }
  const maxElements = opts.maxElements ?? 2_000_000;
  if (scan.elementCount > maxElements) throw new GatewayError('xml_too_many_elements', `XML has ${scan.elementCount} elements, the limit is ${maxElements}`, { path: '/', expected: `<= ${maxElements}`, found: String(scan.elementCount) });
  const subset = scan.doctype?.internalSubset;
  if (subset) {
    const ext = /<!ENTITY\s+(%\s*)?([\w.:-]+)\s+(SYSTEM|PUBLIC)\b/i.exec(subset) ?? /<!ENTITY\s+%/i.exec(subset);
    if (ext) throw new GatewayError('xml_external_entity', `DOCTYPE declares ${ext[1] || ext[0].includes('%') ? 'a parameter' : 'an external'} entity${ext[2] ? ` '${ext[2]}'` : ''}; external and parameter entities are refused`, { path: '/', found: ext[0] });
  }

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const offset = offsetOf(text, line, col);
    const path = '/' + scanXml(text, { maxDepth: Number.POSITIVE_INFINITY }, offset).path.join('/');
    throw new GatewayError('xml_malformed', `XML is not well-formed at line ${line}, column ${col} (${path}): ${msg}`, { path, line, col, found: valid.err.code });
  }

  const always = new Set(opts.arrays ?? []);
  const declaresEntities = /<!ENTITY/i.test(subset ?? '');
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false, parseAttributeValue: false,
    trimValues: true, ignoreDeclaration: true, ignorePiTags: true, allowBooleanAttributes: true, removeNSPrefix: false,
    htmlEntities: false, maxNestedTags: maxDepth + 1,
    // the predefined entities (&amp; &lt; ...) never grow the text: only DOCTYPE-declared entities are bounded
    processEntities: declaresEntities
      ? { enabled: true, maxEntityCount: opts.maxEntities ?? 100, maxEntitySize: 10_000, maxTotalExpansions: 10_000, maxExpandedLength: opts.maxExpandedLength ?? 1_000_000 }
      : { enabled: true, maxEntityCount: 1, maxEntitySize: 1, maxTotalExpansions: Number.POSITIVE_INFINITY, maxExpandedLength: Number.POSITIVE_INFINITY },
    isArray: (name) => always.has(name),
  });
  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const code = /entit|expan/i.test(msg) ? 'xml_entity_limit' : 'xml_malformed';
    throw new GatewayError(code, `XML refused: ${msg}`, { path: '/', found: msg }, { cause: e });
  }
  const root = Object.keys(tree).find((k) => !k.startsWith('?') && !k.startsWith('!'));
  if (!root) throw new GatewayError('xml_no_root', 'XML has no root element', { path: '/' });
  const doc: XmlDocument = { root, tree, encoding };
  if (scan.doctype) {
    const { internalSubset: _s, ...d } = scan.doctype;
    void _s;
    doc.doctype = d;
  }
  return doc;
}

function offsetOf(text: string, line: number, col: number): number {
  let l = 1;
  let i = 0;
  while (l < line && i < text.length) { const n = text.indexOf('\n', i); if (n < 0) break; i = n + 1; l++; }
  return i + Math.max(0, col - 1);
}
