/**
 * One RSA identity for the AS2 targets, made once with the openssl CLI (as the AS2 tests do),
 * and AS2 messages built with the gateway's own builder: plain, signed, compressed, encrypted
 * (both key transports), and all three, so mutations start from every layer combination.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAs2Message } from '../../src/transports/as2/build-message.ts';
import { buildEntity } from '../../src/transports/as2/mime.ts';
import { prepareIdentity, type PreparedIdentity } from '../../src/transports/as2/identity.ts';

export interface As2Fixture { identity: PreparedIdentity; certPem: string; messages: Array<{ name: string; entity: Uint8Array; cms?: Uint8Array }> }

let cached: Promise<As2Fixture> | undefined;

export function as2Fixture(): Promise<As2Fixture> {
  cached ??= make();
  return cached;
}

const X12 = new TextEncoder().encode('ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*EDIGW          *261123*1200*U*00401*000000001*0*P*>~GS*PO*ACMESUPPLY*EDIGW*20261123*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO-1**20261123~SE*3*0001~GE*1*1~IEA*1*000000001~');

async function make(): Promise<As2Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-as2-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-subj', '/CN=fuzz', '-days', '3650'], { cwd: dir, stdio: 'pipe' });
    const keyPem = readFileSync(path.join(dir, 'k.pem'), 'utf8');
    const certPem = readFileSync(path.join(dir, 'c.pem'), 'utf8');
    const identity = prepareIdentity({ privateKeyPem: keyPem, certificatePem: certPem });
    const shapes = [
      { name: 'plain', sign: false, encrypt: false, compress: false },
      { name: 'signed', sign: true, encrypt: false, compress: false },
      { name: 'compressed', sign: false, encrypt: false, compress: true },
      { name: 'encrypted-pkcs1', sign: false, encrypt: true, compress: false, keyTransport: 'rsaes-pkcs1-v1_5' as const },
      { name: 'encrypted-oaep', sign: false, encrypt: true, compress: false },
      { name: 'signed-compressed-encrypted', sign: true, encrypt: true, compress: true },
      { name: 'signed-then-compressed', sign: true, encrypt: false, compress: 'after-signing' as const },
    ];
    const messages: As2Fixture['messages'] = [];
    for (const s of shapes) {
      const m = await buildAs2Message({
        payload: X12, contentType: 'application/edi-x12', filename: 'po.edi', identity, recipientCertificatePem: certPem,
        sign: s.sign, encrypt: s.encrypt, compress: s.compress, mic: 'sha256', cipher: 'aes128-cbc',
        keyTransport: s.keyTransport ?? 'rsaes-oaep', now: new Date('2026-11-23T12:00:00Z'),
      });
      const cms = s.encrypt || (s.compress && !s.sign) ? m.body : undefined;
      messages.push({ name: `built:${s.name}`, entity: buildEntity(m.headers, m.body), ...(cms ? { cms } : {}) });
    }
    return { identity, certPem, messages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
