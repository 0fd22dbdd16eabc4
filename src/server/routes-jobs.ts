/**
 * Jobs for operators (admin token): the durable work of src/jobs/ (functional ack sends, …) with
 * its state, attempts, next run and last error; retry a failed or cancelled job, cancel a waiting
 * or failed one (each an audit log entry; src/jobs/operator.ts). Lists are newest first, a page at a time:
 *   GET  /api/v1/jobs?kind=&state=&partner=&after=&limit=   -> { jobs, next } (next: pass as after=)
 *   GET  /api/v1/jobs/:id
 *   POST /api/v1/jobs/:id/retry | /cancel
 */
import type { Context, Hono } from 'hono';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../db/store.ts';
import type { Job } from '../jobs/job-store.ts';
import { jobFilterOf, jobIdOf, listJobs, operateJob } from '../jobs/operator.ts';
import { principalName, type createAuthenticator } from './auth.ts';
import { answerError, isApiError, notFoundError } from './errors.ts';

export function jobView(j: Job) {
  return {
    id: j.id, kind: j.kind, queue: j.queue, key: j.key, partnerId: j.partnerId, state: j.state,
    attempts: j.attempts, maxAttempts: j.maxAttempts,
    /** when it runs next (waiting), or ran last */
    runAt: j.runAt, lockedBy: j.lockedBy, lockedUntil: j.lockedUntil, lastError: j.lastError,
    payload: j.payload, outcome: j.outcome, createdAt: j.createdAt, updatedAt: j.updatedAt,
  };
}

export function mountJobs(app: Hono, deps: { store: Store; clock: Clock }, auth: ReturnType<typeof createAuthenticator>): void {
  const admin = auth.require(['admin']);
  const { store } = deps;
  const answer = async (c: Context, fn: () => Promise<unknown>) => {
    try {
      return c.json(await fn());
    } catch (e) {
      if (isApiError(e)) return answerError(c, e);
      throw e;
    }
  };

  app.get('/api/v1/jobs', admin, (c) => answer(c, async () => {
    const q = c.req.query();
    const page = await listJobs(store, jobFilterOf(q));
    const params = new URLSearchParams(Object.entries({ kind: q.kind, state: q.state, partner: q.partner, limit: q.limit }).filter((e): e is [string, string] => Boolean(e[1])));
    if (page.next) params.set('after', page.next);
    return { jobs: page.jobs.map(jobView), next: page.next, ...(page.next ? { links: { next: `/api/v1/jobs?${params}` } } : {}) };
  }));

  app.get('/api/v1/jobs/:id', admin, async (c) => {
    const id = jobIdOf(c.req.param('id'));
    const job = id === undefined ? undefined : await store.jobs.get(id);
    return job ? c.json(jobView(job)) : answerError(c, notFoundError('job', c.req.param('id')));
  });

  for (const action of ['retry', 'cancel'] as const) {
    app.post(`/api/v1/jobs/:id/${action}`, admin, (c) => answer(c, async () =>
      jobView(await operateJob(store, action, c.req.param('id')!, principalName(c.get('principal')), deps.clock.now().toISOString()))));
  }
}
