/**
 * The OpenTelemetry SDK behind tracing.ts, loaded only when tracing is on (a dynamic import): a
 * tracer provider with the configured sampler, a batch span processor and the OTLP/HTTP exporter
 * (JSON). No global provider or context manager is registered: the gateway's hooks pass parents
 * explicitly (a span, or a traceparent read from a row or a job payload), so nothing else in the
 * process is traced by accident.
 */
import { type Context, DiagLogLevel, diag, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, type Sampler, TraceIdRatioBasedSampler, TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Logger } from '../core/logger.ts';
import { formatTraceparent, parseTraceparent } from './traceparent.ts';
import type { TracingConfig } from './tracing-config.ts';
import type { SpanAttributes, SpanKindName, TraceSpan, TracingBackend } from './tracing.ts';

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL, server: SpanKind.SERVER, client: SpanKind.CLIENT, producer: SpanKind.PRODUCER, consumer: SpanKind.CONSUMER,
};

function samplerOf(s: TracingConfig['sampler']): Sampler {
  switch (s.name) {
    case 'always_on': return new AlwaysOnSampler();
    case 'always_off': return new AlwaysOffSampler();
    case 'traceidratio': return new TraceIdRatioBasedSampler(s.ratio);
    case 'parentbased_always_off': return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio': return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(s.ratio) });
    default: return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** attributes without the undefined ones (OpenTelemetry drops them, with a warning) */
function defined(a: SpanAttributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
  return out;
}

class OtelSpan implements TraceSpan {
  readonly traceparent: string;
  constructor(readonly span: Span) {
    const c = span.spanContext();
    this.traceparent = formatTraceparent({ traceId: c.traceId, spanId: c.spanId, flags: c.traceFlags });
  }
  set(attributes: SpanAttributes): void { this.span.setAttributes(defined(attributes)); }
  fail(code: string, message: string): void {
    this.span.setAttribute('error.type', code);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  end(): void { this.span.end(); }
}

function parentContext(parent: TraceSpan | string | undefined): Context {
  if (parent instanceof OtelSpan) return trace.setSpan(ROOT_CONTEXT, parent.span);
  const p = typeof parent === 'string' ? parseTraceparent(parent) : parent ? parseTraceparent(parent.traceparent) : undefined;
  return p ? trace.setSpanContext(ROOT_CONTEXT, { traceId: p.traceId, spanId: p.spanId, traceFlags: p.flags & 1, isRemote: true }) : ROOT_CONTEXT;
}

/** the SDK's own warnings (an export the collector refused or could not take) in the gateway's log, at most one a minute */
function forwardDiagnostics(logger: Logger): void {
  let last = 0;
  let skipped = 0;
  const warn = (message: string, ...args: unknown[]) => {
    const now = Date.now();
    if (now - last < 60_000) { skipped++; return; }
    last = now;
    logger.warn('tracing: the OpenTelemetry SDK reported a problem', { problem: [message, ...args.map(String)].join(' ').slice(0, 500), ...(skipped ? { skipped } : {}) });
    skipped = 0;
  };
  const quiet = () => {};
  diag.setLogger({ error: warn, warn, info: quiet, debug: quiet, verbose: quiet }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

export function createTracingBackend(config: TracingConfig, opts: { attributes: SpanAttributes; logger: Logger }): TracingBackend {
  forwardDiagnostics(opts.logger);
  const exporter = new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: config.timeoutMillis });
  const provider = new TracerProvider({
    sampler: samplerOf(config.sampler),
    resource: resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter, ...config.batch })],
  });
  const tracer = provider.getTracer('edi-gateway');
  const common = defined(opts.attributes);
  return {
    start(name, kind, parent, attributes, startTime) {
      return new OtelSpan(tracer.startSpan(name, { kind: KINDS[kind], attributes: { ...common, ...defined(attributes) }, ...(startTime !== undefined ? { startTime } : {}) }, parentContext(parent)));
    },
    flush: () => provider.forceFlush().catch((e) => opts.logger.warn('tracing: spans not exported', { error: String(e) })),
    shutdown: () => provider.shutdown().catch((e) => opts.logger.warn('tracing: spans not exported at shutdown', { error: String(e) })),
  };
}
