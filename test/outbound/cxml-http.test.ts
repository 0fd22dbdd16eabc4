/**
 * End to end: the ERP posts a purchase order to the real gateway (POST /api/v1/erp/outbound), the
 * gateway renders it as a cXML OrderRequest and POSTs it to a real HTTP server on 127.0.0.1 acting
 * as the cXML supplier, which checks the credentials and the order (parsed with fast-xml-parser)
 * and answers with a cXML Response. The outcome is read back from GET /api/v1/erp/outbound/:id.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCxmlResponse } from '../../src/formats/xml/cxml.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { baseMappings, repoRoot } from './harness.ts';

const SECRET = 'officeline-shared-secret-0123';
const po = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures/officeline/order-request-out/purchase-order.json'), 'utf8')) as { type: string; document: Record<string, unknown> };
const profile = (url: string) => readFileSync(path.join(repoRoot, 'partners/officeline.yaml'), 'utf8').replace('https://cxml.officeline.example/orders', url);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, isArray: (n) => ['ItemOut', 'Street', 'Credential'].includes(n) });

interface Supplier { url: string; port: number; orders: any[]; server: Server; listen(port?: number): Promise<void> }

/** A cXML supplier: checks what a real one checks, answers `answer(order)` as a cXML Response. */
function cxmlSupplier(answer: (order: any) => { http: number; code: number; text: string; message?: string }): Supplier {
  const s: Supplier = {
    url: '', port: 0, orders: [], server: createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const doc = parser.parse(Buffer.concat(chunks).toString('utf8'));
        const header = doc.cXML?.Header;
        const sender = header?.Sender?.Credential?.[0];
        let a: { http: number; code: number; text: string; message?: string };
        if (req.headers['content-type'] !== 'text/xml; charset=utf-8') a = { http: 415, code: 415, text: 'Unsupported Media Type' };
        else if (sender?.SharedSecret !== SECRET || sender?.['@domain'] !== 'NetworkID' || sender?.Identity !== 'AN01000000001') a = { http: 401, code: 401, text: 'Unauthorized', message: 'bad sender credential' };
        else if (header.To.Credential[0]['@domain'] !== 'DUNS' || header.To.Credential[0].Identity !== '123456789' || header.From.Credential[0].Identity !== 'AN01000000001') a = { http: 400, code: 400, text: 'Bad Request', message: 'not addressed to us' };
        else { s.orders.push(doc); a = answer(doc); }
        res.writeHead(a.http, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(buildCxmlResponse({ code: a.code, text: a.text, ...(a.message ? { message: a.message } : {}), payloadId: `${s.orders.length}@orders.officeline.example`, timestamp: '2026-11-23T10:00:01+00:00' }));
      });
    }),
    async listen(port = 0) {
      await new Promise<void>((r) => s.server.listen(port, '127.0.0.1', r));
      s.port = (s.server.address() as AddressInfo).port;
      s.url = `http://127.0.0.1:${s.port}/cxml/orders`;
    },
  };
  return s;
}

let f: GatewayFixture | undefined;
const suppliers: Supplier[] = [];
afterEach(async () => {
  await f?.close();
  f = undefined;
  await Promise.all(suppliers.splice(0).map((s) => new Promise((r) => { s.server.closeAllConnections(); s.server.close(r); })));
});

