/**
 * Every AS2 sample in ../shared/conformance/as2 that comes with its keys (PROVENANCE.tsv):
 * parsed, decrypted and verified where possible, each with its expected outcome. Where a stored
 * sample no longer verifies (line endings or binary bytes altered when it was stored), the
 * `openssl` CLI is asked for its verdict on the same bytes and ours must agree.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMdn } from '../../src/transports/as2/mdn-parse.ts';
import { headerValue, parseEntity, parseHeaderBlock, splitMultipart, parseContentType } from '../../src/transports/as2/mime.ts';
import { unpackMessage } from '../../src/transports/as2/unpack.ts';
import { GatewayError } from '../../src/core/errors.ts';
import { createPki, type Pki } from './openssl.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const conf = path.resolve(repoRoot, '../shared/conformance/as2');
const bytes = (p: string) => readFileSync(path.join(conf, p));
const text = (p: string) => readFileSync(path.join(conf, p), 'utf8');

function errorOf(fn: () => unknown): GatewayError {
  try { fn(); } catch (e) { if (e instanceof GatewayError) return e; throw e; }
  throw new Error('expected a GatewayError');
}

/** the multipart/report inside a signed MDN, read without checking the signature */
function unsignedReport(contentType: string, body: Uint8Array) {
  const first = splitMultipart(body, parseContentType(contentType).params.boundary ?? '')[0];
  if (!first) throw new Error('no first part');
  const inner = parseEntity(first);
  return parseMdn({ contentType: headerValue(inner.headers, 'Content-Type') ?? '', body: inner.body });
}

