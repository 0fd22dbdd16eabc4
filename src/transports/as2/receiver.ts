/**
 * AS2 receiver (RFC 4130): a web-standard handler `(Request) => Promise<Response>` for POST /as2.
 * Order: read (capped) -> partner -> unpack (decrypt/decompress/verify) -> policy -> resend? ->
 * ingest (resolves after the raw bytes are committed) -> MDN stored -> MDN sent (sync or async).
 *
 * A resend is recognised only after the message passed the partner's policy (its signature
 * verified, decrypted with our key): a stored MDN is never handed to someone who merely knows a
 * Message-ID. The same Message-ID with the same payload is a duplicate (the stored MDN again,
 * nothing ingested); with another payload it is a reuse (`as2_message_id_reused`): the payload is
 * stored, and held with an exception or processed, per the partner's `onMessageIdReuse`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { Ingest } from '../../core/ingest.ts';
import type { Logger } from '../../core/logger.ts';
import { GatewayError, toGatewayError } from '../../core/errors.ts';
import { headerValue, parseContentType, parseEntity, splitMultipart, type HeaderList } from './mime.ts';
import { unpackMessage, dispositionFor, type UnpackedMessage } from './unpack.ts';
import { parseDispositionOptions, type MdnRequest } from './mdn-options.ts';
import { buildMdn, unquoteAs2Id, type DispositionError } from './mdn-build.ts';
import { computeMic, formatMic } from './mic.ts';
import type { MdnStore, StoredMdn } from './mdn-store.ts';
import type { AsyncMdnSender } from './async-mdn.ts';
import { readBodyCapped, textResponse } from './http-body.ts';
import { parseMdn, type ParsedMdn } from './mdn-parse.ts';
import { createPublicKeyCache, prepareIdentity } from './identity.ts';
import type { As2EvidenceMethods, NewEvidence } from './evidence-store.ts';
import type { EvidenceDetail } from './evidence-export.ts';
import { certificateProblems, type CertificateProblem } from './certificate-problems.ts';
import type { SignatureScheme } from './cms-signed.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { spool } from '../../storage/spool.ts';
import { unpackStreamed, type StreamUnpacked } from './stream-unpack.ts';

export interface As2Identity {
  as2Id: string;
  privateKeyPem: string;
  certificatePem: string;
}

export interface As2PartnerPolicy {
  partnerId: string;
  /** 1-2 certificates (rotation): verify their signatures */
  certificatesPem: string[];
  requireSigned: boolean;
  requireEncrypted: boolean;
  /**
   * the same Message-ID again with another payload: `reject` (default) stores it held with an
   * exception and answers `processed/error: message-id-reused`; `accept` processes it as a new message
   */
  onMessageIdReuse?: 'reject' | 'accept';
  /** our AS2 ids toward this partner beside the gateway's own (`us.as2` in its profile): the AS2-To it may use */
  ourAs2Ids?: string[];
  /**
   * `modern`: the RFC 4130bis draft's algorithms only: a SHA-1 signature or 3DES encryption is refused
   * (insufficient-message-security) and a SHA-1 MIC is not computed; `legacy` (default): accepted with a warning
   */
  profile?: 'modern' | 'legacy';
  /** the certificate that verified the message expired or is signed with SHA-1: warn (default: a warning on the message) or refuse (authentication-failed) */
  certificateProblems?: 'warn' | 'refuse';
  /** how we sign our MDNs to this partner with an RSA key: PKCS#1 v1.5 (default) or RSASSA-PSS (an EC key signs ECDSA) */
  signatureScheme?: SignatureScheme;
}

