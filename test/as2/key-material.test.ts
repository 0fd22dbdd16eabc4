/**
 * Keys and certificates as partners and tools hand them over (issue 15): openssl pkcs12 output
 * with "Bag Attributes" lines, key and certificate in one PEM, DER .cer, PKCS#12 with its password
 * in a variable, a chain file. All files are made by the openssl CLI; what we read is checked by
 * signing with it and verifying with openssl, and by openssl's own fingerprints.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayOptionsFromEnv } from '../../src/cli/cmd-serve.ts';
import { readAs2IdentityFromEnv, readPartnerCertificates } from '../../src/config/key-material.ts';
import { signDetached } from '../../src/transports/as2/cms-signed.ts';
import { prepareIdentity } from '../../src/transports/as2/identity.ts';
import { createPki, opensslVerifyDetached, type Party, type Pki } from './openssl.ts';

let pki: Pki;
let us: Party;
let caKey: string, caCert: string, leafKey: string, leafCert: string;
const content = Buffer.from('Content-Type: application/edi-x12\r\n\r\nISA*00~\n');

beforeAll(() => {
  pki = createPki();
  us = pki.party('edigw');
  const f = (n: string) => path.join(pki.dir, n);
  caKey = f('ca.key'); caCert = f('ca.crt'); leafKey = f('leaf.key'); leafCert = f('leaf.crt');
  pki.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCert, '-subj', '/CN=Test Issuing CA', '-days', '30']);
  pki.openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', leafKey, '-out', f('leaf.csr'), '-subj', '/CN=edigw-leaf']);
  pki.openssl(['x509', '-req', '-in', f('leaf.csr'), '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', leafCert, '-days', '30']);
});
afterAll(() => pki?.cleanup());

/** openssl's SHA-256 fingerprint of a certificate file, as `AB:CD:...` */
const opensslFingerprint = (file: string, der = false) =>
  /=([0-9A-F:]+)/.exec(pki.openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', file, ...(der ? ['-inform', 'DER'] : [])]).toString())![1];

/** signs with what was read, verifies with openssl trusting `trustFile` (the self-signed certificate, or the issuing CA) */
async function signsAs(identity: { privateKeyPem: string; certificatePem: string; chainPem?: string[] }, trustFile: string): Promise<Buffer> {
  const sig = await signDetached(content, prepareIdentity(identity), 'sha256', new Date());
  opensslVerifyDetached(pki, sig, content, { cert: trustFile } as Party);
  return Buffer.from(sig);
}

describe('our identity (edigw serve)', () => {
  it('a PEM written by openssl pkcs12 (Bag Attributes lines, key and certificate) is read: what failed with "certificate is not valid DER: Too big integer"', async () => {
    const p12 = pki.file('us.p12');
    pki.openssl(['pkcs12', '-export', '-inkey', us.key, '-in', us.cert, '-out', p12, '-passout', 'pass:s3cret', '-name', 'edigw']);
    const bagPem = pki.file('bag.pem');
    pki.openssl(['pkcs12', '-in', p12, '-nodes', '-passin', 'pass:s3cret', '-out', bagPem]);
    const text = readFileSync(bagPem, 'utf8');
    expect(text).toMatch(/^Bag Attributes/m);
    expect(text).toContain('friendlyName: edigw');
    const opts = gatewayOptionsFromEnv({ EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_CERT_FILE: bagPem, EDIGW_AS2_KEY_FILE: bagPem, EDIGW_ADMIN_TOKEN: 'admin-token-0123456789' });
    expect(opts.as2?.as2Id).toBe('EDIGW');
    await signsAs(opts.as2!, us.cert);
    // the same file as the certificate alone: the key is in it
    await signsAs(readAs2IdentityFromEnv({ EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_CERT_FILE: bagPem }), us.cert);
  });

  it('key and certificate in one PEM (cat key cert) is read', async () => {
    const both = pki.file('both.pem', `${us.keyPem}${us.certPem}`);
    await signsAs(readAs2IdentityFromEnv({ EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_CERT_FILE: both }), us.cert);
  });

  it('a DER certificate with a PEM key is read', async () => {
    const der = pki.file('us.cer');
    pki.openssl(['x509', '-in', us.cert, '-outform', 'DER', '-out', der]);
    await signsAs(readAs2IdentityFromEnv({ EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_CERT_FILE: der, EDIGW_AS2_KEY_FILE: us.key }), us.cert);
  });

  it.each([['openssl 3 default (AES-256, PBKDF2)', []], ['legacy (3DES, RC2)', ['-legacy']]])('a PKCS#12 file with its password by variable: %s', async (_name, extra) => {
    const p12 = pki.file('id.p12');
    pki.openssl(['pkcs12', '-export', '-inkey', leafKey, '-in', leafCert, '-certfile', caCert, '-out', p12, '-passout', 'pass:pw-42', ...extra]);
    const id = readAs2IdentityFromEnv({ EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_P12_FILE: p12, EDIGW_AS2_P12_PASSWORD_ENV: 'AS2_P12_PW', AS2_P12_PW: 'pw-42' });
    expect(new X509Certificate(id.certificatePem).fingerprint256).toBe(opensslFingerprint(leafCert));
    expect(id.chainPem.map((p) => new X509Certificate(p).fingerprint256)).toEqual([opensslFingerprint(caCert)]);
    await signsAs(id, caCert); // the leaf chains to the CA openssl trusts
  });

  it('a chain file: the issuer goes with our signature, as openssl lists', async () => {
    const id = readAs2IdentityFromEnv({ EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_CERT_FILE: leafCert, EDIGW_AS2_KEY_FILE: leafKey, EDIGW_AS2_CHAIN_FILE: caCert });
    const sig = await signsAs(id, caCert); // the leaf chains to the CA openssl trusts
    const listed = pki.openssl(['pkcs7', '-inform', 'DER', '-in', pki.file('sig.der', sig), '-print_certs', '-noout']).toString();
    expect(listed).toMatch(/subject=CN ?= ?edigw-leaf/);
    expect(listed).toMatch(/subject=CN ?= ?Test Issuing CA/);
  });

  describe('refused, naming the file and the variable', () => {
    const err = (env: Record<string, string>) => {
      try { readAs2IdentityFromEnv({ EDIGW_AS2_ID: 'EDIGW', ...env }); } catch (e) { return (e as Error).message; }
      throw new Error('expected a refusal');
    };
    it('a wrong PKCS#12 password', () => {
      const p12 = pki.file('wrong.p12');
      pki.openssl(['pkcs12', '-export', '-inkey', us.key, '-in', us.cert, '-out', p12, '-passout', 'pass:right']);
      expect(err({ EDIGW_AS2_P12_FILE: p12, EDIGW_AS2_P12_PASSWORD_ENV: 'PW', PW: 'wrong' })).toMatch(new RegExp(`^EDIGW_AS2_P12_FILE ${p12}: cannot be opened with the password in PW`));
    });
    it('the password variable not set', () => {
      expect(err({ EDIGW_AS2_P12_FILE: '/x/id.p12', EDIGW_AS2_P12_PASSWORD_ENV: 'PW' })).toBe('EDIGW_AS2_P12_FILE /x/id.p12: is a PKCS#12 file, and its password variable PW is not set');
    });
    it('a file that is no certificate', () => {
      const junk = pki.file('junk.pem', 'hello\n');
      expect(err({ EDIGW_AS2_CERT_FILE: junk, EDIGW_AS2_KEY_FILE: us.key })).toBe(`EDIGW_AS2_CERT_FILE ${junk}: is neither PEM ("-----BEGIN CERTIFICATE-----") nor a DER certificate`);
    });
    it('a key of another certificate', () => {
      expect(err({ EDIGW_AS2_CERT_FILE: us.cert, EDIGW_AS2_KEY_FILE: leafKey })).toBe(`EDIGW_AS2_KEY_FILE ${leafKey}: is not the key of the certificate in EDIGW_AS2_CERT_FILE ${us.cert}`);
    });
    it('a certificate without any key', () => {
      expect(err({ EDIGW_AS2_CERT_FILE: us.cert })).toBe(`EDIGW_AS2_CERT_FILE ${us.cert}: holds no private key, so EDIGW_AS2_KEY_FILE must name our key`);
    });
    it('a missing file', () => {
      expect(err({ EDIGW_AS2_CERT_FILE: '/nonexistent/us.pem' })).toBe('EDIGW_AS2_CERT_FILE /nonexistent/us.pem: cannot be read (ENOENT)');
    });
  });
});

describe("a partner's certificate file", () => {
  const src = (file: string) => ({ file, setting: 'partners/acme.yaml as2.certificate' });
  it('DER .cer, Bag Attributes PEM and a two-certificate bundle give the certificates openssl fingerprints', () => {
    const der = pki.file('acme.cer');
    pki.openssl(['x509', '-in', leafCert, '-outform', 'DER', '-out', der]);
    expect(readPartnerCertificates(src(der)).map((p) => new X509Certificate(p).fingerprint256)).toEqual([opensslFingerprint(der, true)]);
    const bag = pki.file('acme-bag.pem', `Bag Attributes\n    friendlyName: acme\nsubject=/CN=edigw-leaf\nissuer=/CN=Test Issuing CA\n${readFileSync(leafCert, 'utf8')}`);
    expect(readPartnerCertificates(src(bag)).map((p) => new X509Certificate(p).fingerprint256)).toEqual([opensslFingerprint(leafCert)]);
    const bundle = pki.file('acme-both.pem', `${us.certPem}${readFileSync(caCert, 'utf8')}`);
    expect(readPartnerCertificates(src(bundle)).map((p) => new X509Certificate(p).fingerprint256)).toEqual([opensslFingerprint(us.cert), opensslFingerprint(caCert)]);
  });

  it('a file with a private key in it is refused: the key stays with the partner', () => {
    const both = pki.file('leak.pem', `${us.keyPem}${us.certPem}`);
    expect(() => readPartnerCertificates(src(both))).toThrow(`partners/acme.yaml as2.certificate ${both}: holds a private key`);
  });
});

