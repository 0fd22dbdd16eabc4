/**
 * Certificate expiry across the gateway's own AS2 identity and every partner's certificates
 * (two may be current during a rotation): what /healthz and the admin API report, so a
 * certificate expiring within the warning window is seen before partners' messages fail.
 */
import { certificateExpiry, splitPemCertificates } from './certificates.ts';

export interface CertificateStatus {
  owner: string;
  subject?: string;
  notAfter?: string;
  daysLeft?: number;
  status: 'ok' | 'expiring' | 'expired' | 'invalid';
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
        out.push({ owner, subject: e.subject, notAfter: e.notAfter.toISOString(), daysLeft, status: daysLeft < 0 ? 'expired' : daysLeft <= warnDays ? 'expiring' : 'ok' });
      } catch (err) {
        out.push({ owner, status: 'invalid', detail: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return out;
}
