/**
 * Sends an AS2 message to a partner and reads the synchronous MDN: its signature (partner
 * certificate), Original-Message-ID and Received-Content-MIC against what we sent.
 * Every attempt carries the same Message-ID (the partner recognises a resend). Retried with backoff:
 * no answer (network error, timeout), 408, 425 and 5xx; any other answer is final (RFC 4130bis draft
 * 5.4-5.5). SHA-1 and 3DES are never generated: asked for, the send fails before anything is posted.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { silentLogger } from '../../core/logger.ts';
import { GatewayError, toGatewayError } from '../../core/errors.ts';
import { buildAs2Message } from './build-message.ts';
import { buildDispositionOptions } from './mdn-options.ts';
import { parseMdn, type ParsedMdn } from './mdn-parse.ts';
import { computeMic, formatMic, type Mic } from './mic.ts';
import { micAlgorithmLabel, parseMicAlgorithm, type ContentCipher, type MicAlgorithm } from './oids.ts';
import { quoteAs2Id } from './mdn-build.ts';
import { AS2_IDENTITY_HEADERS } from './product.ts';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.ts';
import type { FetchLike } from './async-mdn.ts';
import type { KeyTransport, OaepHash } from './rsa-key-transport.ts';
import type { SignatureScheme, SigningIdentity } from './cms-signed.ts';
import { createAs2HttpPost } from './http-post.ts';
import { certificateProblems } from './certificate-problems.ts';

/** headers an AS2 send sets itself: a profile's extra headers may not replace them */
const PROTOCOL_HEADERS = new Set(['as2-version', 'ediint-features', 'as2-product', 'as2-from', 'as2-to', 'message-id', 'date', 'subject', 'mime-version', 'content-type',
  'content-transfer-encoding', 'content-disposition', 'content-length', 'transfer-encoding', 'disposition-notification-to', 'disposition-notification-options', 'receipt-delivery-option', 'host']);

export type As2SendStatus = 'mdn_ok' | 'mdn_error' | 'sent' | 'failed';

export interface SendAs2Options {
  url: string;
  /** our AS2 id and the partner's */
  from: string;
  to: string;
  /** the partner's certificate(s): first encrypts, any verifies their MDN signature */
  partnerCertificatePem: string | string[];
  identity: SigningIdentity;
  sign: boolean;
  encrypt: boolean;
  compress: boolean | 'before-signing' | 'after-signing';
  /** signatureScheme: with an RSA key, PKCS#1 v1.5 (default) or RSASSA-PSS (an EC key signs ECDSA); keyTransport: RSAES-PKCS1-v1_5 (default) or RSAES-OAEP (oaepHash default sha256) */
  algorithms?: { mic?: MicAlgorithm; signatureScheme?: SignatureScheme; cipher?: ContentCipher; keyTransport?: KeyTransport; oaepHash?: OaepHash };
  mdn: 'sync' | 'async' | 'none';
  /** where the partner posts an async MDN (our POST /as2 URL) */
  receiptUrl?: string;
  /** ask for a signed MDN; default: when we sign */
  signedMdn?: boolean;
  payload: Uint8Array;
  contentType: string;
  filename?: string;
  subject?: string;
  messageId?: string;
  /**
   * a partner's HTTP quirks (its profile's as2.chunked, as2.minTlsVersion, as2.headers): with
   * chunked or a TLS floor the POST goes through node:http(s) (http-post.ts), which fetch cannot be told
   */
  http?: { chunked?: boolean; minTlsVersion?: '1.2' | '1.3'; headers?: Record<string, string> };
  /**
   * the partner's certificate we encrypt to, or the one that verified its MDN, expired or is signed
   * with SHA-1: warn (default: `warnings` in the result) or refuse (the send is not made: as2_certificate_invalid)
   */
  certificatePolicy?: { partnerId: string; onProblem: 'warn' | 'refuse' };
}

