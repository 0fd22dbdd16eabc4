/**
 * The webhook sink: one HTTP POST per event, the CloudEvent as JSON, signed per the Standard
 * Webhooks specification (https://www.standardwebhooks.com, spec/standard-webhooks.md):
 *   webhook-id: the event id (the same on every retry and replay: consumers de-duplicate by it)
 *   webhook-timestamp: seconds since the epoch, when this attempt was signed
 *   webhook-signature: v1,<base64 of HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>
 * where the secret is the base64 after `whsec_`. 2xx: delivered; 4xx (but 408, 429): refused for
 * good (the event is dead-lettered); 5xx, 408, 429, a timeout or a connection error: retried.
 */
import { createHmac } from 'node:crypto';
import type { WebhookSinkConfig } from '../subscribers.ts';

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export type DeliveryResult =
  | { ok: true; status: number }
  | { ok: false; permanent: boolean; status?: number; retryAfter?: string | null; error: string };

export async function postWebhook(sink: WebhookSinkConfig, id: string, body: string, now: Date, signal?: AbortSignal): Promise<DeliveryResult> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const timeout = AbortSignal.timeout(sink.timeoutMs);
  try {
    const res = await fetch(sink.url, {
      method: 'POST', body, redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      headers: {
        'content-type': 'application/cloudevents+json; charset=utf-8', 'user-agent': 'edi-gateway-events/1',
        'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(sink.secret, id, timestamp, body),
      },
    });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    return { ok: false, permanent, status: res.status, retryAfter: res.headers.get('retry-after'), error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${sink.timeoutMs} ms` : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
    return { ok: false, permanent: false, error: why };
  }
}
