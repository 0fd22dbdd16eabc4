/**
 * Correlation against one purchase order stays linear (issue 12): one interchange of 3,000 856 ship
 * notices against one PO, through POST /api/v1/inbound. Each ship notice is checked against the
 * running totals of the PO's lines, so cumulative over-shipment is found exactly at the notice
 * that crosses the ordered quantity, and a second client's /healthz keeps answering meanwhile
 * (latencies printed beside idle, never asserted). Before the totals every notice re-read and
 * parsed every earlier one: 3,000 took 65.6 s and /healthz timed out.
 *
 * The PO (sent to ACME through the ERP outbound API), worked out by hand:
 * - line 1 WID-100: 5,981 EA; every notice ships 2, so before notice k 2(k-1) have shipped and the
 *   open quantity is 5981 - 2(k-1): notice 2,990 leaves 3 open, notice 2,991 finds 1 open and ships 2
 *   (over-shipped: expected 1, found 2), every later one finds 0 open (expected 0, found 2);
 * - line 2 GAD-200: 3,000 CA, 1 per notice: notice 3,000 ships the last one, never over;
 * - line 3 BLT-300: 300 KG, 0.1 per notice: 3,000 x 0.1 is exactly 300, so never over (a float sum
 *   of 0.1 drifts off 299.9 long before notice 3,000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachOutbound, baseMappings, type OutboundFixture } from '../outbound/harness.ts';
import { percentile, probeHealth } from '../support/health-probe.ts';
import { startGatewayFixture, tokens } from '../support/gateway-fixture.ts';

const COUNT = 3000;
const acme = `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
rules: { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: hold }
`;

const po = {
  poNumber: 'PO-77001', poDate: '2026-11-01', currency: 'USD',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', quantity: 5981, unitOfMeasure: 'EA', unitPrice: 1.25 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', quantity: 3000, unitOfMeasure: 'CA', unitPrice: 48 },
    { lineNumber: '3', buyerPartNumber: 'BLT-300', quantity: 300, unitOfMeasure: 'KG', unitPrice: 3 },
  ],
};

const shipmentId = (k: number) => `SHP-${String(k).padStart(5, '0')}`;

/** ship notice k (1-based): 2 EA of line 1, 1 CA of line 2, 0.1 KG of line 3 */
function asn(k: number): string {
  const st = String(k).padStart(4, '0');
  const segs = [`ST*856*${st}`, `BSN*00*${shipmentId(k)}*20261120*1010*0001`, 'HL*1**S', 'HL*2*1*O', 'PRF*PO-77001***20261101',
    'HL*3*2*I', 'LIN*1*IN*WID-100', 'SN1*1*2*EA', 'HL*4*2*I', 'LIN*2*IN*GAD-200', 'SN1*2*1*CA', 'HL*5*2*I', 'LIN*3*IN*BLT-300', 'SN1*3*0.1*KG', 'CTT*5'];
  return [...segs, `SE*${segs.length + 1}*${st}`].join('~\n') + '~\n';
}

function interchange(): string {
  let body = 'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        *261120*1030*U*00401*000000901*0*P*>~\nGS*SH*ACMESUPPLY*BUYERCO*20261120*1030*901*X*004010~\n';
  for (let k = 1; k <= COUNT; k++) body += asn(k);
  return `${body}GE*${COUNT}*901~\nIEA*1*000000901~\n`;
}

let o: OutboundFixture;
beforeAll(async () => {
  const f = await startGatewayFixture({ partners: { acme }, mappings: baseMappings(), maxBodyBytes: 16 * 1048576 });
  o = await attachOutbound(f, {});
});
afterAll(async () => { await o?.close(); });

/** one /healthz of a second client (staff token: its counts say whether the message is still pending) */
async function probe(): Promise<{ ms: number; pending: number }> {
  const s = await probeHealth<{ counts?: { messages_pending?: number } }>(o.f.gw.url, { token: tokens.operator });
  return { ms: s.ms, pending: s.body?.counts?.messages_pending ?? -1 };
}

describe('3,000 ship notices against one PO in one interchange', () => {
  it('flags over-shipment exactly at the notice that crosses the ordered quantity, while /healthz keeps answering', async () => {
    const sent = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify({ partnerId: 'acme', type: 'purchase_order', document: po }) });
    expect(sent.status).toBe(202);
    await o.outbound.idle();

    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push((await probe()).ms);
    const t0 = performance.now();
    const res = await o.f.fetch('/api/v1/inbound?partner=acme', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edi-x12' }, body: interchange() });
    expect(res.status).toBe(202);
    const { messageId } = await res.json() as { messageId: string };
    const busy: Array<{ ms: number; pending: number }> = [];
    for (;;) {
      const p = await probe();
      busy.push(p);
      if (p.pending === 0) break;
    }
    await o.f.gw.idle();
    const seconds = (performance.now() - t0) / 1000;

    const msg = await (await o.f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.operator })).json() as {
      status: string; documents: Array<{ id: string; type: string; status: string; businessKey: string }>;
      exceptions: Array<{ documentId: string; code: string; message: string; detail: { lineNumber?: string; expected?: string; found?: string } }>;
    };
    expect(msg.status).toBe('processed');
    expect(msg.documents).toHaveLength(COUNT);
    const byShipment = new Map(msg.documents.map((d) => [d.businessKey, d]));
    // notices 1..2,990 pass; 2,991..3,000 are held, each on line 1 only
    const held = msg.documents.filter((d) => d.status === 'held').map((d) => d.businessKey).sort();
    expect(held).toEqual(Array.from({ length: 10 }, (_, i) => shipmentId(2991 + i)));
    expect(byShipment.get(shipmentId(2990))!.status).toBe('ready');
    expect(msg.exceptions).toHaveLength(10);
    expect(msg.exceptions.every((e) => e.code === 'asn_over_shipped' && e.detail.lineNumber === '1')).toBe(true);
    const exceptionOf = (k: number) => msg.exceptions.find((e) => e.documentId === byShipment.get(shipmentId(k))!.id)!;
    expect(exceptionOf(2991)).toMatchObject({ detail: { expected: '1', found: '2' } });
    expect(exceptionOf(2991).message).toBe('856 SHP-02991 ships 2 of PO PO-77001 line 1; open quantity is 1 (ordered 5981)');
    expect(exceptionOf(2992)).toMatchObject({ detail: { expected: '0', found: '2' } });
    expect(exceptionOf(3000)).toMatchObject({ detail: { expected: '0', found: '2' } });

    const during = busy.filter((p) => p.pending === 1);
    const p99 = (xs: number[]) => percentile(xs, 99);
    console.log(`${COUNT} ship notices against one PO: ${seconds.toFixed(1)} s; /healthz idle p99 ${p99(idle).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms; `
      + `during processing ${during.length} answers, p99 ${during.length ? p99(during.map((p) => p.ms)).toFixed(1) : '-'} ms, max ${Math.max(...busy.map((p) => p.ms)).toFixed(1)} ms`);
    // answers that saw the message still pending were served during the processing, not after it
    expect(during.length).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
