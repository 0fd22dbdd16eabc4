import { describe, expect, it } from 'vitest';
import { canonicalizeCrlf, decodeTransferEncoding, headerValue, parseContentType, parseEntity, splitMultipart } from './mime.ts';

const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array) => Buffer.from(u).toString('latin1');

describe('parseEntity', () => {
  it('splits CRLF headers from a body that keeps LF-only lines', () => {
    const e = parseEntity(b('Content-Type: application/edi-x12\r\nContent-Disposition: attachment;\r\n filename=a.edi\r\n\r\nISA*00~\nGS*PO~\n'));
    expect(headerValue(e.headers, 'content-type')).toBe('application/edi-x12');
    expect(headerValue(e.headers, 'Content-Disposition')).toBe('attachment; filename=a.edi'); // folded line unfolded
    expect(s(e.body)).toBe('ISA*00~\nGS*PO~\n');
  });

  it('accepts LF-only header blocks and entities without headers', () => {
    expect(s(parseEntity(b('Content-Type: text/plain\n\nhi')).body)).toBe('hi');
    const none = parseEntity(b('\r\nbody'));
    expect(none.headers).toEqual([]);
    expect(s(none.body)).toBe('body');
  });

  it('refuses an entity without a header/body separator', () => {
    expect(() => parseEntity(b('Content-Type: text/plain'))).toThrow(/no blank line/);
  });
});

describe('parseContentType', () => {
  it('lower-cases type and parameter names, unquotes values, keeps ; inside quotes', () => {
    expect(parseContentType('Multipart/Signed; Protocol="application/pkcs7-signature"; micalg=sha-256; boundary="a;b"')).toEqual({
      type: 'multipart/signed', params: { protocol: 'application/pkcs7-signature', micalg: 'sha-256', boundary: 'a;b' },
    });
  });
  it('unquotes a whole header value quoted by the sender', () => {
    const ct = parseContentType('"multipart/signed; protocol=\\"application/pkcs7-signature\\"; boundary=\\"----=_Part_1\\""');
    expect(ct.type).toBe('multipart/signed');
    expect(ct.params.boundary).toBe('----=_Part_1');
  });
});

describe('splitMultipart', () => {
  it('returns each part byte for byte; the line end before a delimiter belongs to the delimiter', () => {
    const body = b('preamble\r\n--XY\r\nContent-Type: a/b\r\n\r\nline1\nline2\n\r\n--XY\r\nsecond\r\n--XY--\r\nepilogue');
    const parts = splitMultipart(body, 'XY');
    expect(parts.map(s)).toEqual(['Content-Type: a/b\r\n\r\nline1\nline2\n', 'second']);
  });
  it('handles LF-only delimiters (openssl S/MIME output)', () => {
    expect(splitMultipart(b('--B\nx\n\n--B\ny\n--B--\n'), 'B').map(s)).toEqual(['x\n', 'y']);
  });
  it('ignores the boundary string when it is not at the start of a line or is a prefix of a longer one', () => {
    expect(splitMultipart(b('--B\na--B\n--BB\n\n--B--'), 'B').map(s)).toEqual(['a--B\n--BB\n']);
  });
  it('refuses a body without the closing delimiter', () => {
    expect(() => splitMultipart(b('--B\nx\n'), 'B')).toThrow(/does not contain delimited parts/);
  });
});

describe('transfer encodings and canonical form', () => {
  it('decodes base64 with line breaks and quoted-printable soft breaks', () => {
    expect(s(decodeTransferEncoding(b('SVNB\r\nKjAw\r\n'), 'base64'))).toBe('ISA*00');
    expect(s(decodeTransferEncoding(b('a=3Db=\r\nc'), 'quoted-printable'))).toBe('a=bc');
    expect(s(decodeTransferEncoding(b('raw\n'), 'binary'))).toBe('raw\n');
  });
  it('canonicalizes bare LF to CRLF only when there is one', () => {
    expect(s(canonicalizeCrlf(b('a\nb\r\nc')) ?? b('none'))).toBe('a\r\nb\r\nc');
    expect(canonicalizeCrlf(b('a\r\nb'))).toBeUndefined();
  });
});
