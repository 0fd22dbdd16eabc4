/**
 * Reads an MDN (sync HTTP response or async POST): verifies its signature when signed, then
 * returns the disposition fields. Used by the sender and for async MDNs arriving at POST /as2.
 */
import { GatewayError } from '../../core/errors.ts';
import { decodeTransferEncoding, headerValue, parseContentType, parseEntity, parseHeaderBlock, splitMultipart, type HeaderList, type MimeEntity } from './mime.ts';
import { verifyDetached } from './cms-signed.ts';
import { parseReceivedMic } from './mic.ts';
import type { MicAlgorithm } from './oids.ts';
import type { TrustedKey } from './identity.ts';

export interface ParsedDisposition {
  raw: string;
  /** `processed` with no error/failure modifier */
  ok: boolean;
  /** e.g. `error: decryption-failed`, `failed/Failure: unsupported format` */
  modifier?: string;
}

export interface ParsedMdn {
  signed: boolean;
  /** digest algorithm of the MDN signature, when signed */
  signatureDigest?: MicAlgorithm;
  /** which of the partner's certificates verified the MDN's signature */
  signerCertificateIndex?: number;
  originalMessageId?: string;
  receivedContentMic?: { value: string; label: string };
  disposition: ParsedDisposition;
  fields: HeaderList;
  /** the text/plain explanation, when present */
  text?: string;
}

export function parseDisposition(raw: string): ParsedDisposition {
  const semi = raw.indexOf(';');
  const type = (semi >= 0 ? raw.slice(semi + 1) : raw).trim();
  const slash = type.indexOf('/');
  const base = (slash >= 0 ? type.slice(0, slash) : type).trim().toLowerCase();
  const modifier = slash >= 0 ? type.slice(slash + 1).trim() : undefined;
  return { raw, ok: base === 'processed' && !modifier, ...(modifier ? { modifier } : {}) };
}

export interface MdnInput {
  contentType: string;
  body: Uint8Array;
  /** the partner's certificates (1-2); required to accept a signed MDN */
  partnerCertificatesPem?: TrustedKey[];
  /** refuse an unsigned MDN */
  requireSigned?: boolean;
}

function findDispositionPart(report: MimeEntity | { headers: HeaderList; body: Uint8Array }): { fields: HeaderList; text?: string } {
  const ct = parseContentType(headerValue(report.headers, 'Content-Type'));
  if (ct.type !== 'multipart/report') throw new GatewayError('as2_mdn_invalid', `MDN is ${ct.type}, expected multipart/report`, { expected: 'multipart/report', found: ct.type });
  if (!ct.params.boundary) throw new GatewayError('as2_mdn_invalid', 'multipart/report without boundary');
  let fields: HeaderList | undefined;
  let text: string | undefined;
  for (const raw of splitMultipart(report.body, ct.params.boundary)) {
    const part = parseEntity(raw);
    const pct = parseContentType(headerValue(part.headers, 'Content-Type'));
    const decoded = decodeTransferEncoding(part.body, headerValue(part.headers, 'Content-Transfer-Encoding'));
    if (pct.type === 'message/disposition-notification') fields = parseHeaderBlock(Buffer.from(decoded).toString('latin1'));
    else if (pct.type === 'text/plain' && text === undefined) text = Buffer.from(decoded).toString('utf8').trim();
  }
  if (!fields) throw new GatewayError('as2_mdn_invalid', 'multipart/report has no message/disposition-notification part');
  return { fields, ...(text !== undefined ? { text } : {}) };
}

export function parseMdn(input: MdnInput): ParsedMdn {
  const ct = parseContentType(input.contentType);
  let report: { headers: HeaderList; body: Uint8Array } = { headers: [['Content-Type', input.contentType]], body: input.body };
  let signed = false;
  let signatureDigest: MicAlgorithm | undefined;
  let signerCertificateIndex: number | undefined;
  if (ct.type === 'multipart/signed') {
    if (!ct.params.boundary) throw new GatewayError('as2_mdn_invalid', 'multipart/signed MDN without boundary');
    const [first, sigPart] = splitMultipart(input.body, ct.params.boundary);
    if (!first || !sigPart) throw new GatewayError('as2_mdn_invalid', 'signed MDN needs two parts');
    if (!input.partnerCertificatesPem?.length) throw new GatewayError('as2_mdn_signature_invalid', 'signed MDN but no partner certificate to verify it');
    const sig = parseEntity(sigPart);
    const sigDer = decodeTransferEncoding(sig.body, headerValue(sig.headers, 'Content-Transfer-Encoding'));
    let signedBytes: Uint8Array;
    try {
      const r = verifyDetached(sigDer, input.partnerCertificatesPem, first);
      signatureDigest = r.digest;
      signerCertificateIndex = r.certificateIndex;
      signedBytes = r.signedBytes;
    } catch (e) {
      const ge = e instanceof GatewayError ? e : undefined;
      throw new GatewayError('as2_mdn_signature_invalid', `MDN signature does not verify: ${ge?.message ?? (e as Error).message}`, ge?.detail ?? {});
    }
    signed = true;
    report = parseEntity(signedBytes);
  } else if (input.requireSigned) {
    throw new GatewayError('as2_mdn_unsigned', `a signed MDN was required, got ${ct.type}`, { expected: 'multipart/signed', found: ct.type });
  }
  const { fields, text } = findDispositionPart(report);
  const disposition = headerValue(fields, 'Disposition');
  if (!disposition) throw new GatewayError('as2_mdn_invalid', 'disposition-notification has no Disposition field');
  const mic = parseReceivedMic(headerValue(fields, 'Received-Content-MIC'));
  const originalMessageId = headerValue(fields, 'Original-Message-ID');
  return {
    signed,
    ...(signatureDigest ? { signatureDigest } : {}),
    ...(signerCertificateIndex !== undefined ? { signerCertificateIndex } : {}),
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(mic ? { receivedContentMic: mic } : {}),
    disposition: parseDisposition(disposition),
    fields,
    ...(text !== undefined ? { text } : {}),
  };
}
