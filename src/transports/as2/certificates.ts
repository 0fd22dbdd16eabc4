/** Certificate facts for /healthz and the admin API: subject, validity and expiry (warn within 30 days). */
import { X509Certificate } from 'node:crypto';
import { GatewayError } from '../../core/errors.ts';

export interface CertificateExpiry {
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** whole days from `now` until notAfter (negative once expired) */
  daysLeft(now: Date): number;
}

export function certificateExpiry(pem: string): CertificateExpiry {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new GatewayError('as2_certificate_invalid', `not a PEM X.509 certificate: ${(e as Error).message}`);
  }
  const notAfter = new Date(cert.validTo);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter,
    daysLeft: (now) => Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000),
  };
}

/** Splits a PEM bundle into its certificates (a partner file may hold the current and the next). */
export function splitPemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((s) => `${s}\n`) ?? [];
}
