/**
 * ERP REST push: POSTs one canonical envelope as JSON with `Authorization: Bearer <token>` and
 * `Idempotency-Key: <document id>`, and classifies the ERP's answer:
 * - delivered: 2xx (whatever the body: a garbage body is kept, not judged), and 409 (the ERP
 *   already has this idempotency key);
 * - retryable: timeout, connection error, 5xx, 408, 429 (with its Retry-After kept), and 401/403:
 *   a refused token is the gateway's configuration (a rotated ERP token), not the document's
 *   fault, so documents wait (the circuit opens) instead of all landing in the exception queue;
 * - permanent: any other 4xx, and 3xx (a redirect means a wrong URL; it is not followed).
 * The ERP's status and body (truncated to `maxBodyChars`) are kept in every outcome.
 * Inside a traced erp.push job the request is a CLIENT span and carries its W3C `traceparent`, so
 * an ERP that traces continues the message's trace.
 */
import type { CanonicalEnvelope } from '../canonical/types.ts';
import { GatewayError } from '../core/errors.ts';
import { erpPushSpan } from '../observability/trace-spans.ts';
import { currentSpan, startSpan } from '../observability/tracing.ts';

export type PushOutcome =
  | { kind: 'delivered'; status: number; body: string; duplicate: boolean }
  | { kind: 'retryable'; code: PushErrorCode; message: string; status?: number; body?: string; retryAfter?: string }
  | { kind: 'permanent'; code: PushErrorCode; message: string; status: number; body: string };

export type PushErrorCode =
  | 'erp_timeout'
  | 'erp_connection_failed'
  | 'erp_server_error'
  | 'erp_throttled'
  | 'erp_unauthorized'
  | 'erp_rejected'
  | 'erp_redirected';

export type PushFn = (envelope: CanonicalEnvelope) => Promise<PushOutcome>;

export interface ErpPushClientOptions {
  url: string;
  token: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxBodyChars?: number;
}

export interface ErpPushClient {
  push: PushFn;
}

export function createErpPushClient(opts: ErpPushClientOptions): ErpPushClient {
  let parsed: URL | undefined;
  try { parsed = new URL(opts.url); } catch { parsed = undefined; }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new GatewayError('invalid_erp_url', `ERP push URL must be an http(s) URL, got "${opts.url}"`, { expected: 'http(s) URL', found: opts.url });
  }
  if (!(opts.timeoutMs > 0)) {
    throw new GatewayError('invalid_erp_timeout', `ERP push timeout must be > 0 ms, got ${opts.timeoutMs}`, { expected: '> 0', found: String(opts.timeoutMs) });
  }
  const maxBody = opts.maxBodyChars ?? 8192;
  const clip = (body: string): string => (body.length > maxBody ? body.slice(0, maxBody) + '…[truncated]' : body);

  async function push(envelope: CanonicalEnvelope): Promise<PushOutcome> {
    const span = currentSpan() && startSpan('POST', erpPushSpan(parsed!, envelope.id));
    try {
      const outcome = await send(envelope, span?.traceparent);
      span?.set({ 'http.response.status_code': 'status' in outcome ? outcome.status : undefined });
      if (outcome.kind !== 'delivered') span?.fail(outcome.code, outcome.message);
      return outcome;
    } finally {
      span?.end();
    }
  }

  async function send(envelope: CanonicalEnvelope, traceparent: string | undefined): Promise<PushOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, opts.timeoutMs);
    try {
      const response = await opts.fetch(opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${opts.token}`,
          'idempotency-key': envelope.id,
          ...(traceparent ? { traceparent } : {}),
        },
        body: JSON.stringify(envelope),
        redirect: 'manual',
        signal: controller.signal,
      });
      // the timeout covers reading the answer too: a stalled body is a timeout
      const body = clip(await response.text());
      return classify(response.status, body, response.headers.get('retry-after') ?? undefined);
    } catch (e) {
      const detail = describeFetchError(e);
      if (timedOut) {
        return { kind: 'retryable', code: 'erp_timeout', message: `ERP did not answer within ${opts.timeoutMs} ms` };
      }
      return { kind: 'retryable', code: 'erp_connection_failed', message: `ERP connection failed: ${detail}` };
    } finally {
      clearTimeout(timer);
    }
  }

  return { push };
}

export function classify(status: number, body: string, retryAfter?: string): PushOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status, body, duplicate: false };
  if (status === 409) return { kind: 'delivered', status, body, duplicate: true };
  if (status === 429) {
    return { kind: 'retryable', code: 'erp_throttled', message: `ERP throttled (429)${retryAfter ? `, Retry-After ${retryAfter}` : ''}`, status, body, ...(retryAfter ? { retryAfter } : {}) };
  }
  if (status === 401 || status === 403) {
    return { kind: 'retryable', code: 'erp_unauthorized', message: `ERP refused the gateway's credentials (${status}); check the ERP token`, status, body };
  }
  if (status >= 500 || status === 408) {
    return { kind: 'retryable', code: 'erp_server_error', message: `ERP answered ${status}`, status, body, ...(retryAfter ? { retryAfter } : {}) };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'permanent', code: 'erp_redirected', message: `ERP answered a redirect (${status}); check the configured URL`, status, body };
  }
  return { kind: 'permanent', code: 'erp_rejected', message: `ERP rejected the document (${status})`, status, body };
}

function describeFetchError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return e.message;
}