export interface As2ReceiverDeps {
  identity: As2Identity;
  findPartner(as2From: string, as2To: string): As2PartnerPolicy | undefined;
  ingest: Ingest;
  mdnStore: MdnStore;
  /** posts async MDNs (with its own retry); without it an async request is answered synchronously */
  sendAsyncMdn?: AsyncMdnSender;
  /** async MDNs for messages we sent arrive at POST /as2 too */
  onAsyncMdn?: (mdn: ParsedMdn, meta: { as2From: string; as2To: string; partnerId: string }) => Promise<void>;
  clock: Clock;
  logger: Logger;
  limits: { maxBodyBytes: number; maxDecompressedBytes: number };
  /**
   * bodies over `thresholdBytes` go to the file store as they arrive and are unwrapped streamed
   * (stream-unpack.ts), up to `maxBytes`; without it bodies are read whole up to limits.maxBodyBytes
   */
  spool?: {
    thresholdBytes: number; maxBytes: number; blobs: BlobStore;
    /** whether a stored message references the blob (store.retention.blobReferenced): such a file is never deleted */
    referenced(key: string): Promise<boolean>;
  };
  reportingUa?: string;
  /**
   * non-repudiation evidence (store.as2Evidence): the signed entity as received and our MDN, with
   * the MIC and certificates, per message; the async MDN of something we sent, as it came
   */
  evidence?: Pick<As2EvidenceMethods, 'addEvidence' | 'outboundMessageFor'>;
}

export type As2Handler = (req: Request) => Promise<Response>;

/** RFC 5322 3.6.4 as the draft narrows it: at most 998 characters, no spaces or control characters */
function messageIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'the Message-ID header is missing';
  if (id.length > 998) return `the Message-ID is ${id.length} characters long, at most 998 are allowed`;
  if (/[\x00-\x20\x7f]/.test(id)) return 'the Message-ID holds a space or a control character';
  return undefined;
}

/** legacy algorithms accepted inbound, never generated: a warning on the message (RFC 4130bis draft, appendix B) */
function weakAlgorithms(u: UnpackedMessage): string[] {
  const out: string[] = [];
  if (u.signatureDigest === 'sha1') out.push('as2_weak_algorithm: the message was signed with SHA-1 (deprecated; accepted from a legacy partner, ask for SHA-256 or stronger)');
  if (u.encrypted?.cipher === 'des-ede3-cbc') out.push('as2_weak_algorithm: the message was encrypted with 3DES (deprecated; accepted from a legacy partner, ask for AES)');
  return out;
}

