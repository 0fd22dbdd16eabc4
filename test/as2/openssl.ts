/**
 * Test peer: the `openssl` command line builds and checks AS2 messages independently of our
 * code. Keys and certificates are throwaway RSA-2048 ones made in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

export interface Party { name: string; key: string; cert: string; keyPem: string; certPem: string }

export interface Pki {
  dir: string;
  file(name: string, data?: Uint8Array | string): string;
  party(name: string, days?: number): Party;
  openssl(args: string[], input?: Uint8Array): Buffer;
  cleanup(): void;
}

/**
 * `now`: the clock the gateway under test judges certificates by. Certificates are issued valid
 * from that instant (through `openssl ca -startdate`), so a test with a fixed clock gets the same
 * days left whatever today's date is. Without it they are valid from the real time.
 */
export function createPki(opts: { now?: Date } = {}): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'as2-test-'));
  let n = 0;
  const openssl = (args: string[], input?: Uint8Array) => execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return {
    dir,
    file(name, data) {
      const p = path.join(dir, `${n++}-${name}`);
      if (data !== undefined) writeFileSync(p, data);
      return p;
    },
    party(name, days = 365) {
      const key = path.join(dir, `${name}.key`);
      const cert = path.join(dir, `${name}.crt`);
      const subj = `/CN=${name}/O=AS2 test`;
      if (!opts.now) {
        openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', subj, '-days', String(days)]);
      } else {
        const from = opts.now;
        const until = new Date(from.getTime() + days * 86_400_000);
        const csr = path.join(dir, `${name}.csr`);
        openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subj]);
        openssl(['ca', '-batch', '-selfsign', '-notext', '-config', caConfig(dir), '-keyfile', key, '-in', csr, '-out', cert,
          '-startdate', asn1Time(from), '-enddate', asn1Time(until)]);
      }
      return { name, key, cert, keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
    },
    openssl,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A minimal `openssl ca` setup in the PKI's folder (database, serial), made once. */
function caConfig(dir: string): string {
  const cnf = path.join(dir, 'ca.cnf');
  if (!existsSync(cnf)) {
    writeFileSync(path.join(dir, 'index.txt'), '');
    writeFileSync(path.join(dir, 'serial'), '1000\n');
    writeFileSync(cnf, [
      '[ca]', 'default_ca = test_ca', '[test_ca]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir',
      'serial = $dir/serial', 'default_md = sha256', 'policy = any', 'unique_subject = no', 'email_in_dn = no',
      'x509_extensions = ext', '[any]', 'commonName = supplied', 'organizationName = optional',
      '[ext]', 'basicConstraints = CA:FALSE', 'subjectKeyIdentifier = hash', '',
    ].join('\n'));
  }
  return cnf;
}

/** YYYYMMDDHHMMSSZ (GeneralizedTime), which `openssl ca -startdate/-enddate` accepts. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Splits openssl's S/MIME output (LF header lines) into the Content-Type value and the body. */
export function splitSmime(out: Buffer): { contentType: string; body: Buffer } {
  const text = out.toString('latin1');
  const end = text.indexOf('\n\n');
  const head = text.slice(0, end).replace(/\r/g, '').replace(/\n[ \t]+/g, ' ');
  const ct = /^content-type:\s*(.*)$/im.exec(head)?.[1] ?? '';
  return { contentType: ct.trim(), body: out.subarray(end + 2) };
}

/** openssl cms -sign (binary: no line-ending translation), detached multipart/signed S/MIME. */
export function opensslSign(pki: Pki, entity: Uint8Array, signer: Party, md: string): Buffer {
  return pki.openssl(['cms', '-sign', '-binary', '-in', pki.file('tosign', entity), '-signer', signer.cert, '-inkey', signer.key, '-md', md]);
}

/** openssl cms -encrypt to DER enveloped-data; `oaep` switches key transport to RSAES-OAEP. */
export function opensslEncrypt(pki: Pki, entity: Uint8Array, recipient: Party, cipher: string, oaep?: 'sha1' | 'sha256', stream = false): Buffer {
  const args = ['cms', '-encrypt', '-binary', '-in', pki.file('toencrypt', entity), '-outform', 'DER', `-${cipher}`, '-recip', recipient.cert];
  if (stream) args.push('-stream'); // BER: indefinite lengths, constructed OCTET STRINGs
  if (oaep) args.push('-keyopt', 'rsa_padding_mode:oaep', '-keyopt', `rsa_oaep_md:${oaep}`);
  return pki.openssl(args);
}

/**
 * CMS compressed-data (RFC 3274) built by `openssl asn1parse -genconf` around node's zlib
 * (this openssl build has no zlib, so `openssl cms -compress` is unavailable).
 */
export function opensslCompress(pki: Pki, entity: Uint8Array): Buffer {
  const z = deflateSync(entity).toString('hex').toUpperCase();
  const conf = [
    'asn1=SEQUENCE:ci', '[ci]', 'type=OID:1.2.840.113549.1.9.16.1.9', 'content=EXPLICIT:0,SEQUENCE:cd',
    '[cd]', 'version=INTEGER:0', 'alg=SEQUENCE:zlibalg', 'encap=SEQUENCE:encap',
    '[zlibalg]', 'oid=OID:1.2.840.113549.1.9.16.3.8',
    '[encap]', 'type=OID:1.2.840.113549.1.7.1', `content=EXPLICIT:0,FORMAT:HEX,OCTETSTRING:${z}`, '',
  ].join('\n');
  const out = pki.file('compressed.der');
  pki.openssl(['asn1parse', '-genconf', pki.file('compress.cnf', conf), '-out', out, '-noout']);
  return readFileSync(out);
}

/**
 * Verifies a multipart/signed text entity (an MDN: CRLF throughout) with openssl against the
 * signer's certificate; returns the signed content. Text mode on purpose: openssl's `-binary`
 * S/MIME reader treats only LF as the line end, so it would keep the CR of the CRLF that
 * precedes a boundary as content.
 */
export function opensslVerify(pki: Pki, contentType: string, body: Uint8Array, signer: Party): Buffer {
  const smime = Buffer.concat([Buffer.from(`MIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n`), body]);
  return pki.openssl(['cms', '-verify', '-in', pki.file('mdn.eml', smime), '-CAfile', signer.cert, '-purpose', 'any']);
}

/** Verifies a detached DER signature over exact bytes (binary, no canonicalisation). */
export function opensslVerifyDetached(pki: Pki, signatureDer: Uint8Array, content: Uint8Array, signer: Party): void {
  pki.openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', pki.file('sig.der', signatureDer), '-content', pki.file('signed.bin', content), '-CAfile', signer.cert, '-purpose', 'any', '-out', pki.file('verified.out')]);
}

export function opensslDecrypt(pki: Pki, der: Uint8Array, recipient: Party): Buffer {
  return pki.openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', pki.file('enc.der', der), '-inkey', recipient.key, '-recip', recipient.cert]);
}

/** base64 digest by `openssl dgst` */
export function opensslMic(pki: Pki, bytes: Uint8Array, md: string): string {
  return pki.openssl(['dgst', `-${md}`, '-binary', pki.file('mic', bytes)]).toString('base64');
}

export function mimeEntity(headers: string[], body: Uint8Array | string): Buffer {
  return Buffer.concat([Buffer.from(headers.map((h) => `${h}\r\n`).join('') + '\r\n'), Buffer.from(body)]);
}
