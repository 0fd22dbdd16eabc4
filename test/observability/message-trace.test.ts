/**
 * OpenTelemetry traces (issue 19): one trace per message, from its HTTP intake through its
 * processing (in a processing thread) and stages to the ERP feed's lease and acknowledgement, sent
 * over real OTLP/HTTP (JSON) to a receiver this test runs. What a user relies on: every span of the
 * message shares one trace id, each has the parent the flow implies (intake is the root; the
 * processing run, the feed's lease and ack are its children; the stages are children of their
 * document's unit; the 997's send job is a child of the ack step), the attributes name the
 * partner, format, message type and ids, and no span carries a secret or the message's bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.ts';

let f: GatewayFixture | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => { await f?.close(); f = undefined; await receiver?.close(); receiver = undefined; });

const BUYER_KEY = 'buyerco-key-3f9a1c';

/** an X12 4010 interchange of two 850s from BUYERCO (ISA13 000000042), written by hand from the standard */
const interchange = [
  'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261208*0130*U*00401*000000042*0*P*>',
  'GS*PO*BUYERCO*GATEWAY*20261208*0130*42*X*004010',
  'ST*850*0001', 'BEG*00*SA*PO-TRACE-1**20261208', 'PO1*1*4*EA*2.50**BP*WID-1', 'CTT*1', 'SE*5*0001',
  'ST*850*0002', 'BEG*00*SA*PO-TRACE-2**20261208', 'PO1*1*6*EA*1.25**BP*WID-2', 'CTT*1', 'SE*5*0002',
  'GE*2*42', 'IEA*1*000000042',
].join('~\n') + '~\n';

/** OTLP SpanKind values (opentelemetry-proto trace.proto) */
const SERVER = 2;
const CONSUMER = 5;
const CLIENT_OR_ANY = [1, 2, 3, 4, 5];

