/**
 * XML / cXML writer (pure: no I/O, no clock, no randomness; payloadID and timestamp come in).
 *
 * The tree has the reader's shape (src/formats/xml/reader.ts), so what the writer writes the reader
 * reads back the same: `@name` keys are attributes, `#text` is the element's text, an array is a
 * repeated element, key order is element order, null/undefined/'' leave the node out.
 *
 * Escaping: text escapes & < > (and CR as &#13;, which a parser would otherwise fold into LF);
 * attribute values also escape " and TAB/LF/CR as character references (attribute-value
 * normalisation turns literal ones into spaces). Characters XML 1.0 cannot carry at all (C0 controls
 * other than TAB/LF/CR, U+FFFE/U+FFFF, lone surrogates) are refused with `xml_invalid_character`
 * naming the element path; element and attribute names are checked (`xml_invalid_name`).
 *
 * cXML envelope, as the cXML DTD declares it (cXML 1.1.009 Transport.mod, unchanged in 1.2.0xx):
 *   <!ELEMENT cXML ((Header, (Message | Request)) | Response)>  payloadID, timestamp required
 *   <!ELEMENT Header (From, To, Sender)>   <!ELEMENT Sender (Credential+, UserAgent)>
 *   <!ELEMENT Credential (Identity, (SharedSecret | DigitalSignature)?)>  domain required
 *   <!ATTLIST Request deploymentMode (production | test) "production">
 * The DOCTYPE names the DTD of the version written (default 1.2.014, the version of Coupa's
 * "Sample cXML Purchase Order with Annotations"). Sources consulted: the cXML DTD modules
 * (//ariba/specs/cXML/Transport.mod, Transaction.mod, Item.mod, Common.mod, as embedded in a
 * public repository) and cxml.org's published DTD path scheme
 * http://xml.cxml.org/schemas/cXML/<version>/cXML.dtd.
 */
import { GatewayError } from '../../core/errors.ts';

export type XmlNode = string | number | boolean | null | undefined | XmlTree | XmlNode[];
export interface XmlTree { [name: string]: XmlNode }

/** XML 1.0 Char production, as code points (the `u` flag makes lone surrogates their own code points). */
const INVALID_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** An XML Name restricted to ASCII, with at most one prefix (xml:lang, xmlns:x). */
const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$/;

function checkChars(s: string, path: string): void {
  const m = INVALID_CHAR.exec(s);
  if (!m) return;
  const cp = m[0].codePointAt(0) ?? 0;
  const found = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  throw new GatewayError('xml_invalid_character', `${found} at ${path} (offset ${m.index}) cannot be written in XML 1.0`, { path, found, expected: 'XML 1.0 characters (no control characters other than TAB, LF, CR)' });
}

function checkName(name: string, path: string): void {
  if (!NAME.test(name)) throw new GatewayError('xml_invalid_name', `"${name}" is not a valid XML name (${path})`, { path, found: name, expected: 'an XML name such as OrderRequest or xml:lang' });
}

/** anything outside printable ASCII, TAB and LF: only such strings need the (slower) Char check */
const NOT_PLAIN = /[^\x20-\x7E\t\n]/;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r]/g;
const REFERENCE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const reference = (ch: string): string => REFERENCE[ch] ?? ch;

export function escapeText(s: string, path = '/'): string {
  if (NOT_PLAIN.test(s)) checkChars(s, path);
  return s.replace(TEXT_SPECIAL, reference);
}

export function escapeAttribute(s: string, path = '/'): string {
  if (NOT_PLAIN.test(s)) checkChars(s, path);
  return s.replace(ATTRIBUTE_SPECIAL, reference);
}

/** A number as plain decimal text (no exponent): 1e-7 -> 0.0000001, 1e21 -> 1000000000000000000000. */
export function decimalText(n: number, path = '/'): string {
  if (!Number.isFinite(n)) throw new GatewayError('xml_invalid_number', `${n} at ${path} is not a finite number`, { path, found: String(n) });
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [mant, expText] = s.toLowerCase().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const [int, frac = ''] = mant.replace('-', '').split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + exp;
  const out = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? '-' : '') + out;
}

function scalarText(v: string | number | boolean, path: string): string {
  return typeof v === 'number' ? decimalText(v, path) : String(v);
}

const isEmpty = (v: XmlNode): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.every(isEmpty));

/** One element (repeated when `node` is an array), indented by `depth` levels of two spaces. */
export function writeElement(name: string, node: XmlNode, depth = 0, parentPath = ''): string {
  const out = { text: '' };
  emit(out, name, node, depth, parentPath, true);
  return out.text;
}

const PADS = Array.from({ length: 32 }, (_, i) => '  '.repeat(i));

function attributeText(v: XmlNode, path: string, key: string): string {
  if (typeof v === 'object') throw new GatewayError('xml_invalid_attribute', `attribute ${key.slice(1)} at ${path} must be text, found an object`, { path: `${path}/${key}`, found: 'object' });
  checkName(key.slice(1), `${path}/${key}`);
  return escapeAttribute(scalarText(v as string | number | boolean, `${path}/${key}`), `${path}/${key}`);
}

