/**
 * Tracing's settings as the OpenTelemetry environment-variable specification defines them, and the
 * W3C traceparent the trace crosses boundaries with (examples from the Trace Context recommendation).
 */
import { describe, expect, it } from 'vitest';
import { tracingConfig } from '../../src/observability/tracing-config.ts';
import { formatTraceparent, parseTraceparent } from '../../src/observability/traceparent.ts';

describe('tracing settings', () => {
  it('are off unless an OTLP endpoint or the otlp exporter is named, and off whatever is named when disabled', () => {
    expect(tracingConfig({}).config).toBeUndefined();
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).config).toBeUndefined();
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).config).toBeUndefined();
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).config).toBeUndefined();
    expect(tracingConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).config?.url).toBe('http://localhost:4318/v1/traces');
  });

  it('append /v1/traces to the general endpoint only, and default as the specification says', () => {
    const general = tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/otlp/' }).config!;
    expect(general.url).toBe('https://collector.example:4318/otlp/v1/traces');
    expect(general.serviceName).toBe('edi-gateway');
    expect(general.sampler).toEqual({ name: 'parentbased_always_on', ratio: 1 });
    expect(general.batch).toEqual({ scheduledDelayMillis: 5000, exportTimeoutMillis: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 });
    expect(general.timeoutMillis).toBe(10000);
    const specific = tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/custom' }).config!;
    expect(specific.url).toBe('http://b:9999/custom');
    expect(() => tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
  });

  it('read the sampler, service name, resource attributes and headers (percent-decoded; signal-specific ones win)', () => {
    const { config, warnings } = tracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.name=from-attrs', OTEL_SERVICE_NAME: 'edigw-eu',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%20b,x-tenant=t1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=t2',
    });
    expect(warnings).toEqual([]);
    expect(config!.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 0.25 });
    expect(config!.serviceName).toBe('edigw-eu');
    expect(config!.resourceAttributes['deployment.environment.name']).toBe('prod');
    expect(config!.headers).toEqual({ 'api-key': 'a b', 'x-tenant': 't2' });
  });

  it('report a value they cannot read and use its default, never echoing a header value', () => {
    const { config, warnings } = tracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_BSP_SCHEDULE_DELAY: 'soon', OTEL_EXPORTER_OTLP_HEADERS: 'secret-without-key',
    });
    expect(config!.sampler).toEqual({ name: 'parentbased_always_on', ratio: 1 });
    expect(config!.batch.scheduledDelayMillis).toBe(5000);
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toContain('OTEL_TRACES_SAMPLER: "sometimes"');
    expect(warnings.join('\n')).toContain('OTEL_BSP_SCHEDULE_DELAY: "soon"');
    expect(warnings.join('\n')).not.toContain('secret-without-key');
  });
});

describe('traceparent', () => {
  it('reads and writes the W3C form, and refuses invalid values', () => {
    const example = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(parseTraceparent(example)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 });
    expect(formatTraceparent({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 0 })).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    for (const bad of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', 'garbage', 42,
    ]) expect(parseTraceparent(bad), String(bad)).toBeUndefined();
    // a later version may carry more fields: read as version 00
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes')?.spanId).toBe('00f067aa0ba902b7');
  });
});
