/**
 * MIME entities on raw bytes. Nothing here rewrites line endings: a part's bytes are exactly
 * the bytes that arrived, so MICs and signatures verify over what the sender signed (LF-only
 * X12 included). Header lines may end in CRLF or LF; continuation lines are unfolded.
 */
import { GatewayError } from '../../core/errors.ts';

export type HeaderList = Array<[name: string, value: string]>;

export interface MimeEntity {
  /** the whole entity as received: headers, separator and body */
  raw: Uint8Array;
  headers: HeaderList;
  body: Uint8Array;
}

export interface ContentType {
  /** lower-cased media type, e.g. `multipart/signed` */
  type: string;
  /** parameter names lower-cased, values unquoted */
  params: Record<string, string>;
}

const CR = 13;
const LF = 10;

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/** Index of the blank line ending the header block: returns [headerEnd, bodyStart]. */
function findHeaderEnd(raw: Uint8Array): [number, number] | undefined {
  if (raw[0] === LF) return [0, 1];
  if (raw[0] === CR && raw[1] === LF) return [0, 2];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== LF) continue;
    if (raw[i + 1] === LF) return [i + 1, i + 2];
    if (raw[i + 1] === CR && raw[i + 2] === LF) return [i + 1, i + 3];
  }
  return undefined;
}

export function parseHeaderBlock(text: string): HeaderList {
  const headers: HeaderList = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new GatewayError('as2_mime_invalid', `MIME header line without a name: ${JSON.stringify(line.slice(0, 80))}`, { found: line.slice(0, 80) });
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** Splits an entity into headers and body; an entity that starts with a blank line has no headers. */
export function parseEntity(raw: Uint8Array): MimeEntity {
  const end = findHeaderEnd(raw);
  if (!end) throw new GatewayError('as2_mime_invalid', 'MIME entity has no blank line between headers and body', { found: `${raw.length} bytes` });
  const headerText = Buffer.from(raw.buffer, raw.byteOffset, end[0]).toString('latin1');
  return { raw, headers: parseHeaderBlock(headerText), body: raw.subarray(end[1]) };
}

/** Builds an entity from an HTTP request: its headers are the entity's headers, its body the body. */
export function entityFromParts(headers: HeaderList, body: Uint8Array): MimeEntity {
  return { raw: body, headers, body };
}

export function parseContentType(value: string | undefined): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  const trimmed = value.trim();
  // some servers quote the whole header value (ph-OpenAS2 4.4.4): "multipart/signed; protocol=\"...\""
  if (trimmed.length > 1 && trimmed.startsWith('"') && trimmed.endsWith('"') && /^"[^"]*\//.test(trimmed) && trimmed.includes(';')) {
    value = trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  // quoted-string aware split on ';'
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '"') quoted = !quoted;
    if (ch === '\\' && quoted && i + 1 < value.length) { cur += ch + (value[i + 1] as string); i++; continue; }
    if (ch === ';' && !quoted) { parts.push(cur); cur = ''; continue; }
    cur += ch;
  }
  parts.push(cur);
  const type = (parts.shift() ?? '').trim().replace(/^"|"$/g, '').toLowerCase();
  const params: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[p.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { type, params };
}

/**
 * Splits a multipart body into its parts' exact bytes (each part = its headers + body). The line
 * ending before a delimiter belongs to the delimiter (RFC 2046 5.1.1), CRLF or bare LF.
 */
