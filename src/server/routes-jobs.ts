/**
 * Jobs for operators (admin token): the durable work of src/jobs/ (functional ack sends, …) with
 * its state, attempts, next run and last error; retry a failed or cancelled job, cancel a waiting
 * or failed one (each an audit log entry). Lists are newest first, a page at a time:
 *   GET  /api/v1/jobs?kind=&state=&partner=&after=&limit=   -> { jobs, next } (next: pass as after=)
 *   GET  /api/v1/jobs/:id
 *   POST /api/v1/jobs/:id/retry | /cancel
 */
import type { Context, Hono } from 'hono';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../db/store.ts';
import type { Job, JobState } from '../jobs/job-store.ts';
import { principalName, type createAuthenticator } from './auth.ts';

const STATES: readonly JobState[] = ['waiting', 'running', 'done', 'failed', 'cancelled'];
const MAX_LIMIT = 500;

export function jobView(j: Job) {
  return {
    id: j.id, kind: j.kind, queue: j.queue, key: j.key, partnerId: j.partnerId, state: j.state,
    attempts: j.attempts, maxAttempts: j.maxAttempts,
    /** when it runs next (waiting), or ran last */
    runAt: j.runAt, lockedBy: j.lockedBy, lockedUntil: j.lockedUntil, lastError: j.lastError,
    payload: j.payload, outcome: j.outcome, createdAt: j.createdAt, updatedAt: j.updatedAt,
  };
}

const bad = (c: Context, field: string, expected: string, found: string) =>
  c.json({ error: { code: 'invalid_query', message: `${field} must be ${expected}, found "${found}"`, field, expected, found } }, 400);

/** a positive integer as given in a path or query, else undefined */
const idOf = (v: string | undefined): number | undefined => (v !== undefined && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : undefined);

export function mountJobs(app: Hono, deps: { store: Store; clock: Clock }, auth: ReturnType<typeof createAuthenticator>): void {
  const admin = auth.require(['admin']);
  const { store } = deps;
  const notFound = (c: Context) => c.json({ error: { code: 'job_not_found', message: `job ${c.req.param('id')} does not exist` } }, 404);

  app.get('/api/v1/jobs', admin, async (c) => {
    const q = c.req.query();
    const state = q.state || undefined;
    if (state !== undefined && !STATES.includes(state as JobState)) return bad(c, 'state', `one of ${STATES.join(', ')}`, state);
    const after = q.after ? idOf(q.after) : undefined;
    if (q.after && after === undefined) return bad(c, 'after', 'a job id (the previous page\'s next)', q.after);
    const limit = q.limit ? idOf(q.limit) : 100;
    if (limit === undefined || limit > MAX_LIMIT) return bad(c, 'limit', `an integer from 1 to ${MAX_LIMIT}`, q.limit!);
    const rows = await store.jobs.list({ kind: q.kind || undefined, state: state as JobState | undefined, partnerId: q.partner || undefined, before: after, limit });
    const next = rows.length === limit ? String(rows.at(-1)!.id) : null;
    const params = new URLSearchParams(Object.entries({ kind: q.kind, state, partner: q.partner, limit: q.limit }).filter((e): e is [string, string] => Boolean(e[1])));
    if (next) params.set('after', next);
    return c.json({ jobs: rows.map(jobView), next, ...(next ? { links: { next: `/api/v1/jobs?${params}` } } : {}) });
  });

  app.get('/api/v1/jobs/:id', admin, async (c) => {
    const id = idOf(c.req.param('id'));
    const job = id === undefined ? undefined : await store.jobs.get(id);
    return job ? c.json(jobView(job)) : notFound(c);
  });

  const operate = (action: 'retry' | 'cancel', allowed: readonly JobState[]) => async (c: Context) => {
    const id = idOf(c.req.param('id'));
    const job = id === undefined ? undefined : await store.jobs.get(id);
    if (!job) return notFound(c);
    const at = deps.clock.now().toISOString();
    const done = action === 'retry' ? await store.jobs.retry(job.id, at) : await store.jobs.cancel(job.id, at);
    if (!done) {
      const now = (await store.jobs.get(job.id)) ?? job;
      return c.json({ error: { code: `job_not_${action === 'retry' ? 'retryable' : 'cancellable'}`,
        message: `job ${job.id} (${job.kind}) is ${now.state}: only a ${allowed.join(' or ')} job can be ${action === 'retry' ? 'retried' : 'cancelled'}`,
        jobId: job.id, state: now.state, expected: allowed } }, 409);
    }
    await store.audit({ at, actor: principalName(c.get('principal')), action: `job_${action}`, subject: `job:${job.id}`, detail: { kind: job.kind, key: job.key, from: job.state } });
    return c.json(jobView((await store.jobs.get(job.id))!));
  };
  app.post('/api/v1/jobs/:id/retry', admin, operate('retry', ['failed', 'cancelled']));
  app.post('/api/v1/jobs/:id/cancel', admin, operate('cancel', ['waiting', 'failed']));
}
