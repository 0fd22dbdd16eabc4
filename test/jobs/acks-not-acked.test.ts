/**
 * Two rules of functional acknowledgement, through a real gateway over HTTP (BuyerCo sends X12
 * 4010 and gets 997s, acks: { x12: "997", ta1: on_error }):
 * - an acknowledgement is never acknowledged (X12.6: a 997/999 group, functional id FA, gets no
 *   997 back; in an interchange that mixes a PO group and an FA group only the PO group is answered);
 * - duplicate detection keys on direction: our own outbound 997's bytes posted back to us inbound
 *   are a new inbound message, not a duplicate of the ack we sent; the same bytes posted again are a
 *   duplicate of that inbound message.
 * Expected 997s worked out by hand from the interchanges below (sender and receiver swapped, the
 * fixture's clock 2026-11-23 10:00 UTC, our control numbers starting at 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
const key = 'buyerco-acks-key';

beforeAll(async () => {
  f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: key } });
});
afterAll(async () => { await f?.close(); });

const isa = (icn: string) => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261123*0900*U*00401*${icn}*0*P*>`;
const poGroup = (gs: string) => [`GS*PO*BUYERCO*GATEWAY*20261123*0900*${gs}*X*004010`, 'ST*850*0001', 'BEG*00*SA*PO-ACK-1**20261123',
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', `GE*1*${gs}`];
/** BuyerCo's 997 for our purchase order group 7 */
const faGroup = (gs: string) => [`GS*FA*BUYERCO*GATEWAY*20261123*0900*${gs}*X*004010`, 'ST*997*0001', 'AK1*PO*7', 'AK9*A*1*1*1', 'SE*4*0001', `GE*1*${gs}`];
const interchange = (icn: string, groups: string[][]) => [isa(icn), ...groups.flat(), `IEA*${groups.length}*${icn}`, ''].join('~\n');

async function post(body: string | ArrayBuffer): Promise<any> {
  const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key, headers: { 'content-type': 'application/edi-x12' }, body });
  return res.json();
}
const message = async (id: string): Promise<any> => (await f.fetch(`/api/v1/messages/${id}`, { token: tokens.admin })).json();
const segments = (text: string) => text.split('~').map((s) => s.trim()).filter(Boolean);

describe('an acknowledgement is never acknowledged; duplicates key on direction', () => {
  it('BuyerCo\'s 997 is processed as a receipt and answered with nothing', async () => {
    const r = await post(interchange('000000401', [faGroup('401')]));
    expect(r.status).toBe('processed');
    const m = await message(r.messageId);
    expect(m.acknowledgements).toEqual([]);
    await f.gw.idle();
    const jobs = await (await f.fetch('/api/v1/jobs?kind=ack.send', { token: tokens.admin })).json() as { jobs: unknown[] };
    expect(jobs.jobs).toEqual([]);
  });

  it('an interchange with a PO group and a 997 group gets one 997, for the PO group only', async () => {
    const r = await post(interchange('000000402', [poGroup('402'), faGroup('403')]));
    expect(r.status).toBe('processed');
    const m = await message(r.messageId);
    expect(m.acknowledgements).toHaveLength(1);
    expect(m.acknowledgements[0]).toMatchObject({ kind: '997' });
    const ack = await (await f.fetch(m.acknowledgements[0].links.raw, { token: tokens.admin })).text();
    const s = segments(ack);
    expect(s[0]!.split('*').slice(5, 9)).toEqual(['ZZ', 'GATEWAY        ', 'ZZ', 'BUYERCO        ']);
    expect(s[0]!.split('*')[13]).toBe('000000001');
    expect(s.slice(1)).toEqual([
      'GS*FA*GATEWAY*BUYERCO*20261123*1000*1*X*004010',
      'ST*997*0001', 'AK1*PO*402', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001',
      'GE*1*1', 'IEA*1*000000001',
    ]);
  });

  it('our 997 posted back inbound is a new message, not a duplicate of the ack we sent; posted again, a duplicate of that one', async () => {
    const original = await post(interchange('000000404', [poGroup('404')]));
    const ackId = (await message(original.messageId)).acknowledgements[0].messageId as string;
    const raw = await (await f.fetch(`/api/v1/messages/${ackId}/raw`, { token: tokens.admin })).arrayBuffer();
    const ackBytes = Buffer.from(raw);
    expect(segments(ackBytes.toString("latin1"))[2]).toBe('ST*997*0001');

    const back = await post(raw);
    expect(back.status).not.toBe('duplicate');
    expect(back.duplicateOf).toBeUndefined();
    const stored = await message(back.messageId);
    expect(stored).toMatchObject({ direction: 'inbound', partnerId: 'buyerco' });
    expect(stored.status).not.toBe('duplicate');
    expect(stored.acknowledgements).toEqual([]); // a 997 is not answered

    const again = await post(raw);
    expect(again).toMatchObject({ status: 'duplicate', duplicateOf: back.messageId });
  });
});