/** the modern profile: what the draft deprecates is refused, not warned about */
function refuseWeakAlgorithms(partnerId: string, u: UnpackedMessage): void {
  const found = [...(u.signatureDigest === 'sha1' ? ['a SHA-1 signature'] : []), ...(u.encrypted?.cipher === 'des-ede3-cbc' ? ['3DES encryption'] : [])];
  if (found.length === 0) return;
  throw new GatewayError('as2_weak_algorithm_refused',
    `partner ${partnerId} has AS2 profile modern, and the message has ${found.join(' and ')} (deprecated by the RFC 4130bis draft): ask the partner for SHA-256 and AES, or set as2.profile: legacy in its profile to accept it with a warning`,
    { partnerId, expected: 'a SHA-256, SHA-384 or SHA-512 signature; AES-CBC or AES-GCM encryption', found: found.join(', '), profile: 'modern' });
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** what an earlier MDN for this Message-ID says about a message that passed the partner's policy */
type Earlier = { duplicate: StoredMdn } | { reused: StoredMdn } | undefined;

function requestHeaders(req: Request): HeaderList {
  const out: HeaderList = [];
  req.headers.forEach((v, k) => { out.push([k, v]); });
  return out;
}

function filenameOf(headers: HeaderList): string | undefined {
  const cd = headerValue(headers, 'Content-Disposition');
  return cd ? parseContentType(`x/x; ${cd.replace(/^[^;]*;?/, '')}`).params.filename : undefined;
}

/** An MDN is multipart/report, or multipart/signed whose signed part is multipart/report. */
function looksLikeMdn(headers: HeaderList, body: Uint8Array): boolean {
  const ct = parseContentType(headerValue(headers, 'Content-Type'));
  if (ct.type === 'multipart/report') return true;
  if (ct.type !== 'multipart/signed' || !ct.params.boundary || headerValue(headers, 'Disposition-Notification-To')) return false;
  try {
    const first = splitMultipart(body, ct.params.boundary)[0];
    return first !== undefined && parseContentType(headerValue(parseEntity(first).headers, 'Content-Type')).type === 'multipart/report';
  } catch {
    return false;
  }
}

export function createAs2Receiver(deps: As2ReceiverDeps): As2Handler {
  const reportingUa = deps.reportingUa ?? 'edi-gateway AS2';
  const identity = prepareIdentity(deps.identity);
  const partnerKeys = createPublicKeyCache();
  const mdnMessageId = () => `<${randomUUID()}@${deps.identity.as2Id.replace(/[^A-Za-z0-9.-]/g, '_')}>`;

  /** a refused message keeps its raw bytes: stored as received (or spooled: `stored`), with the reason, never processed */
  async function quarantine(bytes: Uint8Array, headers: HeaderList, partnerId: string, ids: Record<string, string>, error: GatewayError, stored?: { key: string; size: number }): Promise<string | undefined> {
    try {
      const receipt = await deps.ingest({
        bytes, ...(stored ? { stored } : {}), transport: 'as2', partnerId,
        metadata: { ...ids, contentType: headerValue(headers, 'Content-Type') ?? 'application/octet-stream' },
        rejected: { code: error.code, message: error.message, detail: { ...error.detail } },
      });
      return receipt.messageId;
    } catch (e) {
      deps.logger.error('as2 refused message could not be stored', { partnerId, ...ids, error: String(e) });
      return undefined;
    }
  }

  /** evidence is kept beside the message: a failure to write it is logged, the exchange goes on */
  async function keepEvidence(rows: NewEvidence[], log: Record<string, unknown>): Promise<void> {
    if (!deps.evidence) return;
    for (const row of rows) {
      try {
        await deps.evidence.addEvidence(row);
      } catch (e) {
        deps.logger.error('as2 evidence could not be stored', { ...log, part: row.part, messageId: row.messageId, error: String(e) });
      }
    }
  }

  async function respond(mdn: StoredMdn, request: MdnRequest, log: Record<string, unknown>): Promise<Response> {
    if (request.receiptUrl && deps.sendAsyncMdn) {
      const url = request.receiptUrl;
      // the gateway's sender (mdn-outbox.ts) resolves once the post is stored, so the partner hears
      // "received" only when its receipt can no longer be lost to a crash
      try {
        await deps.sendAsyncMdn(url, mdn);
      } catch (e) {
        deps.logger.error('as2 async MDN sender threw', { ...log, error: String(e) });
      }
      return textResponse(200, 'message received; MDN will be sent asynchronously');
    }
    return new Response(new Uint8Array(mdn.body), { status: 200, headers: mdn.headers });
  }

  /** blob keys a request of this process still works with (its spooled body, its payload) */
  const inUse = new Map<string, number>();
  const hold = (key: string) => { inUse.set(key, (inUse.get(key) ?? 0) + 1); };
  const release = (key: string) => { const n = (inUse.get(key) ?? 1) - 1; if (n > 0) inUse.set(key, n); else inUse.delete(key); };
  /**
   * Removes a spooled file no message references. The file store is content-addressed: the same
   * bytes from another message (a resend, a refused copy) are the same file, so a file is kept
   * while a stored message references it or another request here still uses it.
   */
  async function discard(key: string): Promise<void> {
    if (!deps.spool || inUse.has(key)) return;
    try {
      if (await deps.spool.referenced(key)) return;
      if (!inUse.has(key)) await deps.spool.blobs.delete(key);
    } catch (e) {
      deps.logger.warn('as2 spooled file not removed', { key, error: String(e) });
    }
  }

  type Body = { ok: true; bytes: Uint8Array; stored?: { key: string; size: number } } | { ok: false; status: number; reason: string };
  /** in memory up to the threshold; past it into the file store as it arrives (when the gateway has one) */
  async function readBody(req: Request): Promise<Body> {
    if (!deps.spool) return readBodyCapped(req, deps.limits.maxBodyBytes);
    const max = deps.spool.maxBytes;
    const declared = Number(req.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > max) return { ok: false, status: 413, reason: `AS2 body of ${declared} bytes exceeds the limit of ${max} bytes` };
    if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
    try {
      const s = await spool(req.body as unknown as AsyncIterable<Uint8Array>, { thresholdBytes: deps.spool.thresholdBytes, maxBytes: max, blobs: deps.spool.blobs });
      return s.stored ? { ok: true, bytes: new Uint8Array(0), stored: s.stored } : { ok: true, bytes: s.bytes };
    } catch (e) {
      const ge = toGatewayError(e, 'as2_body_unreadable');
      return ge.code === 'message_too_large' ? { ok: false, status: 413, reason: `AS2 body exceeds the limit of ${max} bytes` } : { ok: false, status: 400, reason: `AS2 body could not be read: ${ge.message}` };
    }
  }

  return async (req) => {
    const held: string[] = [];
    try {
      return await receive(req, held);
    } finally {
      for (const k of held) release(k);
    }
  };

  async function receive(req: Request, held: string[]): Promise<Response> {
    const keep = (key: string) => { hold(key); held.push(key); };
    /** this request is done with the file: removed unless a message references it or another request uses it */
    const letGo = async (key: string) => {
      const i = held.indexOf(key);
      if (i >= 0) { held.splice(i, 1); release(key); }
      await discard(key);
    };
    if (req.method !== 'POST') return textResponse(405, 'AS2 accepts POST only');
    const headers = requestHeaders(req);
    const as2From = unquoteAs2Id(headerValue(headers, 'AS2-From'));
    const as2To = unquoteAs2Id(headerValue(headers, 'AS2-To'));
    const messageId = (headerValue(headers, 'Message-ID') ?? '').trim();
    if (!as2From || !as2To) return textResponse(400, 'AS2-From and AS2-To headers are required');
    const partner = deps.findPartner(as2From, as2To);
    if (!partner) {
      deps.logger.warn('as2 unknown partner', { as2From, as2To, as2MessageId: messageId });
      return textResponse(403, `no AS2 partner "${as2From}" is configured to send to "${as2To}"`);
    }
    const log = { partnerId: partner.partnerId, as2From, as2To, as2MessageId: messageId };
    const receivedAt = deps.clock.now().toISOString();
    const body = await readBody(req);
    if (!body.ok) {
      deps.logger.warn('as2 body refused', { ...log, reason: body.reason });
      return textResponse(body.status, body.reason);
    }
    if (body.stored) keep(body.stored.key);
    if (body.bytes.length === 0 && !body.stored) return textResponse(400, 'AS2 request has an empty body');

    if (!body.stored && looksLikeMdn(headers, body.bytes)) return receiveAsyncMdn(headers, body.bytes, partner, as2From, as2To, log);
    const dispositionTo = headerValue(headers, 'Disposition-Notification-To');
    if (!messageId && !dispositionTo) return textResponse(400, 'Message-ID header is required');

    const modern = partner.profile === 'modern';
    const options = parseDispositionOptions(headerValue(headers, 'Disposition-Notification-Options'), modern ? ['sha1'] : []);
    const receiptUrl = headerValue(headers, 'Receipt-Delivery-Option')?.trim();
    const request: MdnRequest = { ...options, ...(receiptUrl ? { receiptUrl } : {}) };

    let unpacked: UnpackedMessage | undefined;
    let streamed: StreamUnpacked | undefined;
    let error: GatewayError | undefined;
    let certProblems: CertificateProblem[] = [];
    try {
      const badId = messageIdProblem(messageId);
      if (badId) throw new GatewayError('as2_invalid_message_id', badId, { partnerId: partner.partnerId, expected: '<id-left@id-right>, 1-998 characters, no spaces or control characters', found: messageId.slice(0, 120) });
      // AS2 ids are case-sensitive: ours exactly as configured
      const ours = [deps.identity.as2Id, ...(partner.ourAs2Ids ?? [])];
      if (!ours.includes(as2To)) {
        throw new GatewayError('as2_unknown_trading_relationship', `AS2-To "${as2To}" is not one of our AS2 ids toward partner ${partner.partnerId} (${ours.map((o) => `"${o}"`).join(', ')})`,
          { partnerId: partner.partnerId, expected: ours.join(', '), found: as2To });
      }
      if (request.unsupportedMic?.importance === 'required') {
        throw new GatewayError('as2_mic_algorithm_unsupported', `required MIC algorithm(s) ${request.unsupportedMic.asked.join(', ')} not supported`, { partnerId: partner.partnerId, expected: 'sha1, sha-256, sha-384, sha-512', found: request.unsupportedMic.asked.join(', ') });
      }
      const inMemory = (bytes: Uint8Array) => unpackMessage(headers, bytes, { identity, partnerCertificatesPem: partnerKeys(partner.certificatesPem), maxDecompressedBytes: deps.limits.maxDecompressedBytes });
      if (body.stored && deps.spool) {
        try {
          unpacked = streamed = await unpackStreamed(headers, deps.spool.blobs.createReadStream(body.stored.key), {
            identity, partnerCertificatesPem: partnerKeys(partner.certificatesPem), micAlgorithms: request.micAlgorithm ? [request.micAlgorithm] : [],
            blobs: deps.spool.blobs, maxBytes: deps.spool.maxBytes, discard: (key) => discard(key),
          });
          keep(streamed.stored.key);
        } catch (e) {
          // what only the in-memory unwrap does (compressed-data, base64, a signature over the canonical
          // form, GCM with authenticated attributes), or a real refusal: a body that was read whole before
          // streaming existed still is, and its answer is the in-memory one; a larger one keeps the streamed answer
          if (body.stored.size > deps.limits.maxBodyBytes) throw e;
          deps.logger.info('as2 streamed unwrap failed, unwrapping in memory', { ...log, bytes: body.stored.size, code: toGatewayError(e, 'as2_unexpected_processing_error').code });
          unpacked = inMemory(await deps.spool.blobs.get(body.stored.key));
        }
      } else {
        unpacked = inMemory(body.bytes);
      }
      if (partner.requireEncrypted && !unpacked.encrypted) throw new GatewayError('as2_insufficient_security', `partner ${partner.partnerId} must encrypt, message was not encrypted`, { partnerId: partner.partnerId, expected: 'encrypted', found: 'unencrypted' });
      if (partner.requireSigned && !unpacked.signed) throw new GatewayError('as2_insufficient_security', `partner ${partner.partnerId} must sign, message was not signed`, { partnerId: partner.partnerId, expected: 'signed', found: 'unsigned' });
      if (modern) refuseWeakAlgorithms(partner.partnerId, unpacked);
      if (unpacked.signed) {
        certProblems = certificateProblems(partner.certificatesPem[unpacked.signerCertificateIndex ?? 0], deps.clock.now(), partner.partnerId, 'which verified the message signature');
        if (certProblems.length > 0 && partner.certificateProblems === 'refuse') {
          throw new GatewayError('as2_certificate_invalid', `${certProblems.map((p) => p.text).join('; ')}; refused (as2.certificateProblems: refuse)`,
            { partnerId: partner.partnerId, expected: 'a partner certificate valid now and not signed with SHA-1', found: certProblems.map((p) => p.code).join(', '), policy: 'refuse' });
        }
      }
    } catch (e) {
      error = toGatewayError(e, 'as2_unexpected_processing_error');
    }

    // the MIC the sender asked for (a legacy partner's sha1 included: it checks our receipt with it), else its signature's, else SHA-256
    const micAlgorithm = request.micAlgorithm ?? unpacked?.signatureDigest ?? 'sha256';
    const streamedMic = streamed?.micDigests[micAlgorithm];
    const mic = streamedMic ? { value: streamedMic, algorithm: micAlgorithm } : unpacked ? computeMic(unpacked.micBytes, micAlgorithm) : undefined;
    const payloadSha256 = streamed ? streamed.payloadSha256 : unpacked ? sha256Hex(unpacked.payload) : undefined;

    let reusedFrom: StoredMdn | undefined;
    if (unpacked && payloadSha256 && !error) {
      const earlier = await findEarlier(messageId, as2From, payloadSha256);
      if (earlier && 'duplicate' in earlier) {
        deps.logger.info('as2 resent message: original MDN returned, not ingested again', { ...log, mdnMessageId: earlier.duplicate.messageId });
        if (body.stored) await letGo(body.stored.key);
        return dispositionTo ? respond(earlier.duplicate, request, log) : textResponse(200, 'duplicate message, already received');
      }
      reusedFrom = earlier?.reused;
    }
    const reuse = reusedFrom && payloadSha256 ? messageIdReused(partner, messageId, as2From, reusedFrom, payloadSha256) : undefined;

    let ingestedMessageId: string | undefined;
    const warnings = unpacked && !error ? [...weakAlgorithms(unpacked), ...certProblems.map((p) => p.text)] : [];
    if (reuse?.policy === 'accept') warnings.unshift(`${reuse.error.code}: ${reuse.error.message}`);
    if (unpacked && !error) {
      try {
        const receipt = await deps.ingest({
          bytes: unpacked.payload,
          ...(streamed ? { stored: streamed.stored } : {}),
          transport: 'as2',
          partnerId: partner.partnerId,
          metadata: {
            as2MessageId: messageId, as2From, as2To,
            contentType: headerValue(unpacked.payloadHeaders, 'Content-Type') ?? 'application/octet-stream',
            ...(filenameOf(unpacked.payloadHeaders) ? { filename: filenameOf(unpacked.payloadHeaders) as string } : {}),
            signed: String(unpacked.signed), encrypted: String(Boolean(unpacked.encrypted)), compressed: String(unpacked.compressed),
            ...(mic ? { mic: formatMic(mic) } : {}),
            ...(reusedFrom?.ingestedMessageId ? { as2MessageIdFirstUsedBy: reusedFrom.ingestedMessageId } : {}),
            ...(unpacked.canonicalized ? { signatureCanonicalized: unpacked.canonicalized } : {}),
            // an accepted reuse, SHA-1, 3DES: no exception (processing would close it at once), a warning on the message staff see
            ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
          },
          // held with the exception, never processed, unless the partner's policy accepts the reuse
          ...(reuse?.policy === 'reject' ? { rejected: { code: reuse.error.code, message: reuse.error.message, detail: { ...reuse.error.detail } } } : {}),
        });
        ingestedMessageId = receipt.messageId;
        // the spooled body was only the way in: the payload is its own file now (a plain body is the payload itself)
        if (body.stored && body.stored.key !== streamed?.stored.key) await letGo(body.stored.key);
        if (reuse) {
          deps.logger.warn('as2 Message-ID reused with other content', { ...log, messageId: receipt.messageId, ...reuse.error.detail });
          if (reuse.policy === 'reject') error = reuse.error;
        } else {
          deps.logger.info('as2 message received', { ...log, messageId: receipt.messageId, duplicateOf: receipt.duplicateOf, signed: unpacked.signed, encrypted: unpacked.encrypted?.cipher, compressed: unpacked.compressed });
        }
      } catch (e) {
        error = new GatewayError('as2_ingest_failed', `message could not be stored: ${(e as Error).message}`, { partnerId: partner.partnerId }, { cause: e });
      }
    }
    let disposition: DispositionError | undefined;
    if (error) {
      disposition = dispositionFor(error.code);
      deps.logger.warn('as2 message refused', { ...log, code: error.code, error: error.message, disposition });
      // a held reuse is already stored (its payload, with the exception); a failed commit stored nothing
      if (error.code !== 'as2_ingest_failed' && error.code !== 'as2_message_id_reused') ingestedMessageId = await quarantine(body.bytes, headers, partner.partnerId, { as2MessageId: messageId, as2From, as2To }, error, body.stored);
      // a refused message is its raw body (kept above); its streamed payload file goes, and after a failed commit the body too
      if (streamed && error.code !== 'as2_message_id_reused') await letGo(streamed.stored.key);
      if (body.stored && error.code === 'as2_ingest_failed') await letGo(body.stored.key);
    }
    const evidenceOf = (part: NewEvidence['part'], contentType: string, bytes: Uint8Array, detail: EvidenceDetail, at: string): NewEvidence => ({
      messageId: ingestedMessageId!, direction: 'inbound', partnerId: partner.partnerId, as2MessageId: messageId, part, contentType, body: bytes,
      detail: { as2From, as2To, ...detail } as Record<string, unknown>, at,
    });
    // the signed entity as received (after decryption): what the partner's signature covers
    const messageEvidence = ingestedMessageId && unpacked?.signedEntity ? [evidenceOf('message', unpacked.signedEntity.contentType, unpacked.signedEntity.body, {
      at: receivedAt, signed: true, ...(mic ? { mic: formatMic(mic) } : {}),
      ...(unpacked.signatureDigest ? { signatureDigest: unpacked.signatureDigest } : {}), ...(unpacked.encrypted ? { encrypted: unpacked.encrypted.cipher } : {}),
      ...(unpacked.canonicalized ? { canonicalized: unpacked.canonicalized } : {}),
      ...(partner.certificatesPem[unpacked.signerCertificateIndex ?? 0] ? { signerCertificatePem: partner.certificatesPem[unpacked.signerCertificateIndex ?? 0] } : {}),
    }, receivedAt)] : [];
    if (!dispositionTo) {
      await keepEvidence(messageEvidence, log);
      if (!error) return textResponse(200, 'message received');
      const status = error.code === 'as2_message_id_reused' ? 409 : disposition === 'unexpected-processing-error' ? 500 : 400;
      return textResponse(status, `${error.code}: ${reuse && error === reuse.error ? reuse.partnerText : error.message}`);
    }

    // unsupported MIC algorithms are answered unsigned (the draft: no silent fallback to another algorithm)
    const wantsSigned = request.signed !== undefined && disposition !== 'unsupported-mic-algorithm';
    const built = await buildMdn({
      content: {
        as2From, as2To, originalMessageId: messageId, reportingUa,
        ...(mic ? { receivedContentMic: formatMic(mic, request.micLabel) } : {}),
        ...(disposition ? { error: disposition } : {}),
        explanation: error
          ? `The AS2 message ${messageId} from ${as2From} could not be processed: ${reuse && error === reuse.error ? reuse.partnerText : error.message}`
          : `The AS2 message ${messageId} from ${as2From} was received and stored.`,
      },
      // we never sign with SHA-1: a partner asking for a sha1 MIC gets it, in a receipt signed with SHA-256
      ...(wantsSigned ? { sign: { identity, digest: request.micAlgorithm && request.micAlgorithm !== 'sha1' ? request.micAlgorithm : 'sha256', ...(partner?.signatureScheme ? { scheme: partner.signatureScheme } : {}) } } : {}),
      messageId: mdnMessageId(),
      now: deps.clock.now(),
    });
    const stored: StoredMdn = {
      messageId: built.messageId, originalMessageId: messageId, as2From, headers: built.headers, body: built.body,
      disposition: built.disposition, ...(receiptUrl ? { receiptUrl } : {}), ...(ingestedMessageId ? { ingestedMessageId } : {}),
      ...(payloadSha256 ? { payloadSha256 } : {}), ...(reuse ? { contentKeyed: true } : {}),
    };
    // a positive MDN is replayed to a resend, and so is the answer to a stored reuse (resending the
    // same content cannot fix it); a message refused for a fixable reason may be resent
    if (!error || (reuse && error === reuse.error)) await deps.mdnStore.put(stored);
    if (ingestedMessageId) {
      const mdnAt = deps.clock.now().toISOString();
      await keepEvidence([...messageEvidence, evidenceOf('mdn', headerValue(built.headers, 'Content-Type') ?? '', built.body, {
        at: mdnAt, mdnMessageId: built.messageId, disposition: built.disposition, signed: wantsSigned,
        ...(mic ? { receivedContentMic: formatMic(mic, request.micLabel) } : {}),
        ...(receiptUrl ? { async: true } : {}), ...(wantsSigned ? { signerCertificatePem: deps.identity.certificatePem } : {}),
      }, mdnAt)], log);
    }
    return respond(stored, request, log);
  }

  /**
   * Called only for a message that passed the partner's policy. The same payload as the first
   * message with this Message-ID, or as an earlier reuse of it, is a duplicate; another payload is a reuse.
   */
  async function findEarlier(messageId: string, as2From: string, payloadSha256: string): Promise<Earlier> {
    const first = await deps.mdnStore.get(messageId, as2From);
    if (!first) return undefined;
    // an MDN whose content is unknown (none is written so since it is recorded) keeps the old rule: a duplicate
    if (first.payloadSha256 === undefined || first.payloadSha256 === payloadSha256) return { duplicate: first };
    const again = await deps.mdnStore.get(messageId, as2From, payloadSha256);
    return again ? { duplicate: again } : { reused: first };
  }

  function messageIdReused(partner: As2PartnerPolicy, messageId: string, as2From: string, first: StoredMdn, payloadSha256: string) {
    const policy = partner.onMessageIdReuse ?? 'reject';
    const firstId = first.ingestedMessageId ?? 'unknown';
    const error = new GatewayError('as2_message_id_reused',
      `partner ${partner.partnerId} (AS2-From ${as2From}) reused Message-ID ${messageId} with other content: first message ${firstId} has sha256 ${first.payloadSha256}, this one ${payloadSha256}; ${policy === 'reject' ? 'held: replay it to process it, or ask the partner to send it with a new Message-ID' : 'processed as a new message (onMessageIdReuse: accept)'}`,
      { partnerId: partner.partnerId, as2From, as2MessageId: messageId, firstMessageId: firstId, firstContentSha256: first.payloadSha256, contentSha256: payloadSha256, policy });
    const partnerText = `Message-ID ${messageId} was already used for a different message (sha256 ${first.payloadSha256}; this one ${payloadSha256}). This message is kept but not processed: send it again with a new Message-ID.`;
    return { policy, error, partnerText };
  }

  async function receiveAsyncMdn(headers: HeaderList, bytes: Uint8Array, partner: As2PartnerPolicy, as2From: string, as2To: string, log: Record<string, unknown>): Promise<Response> {
    try {
      const mdn = parseMdn({ contentType: headerValue(headers, 'Content-Type') ?? '', body: bytes, partnerCertificatesPem: partnerKeys(partner.certificatesPem) });
      if (!deps.onAsyncMdn) return textResponse(400, 'asynchronous MDNs are not accepted here');
      await deps.onAsyncMdn(mdn, { as2From, as2To, partnerId: partner.partnerId });
      const original = mdn.originalMessageId?.trim();
      const sent = original && deps.evidence ? await deps.evidence.outboundMessageFor(original).catch(() => undefined) : undefined;
      if (sent && original) {
        const at = deps.clock.now().toISOString();
        const signer = mdn.signerCertificateIndex !== undefined ? partner.certificatesPem[mdn.signerCertificateIndex] : undefined;
        await keepEvidence([{
          messageId: sent, direction: 'outbound', partnerId: partner.partnerId, as2MessageId: original, part: 'mdn', contentType: headerValue(headers, 'Content-Type') ?? '', body: bytes, at,
          detail: {
            as2From: as2To, as2To: as2From, at, disposition: mdn.disposition.raw, signed: mdn.signed, async: true,
            ...(mdn.receivedContentMic ? { receivedContentMic: `${mdn.receivedContentMic.value}, ${mdn.receivedContentMic.label}` } : {}),
            ...(signer ? { signerCertificatePem: signer } : {}),
          } satisfies EvidenceDetail as Record<string, unknown>,
        }], log);
      }
      deps.logger.info('as2 async MDN received', { ...log, originalMessageId: mdn.originalMessageId, disposition: mdn.disposition.raw });
      return textResponse(200, 'MDN received');
    } catch (e) {
      const ge = toGatewayError(e, 'as2_mdn_invalid');
      deps.logger.warn('as2 async MDN refused', { ...log, code: ge.code, error: ge.message });
      return textResponse(400, `${ge.code}: ${ge.message}`);
    }
  }
}
