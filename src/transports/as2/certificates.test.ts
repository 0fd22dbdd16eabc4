import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateReport } from './certificate-report.ts';
import { certificateExpiry, splitPemCertificates } from './certificates.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'as2-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cert(cn: string, days: number): string {
  const key = path.join(dir, `${cn}.key`);
  const out = path.join(dir, `${cn}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', out, '-subj', `/CN=${cn}`, '-days', String(days)], { stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

/** notAfter as openssl reads it */
function opensslNotAfter(pem: string): Date {
  const out = execFileSync('openssl', ['x509', '-noout', '-enddate'], { input: pem }).toString();
  return new Date(out.replace('notAfter=', '').trim());
}

describe('certificateExpiry', () => {
  it('reports subject, notAfter and days left at a given time', () => {
    const pem = cert('acme', 20);
    const e = certificateExpiry(pem);
    const notAfter = opensslNotAfter(pem);
    expect(e.subject).toBe('CN=acme');
    expect(e.notAfter.getTime()).toBe(notAfter.getTime());
    const day = 86_400_000;
    expect(e.daysLeft(new Date(notAfter.getTime() - 22 * day - 3600_000))).toBe(22); // within the 30-day warning
    expect(e.daysLeft(new Date(notAfter.getTime() + 1000))).toBe(-1); // expired: negative
  });
  it('refuses text that is not a certificate', () => {
    expect(() => certificateExpiry('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(/not a PEM X.509 certificate/);
  });
  it('splits a bundle holding the current and the next certificate', () => {
    const both = cert('a', 400) + cert('b', 800);
    expect(splitPemCertificates(both).map((p) => certificateExpiry(p).subject)).toEqual(['CN=a', 'CN=b']);
  });
});

describe('certificateReport', () => {
  it('judges each certificate by the clock it is given: not yet valid, ok, expiring, expired', () => {
    const pem = cert('rotation', 100);
    const day = 86_400_000;
    const notBefore = new Date(execFileSync('openssl', ['x509', '-noout', '-startdate'], { input: pem }).toString().replace('notBefore=', '').trim());
    const notAfter = opensslNotAfter(pem);
    const at = (t: number) => certificateReport([{ owner: 'acme', pem }], new Date(t))[0]?.status;
    expect(at(notBefore.getTime() - 1000)).toBe('not_yet_valid');
    expect(at(notBefore.getTime() + day)).toBe('ok');
    expect(at(notAfter.getTime() - 10 * day)).toBe('expiring');
    expect(at(notAfter.getTime() + 1000)).toBe('expired');
  });
});
