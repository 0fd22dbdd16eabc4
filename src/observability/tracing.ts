/**
 * OpenTelemetry traces of messages (issue 19), optional and off by default: one trace per message,
 * from its intake (the root span, whose `traceparent` is stored in the message's metadata) through
 * its processing and stages (in a processing thread, which reads the traceparent from the row), its
 * functional acks and its ERP delivery (push jobs carry the traceparent in their payload; the pull
 * feed reads it from the document's message). Settings: tracing-config.ts (OTEL_* variables).
 *
 * This module imports no OpenTelemetry package: with tracing off, startSpan answers undefined, the
 * hooks skip their work, and the SDK (tracing-sdk.ts) is never loaded. initTracing loads it with a
 * dynamic import when the settings turn tracing on. Each thread that traces (the main thread, each
 * processing thread) calls initTracing and exports its own spans to the endpoint.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NewJob } from '../jobs/job-store.ts';
import type { Logger } from '../core/logger.ts';
import { tracingConfig, type TracingConfig } from './tracing-config.ts';

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface TraceSpan {
  /** this span as a W3C traceparent, the parent of whatever it causes elsewhere */
  readonly traceparent: string;
  set(attributes: SpanAttributes): void;
  /** status ERROR with the gateway's error code as `error.type` (never payload bytes) */
  fail(code: string, message: string): void;
  end(): void;
}

export interface SpanOptions {
  kind?: SpanKindName;
  attributes?: SpanAttributes;
  /** the parent: a span, or a traceparent read from a row or a job; default the current span (withSpan) */
  parent?: TraceSpan | string;
  /** a new trace (a message's intake), whatever the current span */
  root?: boolean;
  /** when the work began (epoch ms), if before the span is started */
  startTime?: number;
}

/** what tracing-sdk.ts provides once loaded */
export interface TracingBackend {
  start(name: string, kind: SpanKindName, parent: TraceSpan | string | undefined, attributes: SpanAttributes, startTime?: number): TraceSpan;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let backend: TracingBackend | undefined;
let users = 0;
const current = new AsyncLocalStorage<TraceSpan>();

export function tracingOn(): boolean {
  return backend !== undefined;
}

/** a started span, or undefined when tracing is off */
export function startSpan(name: string, opts: SpanOptions = {}): TraceSpan | undefined {
  if (!backend) return undefined;
  const parent = opts.root ? undefined : opts.parent ?? current.getStore();
  return backend.start(name, opts.kind ?? 'internal', parent, opts.attributes ?? {}, opts.startTime);
}

/** the span `fn` runs in (withSpan), if any */
export function currentSpan(): TraceSpan | undefined {
  return backend ? current.getStore() : undefined;
}

/** runs `fn` with `span` as the current span (the default parent of spans started inside it) */
export function withSpan<T>(span: TraceSpan | undefined, fn: () => T): T {
  return span ? current.run(span, fn) : fn();
}

/**
 * runs `fn` inside a new span that ends when it settles; a throw marks the span failed (a
 * GatewayError's code) and is rethrown. With tracing off, just `fn(undefined)`.
 */
export function inSpan<T>(name: string, opts: SpanOptions, fn: (span: TraceSpan | undefined) => Promise<T> | T): Promise<T> | T {
  const span = startSpan(name, opts);
  if (!span) return fn(undefined);
  return current.run(span, async () => {
    try {
      return await fn(span);
    } catch (e) {
      failSpan(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

/** marks a span failed by an error: its code (GatewayError) or name, and its message */
export function failSpan(span: TraceSpan | undefined, e: unknown): void {
  if (!span) return;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : e instanceof Error ? e.name : 'error';
  span.fail(code, e instanceof Error ? e.message : String(e));
}

/** a job that carries `traceparent` in its payload: the job runner runs it in a child span of it */
export function withTraceparent(job: NewJob, traceparent: string | undefined): NewJob {
  if (!traceparent || !job.payload || typeof job.payload !== 'object') return job;
  return { ...job, payload: { ...(job.payload as Record<string, unknown>), traceparent } };
}

/** the traceparent a job's payload carries, if any */
export function traceparentOf(payload: unknown): string | undefined {
  const tp = payload && typeof payload === 'object' ? (payload as { traceparent?: unknown }).traceparent : undefined;
  return typeof tp === 'string' ? tp : undefined;
}

export interface TracingHandle {
  /** exports what is buffered, then stops the SDK when this was its last user in the thread */
  close(): Promise<void>;
}

/**
 * Turns tracing on in this thread when the env's OTEL_* settings ask for it (settings that cannot be
 * read are logged and defaulted). `attributes`: what every span of this thread carries (thread.id).
 * Several gateways in one process (tests) share one SDK; it stops when the last one closes.
 */
export async function initTracing(env: Record<string, string | undefined>, opts: { logger: Logger; attributes?: SpanAttributes }): Promise<TracingHandle> {
  const { config, warnings } = tracingConfig(env);
  for (const w of warnings) opts.logger.warn('tracing setting ignored', { problem: w });
  if (!config) return { close: async () => {} };
  if (!backend) {
    const { createTracingBackend } = await import('./tracing-sdk.ts');
    backend ??= createTracingBackend(config, { attributes: opts.attributes ?? {}, logger: opts.logger });
    opts.logger.info('tracing on', { endpoint: redactUrl(config), sampler: config.sampler.name, ...(config.sampler.name.endsWith('ratio') ? { ratio: config.sampler.ratio } : {}), serviceName: config.serviceName });
  }
  users++;
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      const b = backend;
      if (!b) return;
      if (--users > 0) { await b.flush(); return; }
      backend = undefined;
      await b.shutdown();
    },
  };
}

/** the endpoint without credentials or query (a collector URL may carry a token) */
function redactUrl(config: TracingConfig): string {
  const u = new URL(config.url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