export function splitMultipart(body: Uint8Array, boundary: string): Uint8Array[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const starts: Array<{ lineStart: number; after: number; close: boolean }> = [];
  let from = 0;
  for (;;) {
    const i = buf.indexOf(delim, from);
    if (i < 0) break;
    from = i + 1;
    if (i !== 0 && buf[i - 1] !== LF) continue;
    let j = i + delim.length;
    const close = buf[j] === 0x2d && buf[j + 1] === 0x2d;
    if (close) j += 2;
    while (buf[j] === 0x20 || buf[j] === 0x09) j++;
    if (!close && !(buf[j] === LF || (buf[j] === CR && buf[j + 1] === LF))) continue;
    if (buf[j] === CR) j++;
    if (buf[j] === LF) j++;
    let lineStart = i;
    if (lineStart > 0 && buf[lineStart - 1] === LF) lineStart--;
    if (lineStart > 0 && buf[lineStart] === LF && buf[lineStart - 1] === CR) lineStart--;
    starts.push({ lineStart, after: j, close });
    if (close) break;
  }
  if (starts.length < 2 || !starts[starts.length - 1]?.close) {
    throw new GatewayError('as2_mime_invalid', `multipart body does not contain delimited parts for boundary "${boundary}"`, { expected: `--${boundary} ... --${boundary}--`, found: `${starts.length} delimiter(s)` });
  }
  const parts: Uint8Array[] = [];
  for (let k = 0; k + 1 < starts.length; k++) {
    const a = starts[k] as { after: number };
    const b = starts[k + 1] as { lineStart: number };
    parts.push(body.subarray(a.after, Math.max(a.after, b.lineStart)));
  }
  return parts;
}

/** Decodes a body according to Content-Transfer-Encoding (base64, quoted-printable, binary/7bit/8bit). */
export function decodeTransferEncoding(body: Uint8Array, cte: string | undefined): Uint8Array {
  const enc = (cte ?? 'binary').trim().toLowerCase();
  if (enc === 'base64') return new Uint8Array(Buffer.from(Buffer.from(body).toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  if (enc === 'quoted-printable') {
    const text = Buffer.from(body).toString('latin1').replace(/=\r?\n/g, '');
    return new Uint8Array(Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'));
  }
  return body;
}

/**
 * RFC 5751 canonical form: every bare LF becomes CRLF. Used only as a second attempt when a
 * signature does not verify over the exact bytes (a hop rewrote CRLF to LF in a text part).
 */
export function canonicalizeCrlf(bytes: Uint8Array): Uint8Array | undefined {
  const text = Buffer.from(bytes).toString('latin1');
  if (!/(^|[^\r])\n/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1'));
}

/**
 * RFC 5751 3.1.1 canonical MIME headers: header lines (and the blank line after them) end in CRLF,
 * the body is left as it is. What mendelson and Sterling sign when they write bare-LF header lines
 * around a binary body. Undefined when the headers are canonical already or there is no header block.
 */
export function canonicalizeHeaderLines(bytes: Uint8Array): Uint8Array | undefined {
  const end = findHeaderEnd(bytes);
  if (!end || end[0] === 0) return undefined;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, end[1]).toString('latin1');
  const canonical = head.replace(/\r?\n/g, '\r\n');
  if (canonical === head) return undefined;
  return Buffer.concat([Buffer.from(canonical, 'latin1'), bytes.subarray(end[1])]);
}

/**
 * The entity inside an enveloped or compressed layer. Some senders (mendelson encrypting without
 * signing) put the bare payload there, no MIME headers: then the payload is the whole content and
 * its headers are the outer message's, minus the CMS type (pyas2lib does the same).
 */
export function parseInnerEntity(content: Uint8Array, outer: HeaderList): MimeEntity {
  const end = findHeaderEnd(content);
  if (end) {
    try {
      const entity = parseEntity(content);
      if (headerValue(entity.headers, 'Content-Type') !== undefined) return entity;
    } catch {
      // not a header block: a bare payload
    }
  }
  const outerType = parseContentType(headerValue(outer, 'Content-Type')).type;
  const cms = outerType === 'application/pkcs7-mime' || outerType === 'application/x-pkcs7-mime';
  const headers: HeaderList = outer.filter(([n]) => !['content-type', 'content-transfer-encoding', 'content-length'].includes(n.toLowerCase()));
  headers.unshift(['Content-Type', cms ? 'application/octet-stream' : (headerValue(outer, 'Content-Type') as string)]);
  return { raw: content, headers, body: content };
}

/** Serialises headers + body with CRLF header lines (the form we send and sign). */
export function buildEntity(headers: HeaderList, body: Uint8Array): Uint8Array {
  const head = headers.map(([n, v]) => `${n}: ${v}\r\n`).join('') + '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export function concatBytes(...chunks: Array<Uint8Array | string>): Uint8Array {
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));
}