async function gatewayFor(url: string): Promise<GatewayFixture> {
  f = await startGatewayFixture({ partners: { officeline: profile(url) }, mappings: baseMappings(), env: { OFFICELINE_CXML_SECRET: SECRET } });
  return f;
}
const submit = (g: GatewayFixture) => g.fetch('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partnerId: 'officeline', ...po }) });
async function outcome(g: GatewayFixture, messageId: string): Promise<any> {
  for (let i = 0; i < 300; i++) {
    const r = await (await g.fetch(`/api/v1/erp/outbound/${messageId}`, { token: tokens.erp })).json() as any;
    if (r.send && r.send.state !== 'pending') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`send of ${messageId} did not finish`);
}

describe('ERP purchase order to a cXML supplier over HTTP', () => {
  it('the supplier receives the OrderRequest with our credentials and answers 200: delivered, with its status text; a change refers to it', async () => {
    const supplier = cxmlSupplier(() => ({ http: 200, code: 200, text: 'OK', message: 'Order PO-CX-5001 received' }));
    suppliers.push(supplier);
    await supplier.listen();
    const g = await gatewayFor(supplier.url);
    const res = await submit(g);
    expect(res.status).toBe(202);
    const submitted = await res.json() as { messageId: string; channel: string; interchangeControlNumber: string };
    expect(submitted.channel).toBe('http');
    expect(submitted.interchangeControlNumber).toMatch(/^\d{13}\.msg_[0-9a-f]+@gateway\.buyer\.example$/);

    const r = await outcome(g, submitted.messageId);
    expect(r.send).toMatchObject({ state: 'delivered', channel: 'http', status: 'sent', attempts: 1, url: supplier.url, httpStatus: 200, cxml: { code: 200, text: 'OK', message: 'Order PO-CX-5001 received' } });
    expect(r.metadata).toMatchObject({ format: 'xml', message: 'OrderRequest', contentType: 'text/xml; charset=utf-8', interchangeControlNumber: submitted.interchangeControlNumber });

    // what the supplier got, field by field
    expect(supplier.orders).toHaveLength(1);
    const cxml = supplier.orders[0].cXML;
    expect(cxml['@payloadID']).toBe(submitted.interchangeControlNumber);
    expect(cxml.Request['@deploymentMode']).toBe('production');
    const header = cxml.Request.OrderRequest.OrderRequestHeader;
    expect([header['@orderID'], header['@type'], header.Total.Money['@currency'], header.Total.Money['#text']]).toEqual(['PO-CX-5001', 'new', 'USD', '1005']);
    expect(header.ShipTo.Address.PostalAddress.City).toBe('Newark');
    expect(header.BillTo.Address['@addressID']).toBe('HQ');
    const items = cxml.Request.OrderRequest.ItemOut;
    expect(items.map((i: any) => [i['@lineNumber'], i['@quantity'], i.ItemID.SupplierPartID, i.ItemDetail.UnitPrice.Money['#text'], i.ItemDetail.UnitOfMeasure]))
      .toEqual([['1', '10', 'OL-PAPER-A4', '24.9', 'BX'], ['2', '4', 'OL-CHAIR-7', '189', 'EA']]);

    // the stored copy is what was sent minus the shared secret
    const raw = await (await g.fetch(`/api/v1/messages/${submitted.messageId}/raw`, { token: tokens.admin })).text();
    expect(raw).toContain('<cXML payloadID="' + submitted.interchangeControlNumber);
    expect(raw).not.toContain(SECRET);

    // a change of the order: type="update", referring to the OrderRequest the supplier took
    const lines = (po.document.lines as Array<Record<string, unknown>>).map((l, i) => (i === 1 ? { ...l, quantity: 6 } : l));
    const change = await g.fetch('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partnerId: 'officeline', type: 'purchase_order', document: { ...po.document, purpose: 'change', lines } }) });
    expect(change.status).toBe(202);
    const changed = await change.json() as { messageId: string; interchangeControlNumber: string };
    expect((await outcome(g, changed.messageId)).send).toMatchObject({ state: 'delivered' });
    const update = supplier.orders[1].cXML;
    expect(update['@payloadID']).toBe(changed.interchangeControlNumber);
    expect(update['@payloadID']).not.toBe(submitted.interchangeControlNumber);
    const updateHeader = update.Request.OrderRequest.OrderRequestHeader;
    expect([updateHeader['@type'], updateHeader.DocumentReference['@payloadID']]).toEqual(['update', submitted.interchangeControlNumber]);
    expect(Object.keys(updateHeader).filter((k) => !k.startsWith('@'))).toEqual(['Total', 'ShipTo', 'BillTo', 'DocumentReference']);
    expect(update.Request.OrderRequest.ItemOut[1]['@quantity']).toBe('6');
  });

  it('a supplier answering 400 Bad Request: failed at once, its code and text in the exception; replayed once fixed: delivered', async () => {
    let discontinued = true;
    const supplier = cxmlSupplier(() => (discontinued ? { http: 400, code: 400, text: 'Bad Request', message: 'SupplierPartID OL-CHAIR-7 is discontinued' } : { http: 200, code: 200, text: 'OK' }));
    suppliers.push(supplier);
    await supplier.listen();
    const g = await gatewayFor(supplier.url);
    const { messageId } = await (await submit(g)).json() as { messageId: string };
    const r = await outcome(g, messageId);
    expect(r.send).toMatchObject({ state: 'failed', status: 'failed', attempts: 1, code: 'cxml_refused', cxml: { code: 400, text: 'Bad Request', message: 'SupplierPartID OL-CHAIR-7 is discontinued' } });
    expect(supplier.orders).toHaveLength(1);
    const list = await (await g.fetch('/api/v1/exceptions?partner=officeline', { token: tokens.operator })).json() as { exceptions: any[] };
    const exc = list.exceptions.find((e) => e.messageId === messageId);
    expect(exc).toMatchObject({ stage: 'send', code: 'cxml_refused' });
    expect(exc.message).toContain('cXML 400 Bad Request: SupplierPartID OL-CHAIR-7 is discontinued');
    expect(exc.detail).toMatchObject({ cxml: { code: 400, text: 'Bad Request' } });

    // the supplier takes the part again; the operator replays the exception: the stored order is posted again
    discontinued = false;
    const replay = await g.fetch(`/api/v1/exceptions/${exc.id}/replay`, { method: 'POST', token: tokens.operator });
    expect(replay.status).toBe(200);
    const again = await outcome(g, messageId);
    expect(again.send).toMatchObject({ state: 'delivered', status: 'sent', cxml: { code: 200, text: 'OK' } });
    expect(supplier.orders).toHaveLength(2);
    expect(supplier.orders[1].cXML['@payloadID']).toBe(supplier.orders[0].cXML['@payloadID']);
  });

  it('a supplier down, then up: retried with backoff and delivered', async () => {
    // a port nobody listens on yet
    const probe = cxmlSupplier(() => ({ http: 200, code: 200, text: 'OK' }));
    await probe.listen();
    const { port, url } = probe;
    await new Promise((r) => probe.server.close(r));
    const g = await gatewayFor(url);
    const { messageId } = await (await submit(g)).json() as { messageId: string };
    // the first attempt hits the closed port; then the supplier comes up on it
    for (let i = 0; i < 200 && !g.logger.entries.some((e) => e.msg === 'outbound http send failed, will retry'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(g.logger.entries.find((e) => e.msg === 'outbound http send failed, will retry')?.fields).toMatchObject({ partnerId: 'officeline', attempt: 1, reason: 'network error: ECONNREFUSED' });
    const supplier = cxmlSupplier(() => ({ http: 200, code: 200, text: 'OK' }));
    suppliers.push(supplier);
    await supplier.listen(port);
    // the send job's retry comes after its backoff on the gateway's clock
    g.clock.advance(10 * 60_000);
    const r = await outcome(g, messageId);
    expect(r.send).toMatchObject({ state: 'delivered', status: 'sent', cxml: { code: 200, text: 'OK' } });
    expect(r.send.attempts).toBeGreaterThanOrEqual(2);
    expect(supplier.orders).toHaveLength(1);
  });
});
