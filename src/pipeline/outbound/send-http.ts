/**
 * Outbound channel `http`: a cXML document POSTed to the partner's order URL, answered
 * synchronously with a cXML Response (cXML User's Guide, "Status": 2xx success, 4xx the request
 * was refused and resending it will not help, 5xx a server problem worth another try).
 *
 * - The shared secret (`outbound.sharedSecretEnv`, or `sharedSecretFile`) goes into Header/Sender/Credential just before
 *   the POST: the stored document carries none. A named but unset variable fails the send at once
 *   (`cxml_shared_secret_missing`), like an SFTP password that is not set.
 * - `Content-Type: text/xml; charset=utf-8`, a timeout per POST (`outbound.timeoutSeconds`, else the
 *   gateway's send timeout), the gateway's retry policy with exponential backoff (as AS2 sends).
 * - cXML status 2xx -> sent (the status text recorded); 4xx -> failed at once (`cxml_refused`,
 *   with the partner's code, text and message); 5xx, an HTTP 5xx/408/429 without a cXML answer, a
 *   timeout or a network error -> retried, then failed. Every attempt sends the same bytes, so
 *   the same payloadID: a supplier that did take an order before its answer was lost can see the
 *   repeat. An HTTP 2xx whose body is not a cXML Response is failed without a retry
 *   (`cxml_response_unreadable`): the order may have been taken, sending it again could double it.
 */
