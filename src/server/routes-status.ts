/**
 * GET /api/v1/status (operator, admin): what /healthz no longer shows anyone. The checks as
 * /healthz has them, plus their detail: SFTP pollers, the ERP push circuit and lease, certificate
 * warnings, missing secret variables, refused reloads and disabled partners (files), business-event
 * subscribers, and the stored counts. Always 200 while it can answer: the `status` field says
 * draining/unavailable (a probe reads /healthz's HTTP status instead).
 */
import type { Hono } from 'hono';
import type { createAuthenticator } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { readiness } from './routes-health.ts';

export function mountStatus(app: Hono, deps: AppDeps, auth: ReturnType<typeof createAuthenticator>): void {
  app.get('/api/v1/status', auth.require(['operator']), async (c) => {
    const r = await readiness(deps);
    // counts are reads: they still work while writes do not (WAL), and a failure here must not hide the rest
    const counts = await deps.store.counts().catch((e: unknown) => ({ error: String(e) }));
    return c.json({ status: r.status, ...(r.node !== undefined ? { node: r.node } : {}), storage: r.storage, checks: r.checks, ...r.details, counts }, 200, { 'cache-control': 'no-store' });
  });
}
