/**
 * Tracing off (issue 19): the default costs nothing. A gateway with no OTLP endpoint, and one whose
 * endpoint is set but OTEL_SDK_DISABLED=true (the specification's switch), process and feed a
 * message while an OTLP receiver listens: nothing is sent, the message's metadata has no
 * traceparent, and no OpenTelemetry SDK module is loaded in the process (CommonJS packages, which the
 * @opentelemetry ones are, appear in require.cache when loaded: message-trace.test.ts checks that
 * this probe sees the SDK when tracing is on). This file runs in its own process (vitest forks).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';

let f: GatewayFixture | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => { await f?.close(); f = undefined; await receiver?.close(); receiver = undefined; });

const interchange = [
  'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261208*0130*U*00401*000000043*0*P*>',
  'GS*PO*BUYERCO*GATEWAY*20261208*0130*43*X*004010',
  'ST*850*0001', 'BEG*00*SA*PO-OFF-1**20261208', 'PO1*1*4*EA*2.50**BP*WID-1', 'CTT*1', 'SE*5*0001',
  'GE*1*43', 'IEA*1*000000043',
].join('~\n') + '~\n';

/**
 * the OpenTelemetry modules loaded besides @opentelemetry/api, which prom-client (the metrics)
 * depends on and loads whatever tracing does: the api is a no-op facade; the SDK, resources and
 * exporter packages are what tracing would add
 */
const openTelemetryLoaded = () => Object.keys(createRequire(import.meta.url).cache)
  .filter((k) => k.includes('/@opentelemetry/') && !k.includes('/@opentelemetry/api/'));

describe('tracing off', () => {
  for (const [name, env] of [
    ['no endpoint set (the default)', (_url: string) => ({ OTEL_SERVICE_NAME: 'edigw-off', OTEL_TRACES_SAMPLER: 'always_on' })],
    ['an endpoint set with OTEL_SDK_DISABLED=true', (url: string) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_SDK_DISABLED: 'true' })],
  ] as const) {
    it(`sends nothing and loads no OpenTelemetry SDK module: ${name}`, async () => {
      receiver = await startOtlpReceiver();
      f = await startGatewayFixture({
        partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
        env: { BUYERCO_API_KEY: 'buyerco-key', ...env(receiver.url) },
      });
      const posted = await f.fetch('/api/v1/inbound', { method: 'POST', key: 'buyerco-key', headers: { 'content-type': 'application/edi-x12' }, body: interchange });
      expect(posted.status).toBe(202);
      const { messageId } = await posted.json() as { messageId: string };
      await f.gw.idle();
      const feed = await (await f.fetch('/api/v1/erp/documents?limit=10', { token: tokens.erp })).json() as { documents: Array<{ id: string }> };
      expect(feed.documents).toHaveLength(1);
      const acked = await f.fetch('/api/v1/erp/documents/ack', { token: tokens.erp, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [feed.documents[0]!.id] }) });
      expect(acked.status).toBe(200);
      const stored = await (await f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.operator })).json() as { metadata: Record<string, string> };
      expect(stored.metadata.traceparent).toBeUndefined();
      await f.close();
      f = undefined;
      expect(receiver.bodies).toEqual([]);
      expect(receiver.refused).toEqual([]);
      expect(openTelemetryLoaded()).toEqual([]);
    });
  }
});