import { readSecretFile } from '../../config/secrets.ts';
import { toGatewayError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { withSenderSharedSecret } from '../../formats/xml/cxml-write.ts';
import { parseXml, readCxml } from '../../formats/xml/index.ts';
import type { FetchLike } from '../../transports/as2/index.ts';
import { withRetry, type RetryPolicy } from '../../transports/as2/retry.ts';
import type { SendResult } from './send.ts';
import type { OutboundPartner } from './types.ts';

export interface HttpChannelDeps {
  fetch: FetchLike;
  retry: RetryPolicy;
  logger: Logger;
  /** per POST when the profile sets no outbound.timeoutSeconds; default 60 s */
  timeoutMs?: number;
}

export interface CxmlStatusAnswer { code: number; text: string; message?: string }

/** What one answer means for the send. */
export type AnswerVerdict =
  | { kind: 'accepted'; cxml: CxmlStatusAnswer }
  | { kind: 'refused'; code: string; detail: string; cxml?: CxmlStatusAnswer }
  | { kind: 'retry'; reason: string; cxml?: CxmlStatusAnswer };

const MAX_ANSWER_BYTES = 1024 * 1024;

/** Reads a cXML Response's Status; undefined when the body is not one. */
export function cxmlStatusOf(body: Uint8Array): CxmlStatusAnswer | undefined {
  if (body.byteLength === 0) return undefined;
  try {
    const env = readCxml(parseXml(body, { maxBytes: MAX_ANSWER_BYTES }));
    if (env.kind !== 'response' || !env.status) return undefined;
    return { code: env.status.code, text: env.status.text, ...(env.status.message ? { message: env.status.message.trim() } : {}) };
  } catch {
    return undefined;
  }
}

const show = (s: CxmlStatusAnswer): string => `cXML ${s.code} ${s.text}${s.message ? `: ${s.message}` : ''}`;

/** The verdict on one HTTP answer: the cXML status when the body has one, else the HTTP status. */
export function judgeAnswer(httpStatus: number, body: Uint8Array): AnswerVerdict {
  const cxml = cxmlStatusOf(body);
  if (cxml) {
    if (cxml.code >= 200 && cxml.code < 300) return { kind: 'accepted', cxml };
    if (cxml.code >= 400 && cxml.code < 500) return { kind: 'refused', code: 'cxml_refused', detail: `the partner refused the document: ${show(cxml)} (HTTP ${httpStatus})`, cxml };
    return { kind: 'retry', reason: `${show(cxml)} (HTTP ${httpStatus})`, cxml };
  }
  const snippet = Buffer.from(body.subarray(0, 300)).toString('utf8').replace(/\s+/g, ' ').trim();
  if (httpStatus >= 500 || httpStatus === 408 || httpStatus === 429) return { kind: 'retry', reason: `HTTP ${httpStatus}${snippet ? `: ${snippet}` : ''}` };
  if (httpStatus >= 200 && httpStatus < 300) {
    return { kind: 'refused', code: 'cxml_response_unreadable', detail: `HTTP ${httpStatus} without a cXML Response (not resent: the partner may have taken the order)${snippet ? `: ${snippet}` : ''}` };
  }
  return { kind: 'refused', code: 'http_refused', detail: `the partner answered HTTP ${httpStatus} without a cXML Response${snippet ? `: ${snippet}` : ''}` };
}

export async function sendCxmlOverHttp(deps: HttpChannelDeps, partner: OutboundPartner, doc: { bytes: Uint8Array; contentType: string }): Promise<SendResult> {
  const out = partner.outbound;
  const url = out?.url;
  if (!url) return { channel: 'http', status: 'failed', attempts: 0, code: 'http_config_invalid', detail: `partner "${partner.id}" has outbound channel http but no outbound.url` };
  let body: Uint8Array = doc.bytes;
  if (out.sharedSecretEnv || out.sharedSecretFile) {
    const secret = out.sharedSecretEnv ? partner.secrets?.['outbound.sharedSecret'] : readSecretFile(out.sharedSecretFile ?? '');
    if (secret === undefined || secret === '') {
      return { channel: 'http', status: 'failed', attempts: 0, code: 'cxml_shared_secret_missing', url,
        detail: out.sharedSecretEnv
          ? `outbound.sharedSecretEnv names ${out.sharedSecretEnv}, which is not set in the gateway's environment: nothing was sent`
          : `outbound.sharedSecretFile ${out.sharedSecretFile} cannot be read or is empty: nothing was sent` };
    }
    try {
      body = Buffer.from(withSenderSharedSecret(Buffer.from(doc.bytes).toString('utf8'), secret), 'utf8');
    } catch (e) {
      const ge = toGatewayError(e, 'cxml_sender_missing');
      return { channel: 'http', status: 'failed', attempts: 0, code: ge.code, detail: ge.message, url };
    }
  }
  const timeoutMs = out.timeoutSeconds ? out.timeoutSeconds * 1000 : deps.timeoutMs ?? 60_000;
  let refused: Extract<AnswerVerdict, { kind: 'refused' }> | undefined;
  let lastCxml: CxmlStatusAnswer | undefined;
  let lastHttp: number | undefined;
  const { outcome, attempts } = await withRetry<{ cxml: CxmlStatusAnswer; httpStatus: number }>(deps.retry, async (n) => {
    let res: Response;
    try {
      res = await deps.fetch(url, {
        method: 'POST', body,
        headers: [['content-type', 'text/xml; charset=utf-8'], ['accept', 'text/xml, application/xml']],
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const reason = err.name === 'TimeoutError' || err.name === 'AbortError'
        ? `no answer within ${timeoutMs / 1000} s`
        : `network error: ${err.cause?.code ?? err.message}`;
      deps.logger.warn('outbound http send failed, will retry', { partnerId: partner.id, url, attempt: n, reason });
      return { done: false, reason };
    }
    const answer = new Uint8Array(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
    lastHttp = res.status;
    const verdict = judgeAnswer(res.status, answer.byteLength > MAX_ANSWER_BYTES ? answer.subarray(0, MAX_ANSWER_BYTES) : answer);
    if (verdict.kind === 'accepted') return { done: true, value: { cxml: verdict.cxml, httpStatus: res.status } };
    if (verdict.kind === 'refused') {
      refused = verdict;
      // stops the retries: the outcome below is read from `refused`
      return { done: true, value: { cxml: verdict.cxml ?? { code: res.status, text: '' }, httpStatus: res.status } };
    }
    lastCxml = verdict.cxml;
    deps.logger.warn('outbound http send: partner server error, will retry', { partnerId: partner.id, url, attempt: n, reason: verdict.reason });
    return { done: false, reason: verdict.reason };
  });
  if (refused) {
    return { channel: 'http', status: 'failed', attempts, code: refused.code, detail: refused.detail, url, ...(lastHttp ? { httpStatus: lastHttp } : {}), ...(refused.cxml ? { cxmlStatus: refused.cxml } : {}) };
  }
  if (!outcome.done) {
    return { channel: 'http', status: 'failed', attempts, code: lastCxml || (lastHttp && lastHttp >= 500) ? 'cxml_server_error' : 'http_send_failed', url,
      detail: `not delivered to ${url} after ${attempts} attempt(s): ${outcome.reason}`,
      ...(lastHttp ? { httpStatus: lastHttp } : {}), ...(lastCxml ? { cxmlStatus: lastCxml } : {}) };
  }
  const { cxml, httpStatus } = outcome.value;
  return { channel: 'http', status: 'sent', attempts, url, httpStatus, cxmlStatus: cxml, detail: `the partner accepted the document: ${show(cxml)}` };
}