describe.skipIf(!existsSync(conf))('AS2 conformance samples', () => {
  let pki: Pki;
  beforeAll(() => { pki = createPki(); });
  afterAll(() => pki?.cleanup());

  describe('MDNs', () => {
    it('as2testing (Microsoft-HTTPAPI) signed sha-256 MDN: signature verifies with as2testing.cer', () => {
      const e = parseEntity(bytes('libas2/mdn_signed_from_as2testing_http.txt'));
      const mdn = parseMdn({ contentType: headerValue(e.headers, 'Content-Type') ?? '', body: e.body, partnerCertificatesPem: [text('libas2/certs/as2testing.cer')] });
      expect(mdn.signed).toBe(true);
      expect(mdn.signatureDigest).toBe('sha256');
      expect(mdn.originalMessageId).toBe('<51dac186-d7d2-8440-392e-d9153a830125@DESKTOP-BTP8V2E>');
      expect(mdn.receivedContentMic).toEqual({ value: 'bIwxkbRLLtHWlniKxMReISQ/GvEve0LV/hxdl9OD0E8=', label: 'sha-256' });
      expect(mdn.disposition).toEqual({ raw: 'automatic-action/MDN-sent-automatically; processed', ok: true });
    });

    it('as2testing MDN is refused with another certificate', () => {
      const e = parseEntity(bytes('libas2/mdn_signed_from_as2testing_http.txt'));
      const err = errorOf(() => parseMdn({ contentType: headerValue(e.headers, 'Content-Type') ?? '', body: e.body, partnerCertificatesPem: [text('libas2/certs/libas2community.cer')] }));
      expect(err.code).toBe('as2_mdn_signature_invalid');
    });

    it('ph-OpenAS2 MDN (david): the stored body no longer matches its signature, as openssl also finds; fields still readable', () => {
      const h = parseHeaderBlock(text('phase2/mdn_20190925_david.header'));
      const ct = headerValue(h, 'Content-Type') ?? '';
      const body = bytes('phase2/mdn_20190925_david.payload');
      const err = errorOf(() => parseMdn({ contentType: ct, body, partnerCertificatesPem: [text('phase2/certs/mdn_20190925_david.pem')] }));
      expect(err.code).toBe('as2_mdn_signature_invalid');
      expect(err.message).toMatch(/content digest does not match/);
      expect(() => pki.openssl(['cms', '-verify', '-noverify', '-in', pki.file('david.eml', Buffer.concat([Buffer.from(`Content-Type: ${ct}\n\n`), body])), '-out', pki.file('david.out')])).toThrow(/content verify error|Verification failure/);
      const report = unsignedReport(ct, body);
      expect(report.originalMessageId).toBeDefined();
      expect(report.disposition.raw).toMatch(/^automatic-action\/MDN-sent-automatically; processed/);
    });

    it('ph-OpenAS2 4.4.4 MDN with every header value quoted (issue 97): Content-Type unquoted and parsed', () => {
      const h = parseHeaderBlock(text('phase2/mdn_issue97_quoted_headers.header'));
      const ct = headerValue(h, 'Content-Type') ?? '';
      expect(ct.startsWith('"')).toBe(true);
      expect(parseContentType(ct).type).toBe('multipart/signed');
      expect(parseContentType(ct).params.boundary).toBe('----=_Part_32_690701454.1570473512390');
      const report = unsignedReport(ct, bytes('phase2/mdn_issue97.payload'));
      expect(report.disposition.raw).toMatch(/^automatic-action\/MDN-sent-automatically; processed/);
    });

    it('IBM Sterling MDN: its binary signature was mangled when stored (U+FFFD bytes): precise error, no crash; report readable', () => {
      const e = parseEntity(bytes('phase2/mdn_sterling_fina.payload'));
      const ct = headerValue(e.headers, 'Content-Type') ?? '';
      const err = errorOf(() => parseMdn({ contentType: ct, body: e.body, partnerCertificatesPem: [text('phase2/certs/mdn_sterling_fina.pem')] }));
      expect(err.code).toBe('as2_mdn_signature_invalid');
      const report = unsignedReport(ct, e.body);
      expect(report.originalMessageId).toBeDefined();
      expect(report.disposition.raw).toMatch(/processed/i);
    });
  });

  describe('messages', () => {
    const libas2 = () => ({ privateKeyPem: text('libas2/certs/libas2community.key'), certificatePem: text('libas2/certs/libas2community.cer') });
    const x12940 = () => {
      const part = parseEntity(bytes('libas2/mime_edi_x12_base64_part.txt'));
      return Buffer.from(part.body.toString().replace(/\s+/g, ''), 'base64');
    };

    it('libas2 multipart/signed sha256 (folded header): verifies with libas2community.cer; payload is the X12 940', () => {
      const e = parseEntity(bytes('libas2/mime_multipart_signed_sha256.txt'));
      const u = unpackMessage(e.headers, e.body, { identity: libas2(), partnerCertificatesPem: [libas2().certificatePem], maxDecompressedBytes: 1 << 20 });
      expect(u.signed).toBe(true);
      expect(u.signatureDigest).toBe('sha256');
      expect(Buffer.from(u.payload).equals(x12940())).toBe(true);
      expect(Buffer.from(u.payload).toString('latin1')).toMatch(/^ISA\*00\*/);
    });

    it('libas2 enveloped-data with RSAES-OAEP (SHA-512 params) decrypts to content.mime.txt', () => {
      const e = parseEntity(bytes('libas2/mime_enveloped_data_rsaes_oaep.txt'));
      const u = unpackMessage(e.headers, e.body, { identity: libas2(), partnerCertificatesPem: [], maxDecompressedBytes: 1 << 20 });
      expect(u.encrypted).toEqual({ cipher: 'aes128-cbc', keyTransport: 'rsaes-oaep' });
      expect(Buffer.from(u.payload).equals(x12940())).toBe(true);
      expect(Buffer.from(u.micBytes).toString('latin1').startsWith('Content-Type: application/edi-x12; name=message.edi')).toBe(true);
    });

    it('libas2 early enveloped-data (3DES, PKCS#1 v1.5 key transport) decrypts; its inner signature fails for us as for openssl', () => {
      const identity = { privateKeyPem: text('libas2/certs/sample_priv.pem'), certificatePem: text('libas2/certs/sample_cert.pem') };
      const e = parseEntity(bytes('libas2/mime_enveloped_data_early.txt'));
      const err = errorOf(() => unpackMessage(e.headers, e.body, { identity, partnerCertificatesPem: [identity.certificatePem], maxDecompressedBytes: 1 << 20 }));
      expect(err.code).toBe('as2_integrity_check_failed');
      const decrypted = pki.openssl(['cms', '-decrypt', '-in', path.join(conf, 'libas2/mime_enveloped_data_early.txt'), '-inkey', path.join(conf, 'libas2/certs/sample_priv.pem'), '-binary']);
      expect(decrypted.toString('latin1')).toMatch(/^Content-Type: multipart\/signed/);
      expect(() => pki.openssl(['cms', '-verify', '-noverify', '-in', pki.file('early.eml', decrypted), '-out', pki.file('early.out')])).toThrow(/content verify error|Verification failure/);
    });

    it('OpenAS2 raw HTTP request (signed sha1, stored with bare-LF lines): verifies once its MIME header lines are CRLF, as openssl finds; the payload stays as received', () => {
      const raw = bytes('phase2/openas2_raw_http_signed_x12_850.txt');
      const entity = parseEntity(raw.subarray(raw.indexOf(0x0a) + 1)); // drop the request line
      expect(headerValue(entity.headers, 'AS2-From')).toBe('OpenAS2B');
      const ct = parseContentType(headerValue(entity.headers, 'Content-Type'));
      const [first, sigPart] = splitMultipart(entity.body, ct.params.boundary ?? '');
      if (!first || !sigPart) throw new Error('two parts expected');
      const sigDer = Buffer.from(parseEntity(sigPart).body.toString().replace(/\s+/g, ''), 'base64');
      const certPem = pki.openssl(['pkcs7', '-inform', 'DER', '-in', pki.file('oa.sig', sigDer), '-print_certs']).toString();
      expect(certPem).toContain('CN = OpenAS2B');
      // openssl: the bytes as stored do not verify; with the header lines (only) made CRLF they do
      expect(() => pki.openssl(['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', pki.file('oa2.sig', sigDer), '-content', pki.file('oa.first', first), '-out', pki.file('oa.out')])).toThrow(/content verify error|Verification failure/);
      const text = Buffer.from(first).toString('latin1');
      const split = text.indexOf('\n\n');
      const canonical = Buffer.from(text.slice(0, split).replace(/\n/g, '\r\n') + '\r\n\r\n' + text.slice(split + 2), 'latin1');
      pki.openssl(['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', pki.file('oa3.sig', sigDer), '-content', pki.file('oa.canonical', canonical), '-out', pki.file('oa3.out')]);
      const u = unpackMessage(entity.headers, entity.body, { identity: libas2(), partnerCertificatesPem: [certPem], maxDecompressedBytes: 1 << 20 });
      expect(u).toMatchObject({ signed: true, signatureDigest: 'sha1', canonicalized: 'headers' });
      expect(Buffer.from(u.micBytes).equals(canonical)).toBe(true);
      expect(Buffer.from(u.payload).equals(Buffer.from(text.slice(split + 2), 'latin1'))).toBe(true);
    });
  });
});
