import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let erp: TestErpServer;
let f: GatewayFixture;
beforeAll(async () => {
  erp = await startErpServer({ token: 'push-token' });
  f = await startGatewayFixture({ realClock: true, erpPush: { url: erp.url, token: 'push-token', timeoutMs: 2000 } });
});
afterAll(async () => {
  await f?.close();
  await erp?.close();
});

const post = (n: number) => f.fetch('/api/v1/inbound', {
  method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: `INV-${n}`, invoiceDate: '2026-11-20', totalAmount: n, lines: [{ quantityInvoiced: 1, unitPrice: n }] } }),
});

async function until(cond: () => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('push delivery to the ERP (EDIGW_ERP_URL) through the whole gateway', () => {
  it('posts each released document once, in order, with its id as Idempotency-Key, and rides out an ERP outage', async () => {
    erp.next({ kind: 'fail', status: 503 }); // the first attempt meets a 503: retried with backoff
    for (const n of [1, 2, 3]) expect((await post(n)).status).toBe(202);
    await until(() => erp.accepted().length === 3, 'three deliveries');
    const accepted = erp.accepted();
    expect(accepted.map((p) => (p.body as any).document.invoiceNumber)).toEqual(['INV-1', 'INV-2', 'INV-3']);
    for (const p of accepted) {
      expect(p.authorization).toBe('Bearer push-token');
      expect(p.idempotencyKey).toBe((p.body as any).id);
    }
    expect(erp.received[0]!.status).toBe(503);
    // the pull feed still offers them too ("also pushed")
    const feed = ((await (await f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json()) as any).documents;
    expect(feed).toHaveLength(3);
    // /healthz tells an operator the push target is healthy again
    const health = await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as any;
    expect(health.erpPush).toMatchObject({ circuit: 'closed' });
  });

  it('a document the ERP refuses (422) lands in the exception queue with the ERP\'s answer', async () => {
    erp.next({ kind: 'reject', status: 422, body: '{"error":"unknown supplier"}' });
    expect((await post(4)).status).toBe(202);
    let exc: any[] = [];
    for (let i = 0; i < 300 && exc.length === 0; i++) {
      exc = ((await (await f.fetch('/api/v1/exceptions?partner=restco', { token: tokens.operator })).json()) as any).exceptions.filter((e: any) => e.stage === 'deliver');
      if (exc.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(exc[0]).toMatchObject({ stage: 'deliver', code: 'erp_rejected', detail: { status: 422, body: '{"error":"unknown supplier"}' } });
  });
});
