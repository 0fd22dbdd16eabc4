/**
 * What operators do with jobs, one way for the API (server/routes-jobs.ts) and the command line
 * (cli/cmd-jobs.ts): list with filters a page at a time, retry a failed or cancelled job, cancel a
 * waiting or failed one. Each retry or cancel is an audit log entry (actor, job, kind, state before).
 */
import { GatewayError } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import type { Job, JobFilter, JobState } from './job-store.ts';

export const JOB_STATES: readonly JobState[] = ['waiting', 'running', 'done', 'failed', 'cancelled'];
export const MAX_JOBS_PAGE = 500;

/** query_invalid, as every HTTP list answers a bad parameter (src/server/errors.ts) */
const invalid = (parameter: string, expected: string, found: string) =>
  new GatewayError('query_invalid', `${parameter} must be ${expected}, got "${found}"`, { parameter, expected, found });

/** a positive integer as given in a path, query or argument, else undefined */
export const jobIdOf = (v: string | undefined): number | undefined => (v !== undefined && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : undefined);

/** filters as given (query string, options): `after` is the previous page's `next` (a job id); throws query_invalid */
export function jobFilterOf(q: { kind?: string; state?: string; partner?: string; after?: string; limit?: string }): JobFilter {
  const state = q.state || undefined;
  if (state !== undefined && !JOB_STATES.includes(state as JobState)) throw invalid('state', `one of ${JOB_STATES.join(', ')}`, state);
  const before = q.after ? jobIdOf(q.after) : undefined;
  if (q.after && before === undefined) throw invalid('after', 'a job id (the previous page\'s next)', q.after);
  const limit = q.limit ? jobIdOf(q.limit) : 100;
  if (limit === undefined || limit > MAX_JOBS_PAGE) throw invalid('limit', `an integer from 1 to ${MAX_JOBS_PAGE}`, q.limit!);
  return { kind: q.kind || undefined, state: state as JobState | undefined, partnerId: q.partner || undefined, before, limit };
}

/** one page, newest first; `next` (the last id) when the page is full */
export async function listJobs(store: Store, filter: JobFilter): Promise<{ jobs: Job[]; next: string | null }> {
  const jobs = await store.jobs.list(filter);
  return { jobs, next: jobs.length === filter.limit ? String(jobs.at(-1)!.id) : null };
}

const ALLOWED = { retry: ['failed', 'cancelled'], cancel: ['waiting', 'failed'] } as const;

/** retry (failed | cancelled -> waiting, due now, fresh attempts) or cancel (waiting | failed -> cancelled); throws job_not_found / job_not_retryable / job_not_cancellable */
export async function operateJob(store: Store, action: 'retry' | 'cancel', ref: string | number, by: string, at: string): Promise<Job> {
  const id = typeof ref === 'number' ? ref : jobIdOf(ref);
  const job = id === undefined ? undefined : await store.jobs.get(id);
  if (!job) throw new GatewayError('job_not_found', `job ${ref} does not exist`, { jobId: String(ref) });
  const done = action === 'retry' ? await store.jobs.retry(job.id, at) : await store.jobs.cancel(job.id, at);
  if (!done) {
    const now = (await store.jobs.get(job.id)) ?? job;
    const allowed = ALLOWED[action];
    throw new GatewayError(`job_not_${action === 'retry' ? 'retryable' : 'cancellable'}`,
      `job ${job.id} (${job.kind}) is ${now.state}: only a ${allowed.join(' or ')} job can be ${action === 'retry' ? 'retried' : 'cancelled'}`,
      { jobId: String(job.id), found: now.state, expected: allowed.join(' | ') });
  }
  await store.audit({ at, actor: by, action: `job_${action}`, subject: `job:${job.id}`, detail: { kind: job.kind, key: job.key, from: job.state } });
  return (await store.jobs.get(job.id))!;
}