/** Appends the element's text to `out`; `indent` false writes it on one line (inside mixed content). */
function emit(out: { text: string }, name: string, node: XmlNode, depth: number, parentPath: string, indent: boolean, index?: number): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) emit(out, name, node[i], depth, parentPath, indent, node.length > 1 ? i + 1 : undefined);
    return;
  }
  if (isEmpty(node)) return;
  // XPath-like, 1-based: /cXML/Request/OrderRequest/ItemOut[2]/ItemDetail/Description
  const path = index === undefined ? `${parentPath}/${name}` : `${parentPath}/${name}[${index}]`;
  checkName(name, `${parentPath}/${name}`);
  const pad = indent ? PADS[depth] ?? '  '.repeat(depth) : '';
  const nl = indent ? '\n' : '';
  if (typeof node !== 'object' || node === null) {
    out.text += pad + '<' + name + '>' + escapeText(scalarText(node as string | number | boolean, path), path) + '</' + name + '>' + nl;
    return;
  }
  let attrs = '';
  let text: string | undefined;
  let children = 0;
  for (const k in node) {
    const v = node[k];
    if (isEmpty(v)) continue;
    if (k.charCodeAt(0) === 64 /* @ */) attrs += ` ${k.slice(1)}="${attributeText(v, path, k)}"`;
    else if (k === '#text') {
      if (typeof v === 'object') throw new GatewayError('xml_invalid_text', `#text at ${path} must be text, found an object`, { path, found: 'object' });
      text = escapeText(scalarText(v as string | number | boolean, path), path);
    } else children++;
  }
  if (children === 0) {
    if (text === undefined) out.text += pad + '<' + name + attrs + '/>' + nl;
    else out.text += pad + '<' + name + attrs + '>' + text + '</' + name + '>' + nl;
    return;
  }
  // mixed content (text and elements): no indentation inside, so no whitespace is added to the text
  const inner = indent && text === undefined;
  out.text += pad + '<' + name + attrs + '>' + (inner ? '\n' : text ?? '');
  for (const k in node) {
    if (k.charCodeAt(0) === 64 || k === '#text') continue;
    emit(out, k, node[k], depth + 1, path, inner);
  }
  out.text += (inner ? pad : '') + '</' + name + '>' + nl;
}

export interface CxmlCredentialOut { domain: string; identity: string }

export interface CxmlRequestInput {
  /** unique per document: `<time>.<unique>@<our domain>` (see cxmlPayloadId) */
  payloadId: string;
  /** ISO 8601 with zone (see cxmlTimestamp) */
  timestamp: string;
  /** cXML version, in the DOCTYPE and cXML@version; default 1.2.014 */
  version?: string;
  /** cXML@xml:lang; default en-US */
  lang?: string;
  from: CxmlCredentialOut[];
  to: CxmlCredentialOut[];
  sender: CxmlCredentialOut[];
  userAgent: string;
  deploymentMode?: 'production' | 'test';
  /** the request element(s), e.g. { OrderRequest: { OrderRequestHeader: ..., ItemOut: [...] } } */
  request: XmlTree;
}

export const DEFAULT_CXML_VERSION = '1.2.014';

const credentials = (list: CxmlCredentialOut[]): XmlTree[] => list.map((c) => ({ '@domain': c.domain, Identity: c.identity }));

/** A complete cXML request document (UTF-8 text): declaration, DOCTYPE, Header, Request. */
export function writeCxmlRequest(input: CxmlRequestInput): string {
  const version = input.version ?? DEFAULT_CXML_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new GatewayError('cxml_invalid_version', `cXML version "${version}" is not of the form 1.2.014`, { path: '/cXML/@version', found: version, expected: 'n.n.nnn' });
  for (const [role, list] of [['From', input.from], ['To', input.to], ['Sender', input.sender]] as const) {
    if (list.length === 0) throw new GatewayError('cxml_credential_missing', `cXML Header/${role} needs at least one Credential`, { path: `/cXML/Header/${role}`, expected: 'Credential' });
  }
  const root: XmlTree = {
    '@payloadID': input.payloadId,
    '@timestamp': input.timestamp,
    '@version': version,
    '@xml:lang': input.lang ?? 'en-US',
    Header: {
      From: { Credential: credentials(input.from) },
      To: { Credential: credentials(input.to) },
      Sender: { Credential: credentials(input.sender), UserAgent: input.userAgent },
    },
    Request: { '@deploymentMode': input.deploymentMode ?? 'production', ...input.request },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/${version}/cXML.dtd">\n${writeElement('cXML', root)}`;
}

/**
 * Puts `<SharedSecret>` into the first Sender credential of a document writeCxmlRequest wrote (the
 * stored copy of an outbound document carries no secret; the channel adds it when it posts).
 */
export function withSenderSharedSecret(xml: string, secret: string): string {
  const sender = xml.indexOf('<Sender>');
  const end = sender < 0 ? -1 : xml.indexOf('</Identity>', sender);
  if (end < 0) throw new GatewayError('cxml_sender_missing', 'the document has no Header/Sender/Credential/Identity to attach the shared secret to', { path: '/cXML/Header/Sender/Credential' });
  if (xml.slice(end, xml.indexOf('</Credential>', end)).includes('<SharedSecret>')) {
    throw new GatewayError('cxml_shared_secret_present', 'the Sender credential already carries a SharedSecret', { path: '/cXML/Header/Sender/Credential/SharedSecret' });
  }
  const at = end + '</Identity>'.length;
  return `${xml.slice(0, at)}<SharedSecret>${escapeText(secret, '/cXML/Header/Sender/Credential/SharedSecret')}</SharedSecret>${xml.slice(at)}`;
}

/** payloadID as the cXML User's Guide recommends: `<time>.<process/random part>@<hostname>`. */
export function cxmlPayloadId(epochMs: number, unique: string, domain: string): string {
  return `${epochMs}.${unique}@${domain}`;
}

/** cXML timestamp (%datetime.tz): `2026-11-23T10:00:00+00:00`, from a Date the caller read from its clock. */
export function cxmlTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}