describe('a message\'s trace', () => {
  it('links intake, processing in a thread, its stages, the 997 and the ERP feed\'s lease and ack in one trace', async () => {
    receiver = await startOtlpReceiver();
    f = await startGatewayFixture({
      partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, realClock: true, processingThreads: 1,
      env: {
        BUYERCO_API_KEY: BUYER_KEY, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'edigw-trace-test',
        OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
    // the main thread loaded the SDK (the check the tracing-off test relies on sees it here)
    expect(Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/@opentelemetry/sdk-trace/'))).toBe(true);

    const posted = await f.fetch('/api/v1/inbound', { method: 'POST', key: BUYER_KEY, headers: { 'content-type': 'application/edi-x12' }, body: interchange });
    expect(posted.status).toBe(202);
    const { messageId } = await posted.json() as { messageId: string };
    await f.gw.idle();

    const feed = await (await f.fetch('/api/v1/erp/documents?limit=10', { token: tokens.erp })).json() as { documents: Array<{ id: string; document: { poNumber: string } }> };
    expect(feed.documents.map((d) => d.document.poNumber)).toEqual(['PO-TRACE-1', 'PO-TRACE-2']);
    const docIds = feed.documents.map((d) => d.id);
    const acked = await (await f.fetch('/api/v1/erp/documents/ack', { token: tokens.erp, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: docIds }) })).json() as { acknowledged: string[] };
    expect(acked.acknowledged.sort()).toEqual([...docIds].sort());

    const stored = await (await f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.operator })).json() as { metadata: Record<string, string> };
    // stopping the gateway flushes the main thread's spans and the processing thread's
    await f.close();
    f = undefined;

    const spans = receiver.spans;
    expect(receiver.refused).toEqual([]);
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const one = (name: string): ReceivedSpan => { const l = byName(name); expect(l, name).toHaveLength(1); return l[0]!; };

    const root = one('edigw.intake');
    expect(root.parentSpanId ?? '').toBe('');
    expect(root.kind).toBe(SERVER);
    expect(root.attributes).toMatchObject({
      'http.request.method': 'POST', 'http.route': '/api/v1/inbound', 'messaging.operation.type': 'receive', 'messaging.message.id': messageId,
      'messaging.message.body.size': Buffer.byteLength(interchange), 'edigw.message_id': messageId, 'edigw.partner': 'buyerco', 'edigw.transport': 'http',
      'edigw.intake.outcome': 'stored',
    });
    expect(root.resource['service.name']).toBe('edigw-trace-test');
    // the row keeps the root's W3C traceparent: version 00, trace id, the intake span's id, sampled
    expect(stored.metadata.traceparent).toBe(`00-${root.traceId}-${root.spanId}-01`);

    // every span this message caused is in the root's trace
    const trace = spans.filter((s) => s.traceId === root.traceId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    const ids = new Set(trace.map((s) => s.spanId));
    expect(ids.size).toBe(trace.length);
    for (const s of trace) if (s !== root) expect(ids.has(s.parentSpanId ?? ''), `${s.name} has a parent in the trace`).toBe(true);
    for (const s of trace) { expect(CLIENT_OR_ANY).toContain(s.kind); expect(s.endNs >= s.startNs).toBe(true); }

    const run = one('edigw.process');
    expect(run.parentSpanId).toBe(root.spanId);
    expect(run.kind).toBe(CONSUMER);
    expect(run.attributes).toMatchObject({
      'edigw.message_id': messageId, 'edigw.partner': 'buyerco', 'edigw.format': 'x12', 'edigw.message_type': '850', 'edigw.status': 'processed', 'edigw.documents': 2,
      // exported by the processing thread itself
      'thread.name': 'processing-0',
    });
    expect(typeof run.attributes['thread.id']).toBe('number');
    expect(root.attributes['thread.name']).toBeUndefined();
    expect(run.startNs >= root.startNs).toBe(true);

    expect(one('edigw.split').parentSpanId).toBe(run.spanId);
    expect(one('edigw.split').attributes['edigw.units']).toBe(2);
    const units = byName('edigw.unit');
    expect(units.map((u) => u.parentSpanId)).toEqual([run.spanId, run.spanId]);
    expect(units.map((u) => u.attributes['edigw.document_id']).sort()).toEqual([...docIds].sort());
    for (const u of units) {
      expect(u.attributes).toMatchObject({ 'edigw.message_type': '850', 'edigw.format': 'x12', 'edigw.unit.status': 'released', 'edigw.document_type': 'purchase_order', 'edigw.partner': 'buyerco' });
      const stages = trace.filter((s) => s.parentSpanId === u.spanId).map((s) => s.name);
      expect(stages).toEqual(expect.arrayContaining(['edigw.identify', 'edigw.dedupe', 'edigw.translate', 'edigw.validate', 'edigw.correlate', 'edigw.store']));
      for (const s of trace.filter((x) => x.parentSpanId === u.spanId)) expect(s.status.code, s.name).not.toBe(2);
    }

    // the 997 stored by the ack step, and its send job's attempt under it
    const ack = one('edigw.ack');
    expect(ack.parentSpanId).toBe(run.spanId);
    expect(ack.attributes['edigw.ack.message_type']).toBe('997');
    const send = one('job ack.send');
    expect(send.parentSpanId).toBe(ack.spanId);
    expect(send.attributes).toMatchObject({ 'edigw.job.kind': 'ack.send', 'messaging.destination.name': 'send:buyerco', 'edigw.message_id': ack.attributes['edigw.ack.message_id'] });

    // the ERP feed: each document's lease and acknowledgement, children of the message's root
    for (const [name, method, op] of [['erp.feed.lease', 'GET', 'receive'], ['erp.feed.ack', 'POST', 'settle']] as const) {
      const fed = byName(name);
      expect(fed.map((s) => s.attributes['edigw.document_id']).sort(), name).toEqual([...docIds].sort());
      for (const s of fed) {
        expect(s.parentSpanId).toBe(root.spanId);
        expect(s.kind).toBe(SERVER);
        expect(s.attributes).toMatchObject({ 'http.request.method': method, 'messaging.operation.type': op, 'edigw.message_id': messageId, 'edigw.partner': 'buyerco', 'edigw.document_type': 'purchase_order' });
      }
    }
    const ackOf = byName('erp.feed.ack')[0]!;
    const leaseOf = byName('erp.feed.lease')[0]!;
    expect(ackOf.startNs >= leaseOf.startNs).toBe(true);

    // never a secret (the partner's API key, the ERP token) nor the message's bytes
    const sent = receiver.bodies.join('\n');
    for (const secret of [BUYER_KEY, tokens.erp, 'ISA*00', 'BEG*00', 'PO-TRACE-1']) expect(sent, secret).not.toContain(secret);
  });

  it('carries the trace into the ERP push: the erp.push job under the document\'s unit, its POST a CLIENT span whose traceparent the ERP receives', async () => {
    receiver = await startOtlpReceiver();
    // a real ERP endpoint that keeps each request's traceparent and answers 201
    const pushes: Array<{ traceparent?: string; authorization?: string; key?: string }> = [];
    const erp = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        pushes.push({ traceparent: req.headers.traceparent as string | undefined, authorization: req.headers.authorization, key: req.headers['idempotency-key'] as string | undefined });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
    const erpPort = (erp.address() as { port: number }).port;
    try {
      f = await startGatewayFixture({
        partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, realClock: true, processingThreads: 1,
        erpPush: { url: `http://127.0.0.1:${erpPort}/erp/inbound`, token: 'erp-push-secret-77', timeoutMs: 5000 },
        env: { BUYERCO_API_KEY: BUYER_KEY, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`, OTEL_BSP_SCHEDULE_DELAY: '100' },
      });
      const posted = await f.fetch('/api/v1/inbound', { method: 'POST', key: BUYER_KEY, headers: { 'content-type': 'application/edi-x12' }, body: interchange });
      expect(posted.status).toBe(202);
      await f.gw.idle();
      for (let i = 0; i < 100 && pushes.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(pushes).toHaveLength(2);
      await f.close();
      f = undefined;
    } finally {
      await new Promise<void>((resolve) => erp.close(() => resolve()));
    }

    const spans = receiver.spans;
    const root = spans.find((s) => s.name === 'edigw.intake')!;
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    const units = spans.filter((s) => s.name === 'edigw.unit');
    const jobs = spans.filter((s) => s.name === 'job erp.push');
    const posts = spans.filter((s) => s.name === 'POST');
    expect(jobs).toHaveLength(2);
    expect(posts).toHaveLength(2);
    for (const job of jobs) {
      const unit = units.find((u) => u.spanId === job.parentSpanId);
      expect(unit, 'the erp.push job is a child of its document\'s unit').toBeDefined();
      expect(job.attributes).toMatchObject({ 'edigw.job.kind': 'erp.push', 'messaging.destination.name': 'erp:buyerco', 'edigw.document_id': unit!.attributes['edigw.document_id'] });
      const post = posts.find((p) => p.parentSpanId === job.spanId)!;
      expect(post.kind).toBe(3);
      expect(post.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 201, 'server.address': '127.0.0.1', 'server.port': erpPort, 'url.path': '/erp/inbound', 'edigw.document_id': unit!.attributes['edigw.document_id'] });
      // the ERP got this span as its parent
      const got = pushes.find((p) => p.key === unit!.attributes['edigw.document_id'])!;
      expect(got.traceparent).toBe(`00-${root.traceId}-${post.spanId}-01`);
      expect(got.authorization).toBe('Bearer erp-push-secret-77');
    }
    expect(receiver.bodies.join('\n')).not.toContain('erp-push-secret-77');
  });
});
