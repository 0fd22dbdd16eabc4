import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { children, octetValue, oidValue, readContentInfo, readTlv } from './der-reader.ts';
import { oid } from './der-writer.ts';
import { decryptEnveloped, encryptEnveloped } from './cms-enveloped.ts';
import { signDetached, verifySignedData } from './cms-signed.ts';
import { decompress } from './cms-compressed.ts';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('DER reader', () => {
  it('decodes the envelopedData OID (RFC 5652: 1.2.840.113549.1.7.3) and the writer encodes it back', () => {
    const der = hex('06 09 2A 86 48 86 F7 0D 01 07 03');
    expect(oidValue(der, readTlv(der, 0))).toBe('1.2.840.113549.1.7.3');
    expect(Buffer.from(oid('1.2.840.113549.1.7.3')).equals(Buffer.from(der))).toBe(true);
  });
  it('reads BER indefinite lengths and constructed OCTET STRINGs', () => {
    const der = hex('30 80 24 80 04 01 41 04 01 42 00 00 00 00');
    const top = readTlv(der, 0);
    expect(top.end).toBe(der.length);
    const [os] = children(der, top);
    expect(Buffer.from(octetValue(der, os!)).toString()).toBe('AB');
  });
  it('long-form lengths', () => {
    const der = Uint8Array.from([0x04, 0x82, 0x01, 0x00, ...new Uint8Array(256)]);
    expect(readTlv(der, 0).contentEnd).toBe(260);
  });
  it.each([
    ['truncated', '30 05 04 01'],
    ['missing end-of-contents', '30 80 04 01 41'],
    ['length beyond data', '04 84 7f ff ff ff'],
    ['not a ContentInfo', '04 01 41'],
  ])('%s -> as2_cms_invalid', (_n, h) => {
    expect(() => readContentInfo(hex(h), 'body')).toThrow(GatewayError);
  });
});

describe('CMS readers never crash on damaged input', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'as2-der-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-subj', '/CN=fuzz', '-days', '2'], { stdio: 'pipe' });
  const keyPem = readFileSync(path.join(dir, 'k.pem'), 'utf8');
  const certPem = readFileSync(path.join(dir, 'c.pem'), 'utf8');
  const id = { privateKeyPem: keyPem, certificatePem: certPem };
  const content = new Uint8Array(Buffer.from('Content-Type: application/edi-x12\r\n\r\nISA*00~\n'));

  it('every truncation and many byte flips of enveloped-data and signed-data give a GatewayError', async () => {
    const enveloped = encryptEnveloped(content, certPem, { cipher: 'aes128-cbc', keyTransport: 'rsaes-pkcs1-v1_5' });
    const signed = await signDetached(content, id, 'sha256', new Date(0));
    const probes: Array<[Uint8Array, (d: Uint8Array) => unknown]> = [
      [enveloped, (d) => decryptEnveloped(d, id)],
      [signed, (d) => verifySignedData(d, [certPem], content)],
      [signed, (d) => decompress(d, 1000)],
    ];
    let checked = 0;
    for (const [good, read] of probes) {
      const damaged: Uint8Array[] = [];
      for (let n = 0; n < good.length; n += 7) damaged.push(good.subarray(0, n));
      for (let i = 0; i < good.length; i += 11) { const d = Uint8Array.from(good); d[i] = (d[i] ?? 0) ^ 0x5a; damaged.push(d); }
      for (const d of damaged) {
        try { read(d); } catch (e) {
          if (!(e instanceof GatewayError)) throw new Error(`non-GatewayError ${(e as Error).name}: ${(e as Error).message}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
