/** Posts an MDN to the sender's Receipt-Delivery-Option URL, retrying with backoff in memory (lost on restart; the gateway uses mdn-outbox.ts). */
import type { Logger } from '../../core/logger.ts';
import { withRetry, type RetryPolicy } from './retry.ts';
import type { StoredMdn } from './mdn-store.ts';

export type FetchLike = (url: string, init: { method: string; headers: Array<[string, string]>; body: Uint8Array; signal?: AbortSignal }) => Promise<Response>;

/**
 * Posts (or queues) an MDN to a Receipt-Delivery-Option URL. The in-memory sender below resolves
 * when it gave up or delivered; the durable outbox (`mdn-outbox.ts`) resolves once the post is
 * recorded, with `queuedAs` its job id and `delivered: false`.
 */
/** Posts an async MDN. The receiver waits for it before answering: a durable sender resolves once the post is queued. */
export type AsyncMdnSender = (url: string, mdn: StoredMdn) => Promise<{ delivered: boolean; attempts: number; detail: string; queuedAs?: string }>;

export function createAsyncMdnSender(deps: { fetch: FetchLike; retry: RetryPolicy; logger: Logger; timeoutMs?: number }): AsyncMdnSender {
  return async (url, mdn) => {
    const { outcome, attempts } = await withRetry<string>(deps.retry, async (n) => {
      try {
        const res = await deps.fetch(url, {
          method: 'POST', headers: mdn.headers, body: mdn.body,
          ...(deps.timeoutMs ? { signal: AbortSignal.timeout(deps.timeoutMs) } : {}),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return { done: true, value: `HTTP ${res.status}` };
        deps.logger.warn('as2 async MDN not accepted', { url, attempt: n, status: res.status, originalMessageId: mdn.originalMessageId });
        return { done: false, reason: `HTTP ${res.status}` };
      } catch (e) {
        deps.logger.warn('as2 async MDN post failed', { url, attempt: n, error: (e as Error).message, originalMessageId: mdn.originalMessageId });
        return { done: false, reason: (e as Error).message };
      }
    });
    if (outcome.done) return { delivered: true, attempts, detail: outcome.value };
    deps.logger.error('as2 async MDN undeliverable', { url, attempts, reason: outcome.reason, originalMessageId: mdn.originalMessageId });
    return { delivered: false, attempts, detail: outcome.reason };
  };
}
