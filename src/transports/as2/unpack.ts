/**
 * Unwraps an inbound AS2 entity layer by layer: enveloped-data (decrypt), compressed-data
 * (inflate, capped), multipart/signed (verify over the exact first-part bytes), until the payload.
 * Records what was applied and the bytes the MIC is computed over (RFC 4130 7.3.1).
 */
import { GatewayError } from '../../core/errors.ts';
import { decodeTransferEncoding, headerValue, parseContentType, parseEntity, parseInnerEntity, splitMultipart, type HeaderList } from './mime.ts';
import { verifyDetached, verifySignedData } from './cms-signed.ts';
import { decryptEnveloped, type DecryptionIdentity } from './cms-enveloped.ts';
import { cmsContentType, decompress } from './cms-compressed.ts';
import { OID, type ContentCipher, type MicAlgorithm } from './oids.ts';
import type { KeyTransport } from './rsa-key-transport.ts';
import type { DispositionError } from './mdn-build.ts';
import type { TrustedKey } from './identity.ts';

export interface UnpackContext {
  identity: DecryptionIdentity;
  /** the partner's certificates (PEM) or their public keys */
  partnerCertificatesPem: TrustedKey[];
  maxDecompressedBytes: number;
}

export interface UnpackedMessage {
  payload: Uint8Array;
  payloadHeaders: HeaderList;
  signed: boolean;
  encrypted?: { cipher: ContentCipher; keyTransport: KeyTransport };
  compressed: boolean;
  /** digest algorithm of the sender's signature */
  signatureDigest?: MicAlgorithm;
  /** the signature verified only over the canonical form of the signed part (header lines, or every line, made CRLF) */
  canonicalized?: 'headers' | 'crlf';
  /** bytes the Received-Content-MIC is computed over */
  micBytes: Uint8Array;
  /**
   * the first signed entity as received (after decryption): for multipart/signed its Content-Type
   * (with the boundary) and body, the exact bytes the signature covers inside; for an opaque
   * signature the DER SignedData. Kept as evidence (evidence-export.ts); a view, never a copy.
   */
  signedEntity?: { contentType: string; body: Uint8Array; opaque: boolean };
  /** which of the partner's certificates verified the signature */
  signerCertificateIndex?: number;
}

const MAX_LAYERS = 8;

function isPkcs7Mime(type: string): boolean {
  return type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime';
}

