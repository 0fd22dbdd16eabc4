/**
 * Builds an AS2 MDN (RFC 4130 7.4 / RFC 3798): multipart/report with a human part and a
 * message/disposition-notification part, signed as multipart/signed when asked.
 */
import { randomBytes } from 'node:crypto';
import { buildEntity, concatBytes, type HeaderList } from './mime.ts';
import { signDetached, type SignatureScheme, type SigningIdentity } from './cms-signed.ts';
import { micAlgorithmLabel, type MicAlgorithm } from './oids.ts';
import { AS2_IDENTITY_HEADERS } from './product.ts';

export type DispositionError =
  | 'decryption-failed'
  | 'authentication-failed'
  | 'integrity-check-failed'
  | 'insufficient-message-security'
  | 'decompression-failed'
  | 'unexpected-processing-error'
  /** the Message-ID was already used for other content (RFC 4130 leaves the error text open) */
  | 'message-id-reused'
  /** AS2-To/AS2-From is not a pair we know (the draft's error list) */
  | 'unknown-trading-relationship'
  /** the Message-ID is missing, longer than 998 characters, or holds spaces or control characters */
  | 'invalid-message-id'
  /** none of the asked MIC algorithms is ours: written as `failed/Failure: unsupported-mic-algorithm` (RFC 4130bis draft, appendix B), unsigned */
  | 'unsupported-mic-algorithm';

export interface MdnContent {
  /** our AS2 id (the message's AS2-To) and the sender's (its AS2-From) */
  as2From: string;
  as2To: string;
  originalMessageId: string;
  /** absent when the message could not be read far enough to compute it */
  receivedContentMic?: string;
  /** undefined: processed */
  error?: DispositionError;
  /** human-readable explanation for the text part */
  explanation: string;
  reportingUa: string;
}

export interface BuiltMdn {
  /** HTTP headers of the MDN (AS2-Version, AS2-From/To, Message-ID, MIME-Version, Content-Type) */
  headers: HeaderList;
  body: Uint8Array;
  messageId: string;
  disposition: string;
}

export function dispositionValue(error: DispositionError | undefined): string {
  if (error === 'unsupported-mic-algorithm') return 'automatic-action/MDN-sent-automatically; failed/Failure: unsupported-mic-algorithm';
  return `automatic-action/MDN-sent-automatically; ${error ? `processed/error: ${error}` : 'processed'}`;
}

function boundary(prefix: string): string {
  return `----=_${prefix}_${randomBytes(12).toString('hex')}`;
}

export interface BuildMdnOptions {
  content: MdnContent;
  /** sign with this identity and digest (signed-receipt-protocol asked) */
  /** scheme: with an RSA key, PKCS#1 v1.5 (default) or RSASSA-PSS; an EC key signs ECDSA */
  sign?: { identity: SigningIdentity; digest: MicAlgorithm; scheme?: SignatureScheme };
  /** Message-ID of the MDN itself, `<...>` */
  messageId: string;
  now: Date;
}

export async function buildMdn(opts: BuildMdnOptions): Promise<BuiltMdn> {
  const c = opts.content;
  const disposition = dispositionValue(c.error);
  const fields: HeaderList = [
    ['Reporting-UA', c.reportingUa],
    ['Original-Recipient', `rfc822; ${c.as2To}`],
    ['Final-Recipient', `rfc822; ${c.as2To}`],
    ['Original-Message-ID', c.originalMessageId],
  ];
  if (c.receivedContentMic) fields.push(['Received-Content-MIC', c.receivedContentMic]);
  fields.push(['Disposition', disposition]);
  const dn = fields.map(([n, v]) => `${n}: ${v}\r\n`).join('');
  const b = boundary('report');
  const reportBody = concatBytes(
    `--${b}\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${c.explanation}\r\n`,
    `--${b}\r\nContent-Type: message/disposition-notification\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${dn}`,
    `\r\n--${b}--\r\n`,
  );
  const reportType = `multipart/report; report-type=disposition-notification; boundary="${b}"`;
  const common: HeaderList = [
    ...AS2_IDENTITY_HEADERS,
    ['AS2-From', quoteAs2Id(c.as2To)],
    ['AS2-To', quoteAs2Id(c.as2From)],
    ['Message-ID', opts.messageId],
    ['Date', opts.now.toUTCString()],
    ['MIME-Version', '1.0'],
  ];
  if (!opts.sign) {
    return { headers: [...common, ['Content-Type', reportType]], body: reportBody, messageId: opts.messageId, disposition };
  }
  const signedPart = buildEntity([['Content-Type', reportType]], reportBody);
  const signature = await signDetached(signedPart, opts.sign.identity, opts.sign.digest, opts.now, opts.sign.scheme);
  const sb = boundary('signed');
  const body = concatBytes(
    `--${sb}\r\n`, signedPart,
    `\r\n--${sb}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7s\r\n\r\n`,
    Buffer.from(signature).toString('base64').replace(/.{1,76}/g, '$&\r\n'),
    `--${sb}--\r\n`,
  );
  const ct = `multipart/signed; protocol="application/pkcs7-signature"; micalg=${micAlgorithmLabel(opts.sign.digest)}; boundary="${sb}"`;
  return { headers: [...common, ['Content-Type', ct]], body, messageId: opts.messageId, disposition };
}

/** AS2 ids with spaces or specials are quoted (RFC 4130 6.2). */
export function quoteAs2Id(id: string): string {
  return /^[!#-'*+\-.0-9A-Z^-~]+$/.test(id) ? id : `"${id.replace(/(["\\])/g, '\\$1')}"`;
}

export function unquoteAs2Id(value: string | null | undefined): string {
  const v = (value ?? '').trim();
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}
