import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const partner = `id: eurotrade
name: EuroTrade
status: production
identifiers:
  edifact: { id: "4012345000009", qualifier: "14" }
documents:
  outbound:
    - { type: purchase_order, format: edifact, message: ORDERS, version: D96A }
outbound: { channel: pickup }
acks: { edifact: contrl }
`;
const po = { poNumber: 'PO-EU-1', poDate: '2026-11-23', currency: 'EUR', lines: [{ lineNumber: '1', vendorPartNumber: 'V-1', quantity: 5, unitOfMeasure: 'EA', unitPrice: 2.5 }] };

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({
    partners: { eurotrade: partner },
    mappings: { '_base/edifact-d96a-orders.outbound.yaml': readFileSync(new URL('../../mappings/_base/edifact-d96a-orders.outbound.yaml', import.meta.url), 'utf8') },
  });
});
afterAll(async () => { await f?.close(); });

/** a CONTRL as the partner would send it, answering our interchange `ref` with UCI action `action` */
const contrl = (ref: string, action: string, own: string) => [
  'UNA:+.? \'', `UNB+UNOC:3+4012345000009:14+EDIGW:ZZ+261123:1200+${own}'`, 'UNH+1+CONTRL:D:3:UN\'',
  `UCI+${ref}+EDIGW:ZZ+4012345000009:14+${action}${action === '4' ? '+12' : ''}'`, 'UNT+3+1\'', `UNZ+1+${own}'`,
].join('\n');

const send = async () => {
  const res = await f.fetch('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partnerId: 'eurotrade', type: 'purchase_order', document: { ...po, poNumber: `PO-EU-${Math.random()}` } }) });
  expect(res.status).toBe(202);
  return res.json() as Promise<{ messageId: string; interchangeControlNumber: string }>;
};
const upload = (text: string) => f.fetch('/api/v1/inbound?partner=eurotrade&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edifact' }, body: text });
const state = async (id: string) => ((await (await f.fetch(`/api/v1/erp/outbound/${id}`, { token: tokens.erp })).json()) as any).functionalAck;

describe('inbound CONTRL reconciled against our outbound EDIFACT interchanges', () => {
  it('an acknowledging CONTRL marks our ORDERS accepted; a rejecting one raises an exception naming the code', async () => {
    const a = await send();
    const b = await send();
    expect(await state(a.messageId)).toMatchObject({ state: 'awaiting' });
    expect((await upload(contrl(a.interchangeControlNumber, '7', 'C1'))).status).toBe(200);
    await f.gw.idle();
    expect(await state(a.messageId)).toMatchObject({ state: 'accepted', type: 'CONTRL', interchangeReference: a.interchangeControlNumber });

    await upload(contrl(b.interchangeControlNumber, '4', 'C2'));
    await f.gw.idle();
    expect(await state(b.messageId)).toMatchObject({ state: 'rejected' });
    const exc = ((await (await f.fetch('/api/v1/exceptions?partner=eurotrade', { token: tokens.operator })).json()) as any).exceptions;
    expect(exc.find((e: any) => e.code === 'edifact_contrl_rejected')).toMatchObject({
      stage: 'functional_ack', messageId: b.messageId, message: `eurotrade rejected our interchange ${b.interchangeControlNumber} (CONTRL UCI code 12)`,
    });
  });
});
