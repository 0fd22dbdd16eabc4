import type { Hono } from 'hono';
import type { createAuthenticator } from './auth.ts';
import { principalName } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { documentTypes, isDocumentType } from '../canonical/schemas.ts';
import { answerError, apiError, bodyInvalid, queryInvalid } from './errors.ts';
import { metrics } from '../metrics/registry.ts';
import { traceFeed } from '../observability/trace-feed.ts';

/**
 * The ERP pull feed: documents are handed out under a lease (visibility timeout); an ack marks
 * them delivered; what is not acked comes back after the lease. At least once, idempotent by
 * document id, per partner in the order received. With tracing on, each document handed out or
 * acked is a span in its message's trace (observability/trace-feed.ts).
 */
export function mountErpFeed(app: Hono, deps: AppDeps, auth: ReturnType<typeof createAuthenticator>): void {
  // the erp token only, not admin: a pull leases documents away from the ERP until the lease runs out
  const erpOnly = auth.require(['erp'], false, true);
  app.get('/api/v1/erp/documents', erpOnly, async (c) => {
    const began = Date.now();
    const limitText = c.req.query('limit') ?? '50';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > deps.limits.feedMaxLimit) {
      return answerError(c, queryInvalid('limit', `an integer from 1 to ${deps.limits.feedMaxLimit}`, limitText));
    }
    const type = c.req.query('type');
    if (type && !isDocumentType(type)) {
      return answerError(c, queryInvalid('type', `one of ${documentTypes.join(', ')}`, type));
    }
    const now = deps.clock.now();
    const leaseUntil = new Date(now.getTime() + deps.limits.feedLeaseSeconds * 1000).toISOString();
    const rows = await deps.store.leaseFeed({
      now: now.toISOString(), leaseUntil, limit, type, partnerId: c.req.query('partner'), test: c.req.query('test') === 'true',
    });
    // The partner's throttle toward the ERP applies to the pull feed too: documents over the rate
    // go back at once (and a partner's later documents with them, to keep its order).
    const handed: typeof rows = [];
    const back: string[] = [];
    const stopped = new Set<string>();
    for (const r of rows) {
      if (stopped.has(r.partnerId) || (deps.feedThrottle && !deps.feedThrottle.tryTake(r.partnerId))) { stopped.add(r.partnerId); back.push(r.id); }
      else handed.push(r);
    }
    await deps.store.releaseFeed(back);
    for (const r of handed) metrics.feedLeased(r.partnerId, 'leased');
    traceFeed(deps.store, deps.logger, 'lease', handed.map((r) => r.id), began);
    for (const r of rows) if (stopped.has(r.partnerId) && !handed.includes(r)) metrics.feedLeased(r.partnerId, 'throttled');
    const documents = handed.map((r) => JSON.parse(r.envelope) as unknown);
    if (back.length === 0) return c.json({ documents, leaseExpiresAt: leaseUntil });
    // held back by a throttle: say how many of this pull, and when the first held partner has a token again
    const waitMs = Math.min(...[...stopped].map((p) => deps.feedThrottle?.msUntilAvailable(p) ?? 0));
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    return c.json({ documents, leaseExpiresAt: leaseUntil, throttled: back.length, retryAfterSeconds }, 200, { 'retry-after': String(retryAfterSeconds) });
  });

  app.post('/api/v1/erp/documents/ack', erpOnly, async (c) => {
    const began = Date.now();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return apiError(c, 'json_malformed', 'the body must be JSON: {"ids": ["doc_…", …]}');
    }
    const ids = (body as { ids?: unknown }).ids;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string') || ids.length > 1000) {
      return answerError(c, bodyInvalid('/ids', '"ids" must be an array of at most 1000 document id strings', 'an array of at most 1000 strings'));
    }
    const result = await deps.store.ackFeed(ids as string[], deps.clock.now().toISOString());
    metrics.feedAcked(result.acknowledged.length, result.unknown.length);
    traceFeed(deps.store, deps.logger, 'ack', result.acknowledged, began);
    await deps.store.audit({ at: deps.clock.now().toISOString(), actor: principalName(c.get('principal')), action: 'erp_ack', subject: null, detail: { count: result.acknowledged.length } });
    return c.json(result);
  });
}