export interface SendAs2Deps {
  fetch: FetchLike;
  clock: Clock;
  retry?: RetryPolicy;
  logger?: Logger;
  timeoutMs?: number;
}

export interface SendAs2Result {
  messageId: string;
  status: As2SendStatus;
  mdn?: ParsedMdn;
  detail: string;
  /** the MIC we expect in the MDN (`base64, alg`) */
  mic: string;
  attempts: number;
  /** failed on an HTTP answer: its status, and its Retry-After when it gave one (a 503 or 429 asks for a time) */
  httpStatus?: number;
  retryAfter?: string;
  /** the partner's certificates' problems (expired, SHA-1), each a sentence starting with its code */
  warnings?: string[];
  /**
   * non-repudiation evidence (store.as2Evidence, evidence-export.ts): the message as we signed it
   * (before encryption) and, with a sync MDN, the MDN as it came; `at` of each
   */
  evidence?: {
    signed?: { contentType: string; body: Uint8Array; at: string };
    mdn?: { contentType: string; body: Uint8Array; at: string };
  };
}

export interface VerifyMdnExpectation {
  messageId: string;
  /** the MIC computed when sending; omit to skip the MIC check */
  mic?: Mic | string;
  /** the bytes the MIC is over: lets an MDN that used another MIC algorithm be checked */
  micBytes?: Uint8Array;
  partnerCertificatesPem: string[];
  requireSigned?: boolean;
}

/** Checks an MDN (sync response or async POST) against the message we sent: signature, then fields. */
export function verifyMdn(input: { contentType: string; body: Uint8Array }, expected: VerifyMdnExpectation): { status: 'mdn_ok' | 'mdn_error'; detail: string; mdn?: ParsedMdn } {
  let mdn: ParsedMdn;
  try {
    mdn = parseMdn({ ...input, partnerCertificatesPem: expected.partnerCertificatesPem, ...(expected.requireSigned ? { requireSigned: true } : {}) });
  } catch (e) {
    const ge = toGatewayError(e, 'as2_mdn_invalid');
    return { status: 'mdn_error', detail: `${ge.code}: ${ge.message}` };
  }
  return checkMdn(mdn, expected);
}

/**
 * Checks an already parsed (and signature-verified) MDN, e.g. the one the receiver hands to
 * `onAsyncMdn`: Original-Message-ID, disposition and Received-Content-MIC.
 */
export function checkMdn(mdn: ParsedMdn, expected: Omit<VerifyMdnExpectation, 'partnerCertificatesPem'>): { status: 'mdn_ok' | 'mdn_error'; detail: string; mdn: ParsedMdn } {
  if (expected.requireSigned && !mdn.signed) return { status: 'mdn_error', detail: 'a signed MDN was required, the MDN is unsigned', mdn };
  if (mdn.originalMessageId && mdn.originalMessageId.trim() !== expected.messageId) {
    return { status: 'mdn_error', detail: `MDN is for ${mdn.originalMessageId}, expected ${expected.messageId}`, mdn };
  }
  if (!mdn.disposition.ok) return { status: 'mdn_error', detail: `partner reported ${mdn.disposition.raw}`, mdn };
  if (expected.mic) {
    const want = typeof expected.mic === 'string' ? expected.mic : formatMic(expected.mic);
    const [wantValue, wantAlg] = want.split(',').map((x) => x.trim());
    const got = mdn.receivedContentMic;
    if (!got) return { status: 'mdn_error', detail: 'MDN has no Received-Content-MIC', mdn };
    const gotAlg = parseMicAlgorithm(got.label);
    const wantValueFor = gotAlg && expected.micBytes && gotAlg !== parseMicAlgorithm(wantAlg ?? '') ? computeMic(expected.micBytes, gotAlg).value : wantValue;
    if (got.value !== wantValueFor || (!expected.micBytes && gotAlg !== parseMicAlgorithm(wantAlg ?? ''))) {
      return { status: 'mdn_error', detail: `Received-Content-MIC ${got.value}, ${got.label} does not match ours ${want}`, mdn };
    }
  }
  return { status: 'mdn_ok', detail: mdn.disposition.raw, mdn };
}

