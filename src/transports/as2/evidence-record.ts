/**
 * The evidence rows of an AS2 send (store.as2Evidence): the message as we signed it and the
 * partner's synchronous MDN as it came, with our MIC, the MIC it returned and both certificates.
 * A send that reached nobody leaves none (the job's next attempt signs again).
 */
import type { NewEvidence } from './evidence-store.ts';
import type { EvidenceDetail } from './evidence-export.ts';
import type { SendAs2Result } from './sender.ts';

export interface OutboundEvidenceContext {
  /** the gateway message sent */
  messageId: string;
  partnerId: string;
  from: string;
  to: string;
  ourCertificatePem: string;
  partnerCertificatesPem: string[];
}

export function outboundEvidence(r: SendAs2Result, c: OutboundEvidenceContext): NewEvidence[] {
  if (r.status === 'failed' || !r.evidence) return [];
  const rows: NewEvidence[] = [];
  const base = { messageId: c.messageId, direction: 'outbound' as const, partnerId: c.partnerId, as2MessageId: r.messageId };
  const { signed, mdn } = r.evidence;
  if (signed) {
    const detail: EvidenceDetail = { as2From: c.from, as2To: c.to, at: signed.at, signed: true, mic: r.mic, signerCertificatePem: c.ourCertificatePem };
    rows.push({ ...base, part: 'message', contentType: signed.contentType, body: signed.body, detail: detail as Record<string, unknown>, at: signed.at });
  }
  if (mdn) {
    const signer = r.mdn?.signerCertificateIndex !== undefined ? c.partnerCertificatesPem[r.mdn.signerCertificateIndex] : undefined;
    const detail: EvidenceDetail = {
      as2From: c.from, as2To: c.to, at: mdn.at, signed: r.mdn?.signed ?? false,
      ...(r.mdn ? { disposition: r.mdn.disposition.raw } : {}),
      ...(r.mdn?.receivedContentMic ? { receivedContentMic: `${r.mdn.receivedContentMic.value}, ${r.mdn.receivedContentMic.label}` } : {}),
      ...(signer ? { signerCertificatePem: signer } : {}),
    };
    rows.push({ ...base, part: 'mdn', contentType: mdn.contentType, body: mdn.body, detail: detail as Record<string, unknown>, at: mdn.at });
  }
  return rows;
}
