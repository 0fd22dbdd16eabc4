/** Disposition-Notification-Options (RFC 4130 7.3) and Receipt-Delivery-Option. */
import { parseMicAlgorithm, type MicAlgorithm } from './oids.ts';

export type Importance = 'required' | 'optional';

export interface MdnRequest {
  /** a signed receipt was asked for (pkcs7-signature), and how strongly */
  signed?: Importance;
  /** MIC algorithm for Received-Content-MIC and the receipt signature: the first we support */
  micAlgorithm?: MicAlgorithm;
  /** the label the sender used for it (echoed in Received-Content-MIC) */
  micLabel?: string;
  /** the sender asked only for algorithms we do not support */
  unsupportedMic?: { importance: Importance; asked: string[] };
  /** async MDN URL (Receipt-Delivery-Option); absent: synchronous */
  receiptUrl?: string;
}

/** `refused`: algorithms we know but do not use for this partner (SHA-1 under the modern profile): treated as unsupported */
export function parseDispositionOptions(value: string | undefined, refused: readonly MicAlgorithm[] = []): Pick<MdnRequest, 'signed' | 'micAlgorithm' | 'micLabel' | 'unsupportedMic'> {
  const out: ReturnType<typeof parseDispositionOptions> = {};
  if (!value) return out;
  for (const param of value.split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    const [importanceRaw, ...values] = param.slice(eq + 1).split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
    const importance: Importance = importanceRaw?.toLowerCase() === 'required' ? 'required' : 'optional';
    if (name === 'signed-receipt-protocol') {
      if (values.some((v) => v.toLowerCase() === 'pkcs7-signature')) out.signed = importance;
    } else if (name === 'signed-receipt-micalg') {
      for (const v of values) {
        const alg = parseMicAlgorithm(v);
        if (alg && !refused.includes(alg)) { out.micAlgorithm = alg; out.micLabel = v.toLowerCase(); break; }
      }
      if (!out.micAlgorithm && values.length > 0) out.unsupportedMic = { importance, asked: values };
    }
  }
  return out;
}

/** What we ask a partner for: a signed receipt with this MIC algorithm (unsigned receipts need no header). */
export function buildDispositionOptions(micLabel: string): string {
  return `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${micLabel}`;
}
