/**
 * /metrics after real traffic (issue 19): acknowledgement dispositions sent and received, ERP push
 * latency by outcome and status, job queue depth and age. BuyerCo posts a good 850 (our 997 accepts
 * it: AK9*A) and an 850 whose SE02 differs from its ST02 (X12: AK5*R*3, so the group's AK9 is R),
 * then a 997 of its own accepting a group (AK9*A); the ERP push target answers 503, so the pushed
 * purchase order's erp.push job waits for its retry (the fixture's clock stands still: it stays
 * waiting, created "now", age 0).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { parseExposition, type Sample } from '../support/exposition.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const KEY = 'buyerco-metrics-acks-key';
let f: GatewayFixture;
let erp: Server;
let erpRequests = 0;
let samples: Sample[] = [];

const value = (name: string, labels: Record<string, string>) => samples
  .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  .reduce((n, s) => n + s.value, 0);

const interchange = (n: number, body: string[], gs = 'PO') => [
  `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261123*0900*U*00401*00000080${n}*0*P*>`,
  `GS*${gs}*BUYERCO*GATEWAY*20261123*0900*80${n}*X*004010`, ...body, `GE*1*80${n}`, `IEA*1*00000080${n}`, '',
].join('~\n');
const po = (st: string, se: string) => ['ST*850*' + st, 'BEG*00*SA*PO-ACK-1**20261123', 'PO1*1*24*EA*12.50**BP*WID-100', 'CTT*1', `SE*5*${se}`];

async function scrape(): Promise<void> {
  samples = parseExposition(await (await f.fetch('/metrics')).text()).samples;
}

beforeAll(async () => {
  erp = createServer((req, res) => { erpRequests++; req.resume(); req.on('end', () => { res.writeHead(503, { 'content-type': 'text/plain' }); res.end('busy'); }); });
  await new Promise<void>((r) => erp.listen(0, '127.0.0.1', r));
  f = await startGatewayFixture({
    partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: KEY },
    erpPush: { url: `http://127.0.0.1:${(erp.address() as AddressInfo).port}/erp`, token: 'erp-push-token', timeoutMs: 5000 },
  });
  const post = (body: string) => f.fetch('/api/v1/inbound', { method: 'POST', key: KEY, headers: { 'content-type': 'application/edi-x12' }, body });
  expect((await post(interchange(1, po('0001', '0001')))).status).toBe(202);
  expect((await post(interchange(2, po('0001', '0002')))).status).toBe(202);
  // BuyerCo's 997 accepting a group 555 (ours or not: it is counted as received either way)
  expect((await post(interchange(3, ['ST*997*0001', 'AK1*PO*555', 'AK9*A*1*1*1', 'SE*4*0001'], 'FA'))).status).toBe(202);
  await f.gw.idle();
  for (let i = 0; i < 100; i++) {
    await scrape();
    if (erpRequests > 0 && value('edigw_jobs', { kind: 'erp.push', state: 'waiting' }) === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await f?.close();
  await new Promise<void>((r) => erp?.close(() => r()));
});

describe('/metrics: acknowledgements, ERP push, job queues', () => {
  it('counts the 997s we sent by what they say (read back from their AK9), and the one BuyerCo sent us', () => {
    expect(value('edigw_acks_total', { partner: 'buyerco', direction: 'sent', kind: '997', disposition: 'accepted' })).toBe(1);
    expect(value('edigw_acks_total', { partner: 'buyerco', direction: 'sent', kind: '997', disposition: 'rejected' })).toBe(1);
    expect(value('edigw_acks_total', { partner: 'buyerco', direction: 'received', kind: '997', disposition: 'accepted' })).toBe(1);
  });

  it('times each ERP push by outcome and status: the 503 is retryable', () => {
    expect(erpRequests).toBeGreaterThanOrEqual(1);
    expect(value('edigw_erp_push_duration_seconds_count', { partner: 'buyerco', outcome: 'retryable', status: '503' })).toBe(erpRequests);
    expect(value('edigw_erp_push_duration_seconds_count', { outcome: 'delivered' })).toBe(0);
  });

  it('shows the waiting erp.push job and its age on the gateway clock', () => {
    expect(value('edigw_jobs', { kind: 'erp.push', state: 'waiting' })).toBe(1);
    expect(value('edigw_jobs', { kind: 'erp.push', state: 'running' })).toBe(0);
    const age = samples.find((s) => s.name === 'edigw_job_oldest_waiting_age_seconds' && s.labels.kind === 'erp.push');
    expect(age?.value).toBe(0);
  });
});
