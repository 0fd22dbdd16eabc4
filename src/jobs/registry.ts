/**
 * Tasks are plain functions registered by kind: `defineTask('ack.send', run, { maxAttempts, backoff })`.
 * A task gets the job's payload and returns its outcome (stored as JSON on the row). To ask for a
 * retry at a time the peer named (HTTP 429/503 Retry-After), it throws RetryLater; to give up at
 * once (a 4xx, a partner that no longer exists), it throws JobFailed. Any other error is retried
 * with the kind's backoff until its attempts are used up.
 */
import { type BackoffPolicy, defaultBackoff } from './backoff.ts';
import type { Job, NewJob } from './job-store.ts';

export interface TaskContext<P> {
  job: Job<P>;
  /** aborted when this node lost the job's lock (it ran out and another node took the job) or the runner stops */
  signal: AbortSignal;
}

export type TaskFn<P = unknown> = (payload: P, ctx: TaskContext<P>) => Promise<unknown>;

export interface TaskOptions {
  /** attempts in total, including the first; default 10 */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /**
   * a policy of the kind: ms until this node may claim jobs of the kind again (0: now). The runner
   * claims none while it is above 0 (the ERP's circuit is open, the ERP asked every push to wait,
   * another node holds the kind's role) and looks again when it runs out.
   */
  gate?: () => number;
}

export interface TaskDef<P = unknown> {
  kind: string;
  run: TaskFn<P>;
  maxAttempts: number;
  backoff: BackoffPolicy;
  gate?: () => number;
}

export function defineTask<P>(kind: string, run: TaskFn<P>, opts: TaskOptions = {}): TaskDef<P> {
  return { kind, run, maxAttempts: opts.maxAttempts ?? 10, backoff: opts.backoff ?? defaultBackoff, ...(opts.gate ? { gate: opts.gate } : {}) };
}

/** a job of a task's kind, with the kind's attempt budget; due at once unless runAt says later */
export function jobFor<P>(def: TaskDef<P>, j: { payload: P; key?: string; queue?: string; at: string; runAt?: string }): NewJob {
  return { kind: def.kind, payload: j.payload, key: j.key, queue: j.queue, maxAttempts: def.maxAttempts, runAt: j.runAt ?? j.at, at: j.at };
}

export interface TaskRegistry {
  get(kind: string): TaskDef | undefined;
  kinds(): string[];
}

export function createTaskRegistry(defs: Array<TaskDef<never>>): TaskRegistry {
  const byKind = new Map<string, TaskDef>();
  for (const d of defs) {
    if (byKind.has(d.kind)) throw new Error(`job kind ${d.kind} is registered twice`);
    byKind.set(d.kind, d as unknown as TaskDef);
  }
  return { get: (kind) => byKind.get(kind), kinds: () => [...byKind.keys()] };
}

/**
 * retry: at the time the peer asked for when it gave an HTTP status and Retry-After (429/503), in
 * `delayMs` when the task knows how long (a throttle's next token), else after the kind's backoff.
 * `countAttempt: false` gives the attempt back (it was not the job's failure: a 429, an open circuit).
 */
export class RetryLater extends Error {
  readonly status?: number;
  readonly retryAfter?: string | null;
  readonly delayMs?: number;
  readonly countAttempt: boolean;
  constructor(message: string, opts: { status?: number; retryAfter?: string | null; delayMs?: number; countAttempt?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'RetryLater';
    this.status = opts.status;
    this.retryAfter = opts.retryAfter;
    this.delayMs = opts.delayMs;
    this.countAttempt = opts.countAttempt ?? true;
  }
}

/** do not retry: the job is failed with this error at once */
export class JobFailed extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.name = 'JobFailed';
  }
}