/** 408 Request Timeout, 425 Too Early and 5xx are transient; every other answer is final */
export function retriableStatus(status: number): boolean {
  return status === 408 || status === 425 || status >= 500;
}

export async function sendAs2(o: SendAs2Options, deps: SendAs2Deps): Promise<SendAs2Result> {
  const logger = deps.logger ?? silentLogger;
  const certs = Array.isArray(o.partnerCertificatePem) ? o.partnerCertificatePem : [o.partnerCertificatePem];
  const recipient = certs[0];
  if (o.encrypt && !recipient) throw new GatewayError('as2_certificate_missing', `no certificate to encrypt to ${o.to}`);
  const messageId = o.messageId ?? `<${randomUUID()}@${o.from.replace(/[^A-Za-z0-9.-]/g, '_')}>`;
  const micAlg = o.algorithms?.mic ?? 'sha256';
  if (micAlg === 'sha1') throw new GatewayError('as2_weak_algorithm', `SHA-1 is not generated (deprecated by the RFC 4130bis draft): configure sha256, sha384 or sha512 for ${o.to}`, { expected: 'sha256, sha384 or sha512', found: 'sha1' });
  if (o.algorithms?.cipher === 'des-ede3-cbc') throw new GatewayError('as2_weak_algorithm', `3DES is not generated (deprecated by the RFC 4130bis draft): configure aes128-cbc, aes192-cbc or aes256-cbc for ${o.to}`, { expected: 'aes128-cbc, aes192-cbc or aes256-cbc', found: 'des-ede3-cbc' });
  const extra = Object.entries(o.http?.headers ?? {});
  const clash = extra.find(([k]) => PROTOCOL_HEADERS.has(k.toLowerCase()));
  if (clash) throw new GatewayError('as2_config_invalid', `as2.headers may not set ${clash[0]}: the AS2 send sets it itself (extra headers are for a partner's own, e.g. X-Partner-Route)`, { expected: 'a header name AS2 does not use', found: clash[0] });
  const now = deps.clock.now();
  const owner = o.certificatePolicy?.partnerId ?? o.to;
  const warnings = o.encrypt ? certificateProblems(recipient, now, owner, 'which we encrypt to').map((p) => p.text) : [];
  if (warnings.length > 0 && o.certificatePolicy?.onProblem === 'refuse') {
    throw new GatewayError('as2_certificate_invalid', `${warnings.join('; ')}; not sent (as2.certificateProblems: refuse)`, { partnerId: owner, expected: 'a partner certificate valid now and not signed with SHA-1', policy: 'refuse' });
  }
  const built = await buildAs2Message({
    payload: o.payload, contentType: o.contentType, ...(o.filename ? { filename: o.filename } : {}),
    identity: o.identity, recipientCertificatePem: recipient ?? '', sign: o.sign, encrypt: o.encrypt, compress: o.compress,
    mic: micAlg, cipher: o.algorithms?.cipher ?? 'aes256-cbc', keyTransport: o.algorithms?.keyTransport ?? 'rsaes-pkcs1-v1_5',
    ...(o.algorithms?.oaepHash ? { oaepHash: o.algorithms.oaepHash } : {}), ...(o.algorithms?.signatureScheme ? { signatureScheme: o.algorithms.signatureScheme } : {}), now,
  });
  const signedMdn = o.signedMdn ?? o.sign;
  const headers: Array<[string, string]> = [
    ...AS2_IDENTITY_HEADERS, ['AS2-From', quoteAs2Id(o.from)], ['AS2-To', quoteAs2Id(o.to)], ['Message-ID', messageId],
    ['Date', now.toUTCString()], ['Subject', o.subject ?? 'AS2 message'], ['MIME-Version', '1.0'], ...built.headers, ...extra,
  ];
  if (o.mdn !== 'none') {
    headers.push(['Disposition-Notification-To', o.receiptUrl ?? 'edi-gateway']);
    if (signedMdn) headers.push(['Disposition-Notification-Options', buildDispositionOptions(micAlgorithmLabel(micAlg))]);
    if (o.mdn === 'async') {
      if (!o.receiptUrl) throw new GatewayError('as2_receipt_url_missing', 'async MDN requested without receiptUrl');
      headers.push(['Receipt-Delivery-Option', o.receiptUrl]);
    }
  }
  const mic = formatMic(built.mic);
  const sentAt = now.toISOString();
  const signedEvidence = built.signedEntity ? { signed: { ...built.signedEntity, at: sentAt } } : {};
  const log = { as2MessageId: messageId, as2To: o.to, url: o.url };
  let lastAnswer: { httpStatus?: number; retryAfter?: string } = {};
  const post = o.http?.chunked || o.http?.minTlsVersion ? createAs2HttpPost({ chunked: o.http.chunked ?? false, ...(o.http.minTlsVersion ? { minTlsVersion: o.http.minTlsVersion } : {}) }) : deps.fetch;
  const { outcome, attempts } = await withRetry<{ status: number; contentType: string; body: Uint8Array }>(deps.retry ?? defaultRetryPolicy, async (n) => {
    try {
      const res = await post(o.url, { method: 'POST', headers, body: built.body, ...(deps.timeoutMs ? { signal: AbortSignal.timeout(deps.timeoutMs) } : {}) });
      const body = new Uint8Array(await res.arrayBuffer());
      const retryAfter = res.headers.get('retry-after');
      lastAnswer = { httpStatus: res.status, ...(retryAfter ? { retryAfter } : {}) };
      if (retriableStatus(res.status)) {
        logger.warn('as2 send: transient answer, will retry with the same Message-ID', { ...log, attempt: n, status: res.status });
        return { done: false, reason: `HTTP ${res.status}` };
      }
      return { done: true, value: { status: res.status, contentType: res.headers.get('content-type') ?? '', body } };
    } catch (e) {
      lastAnswer = {};
      logger.warn('as2 send: network error, will retry', { ...log, attempt: n, error: (e as Error).message });
      return { done: false, reason: (e as Error).message };
    }
  });
  if (!outcome.done) return { messageId, status: 'failed', detail: `not delivered after ${attempts} attempt(s): ${outcome.reason}`, mic, attempts, ...lastAnswer, evidence: signedEvidence };
  const res = outcome.value;
  if (res.status < 200 || res.status >= 300) {
    return { messageId, status: 'failed', detail: `partner answered HTTP ${res.status}: ${Buffer.from(res.body).toString('utf8').slice(0, 300)}`, mic, attempts, ...lastAnswer, evidence: signedEvidence };
  }
  if (o.mdn !== 'sync') return { messageId, status: 'sent', detail: `HTTP ${res.status}`, mic, attempts, evidence: signedEvidence, ...(warnings.length ? { warnings } : {}) };
  const checked = verifyMdn({ contentType: res.contentType, body: res.body }, { messageId, mic, micBytes: built.micBytes, partnerCertificatesPem: certs, requireSigned: signedMdn });
  const mdnSigner = checked.mdn?.signerCertificateIndex !== undefined ? certs[checked.mdn.signerCertificateIndex] : undefined;
  if (mdnSigner && mdnSigner !== recipient) warnings.push(...certificateProblems(mdnSigner, deps.clock.now(), owner, 'which verified its MDN').map((p) => p.text));
  logger.info('as2 sent', { ...log, status: checked.status, detail: checked.detail, attempts });
  const mdnEvidence = { mdn: { contentType: res.contentType, body: res.body, at: deps.clock.now().toISOString() } };
  return { messageId, status: checked.status, ...(checked.mdn ? { mdn: checked.mdn } : {}), detail: checked.detail, mic, attempts, evidence: { ...signedEvidence, ...mdnEvidence }, ...(warnings.length ? { warnings } : {}) };
}
