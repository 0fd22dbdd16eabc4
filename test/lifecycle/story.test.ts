/**
 * A distributor's week with a 3PL and a carrier, over the real gateway's HTTP API, X12 files through
 * the shipped base mappings and the example partners' profiles (partners/keystone.yaml,
 * partners/swiftfreight.yaml):
 *  - the ERP orders 10 EA + 4 CA from ACME (PO-7001, outbound 850) and ACME's goods go to Keystone;
 *  - the ERP sends Keystone a 940 (WO-5001: ship 12 EA to a customer, PO CUST-88); Keystone's 945
 *    comes back (shipment KS-SHP-5001), and Swift Freight's statuses for it arrive out of order (a
 *    JSON webhook, then two 214s, the earliest milestone last, one 214 sent twice);
 *  - ACME's 856 ships PO-7001 in full; Keystone's 944 receives 2 short; ACME's 810 bills the full 10
 *    and is held by the three-way match against goods received, the exception naming both numbers.
 * Every expected number below is read off the segments written here, not off the gateway's output.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../outbound/harness.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { interchange } from './x12.ts';

const repoFile = (rel: string) => readFileSync(path.join(repoRoot, rel), 'utf8');
const SECRET = 'whsec-story-5a1e';
const SWIFT_KEY = 'swift-story-key';

// ACME: an X12 supplier whose goods Keystone receives, so its invoices are matched to the receipts
const acme = `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
documents:
  inbound:
    - { type: ship_notice, format: x12, message: "856", version: "004010" }
    - { type: invoice, format: x12, message: "810", version: "004010" }
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
acks: { x12: "997" }
rules: { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: hold, matchInvoiceTo: received, receiptOverdueDays: 3 }
`;
// the example 3PL as shipped, with its SFTP server left out (no poller in this test): orders picked up instead
const keystone = repoFile('partners/keystone.yaml').replace(/^sftp:[\s\S]*?(?=^outbound:)/m, '').replace('outbound: { channel: sftp, remoteDir: /in }', 'outbound: { channel: pickup }');

const ACME = { qualifier: 'ZZ', id: 'ACMESUPPLY' };
const KEYSTONE = { qualifier: 'ZZ', id: 'KEYSTONE3PL' };
const SWIFT = { qualifier: '02', id: 'SWFL' };

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({
    partners: { acme, keystone, swiftfreight: repoFile('partners/swiftfreight.yaml') },
    mappings: {
      // the shipped base mappings of the sets in the story, as they are
      ...Object.fromEntries(['850.outbound', '856.inbound', '810.inbound', '940.outbound', '945.inbound', '944.inbound', '214.inbound']
        .map((m) => [`_base/x12-004010-${m}.yaml`, repoFile(`mappings/_base/x12-004010-${m}.yaml`)])),
      'swiftfreight/json-status.inbound.yaml': repoFile('mappings/swiftfreight/json-status.inbound.yaml'),
    },
    env: { SWIFTFREIGHT_API_KEY: SWIFT_KEY, SWIFTFREIGHT_WEBHOOK_SECRET: SECRET },
  });
});
afterAll(async () => { await f?.close(); });

const json = async (res: Response) => ({ status: res.status, body: await res.json() as any });
const get = async (p: string) => (await f.fetch(p, { token: tokens.operator })).json() as Promise<any>;
/** a partner's X12 file, uploaded by an operator on its behalf (as if it came over its SFTP or AS2) */
const upload = async (partner: string, text: string) =>
  json(await f.fetch(`/api/v1/inbound?partner=${partner}&wait=true`, { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edi-x12' }, body: text }));
const erpSends = async (partnerId: string, type: string, document: unknown) =>
  json(await f.fetch('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partnerId, type, document }) }));
const sign = (body: string) => `sha256=${execFileSync('openssl', ['dgst', '-sha256', '-hmac', SECRET, '-r'], { input: body }).toString('latin1').split(' ')[0]}`;

const status214 = (control: number, milestones: string[]) => interchange({
  sender: SWIFT, functionalId: 'QM', set: '214', control, segments: [
    'B10*SWF0088123*KS-SHP-5001*SWFL', 'L11*BOL-KS-5001*BM', 'L11*CUST-88*PO', 'N1*CN*GLOBEX RETAIL 12', 'N4*DAYTON*OH*45402*US', ...milestones,
  ],
});
const arrivedAndDelivered = ['LX*1', 'AT7*X1*NS***20261205*0910*ET', 'MS1*DAYTON*OH*US', 'LX*2', 'AT7*D1*NS***20261205*0942*ET', 'MS1*DAYTON*OH*US', 'K1*J SMITH'];

describe('3PL and carrier: 940 -> 945 -> 214s out of order; 856 -> 944 two short -> 810 held by the three-way match', () => {
  it('the ERP orders from ACME and sends Keystone a shipping order', async () => {
    const po = await erpSends('acme', 'purchase_order', {
      poNumber: 'PO-7001', poDate: '2026-12-01', currency: 'USD',
      lines: [
        { lineNumber: '1', buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100', quantity: 10, unitOfMeasure: 'EA', unitPrice: 12.5 },
        { lineNumber: '2', buyerPartNumber: 'GAD-200', vendorPartNumber: 'AC-G200', quantity: 4, unitOfMeasure: 'CA', unitPrice: 48 },
      ],
    });
    expect(po.status, JSON.stringify(po.body)).toBe(202);
    const wo = await erpSends('keystone', 'warehouse_order', {
      orderNumber: 'WO-5001', orderDate: '2026-12-02', poNumber: 'CUST-88',
      shipTo: { name: 'GLOBEX RETAIL 12', address: { lines: ['400 MARKET ST'], city: 'DAYTON', region: 'OH', postalCode: '45402', country: 'US' } },
      lines: [{ lineNumber: '1', vendorPartNumber: 'AC-W100', quantityOrdered: 12, unitOfMeasure: 'EA' }],
    });
    expect(wo.status, JSON.stringify(wo.body)).toBe(202);
    await f.gw.idle();
    const raw = await (await f.fetch(`/api/v1/messages/${wo.body.messageId}/raw`, { token: tokens.operator })).text();
    expect(raw).toContain('ST*940*');
    expect(raw).toContain('W05*N*WO-5001*CUST-88~');
    expect(raw).toMatch(/W01\*12\*EA\*/);
  });

  it("Keystone's 945 ships the order; it joins the order's timeline", async () => {
    const r = await upload('keystone', interchange({
      sender: KEYSTONE, functionalId: 'SW', set: '945', control: 9451, segments: [
        'W06*F*WO-5001*20261204*KS-SHP-5001**CUST-88', 'N1*ST*GLOBEX RETAIL 12', 'W27*M*SWFL*SWIFT FREIGHT*PP',
        'LX*1', 'W12*CC*12*12**EA**VN*AC-W100', 'W03*12*30*LB',
      ],
    }));
    expect(r.status, JSON.stringify(r.body.errors)).toBe(200);
    expect(r.body.documents).toMatchObject([{ type: 'warehouse_shipment', delivery: 'released', correlationId: 'CUST-88' }]);
    expect(r.body.documents[0].warnings, JSON.stringify(r.body.documents[0].warnings)).toBeUndefined();
  });

  it('the carrier\'s statuses arrive out of order and once more; the order shows each milestone once, when it happened', async () => {
    // 1. the webhook: held at a terminal by weather (18:20 in Memphis, UTC-6)
    const event = repoFile('fixtures/swiftfreight/status-webhook-delayed/input.json');
    const hook = await json(await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: SWIFT_KEY, headers: { 'content-type': 'application/json', 'x-swift-signature': sign(event) }, body: event }));
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    let overdue = await get('/api/v1/orders/overdue');
    expect(overdue.shipmentExceptions).toMatchObject([{ reason: 'shipment_exception', partnerId: 'swiftfreight', shipmentId: 'KS-SHP-5001', poNumber: 'CUST-88', milestone: { statusCode: 'DELAYED', event: 'delayed' } }]);

    // 2. a 214: arrived 09:10 and delivered 09:42 Eastern on the 5th; 3. a 214 with the pickup of the 4th, sent late
    expect((await upload('swiftfreight', status214(2141, arrivedAndDelivered))).status).toBe(200);
    expect((await upload('swiftfreight', status214(2142, ['LX*1', 'AT7*AF*NS***20261204*0800*ET', 'MS1*MEMPHIS*TN*US'])))).toMatchObject({ status: 200 });
    // 4. the first 214 again, in a new interchange: its milestones are known
    const again = await upload('swiftfreight', status214(2143, arrivedAndDelivered));
    expect(again.status).toBe(200);
    expect(again.body.documents[0].warnings.map((w: any) => w.code)).toEqual(['status_duplicate', 'status_duplicate']);

    const t = await get('/api/v1/orders/CUST-88');
    expect(t.stage).toBe('delivered');
    expect(t.documents.map((d: any) => [d.direction, d.type, d.businessKey])).toEqual([
      ['outbound', 'warehouse_order', 'WO-5001'], ['inbound', 'warehouse_shipment', 'KS-SHP-5001'],
      ['inbound', 'shipment_status', 'KS-SHP-5001/DELAYED@2026-12-04T18:20:00-06:00'],
      ['inbound', 'shipment_status', 'KS-SHP-5001/X1@2026-12-05T09:10:00-05:00'],
      ['inbound', 'shipment_status', 'KS-SHP-5001/AF@2026-12-04T08:00:00-05:00'],
      ['inbound', 'shipment_status', 'KS-SHP-5001/X1@2026-12-05T09:10:00-05:00'],
    ]);
    // event time: pickup 13:00Z on the 4th, delay 00:20Z on the 5th, arrival 14:10Z, delivery 14:42Z
    expect(t.milestones.map((m: any) => [m.statusCode, m.event, m.occurredAt])).toEqual([
      ['AF', 'pickup', '2026-12-04T08:00:00-05:00'],
      ['DELAYED', 'delayed', '2026-12-04T18:20:00-06:00'],
      ['X1', 'arrived', '2026-12-05T09:10:00-05:00'],
      ['D1', 'delivered', '2026-12-05T09:42:00-05:00'],
    ]);
    expect(t.milestones.find((m: any) => m.statusCode === 'D1').proofOfDelivery).toEqual({ signedBy: 'J SMITH' });
    expect(t.events.filter((e: any) => e.kind === 'milestone').map((e: any) => e.at)).toEqual([
      '2026-12-04T13:00:00.000Z', '2026-12-05T00:20:00.000Z', '2026-12-05T14:10:00.000Z', '2026-12-05T14:42:00.000Z',
    ]);
    // delivered after the delay: no longer an exception
    overdue = await get('/api/v1/orders/overdue');
    expect(overdue.shipmentExceptions).toEqual([]);
  });

  it("ACME ships PO-7001 in full; Keystone's 944 receives 2 short of line 1: an exception, not a silent update", async () => {
    const asn = await upload('acme', interchange({
      sender: ACME, functionalId: 'SH', set: '856', control: 8561, segments: [
        'BSN*00*SHP-7001*20261203*1010*0001', 'DTM*011*20261203', 'HL*1**S', 'TD5*B*2*SWFL*M*SWIFT FREIGHT', 'N1*ST*KEYSTONE LOGISTICS MEMPHIS*92*KS-MEM',
        'HL*2*1*O', 'PRF*PO-7001***20261201',
        'HL*3*2*I', 'LIN*1*IN*WID-100*VN*AC-W100', 'SN1*1*10*EA',
        'HL*4*2*I', 'LIN*2*IN*GAD-200*VN*AC-G200', 'SN1*2*4*CA', 'CTT*4',
      ],
    }));
    expect(asn.status, JSON.stringify(asn.body.errors)).toBe(200);
    expect(asn.body.documents).toMatchObject([{ type: 'ship_notice', delivery: 'released' }]);
    // ACME's profile: a warehouse receives its goods, within receiptOverdueDays 3
    f.clock.advance(2 * 86_400_000);
    expect((await get('/api/v1/orders/overdue')).receiptMissing).toEqual([]);
    f.clock.advance(2 * 86_400_000);
    expect((await get('/api/v1/orders/overdue')).receiptMissing).toMatchObject([{ reason: 'receipt_missing', partnerId: 'acme', shipmentId: 'SHP-7001', poNumber: 'PO-7001', windowMinutes: 3 * 24 * 60 }]);

    const receipt = await upload('keystone', interchange({
      sender: KEYSTONE, functionalId: 'RE', set: '944', control: 9441, segments: [
        'W17*F*20261206*RCV-7001**SHP-7001', 'N1*WH*KEYSTONE LOGISTICS MEMPHIS', 'N9*PO*PO-7001',
        'W07*8*EA**VN*AC-W100*BP*WID-100', 'N9*LI*1', 'W13*2*EA*02',
        'W07*4*CA**VN*AC-G200*BP*GAD-200', 'N9*LI*2', 'W14*12',
      ],
    }));
    expect(receipt.status, JSON.stringify(receipt.body.errors)).toBe(200);
    expect(receipt.body.documents).toMatchObject([{ type: 'receipt', delivery: 'held', correlationId: 'PO-7001' }]);
    const excs = (await get('/api/v1/exceptions?partner=keystone')).exceptions;
    expect(excs.map((e: any) => [e.stage, e.code, e.detail.lineNumber, e.detail.expected, e.detail.found])).toEqual([['correlate', 'receipt_short', '1', '10', '8']]);
    expect(excs[0].message).toBe('receipt RCV-7001 for ASN SHP-7001: PO PO-7001 line 1 shipped 10, received 8 (2 short)');
    // received (held for its shortage, but received): no longer overdue
    expect((await get('/api/v1/orders/overdue')).receiptMissing).toEqual([]);
  });

  it("ACME's 810 bills the 10 shipped; the three-way match against the 8 received holds it", async () => {
    const inv = await upload('acme', interchange({
      sender: ACME, functionalId: 'IN', set: '810', control: 8101, segments: [
        'BIG*20261207*INV-7001*20261201*PO-7001', 'CUR*SE*USD',
        'IT1*1*10*EA*12.50**BP*WID-100*VP*AC-W100', 'IT1*2*4*CA*48.00**BP*GAD-200*VP*AC-G200', 'TDS*31700', 'CTT*2',
      ],
    }));
    expect(inv.status, JSON.stringify(inv.body.errors)).toBe(200);
    expect(inv.body.documents).toMatchObject([{ type: 'invoice', delivery: 'held' }]);
    const [exc] = (await get('/api/v1/exceptions?partner=acme')).exceptions;
    expect(exc).toMatchObject({ stage: 'correlate', code: 'invoice_quantity_mismatch', partnerId: 'acme', status: 'open',
      message: '810 INV-7001 bills PO PO-7001 line 1: invoiced 10, received 8',
      detail: { partnerId: 'acme', lineNumber: '1', expected: '8', found: '10', basis: 'received' } });

    const t = await get('/api/v1/orders/PO-7001');
    expect(t.stage).toBe('invoiced');
    expect(t.documents.map((d: any) => [d.direction, d.type, d.businessKey, d.status])).toEqual([
      ['outbound', 'purchase_order', 'PO-7001', 'delivered'], ['inbound', 'ship_notice', 'SHP-7001', 'ready'],
      ['inbound', 'receipt', 'RCV-7001', 'held'], ['inbound', 'invoice', 'INV-7001', 'held'],
    ]);
    expect(t.events.filter((e: any) => e.kind === 'exception').map((e: any) => e.summary)).toEqual([
      'correlate: receipt_short (open)', 'correlate: invoice_quantity_mismatch (open)',
    ]);
    // the ERP gets neither the held receipt nor the held invoice until an operator decides
    const feed = (await (await f.fetch('/api/v1/erp/documents?limit=100', { token: tokens.erp })).json() as any).documents;
    expect(feed.map((d: any) => d.type).sort()).toEqual(['ship_notice', 'shipment_status', 'shipment_status', 'shipment_status', 'shipment_status', 'warehouse_shipment']);
  });

  it("the 2 missing arrive in Keystone's second 944 for the same ASN: measured against what was left, it is released, no new exception", async () => {
    const rest = await upload('keystone', interchange({
      sender: KEYSTONE, functionalId: 'RE', set: '944', control: 9442, segments: [
        'W17*F*20261208*RCV-7002**SHP-7001', 'N1*WH*KEYSTONE LOGISTICS MEMPHIS', 'N9*PO*PO-7001',
        'W07*2*EA**VN*AC-W100*BP*WID-100', 'N9*LI*1', 'W14*2',
      ],
    }));
    expect(rest.status, JSON.stringify(rest.body.errors)).toBe(200);
    // SHP-7001 line 1: 10 shipped, 8 received by RCV-7001, 2 now; line 2: 4 shipped, all received by RCV-7001
    expect(rest.body.documents).toMatchObject([{ type: 'receipt', delivery: 'released', correlationId: 'PO-7001' }]);
    expect((await get('/api/v1/exceptions?partner=keystone')).exceptions.map((e: any) => e.code)).toEqual(['receipt_short']);
  });
});

describe('warehouse and carrier documents that name what never came', () => {
  it('a 945 for an unknown order, a 944 for an unknown ASN, a 214 for an unknown shipment: each a precise exception, raw kept', async () => {
    const cases = [
      ['keystone', interchange({ sender: KEYSTONE, functionalId: 'SW', set: '945', control: 9459, segments: ['W06*F*WO-404*20261204*KS-SHP-404', 'N1*ST*GLOBEX RETAIL 12', 'LX*1', 'W12*CC*1*1**EA**VN*AC-W100', 'W03*1*2*LB'] }),
        'warehouse_shipment_unknown_order', '945 KS-SHP-404 ships warehouse order WO-404: no warehouse order (940) with that number was sent'],
      ['keystone', interchange({ sender: KEYSTONE, functionalId: 'RE', set: '944', control: 9449, segments: ['W17*F*20261206*RCV-404**SHP-404', 'N1*WH*KEYSTONE LOGISTICS MEMPHIS', 'W07*3*EA**VN*AC-W100', 'N9*LI*1', 'W14*3'] }),
        'receipt_unknown_asn', 'receipt RCV-404 receives ASN SHP-404, which never came: no ship notice with shipment id SHP-404 is known'],
      ['swiftfreight', interchange({ sender: SWIFT, functionalId: 'QM', set: '214', control: 2149, segments: ['B10*SWF404*SHP-NOPE*SWFL', 'LX*1', 'AT7*AF*NS***20261204*0800*ET'] }),
        'status_unknown_shipment', 'status of shipment SHP-NOPE (PRO SWF404): no ship notice (856) or warehouse shipment (945) with shipment id SHP-NOPE is known'],
    ] as const;
    for (const [partner, text, code, message] of cases) {
      const r = await upload(partner, text);
      expect(r.status, JSON.stringify(r.body.errors)).toBe(200);
      expect(r.body.documents).toMatchObject([{ delivery: 'held' }]);
      const m = await get(`/api/v1/messages/${r.body.messageId}`);
      expect(m.exceptions.map((e: any) => [e.code, e.message, e.partnerId])).toEqual([[code, message, partner]]);
      expect(await (await f.fetch(`/api/v1/messages/${r.body.messageId}/raw`, { token: tokens.operator })).text()).toBe(text);
    }
  });
});
