import type { Hono } from 'hono';
import { outboxItemView, settleCollected } from '../portal/outbox.ts';
import { pageOf, partnerMessages } from '../portal/partner-views.ts';
import { principalName, type createAuthenticator } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { answerError, apiError, bodyInvalid, queryInvalid } from './errors.ts';

/**
 * The partner's own API (its API key only): its outbox, pulled under a lease and acked exactly as
 * the ERP feed (routes-erp.ts) — GET /api/v1/partner/outbox hands out the waiting items (our
 * purchase orders and functional acks it collects, its messages' dispositions), POST …/ack marks
 * them delivered, what is not acked comes back after the lease — and GET /api/v1/partner/messages,
 * its messages newest first with what we answered. Another partner's ids are unknown, never told
 * apart from ids that do not exist.
 */
export function mountPartnerApi(app: Hono, deps: AppDeps, auth: ReturnType<typeof createAuthenticator>): void {
  // partner keys only: a staff token leasing a partner's items would take them from the partner
  const partnerOnly = auth.require([], true, true);
  const partnerOf = (p: ReturnType<typeof auth.identify>) => (p?.kind === 'partner' ? p.partnerId : '');

  app.get('/api/v1/partner/outbox', partnerOnly, async (c) => {
    const limitText = c.req.query('limit') ?? '50';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > deps.limits.feedMaxLimit) {
      return answerError(c, queryInvalid('limit', `an integer from 1 to ${deps.limits.feedMaxLimit}`, limitText));
    }
    const now = deps.clock.now();
    const leaseUntil = new Date(now.getTime() + deps.limits.feedLeaseSeconds * 1000).toISOString();
    const rows = await deps.store.portal.leaseOutbox({ partnerId: partnerOf(c.get('principal')), now: now.toISOString(), leaseUntil, limit });
    return c.json({ items: rows.map(outboxItemView), leaseExpiresAt: leaseUntil });
  });

  app.post('/api/v1/partner/outbox/ack', partnerOnly, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return apiError(c, 'json_malformed', 'the body must be JSON: {"ids": ["obx_…", …]}');
    }
    const ids = (body as { ids?: unknown } | null)?.ids;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string') || ids.length > 1000) {
      return answerError(c, bodyInvalid('/ids', '"ids" must be an array of at most 1000 outbox item id strings', 'an array of at most 1000 strings'));
    }
    const p = c.get('principal');
    const at = deps.clock.now().toISOString();
    const result = await deps.store.portal.ackOutbox(partnerOf(p), ids as string[], at);
    await settleCollected(deps.store, result.acknowledged, principalName(p), at);
    return c.json({ acknowledged: result.acknowledged.map((r) => r.id), unknown: result.unknown });
  });

  app.get('/api/v1/partner/messages', partnerOnly, async (c) => {
    const page = pageOf(c.req.query('after'), c.req.query('limit'));
    if ('error' in page) return answerError(c, page.error);
    return c.json(await partnerMessages(deps.store, partnerOf(c.get('principal')), page));
  });
}
