/**
 * Certificate expiry across the gateway's own AS2 identity and every partner's certificates
 * (two may be current during a rotation): what /healthz and the admin API report, so a
 * certificate expiring within the warning window is seen before partners' messages fail.
 */
import { certificateExpiry, splitPemCertificates } from './certificates.ts';

export interface CertificateStatus {
  owner: string;
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  daysLeft?: number;
  /** not_yet_valid: notBefore is still ahead (a certificate installed early for a rotation) */
  status: 'ok' | 'expiring' | 'expired' | 'not_yet_valid' | 'invalid';
  detail?: string;
}

export function certificateReport(entries: Array<{ owner: string; pem: string }>, now: Date, warnDays = 30): CertificateStatus[] {
  const out: CertificateStatus[] = [];
  for (const { owner, pem } of entries) {
    const certs = splitPemCertificates(pem);
    if (certs.length === 0) { out.push({ owner, status: 'invalid', detail: 'no PEM certificate found' }); continue; }
    for (const c of certs) {
      try {
        const e = certificateExpiry(c);
        const daysLeft = e.daysLeft(now);
        const status = daysLeft < 0 ? 'expired' : e.notBefore > now ? 'not_yet_valid' : daysLeft <= warnDays ? 'expiring' : 'ok';
        out.push({ owner, subject: e.subject, notBefore: e.notBefore.toISOString(), notAfter: e.notAfter.toISOString(), daysLeft, status });
      } catch (err) {
        out.push({ owner, status: 'invalid', detail: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return out;
}
