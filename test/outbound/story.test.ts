/**
 * A whole order through real X12 files: our 850 to ACME (pickup), then ACME's 855, 856 and 810
 * (the golden files under fixtures/acme/ for PO-45001) through POST /api/v1/inbound. The order's
 * timeline, the ERP feed, and what the overdue report lists as the clock moves on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startOutboundFixture, tokens, type OutboundFixture } from './harness.ts';

let o: OutboundFixture;
const file = (rel: string) => readFileSync(path.join(repoRoot, 'fixtures/acme', rel, 'input.edi'), 'latin1');

const acme = `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
acks: { x12: "997", expectWithinMinutes: 240 }
rules: { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: warn }
`;

// the PO the fixtures answer: line 2 is 6 cases, of which ACME confirms 4 and backorders 2
const po45001 = {
  poNumber: 'PO-45001', poDate: '2024-03-15', currency: 'USD',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantity: 6, unitOfMeasure: 'CA', unitPrice: 48 },
  ],
};

async function inbound(text: string) {
  const res = await o.f.fetch('/api/v1/inbound?partner=acme&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edi-x12' }, body: text });
  const r = await res.json() as any;
  await o.processed(r.messageId);
  return r;
}

async function outbound(document: unknown) {
  const res = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify({ partnerId: 'acme', type: 'purchase_order', document }) });
  expect(res.status).toBe(202);
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  o = await startOutboundFixture({ partners: { acme } });
});
afterAll(async () => {
  await o?.close();
});

describe('PO -> 855 -> 856 -> 810 through real X12 files', () => {
  it('correlates the partner\'s documents to our PO and shows them on its timeline in order', async () => {
    const sent = await outbound(po45001);
    await o.outbound.idle();
    const stored = await (await o.api(`/api/v1/erp/outbound/${sent.messageId}`, { token: tokens.erp })).json() as any;
    expect(stored.send).toMatchObject({ state: 'pending', channel: 'pickup', status: 'stored' });

    for (const [rel, type] of [['855-ack', 'purchase_order_ack'], ['856-ship-notice', 'ship_notice'], ['810-invoice', 'invoice']] as const) {
      const r = await inbound(file(rel));
      expect(r.status, `${rel}: ${JSON.stringify(r.errors)}`).toBe('processed');
      expect(r.documents).toMatchObject([{ type, partnerId: 'acme' }]);
    }

    const t = await (await o.api('/api/v1/orders/PO-45001', { token: tokens.operator })).json() as any;
    expect(t.stage).toBe('invoiced');
    expect(t.documents.map((d: any) => [d.direction, d.type, d.businessKey])).toEqual([
      ['outbound', 'purchase_order', 'PO-45001'], ['inbound', 'purchase_order_ack', 'PO-45001'], ['inbound', 'ship_notice', 'SHP-7002'], ['inbound', 'invoice', 'INV-9001'],
    ]);
    const kinds = t.events.map((e: any) => e.kind);
    expect(kinds.filter((k: string) => k === 'document')).toHaveLength(4);
    // a 997 went back to ACME for each of its three interchanges
    expect(kinds.filter((k: string) => k === 'functional_ack_sent')).toHaveLength(3);
    expect(t.events[0]).toMatchObject({ kind: 'document', summary: 'outbound purchase_order PO-45001' });

    // the ERP gets ACME's three documents, not its own PO back
    const feed = await (await o.f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json() as any;
    expect(feed.documents.map((d: any) => d.type)).toEqual(['purchase_order_ack', 'ship_notice', 'invoice']);
    // the lifecycle rules found our outbound PO: ACME confirmed 4 of the 6 cases, shipped 2 and billed 4
    expect(feed.documents.map((d: any) => (d.warnings ?? []).map((w: any) => w.code))).toEqual([['ack_changed_quantity'], [], ['invoice_quantity_mismatch']]);
  });

  it('lists what is overdue as time passes: no 997 from ACME, a PO without 855, an ASN without invoice', async () => {
    await outbound({ ...po45001, poNumber: 'PO-45002' });
    await o.outbound.idle();
    // a second shipment, for PO-45002, that is never invoiced
    const asn2 = file('856-ship-notice').replaceAll('PO-45001', 'PO-45002').replaceAll('SHP-7002', 'SHP-7003').replace('*000000331*', '*000000333*').replace('*331*X*', '*333*X*').replace('GE*1*331', 'GE*1*333').replace('IEA*1*000000331', 'IEA*1*000000333');
    expect((await inbound(asn2)).status).toBe('processed');

    const now = await (await o.api('/api/v1/orders/overdue', { token: tokens.operator })).json() as any;
    expect(now.counts).toEqual({ functionalAckMissing: 0, poAckMissing: 0, invoiceMissing: 0, receiptMissing: 0, shipmentExceptions: 0 });

    o.f.clock.advance(241 * 60_000);
    const fourHours = await (await o.api('/api/v1/orders/overdue', { token: tokens.operator })).json() as any;
    expect(fourHours.functionalAckMissing.map((i: any) => i.poNumber).sort()).toEqual(['PO-45001', 'PO-45002']);
    expect(fourHours.poAckMissing).toEqual([]);

    o.f.clock.advance(48 * 60 * 60_000);
    const twoDays = await (await o.api('/api/v1/orders/overdue', { token: tokens.operator })).json() as any;
    expect(twoDays.poAckMissing.map((i: any) => i.poNumber)).toEqual(['PO-45002']);
    expect(twoDays.invoiceMissing).toEqual([]);

    o.f.clock.advance(7 * 24 * 60 * 60_000);
    const week = await (await o.api('/api/v1/orders/overdue', { token: tokens.operator })).json() as any;
    expect(week.invoiceMissing.map((i: any) => [i.shipmentId, i.poNumber])).toEqual([['SHP-7003', 'PO-45002']]);
    // the gauges /metrics shows
    expect(await o.overdue.gauges()).toEqual({ overdue_functional_acks: 2, overdue_po_acks: 1, overdue_invoices: 1, overdue_receipts: 0, overdue_shipment_exceptions: 0 });
  });
});
