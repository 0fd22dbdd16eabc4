/**
 * Sends a rendered outbound document on the partner's channel: SFTP (upload to `outbound.remoteDir`
 * or `sftp.outbox`, temporary name then rename), AS2 (signed and encrypted to the partner's
 * certificate with the gateway's identity, MDN as the profile asks), or pickup (nothing to send:
 * the partner collects it), http (a cXML document POSTed to the partner's order URL, answered with a
 * cXML Response: send-http.ts). Transient failures are retried with exponential backoff.
 */
import type { Clock } from '../../core/clock.ts';
import { toGatewayError, type GatewayError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { as2PolicyFor, sftpSecretsFor } from '../../config/transport-secrets.ts';
import type { PartnerProfile } from '../../config/types.ts';
import { sendAs2, type ContentCipher, type FetchLike, type MicAlgorithm, type ParsedMdn, type RetryPolicy } from '../../transports/as2/index.ts';
import { uploadFile, type SftpConnectionConfig } from '../../transports/sftp/index.ts';
import { outboundEvidence } from '../../transports/as2/evidence-record.ts';
import type { As2EvidenceMethods } from '../../transports/as2/evidence-store.ts';
import { sendCxmlOverHttp, type CxmlStatusAnswer } from './send-http.ts';
import type { OutboundPartner } from './types.ts';

export type SendStatus = 'sent' | 'mdn_ok' | 'mdn_error' | 'failed' | 'stored';

export interface SendResult {
  channel: 'as2' | 'sftp' | 'pickup' | 'http';
  status: SendStatus;
  detail: string;
  attempts: number;
  remotePath?: string;
  as2MessageId?: string;
  mdn?: ParsedMdn;
  /** AS2: the MIC we computed over what we sent (`base64, alg`), for checking an async MDN later */
  mic?: string;
  /** a stable error code when failed */
  code?: string;
  /** http: where it was posted, the last HTTP status and the partner's cXML Response status */
  url?: string;
  httpStatus?: number;
  cxmlStatus?: CxmlStatusAnswer;
  /** failed on a 503/429 that named a time to come back (Retry-After: seconds or an HTTP date) */
  retryAfter?: string;
}

export interface OutboundSenderDeps {
  clock: Clock;
  logger: Logger;
  fetch: FetchLike;
  /** the gateway's AS2 identity; AS2 partners cannot be sent to without it */
  as2?: { as2Id: string; privateKeyPem: string; certificatePem: string };
  retry: RetryPolicy;
  /** our public POST /as2 URL, for partners whose profile asks for asynchronous MDNs */
  as2ReceiptUrl?: string;
  /** per AS2 POST */
  timeoutMs?: number;
  /** AS2 non-repudiation evidence (store.as2Evidence): what we signed and the partner's MDN, per sent message */
  as2Evidence?: Pick<As2EvidenceMethods, 'addEvidence'>;
}

/** Errors worth another attempt: the server or network, not our configuration or a refused name. */
const permanentSftp = new Set(['sftp_unsafe_remote_name', 'sftp_config_invalid', 'sftp_upload_target_exists', 'secret_unreadable', 'sftp_host_key_mismatch']);

export function createOutboundSender(deps: OutboundSenderDeps) {
  const sleep = deps.retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function sendSftp(partner: OutboundPartner, fileName: string, bytes: Uint8Array): Promise<SendResult> {
    const sftp = partner.sftp as (SftpConnectionConfig & { outbox?: string }) | undefined;
    const remoteDir = partner.outbound?.remoteDir ?? sftp?.outbox;
    if (!sftp || !remoteDir) {
      return { channel: 'sftp', status: 'failed', attempts: 0, code: 'sftp_config_invalid', detail: `partner "${partner.id}" has outbound channel sftp but no sftp block with outbox (or outbound.remoteDir)` };
    }
    let attempts = 0;
    let last: GatewayError | undefined;
    while (attempts < Math.max(1, deps.retry.attempts)) {
      attempts++;
      try {
        const secrets = sftpSecretsFor(partner as PartnerProfile) ?? {};
        const r = await uploadFile({ config: sftp, secrets, remoteDir, fileName, bytes, partnerId: partner.id, logger: deps.logger });
        return { channel: 'sftp', status: 'sent', attempts, remotePath: r.remotePath, detail: `uploaded ${r.size} bytes to ${r.remotePath}` };
      } catch (e) {
        last = toGatewayError(e, 'sftp_upload_failed');
        deps.logger.warn('outbound sftp upload failed', { partnerId: partner.id, attempt: attempts, code: last.code, error: last.message });
        if (permanentSftp.has(last.code)) break;
        if (attempts < deps.retry.attempts) await sleep(Math.min(deps.retry.maxDelayMs, deps.retry.initialDelayMs * 2 ** (attempts - 1)));
      }
    }
    return { channel: 'sftp', status: 'failed', attempts, code: last?.code ?? 'sftp_upload_failed', detail: last?.message ?? 'not uploaded' };
  }

  async function sendAs2Channel(partner: OutboundPartner, fileName: string, bytes: Uint8Array, contentType: string, messageId?: string, gatewayMessageId?: string): Promise<SendResult> {
    const as2 = partner.as2 as { url?: string; mdn?: 'sync' | 'async' | 'none'; signingAlgorithm?: MicAlgorithm; encryptionAlgorithm?: ContentCipher; compress?: boolean;
      signatureScheme?: 'rsa-pkcs1-v1_5' | 'rsassa-pss'; keyTransport?: 'rsaes-pkcs1-v1_5' | 'rsaes-oaep'; oaepHash?: 'sha256' | 'sha384' | 'sha512';
      chunked?: boolean; minTlsVersion?: '1.2' | '1.3'; headers?: Record<string, string> } | undefined;
    const to = partner.identifiers.as2;
    if (!deps.as2) return { channel: 'as2', status: 'failed', attempts: 0, code: 'as2_identity_missing', detail: 'the gateway has no AS2 identity (EDIGW_AS2_ID, EDIGW_AS2_KEY_FILE, EDIGW_AS2_CERT_FILE)' };
    if (!as2?.url || !to) return { channel: 'as2', status: 'failed', attempts: 0, code: 'as2_config_invalid', detail: `partner "${partner.id}" has outbound channel as2 but no as2.url or identifiers.as2` };
    // an async MDN needs our public POST /as2 URL; without one we ask for a synchronous MDN
    const mdn = as2.mdn === 'async' && !deps.as2ReceiptUrl ? 'sync' : (as2.mdn ?? 'sync');
    try {
      const policy = as2PolicyFor(partner as PartnerProfile);
      const r = await sendAs2({
        url: as2.url, from: deps.as2.as2Id, to, partnerCertificatePem: policy?.certificatesPem ?? [],
        identity: { privateKeyPem: deps.as2.privateKeyPem, certificatePem: deps.as2.certificatePem },
        sign: true, encrypt: true, compress: as2.compress ?? false,
        algorithms: { ...(as2.signingAlgorithm ? { mic: as2.signingAlgorithm } : {}), ...(as2.encryptionAlgorithm ? { cipher: as2.encryptionAlgorithm } : {}),
          ...(as2.signatureScheme ? { signatureScheme: as2.signatureScheme } : {}), ...(as2.keyTransport ? { keyTransport: as2.keyTransport } : {}), ...(as2.oaepHash ? { oaepHash: as2.oaepHash } : {}) },
        mdn, ...(mdn === 'async' && deps.as2ReceiptUrl ? { receiptUrl: deps.as2ReceiptUrl } : {}),
        payload: bytes, contentType, filename: fileName, subject: `${fileName} from ${deps.as2.as2Id}`, ...(messageId ? { messageId } : {}),
        // the partner's HTTP quirks, each one line of its profile
        ...(policy ? { certificatePolicy: { partnerId: partner.id, onProblem: policy.certificateProblems } } : {}),
        http: { ...(as2.chunked !== undefined ? { chunked: as2.chunked } : {}), ...(as2.minTlsVersion ? { minTlsVersion: as2.minTlsVersion } : {}), ...(as2.headers ? { headers: as2.headers } : {}) },
      }, { fetch: deps.fetch, clock: deps.clock, logger: deps.logger, retry: deps.retry, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
      if (deps.as2Evidence && gatewayMessageId) {
        const rows = outboundEvidence(r, { messageId: gatewayMessageId, partnerId: partner.id, from: deps.as2.as2Id, to, ourCertificatePem: deps.as2.certificatePem, partnerCertificatesPem: policy?.certificatesPem ?? [] });
        for (const row of rows) await deps.as2Evidence.addEvidence(row).catch((e) => deps.logger.error('as2 evidence could not be stored', { partnerId: partner.id, messageId: gatewayMessageId, part: row.part, error: String(e) }));
      }
      // a partner certificate's problem (expired, SHA-1) is said in the send's outcome the API and console show
      const detail = r.warnings?.length ? `${r.detail}; warning: ${r.warnings.join('; ')}` : r.detail;
      return { channel: 'as2', status: r.status, attempts: r.attempts, as2MessageId: r.messageId, detail, mic: r.mic, ...(r.mdn ? { mdn: r.mdn } : {}),
        ...(r.httpStatus && r.status === 'failed' ? { httpStatus: r.httpStatus } : {}), ...(r.retryAfter && r.status === 'failed' ? { retryAfter: r.retryAfter } : {}),
        ...(r.status === 'failed' ? { code: 'as2_send_failed' } : r.status === 'mdn_error' ? { code: 'as2_mdn_error' } : {}) };
    } catch (e) {
      const ge = toGatewayError(e, 'as2_send_failed');
      return { channel: 'as2', status: 'failed', attempts: 1, code: ge.code, detail: ge.message };
    }
  }

  return {
    /**
     * `as2MessageId`: the Message-ID to send under (a resend of one document keeps its id, so the partner sees a resend);
     * `messageId`: the gateway message sent (its AS2 evidence is kept under it)
     */
    async send(partner: OutboundPartner, doc: { fileName: string; bytes: Uint8Array; contentType: string; as2MessageId?: string; messageId?: string }): Promise<SendResult> {
      const channel = partner.outbound?.channel ?? 'pickup';
      if (channel === 'sftp') return sendSftp(partner, doc.fileName, doc.bytes);
      if (channel === 'as2') return sendAs2Channel(partner, doc.fileName, doc.bytes, doc.contentType, doc.as2MessageId, doc.messageId);
      if (channel === 'http') {
        // the http channel speaks cXML (a cXML Response answers each POST): anything else (an X12 997 for a
        // partner that also sends X12) waits for pickup instead of being posted to the order URL
        if (!/^(text|application)\/xml\b/i.test(doc.contentType)) return { channel: 'pickup', status: 'stored', attempts: 0, detail: `the http channel carries cXML only: ${doc.fileName} (${doc.contentType}) is stored for the partner to collect` };
        return sendCxmlOverHttp({ fetch: deps.fetch, retry: deps.retry, logger: deps.logger, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) }, partner, doc);
      }
      return { channel: 'pickup', status: 'stored', attempts: 0, detail: 'stored for the partner to collect' };
    },
  };
}

export type OutboundSender = ReturnType<typeof createOutboundSender>;

/** The remote file name: the profile's `outbound.fileNamePattern` ({poNumber}, {controlNumber}, {partner}, {ext}) or `<partner>_850_<ISA13>.<ext>`. */
export function outboundFileName(partner: OutboundPartner, r: { poNumber: string; message: string; interchangeControlNumber?: string; format: string }, fallbackId: string): string {
  const ext = r.format === 'x12' ? 'edi' : r.format === 'edifact' ? 'edi' : r.format;
  const control = r.interchangeControlNumber ?? fallbackId;
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  const pattern = partner.outbound?.fileNamePattern ?? '{partner}_{message}_{controlNumber}.{ext}';
  return safe(pattern.replaceAll('{poNumber}', r.poNumber).replaceAll('{controlNumber}', control).replaceAll('{partner}', partner.id)
    .replaceAll('{message}', r.message).replaceAll('{ext}', ext));
}
