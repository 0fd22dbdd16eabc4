import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { unresolvedApiKeysReason } from '../config/missing-secrets.ts';
import { toGatewayError } from '../core/errors.ts';
import { withLogContext } from '../core/log-context.ts';
import { createAuthenticator } from './auth.ts';
import { apiError, errorBody } from './errors.ts';
import { createConsoleRoutes } from './console/routes.ts';
import type { AppDeps } from './deps.ts';
import { asStoreUnavailable } from '../db/store-fault.ts';
import { mountAdmin } from './routes-admin.ts';
import { mountConsoleSearch } from './routes-console-search.ts';
import { startEventLoopLag } from './event-loop-lag.ts';
import { mountHealth } from './routes-health.ts';
import { mountStatus } from './routes-status.ts';
import { metrics, setKnownPartners } from '../metrics/registry.ts';
import { METRICS_CONTENT_TYPE, metricsText } from '../metrics/scrape.ts';
import { mountErpFeed } from './routes-erp.ts';
import { mountInbound } from './routes-inbound.ts';
import { mountEvents } from './routes-events.ts';
import { mountJobs } from './routes-jobs.ts';
import { mountEvidence } from './routes-evidence.ts';
import { createAllowedMethods } from './method-not-allowed.ts';
import { mountOrders } from './routes-orders.ts';
import { mountOpenApi } from './openapi/routes.ts';
import { mountOutbound } from './routes-outbound.ts';
import { mountPartnerApi } from './routes-partner.ts';
import { mountPortal } from './portal/routes.ts';

/** The gateway's HTTP face: partner intake, ERP feed, admin API, health and metrics. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // X-Request-Id: the caller's (word characters, at most 255) or a fresh UUID, echoed on the answer and in the logs
  app.use('*', requestId());
  // request duration by route pattern (Hono's routePath once a handler ran: /api/v1/messages/:id, never the URL), and the
  // access log: one info line per request; every line logged while the request is served carries its requestId (log-context.ts)
  app.use('*', (c, next) => withLogContext({ requestId: c.get('requestId') }, async () => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.httpRequest(c.req.method, c.req.routePath, c.res.status, seconds);
      deps.logger.info('http request', { method: c.req.method, path: c.req.path, route: c.req.routePath, status: c.res.status, ms: Math.round(seconds * 1000) });
    }
  }));
  setKnownPartners((id) => Boolean(deps.config().partner(id) ?? deps.config().disabled?.partner(id)));
  const auth = createAuthenticator({
    tokens: deps.tokens,
    partnerByKey: (key) => {
      const view = deps.config();
      // a disabled partner's key still names it: its messages are stored and refused as partner_disabled
      const id = view.byApiKey(key)?.id ?? view.disabled?.byApiKey(key)?.id;
      const reason = id ? undefined : unresolvedApiKeysReason(view.partners);
      if (reason) deps.logger.warn('API key refused', { reason });
      return id;
    },
    logger: deps.logger,
  });

  app.onError((err, c) => {
    const e = toGatewayError(err);
    if (e.code === 'message_claimed_elsewhere') {
      // another node is processing the message (several nodes on one database): a moment later it is done
      return apiError(c, 'message_claimed_elsewhere', e.message, e.detail, { 'retry-after': '5' });
    }
    const unavailable = asStoreUnavailable(err);
    if (unavailable) {
      // the store cannot write (locked by another process, disk full): nothing was acknowledged, the sender retries
      deps.logger.warn('request refused: storage unwritable', { path: c.req.path, reason: unavailable.fault.reason, dbCode: unavailable.fault.dbCode });
      return c.json(errorBody(unavailable.code, unavailable.message, unavailable.detail), 503, { 'retry-after': String(unavailable.retryAfterSeconds) });
    }
    deps.logger.error('request failed', { path: c.req.path, code: e.code, error: e.message });
    return apiError(c, 'internal_error', 'the gateway could not complete the request; it was logged');
  });
  const allowedMethods = createAllowedMethods(app);
  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    // the same method matching means a handler found nothing there: that is a 404
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      return apiError(c, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`, { allowed }, { allow: allowed.join(', ') });
    }
    return apiError(c, 'route_not_found', `no route for ${c.req.method} ${c.req.path}`);
  });

  mountHealth(app, deps);
  mountStatus(app, deps, auth);
  mountOpenApi(app);
  startEventLoopLag();
  app.get('/metrics', async (c) => c.text(await metricsText(deps), 200, { 'content-type': METRICS_CONTENT_TYPE }));

  mountInbound(app, deps, auth);
  mountErpFeed(app, deps, auth);
  mountPartnerApi(app, deps, auth);
  mountAdmin(app, deps, auth);
  mountConsoleSearch(app, deps, auth);
  mountJobs(app, { store: deps.store, clock: deps.clock }, auth);
  mountEvidence(app, deps, auth);
  if (deps.outbound) mountOutbound(app, { store: deps.store, outbound: deps.outbound }, auth);
  if (deps.overdue) mountOrders(app, { store: deps.store, overdue: deps.overdue }, auth);
  // the operations console at / (static page + GET /api/v1/console/whoami)
  createConsoleRoutes({ requireStaff: auth.require(['operator']) })(app);
  if (deps.events) mountEvents(app, deps.events, auth);
  // the supplier portal at /portal/ (pages, its session API) and its staff routes under /api/v1/portal/
  if (deps.portal) mountPortal(app, { ...deps, portal: deps.portal }, auth);
  for (const mount of deps.extraRoutes ?? []) mount(app);
  return app;
}