export function unpackMessage(headers: HeaderList, body: Uint8Array, ctx: UnpackContext): UnpackedMessage {
  let entityHeaders = headers;
  let entityBody = body;
  let micBytes: Uint8Array = body;
  let signed = false;
  let compressed = false;
  let encrypted: UnpackedMessage['encrypted'];
  let signatureDigest: MicAlgorithm | undefined;
  let canonicalized: 'headers' | 'crlf' | undefined;
  let signedEntity: UnpackedMessage['signedEntity'];
  let signerCertificateIndex: number | undefined;
  for (let depth = 0; depth < MAX_LAYERS; depth++) {
    const ct = parseContentType(headerValue(entityHeaders, 'Content-Type'));
    const decoded = decodeTransferEncoding(entityBody, headerValue(entityHeaders, 'Content-Transfer-Encoding'));
    if (isPkcs7Mime(ct.type)) {
      const kind = cmsContentType(decoded);
      if (kind === OID.envelopedData || kind === OID.authEnvelopedData) {
        if (encrypted) throw new GatewayError('as2_cms_invalid', 'message is encrypted twice');
        const r = decryptEnveloped(decoded, ctx.identity);
        encrypted = { cipher: r.cipher, keyTransport: r.keyTransport };
        if (!signed) micBytes = r.content;
        ({ headers: entityHeaders, body: entityBody } = parseInnerEntity(r.content, entityHeaders));
      } else if (kind === OID.compressedData) {
        const content = decompress(decoded, ctx.maxDecompressedBytes);
        compressed = true;
        ({ headers: entityHeaders, body: entityBody } = parseInnerEntity(content, entityHeaders));
      } else if (kind === OID.signedData) {
        const r = verifyWith(ctx, decoded, undefined);
        if (!signed) {
          signatureDigest = r.digest;
          signerCertificateIndex = r.certificateIndex;
          signedEntity = { contentType: headerValue(entityHeaders, 'Content-Type') ?? 'application/pkcs7-mime; smime-type=signed-data', body: decoded, opaque: true };
        }
        signed = true;
        const content = r.content ?? new Uint8Array(0);
        if (micBytes === body) micBytes = content;
        ({ headers: entityHeaders, body: entityBody } = parseEntity(content));
      } else {
        throw new GatewayError('as2_cms_invalid', `unsupported CMS content type ${kind}`, { found: kind });
      }
      continue;
    }
    if (ct.type === 'multipart/signed') {
      if (!ct.params.boundary) throw new GatewayError('as2_mime_invalid', 'multipart/signed without boundary parameter');
      const [first, sigPart] = splitMultipart(entityBody, ct.params.boundary);
      if (!first || !sigPart) throw new GatewayError('as2_mime_invalid', 'multipart/signed needs the signed part and the signature part');
      const sig = parseEntity(sigPart);
      const sigType = parseContentType(headerValue(sig.headers, 'Content-Type')).type;
      if (sigType !== 'application/pkcs7-signature' && sigType !== 'application/x-pkcs7-signature') {
        throw new GatewayError('as2_mime_invalid', `second part of multipart/signed is ${sigType}`, { expected: 'application/pkcs7-signature', found: sigType });
      }
      if (ctx.partnerCertificatesPem.length === 0) throw new GatewayError('as2_signature_invalid', 'message is signed but no certificate is configured for the partner');
      const r = verifyDetached(decodeTransferEncoding(sig.body, headerValue(sig.headers, 'Content-Transfer-Encoding')), ctx.partnerCertificatesPem, first);
      if (!signed) {
        signatureDigest = r.digest; micBytes = r.signedBytes; signerCertificateIndex = r.certificateIndex;
        signedEntity = { contentType: headerValue(entityHeaders, 'Content-Type') ?? '', body: entityBody, opaque: false };
      }
      signed = true;
      if (r.canonicalized) canonicalized = r.canonicalized;
      // the MIC is over what verified (what the sender signed); the payload is the bytes as received
      ({ headers: entityHeaders, body: entityBody } = parseEntity(first));
      continue;
    }
    if (ct.type.startsWith('multipart/') && depth === 0 && ct.type === 'multipart/report') {
      throw new GatewayError('as2_unexpected_mdn', 'body is an MDN (multipart/report), not a message');
    }
    return {
      payload: decoded,
      payloadHeaders: entityHeaders,
      signed,
      ...(encrypted ? { encrypted } : {}),
      compressed,
      ...(signatureDigest ? { signatureDigest } : {}),
      ...(canonicalized ? { canonicalized } : {}),
      ...(signedEntity ? { signedEntity } : {}),
      ...(signerCertificateIndex !== undefined ? { signerCertificateIndex } : {}),
      micBytes: signed || encrypted ? micBytes : decoded,
    };
  }
  throw new GatewayError('as2_mime_invalid', `more than ${MAX_LAYERS} nested security layers`);
}

function verifyWith(ctx: UnpackContext, der: Uint8Array, content: Uint8Array | undefined): ReturnType<typeof verifySignedData> {
  if (ctx.partnerCertificatesPem.length === 0) throw new GatewayError('as2_signature_invalid', 'message is signed but no certificate is configured for the partner');
  return verifySignedData(der, ctx.partnerCertificatesPem, content);
}

/** The disposition modifier an unpack error maps to (RFC 4130 7.5.3, RFC 5402). */
export function dispositionFor(code: string): DispositionError {
  switch (code) {
    case 'as2_decryption_failed': return 'decryption-failed';
    case 'as2_signature_invalid':
    case 'as2_signature_algorithm_unsupported':
    case 'as2_certificate_invalid': return 'authentication-failed';
    case 'as2_integrity_check_failed': return 'integrity-check-failed';
    case 'as2_insufficient_security':
    case 'as2_weak_algorithm_refused': return 'insufficient-message-security';
    case 'as2_decompressed_too_large':
    case 'as2_decompression_failed': return 'decompression-failed';
    case 'as2_mic_algorithm_unsupported': return 'unsupported-mic-algorithm';
    case 'as2_unknown_trading_relationship': return 'unknown-trading-relationship';
    case 'as2_invalid_message_id': return 'invalid-message-id';
    case 'as2_message_id_reused': return 'message-id-reused';
    default: return 'unexpected-processing-error';
  }
}
