/**
 * GET /metrics after real traffic through a real gateway: the exposition parses (every sample under
 * a TYPE, Prometheus text format 0.0.4), the per-partner counters say what was sent (counted by hand
 * below), HTTP durations are labelled by route pattern (never a URL or message id), and the stored
 * totals, storage and event-loop lines are there.
 * Traffic: RestCo (JSON) posts 2 valid ship notices, 1 again (duplicate), 1 malformed, 1 with a bad
 * date; BuyerCo (X12, collects its 997s by pickup) posts two 850s; the ERP pulls and acks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { parseExposition, type Sample } from '../support/exposition.ts';
import { startGatewayFixture, restcoYaml, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
let samples: Sample[];
let types: Map<string, string>;
const BUYERCO_KEY = 'buyerco-metrics-key';

const value = (name: string, labels: Record<string, string>) => samples
  .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  .reduce((n, s) => n + s.value, 0);

const shipNotice = (id: string, shipDate = '2026-11-20') => JSON.stringify({
  type: 'ship_notice',
  document: { shipmentId: id, shipDate, carrier: { scac: 'UPSN', trackingNumber: '1Z999' },
    orders: [{ poNumber: `PO-${id}`, lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 12, unitOfMeasure: 'EA' }] }] },
});
const x12 = (n: number) => [
  `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261123*0900*U*00401*00000070${n}*0*P*>`,
  `GS*PO*BUYERCO*GATEWAY*20261123*0900*70${n}*X*004010`, 'ST*850*0001', `BEG*00*SA*PO-MET-${n}**20261123`,
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', `GE*1*70${n}`, `IEA*1*00000070${n}`, '',
].join('~\n');

beforeAll(async () => {
  f = await startGatewayFixture({
    partners: { restco: restcoYaml, buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
    env: { BUYERCO_API_KEY: BUYERCO_KEY },
  });
  const json = (body: string, wait = true) => f.fetch(`/api/v1/inbound${wait ? '?wait=true' : ''}`, { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body });
  expect((await json(shipNotice('M-1'))).status).toBe(200);
  expect((await json(shipNotice('M-2'))).status).toBe(200);
  expect((await json(shipNotice('M-2'))).status).toBe(200); // duplicate
  expect((await json('{"type": "ship_notice", "document": {,}}', false)).status).toBe(400);
  expect((await json(shipNotice('M-3', '20 Nov 2026'))).status).toBe(422);
  for (const n of [1, 2]) {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: BUYERCO_KEY, headers: { 'content-type': 'application/edi-x12' }, body: x12(n) });
    expect(res.status, await res.text()).toBe(200);
  }
  await f.gw.idle();
  const first = (await (await f.fetch('/api/v1/messages?limit=1', { token: tokens.operator })).json() as { messages: Array<{ id: string }> }).messages[0]!;
  expect((await f.fetch(`/api/v1/messages/${first.id}`, { token: tokens.operator })).status).toBe(200);
  expect((await f.fetch('/api/v1/messages/msg_nosuch', { token: tokens.operator })).status).toBe(404);
  expect((await f.fetch('/api/v1/nosuch/msg_abc', { token: tokens.operator })).status).toBe(404);
  const page = await (await f.fetch('/api/v1/erp/documents?limit=50', { token: tokens.erp })).json() as { documents: Array<{ id: string }> };
  expect(page.documents.length).toBe(4); // 2 ship notices, 2 purchase orders
  const ack = await f.fetch('/api/v1/erp/documents/ack', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [...page.documents.map((d) => d.id), 'doc_nosuch'] }) });
  expect(ack.status).toBe(200);

  const res = await f.fetch('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  ({ samples, types } = parseExposition(await res.text()));
});
afterAll(async () => { await f?.close(); });

describe('/metrics after traffic', () => {
  it('is valid exposition: every sample belongs to a declared metric', () => {
    expect(samples.length).toBeGreaterThan(20);
    const family = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
    for (const s of samples) expect(types.has(s.name) || types.has(family(s.name)), s.name).toBe(true);
    expect(types.get('edigw_messages_received_total')).toBe('counter');
    expect(types.get('edigw_http_request_duration_seconds')).toBe('histogram');
  });

  it('counts messages in by partner, transport and outcome, and what the pipeline made of them', () => {
    // 5 posts from RestCo: 4 stored (2 good, the malformed one, the bad date), 1 duplicate; 2 from BuyerCo
    expect(value('edigw_messages_received_total', { partner: 'restco', transport: 'http', outcome: 'stored' })).toBe(4);
    expect(value('edigw_messages_received_total', { partner: 'restco', transport: 'http', outcome: 'duplicate' })).toBe(1);
    expect(value('edigw_messages_received_total', { partner: 'buyerco', transport: 'http', outcome: 'stored' })).toBe(2);
    expect(value('edigw_messages_processed_total', { partner: 'restco', format: 'json', status: 'processed' })).toBe(2);
    expect(value('edigw_messages_processed_total', { partner: 'restco', format: 'json', status: 'failed' })).toBe(2);
    expect(value('edigw_messages_processed_total', { partner: 'buyerco', format: 'x12', status: 'processed' })).toBe(2);
    expect(value('edigw_documents_total', { partner: 'restco', type: 'ship_notice' })).toBe(2);
    expect(value('edigw_documents_total', { partner: 'buyerco', type: 'purchase_order' })).toBe(2);
    expect(value('edigw_exceptions_opened_total', { partner: 'restco', code: 'json_malformed' })).toBe(1);
    expect(value('edigw_exceptions_opened_total', { partner: 'restco', stage: 'validate', code: 'canonical_invalid' })).toBe(1);
    expect(value('edigw_exceptions_opened_total', { partner: 'buyerco' })).toBe(0);
  });

  it('counts jobs by kind and state, and the 997s sent by channel', () => {
    // BuyerCo collects its 997s (pickup): one ack.send job per interchange, done at once
    expect(value('edigw_job_attempts_total', { kind: 'ack.send', partner: 'buyerco', state: 'done' })).toBe(2);
    expect(value('edigw_messages_sent_total', { partner: 'buyerco', kind: 'ack.send', channel: 'pickup' })).toBe(2);
  });

  it('counts the ERP feed: documents leased by partner, ids acknowledged and unknown', () => {
    expect(value('edigw_erp_feed_documents_total', { partner: 'restco', outcome: 'leased' })).toBe(2);
    expect(value('edigw_erp_feed_documents_total', { partner: 'buyerco', outcome: 'leased' })).toBe(2);
    expect(value('edigw_erp_feed_acks_total', { outcome: 'acknowledged' })).toBe(4);
    expect(value('edigw_erp_feed_acks_total', { outcome: 'unknown' })).toBe(1);
  });

  it('times HTTP requests by route pattern, never by URL', () => {
    const count = (labels: Record<string, string>) => value('edigw_http_request_duration_seconds_count', labels);
    expect(count({ method: 'GET', route: '/api/v1/messages/:id', status: '200' })).toBe(1);
    expect(count({ method: 'GET', route: '/api/v1/messages/:id', status: '404' })).toBe(1);
    expect(count({ method: 'POST', route: '/api/v1/inbound', status: '200' })).toBe(5);
    expect(count({ method: 'POST', route: '/api/v1/inbound', status: '422' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    const routes = new Set(samples.filter((s) => s.name.startsWith('edigw_http_request_duration_seconds')).map((s) => s.labels.route));
    for (const r of routes) expect(r, 'a route label is a pattern').not.toMatch(/msg_|doc_|\?/);
    // a histogram: cumulative buckets up to +Inf equal to the count
    const inf = value('edigw_http_request_duration_seconds_bucket', { route: '/api/v1/inbound', le: '+Inf' });
    expect(inf).toBe(value('edigw_http_request_duration_seconds_count', { route: '/api/v1/inbound' }));
  });

  it('no label holds a message or document id; partner labels are configured partners', () => {
    for (const s of samples) for (const v of Object.values(s.labels)) expect(v, `${s.name} ${JSON.stringify(s.labels)}`).not.toMatch(/^(msg|doc|exc)_/);
    const partners = new Set(samples.map((s) => s.labels.partner).filter(Boolean));
    for (const p of partners) expect(['restco', 'buyerco', 'none', 'unknown']).toContain(p);
  });

  it('keeps the stored totals, storage and event-loop lines', () => {
    expect(value('edigw_documents', {})).toBe(4);
    expect(value('edigw_exceptions_open', {})).toBe(2);
    expect(value('edigw_storage_writable', {})).toBe(1);
    expect(types.get('edigw_event_loop_lag_seconds')).toBe('summary');
    expect(samples.some((s) => s.name === 'edigw_event_loop_lag_max_seconds')).toBe(true);
  });
});
