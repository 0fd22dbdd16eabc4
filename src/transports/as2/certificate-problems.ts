/**
 * What is wrong with a partner certificate at the time it is used: expired (or not valid yet), or
 * signed with SHA-1. Each AS2 message a certificate touches (the one that verified its signature,
 * the one we encrypted to, the one that verified the partner's MDN) carries these as a warning, or
 * is refused, per the partner's `as2.certificateProblems: warn | refuse` (not only /healthz).
 */
import { X509Certificate } from 'node:crypto';
import { children, expectTag, oidValue, readTlv } from './der-reader.ts';

/** signature algorithms over SHA-1 (RFC 3279, RFC 5758): RSA, DSA, ECDSA */
const SHA1_SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
};

export interface CertificateProblem {
  code: 'as2_certificate_expired' | 'as2_certificate_not_yet_valid' | 'as2_certificate_sha1';
  text: string;
}

const cache = new Map<string, { subject: string; serial: string; notBefore: Date; notAfter: Date; sha1?: string } | null>();

function factsOf(pem: string) {
  let f = cache.get(pem);
  if (f !== undefined) return f;
  try {
    const cert = new X509Certificate(pem);
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue }
    const der = new Uint8Array(cert.raw);
    const [, alg] = children(der, expectTag(readTlv(der, 0), 0x30, 'Certificate'));
    const oid = oidValue(der, children(der, expectTag(alg, 0x30, 'signatureAlgorithm'))[0]!);
    f = { subject: cert.subject.replace(/\n/g, ', '), serial: cert.serialNumber, notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo), ...(SHA1_SIGNATURES[oid] ? { sha1: SHA1_SIGNATURES[oid] } : {}) };
  } catch {
    f = null; // unreadable certificates are reported where they are loaded (key-material.ts, /healthz)
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pem, f);
  return f;
}

/** the problems of the certificate `pem` of partner `partnerId`, used as `role`, at `now` */
export function certificateProblems(pem: string | undefined, now: Date, partnerId: string, role: string): CertificateProblem[] {
  if (!pem) return [];
  const f = factsOf(pem);
  if (!f) return [];
  const who = `partner ${partnerId}'s certificate ${f.subject} (serial ${f.serial}), ${role},`;
  const out: CertificateProblem[] = [];
  if (f.notAfter < now) out.push({ code: 'as2_certificate_expired', text: `as2_certificate_expired: ${who} expired on ${f.notAfter.toISOString()}: ask the partner for a new one and add it to its profile (as2.certificates: [current, next])` });
  else if (f.notBefore > now) out.push({ code: 'as2_certificate_not_yet_valid', text: `as2_certificate_not_yet_valid: ${who} is valid only from ${f.notBefore.toISOString()}` });
  if (f.sha1) out.push({ code: 'as2_certificate_sha1', text: `as2_certificate_sha1: ${who} is signed with SHA-1 (${f.sha1}), which no longer proves who issued it: ask the partner for a certificate signed with SHA-256` });
  return out;
}
