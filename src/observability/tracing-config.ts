/**
 * Tracing's settings from the standard OpenTelemetry environment variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/ and the OTLP
 * exporter's), read from the gateway's env. Off unless an OTLP endpoint is named
 * (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT) or OTEL_TRACES_EXPORTER=otlp
 * asks for the default one (http://localhost:4318/v1/traces); OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none keep it off whatever else is set. As the specification asks, a value
 * that cannot be read is reported (`warnings`) and its default used instead.
 * No OpenTelemetry module is imported here: with tracing off none is ever loaded.
 */
export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface TracingConfig {
  /** where spans are POSTed (OTLP/HTTP, JSON) */
  url: string;
  /** OTEL_EXPORTER_OTLP_(TRACES_)HEADERS: may hold a vendor's API key, never logged */
  headers: Record<string, string>;
  timeoutMillis: number;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES (service.name from OTEL_SERVICE_NAME wins) */
  resourceAttributes: Record<string, string>;
  sampler: { name: SamplerName; ratio: number };
  batch: { scheduledDelayMillis: number; exportTimeoutMillis: number; maxQueueSize: number; maxExportBatchSize: number };
}

const SAMPLERS: SamplerName[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];
const DEFAULT_ENDPOINT = 'http://localhost:4318';

type Env = Record<string, string | undefined>;

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** undefined when tracing is off; throws only for what cannot be defaulted (an endpoint that is not an http(s) URL) */
export function tracingConfig(env: Env): { config?: TracingConfig; warnings: string[] } {
  const warnings: string[] = [];
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { warnings };
  const exporters = value(env, 'OTEL_TRACES_EXPORTER')?.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean) ?? [];
  if (exporters.includes('none')) return { warnings };
  for (const e of exporters) if (e !== 'otlp') warnings.push(`OTEL_TRACES_EXPORTER: "${e}" is not supported (the gateway exports OTLP over HTTP); ignored`);
  const specific = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const general = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!specific && !general && !exporters.includes('otlp')) return { warnings };

  // the signal's own endpoint is used as given; the general one gets the signal's path appended
  const url = specific ?? `${(general ?? DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
  let parsed: URL | undefined;
  try { parsed = new URL(url); } catch { parsed = undefined; }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new Error(`${specific ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT'} must be an http(s) URL, got "${specific ?? general}"`);
  }
  const protocol = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol && protocol !== 'http/json') {
    warnings.push(`OTEL_EXPORTER_OTLP_PROTOCOL "${protocol}": the gateway sends OTLP/HTTP as JSON (http/json), which OTLP receivers accept at the same path`);
  }

  const headers = { ...readPairs(env, 'OTEL_EXPORTER_OTLP_HEADERS', warnings), ...readPairs(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', warnings) };
  const resourceAttributes = readPairs(env, 'OTEL_RESOURCE_ATTRIBUTES', warnings);
  const serviceName = value(env, 'OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? 'edi-gateway';

  let name = (value(env, 'OTEL_TRACES_SAMPLER')?.toLowerCase() ?? 'parentbased_always_on') as SamplerName;
  if (!SAMPLERS.includes(name)) {
    warnings.push(`OTEL_TRACES_SAMPLER: "${name}" is not one of ${SAMPLERS.join(', ')}; parentbased_always_on is used`);
    name = 'parentbased_always_on';
  }
  let ratio = 1;
  const arg = value(env, 'OTEL_TRACES_SAMPLER_ARG');
  if (arg !== undefined && name.endsWith('traceidratio')) {
    const n = Number(arg);
    if (Number.isFinite(n) && n >= 0 && n <= 1) ratio = n;
    else warnings.push(`OTEL_TRACES_SAMPLER_ARG: "${arg}" is not a ratio from 0 to 1; 1.0 is used`);
  }

  const whole = (name: string, fallback: number, min = 1): number => {
    const raw = value(env, name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= min) return n;
    warnings.push(`${name}: "${raw}" is not a whole number of at least ${min}; ${fallback} is used`);
    return fallback;
  };
  const timeoutMillis = whole('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', whole('OTEL_EXPORTER_OTLP_TIMEOUT', 10_000));
  const maxQueueSize = whole('OTEL_BSP_MAX_QUEUE_SIZE', 2048);
  let maxExportBatchSize = whole('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512);
  if (maxExportBatchSize > maxQueueSize) {
    warnings.push(`OTEL_BSP_MAX_EXPORT_BATCH_SIZE ${maxExportBatchSize} is above OTEL_BSP_MAX_QUEUE_SIZE ${maxQueueSize}; ${maxQueueSize} is used`);
    maxExportBatchSize = maxQueueSize;
  }
  return {
    warnings,
    config: {
      url, headers, timeoutMillis, serviceName, resourceAttributes, sampler: { name, ratio },
      batch: { scheduledDelayMillis: whole('OTEL_BSP_SCHEDULE_DELAY', 5000, 0), exportTimeoutMillis: whole('OTEL_BSP_EXPORT_TIMEOUT', 30_000), maxQueueSize, maxExportBatchSize },
    },
  };
}

/** `key1=value1,key2=value2` (W3C Baggage-like, values percent-encoded), as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES take them */
function readPairs(env: Env, name: string, warnings: string[]): Record<string, string> {
  const raw = value(env, name);
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const at = part.indexOf('=');
    const key = at > 0 ? part.slice(0, at).trim() : '';
    if (!key) {
      // never echo the entry: a header's value may be a secret
      warnings.push(`${name}: an entry without "key=" was ignored`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      warnings.push(`${name}: the value of "${key}" is not percent-encoded correctly; ignored`);
    }
  }
  return out;
}
