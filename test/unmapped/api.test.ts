/**
 * GET /api/v1/messages/:id/unmapped against a real gateway: computed from the stored raw bytes (a
 * message past the stream threshold is in the file store and read slice by slice), bounded to the
 * first 200 sets with the truncation said; an outbound message and an unknown id answered plainly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { base850, buyerKey, buyerYaml } from '../console/scenario.ts';

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: buyerKey }, streamThresholdBytes: 16 * 1024 });
});
afterAll(async () => { await f?.close(); });

function interchange(sets: number): string {
  const body: string[] = [];
  for (let i = 1; i <= sets; i++) {
    const st = String(i).padStart(4, '0');
    const segs = [`ST*850*${st}`, `BEG*00*SA*PO-${i}**20261120`, 'REF*DP*038', 'PO1*1*24*EA*12.50**BP*WID-100*ZZ*X1', 'CTT*1'];
    body.push(...segs, `SE*${segs.length + 1}*${st}`);
  }
  return [
    'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000901*0*P*:',
    'GS*PO*BUYERCO*GATEWAY*20261120*1030*901*X*004010', ...body, `GE*${sets}*901`, 'IEA*1*000000901',
  ].join('~\n') + '~\n';
}

const get = async (p: string) => { const r = await f.fetch(p, { token: tokens.operator }); return { status: r.status, body: await r.json() as any }; };

describe('GET /api/v1/messages/:id/unmapped', () => {
  it('reports the first 200 sets of a 250-set interchange from the file store, and says it stopped', async () => {
    const text = interchange(250);
    expect(text.length).toBeGreaterThan(16 * 1024);
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: buyerKey, headers: { 'content-type': 'application/edi-x12' }, body: text });
    const posted = await res.json() as any;
    expect(res.status).toBe(200);
    const r = await get(`/api/v1/messages/${posted.messageId}/unmapped`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ messageId: posted.messageId, format: 'x12', supported: true, truncated: { after: 200 } });
    expect(r.body.sets).toHaveLength(200);
    // per set: PO108 ZZ / PO109 X1 undeclared; BEG02 SA and REF*DP declared by the base 850
    expect(r.body.sets[199]).toMatchObject({ document: 200, message: '850', undeclared: [{ path: 'PO1/08~ZZ', count: 1, example: 'X1' }] });
    expect(r.body.sets[0].declared.map((d: { path: string }) => d.path)).toEqual(['BEG/02', 'REF[01=DP]']);
    expect(r.body.totals).toEqual({ sets: 200, undeclared: 200, declared: 400 });
  });

  it('a message over 128 KiB is reported by a thread of its own: one 850 of 4,000 lines', async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `PO1*${i + 1}*24*EA*12.50**BP*WID-${i}*ZZ*X${i}`);
    const segs = ['ST*850*0001', 'BEG*00*SA*PO-BIG**20261120', 'REF*DP*038', ...lines, 'CTT*4000'];
    const text = [
      'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000902*0*P*:',
      'GS*PO*BUYERCO*GATEWAY*20261120*1030*902*X*004010', ...segs, `SE*${segs.length + 1}*0001`, 'GE*1*902', 'IEA*1*000000902',
    ].join('~\n') + '~\n';
    expect(text.length).toBeGreaterThan(128 * 1024);
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: buyerKey, headers: { 'content-type': 'application/edi-x12' }, body: text });
    const posted = await res.json() as any;
    expect(res.status).toBe(200);
    const r = await get(`/api/v1/messages/${posted.messageId}/unmapped`);
    expect(r.status).toBe(200);
    expect(r.body.note).toBeUndefined();
    expect(r.body.sets).toHaveLength(1);
    expect(r.body.sets[0].undeclared).toEqual([{ path: 'PO1/08~ZZ', count: 4000, example: 'X0' }]);
    expect(r.body.totals).toEqual({ sets: 1, undeclared: 4000, declared: 2 });
  }, 60_000);

  it('an outbound message is not reported; an unknown id is a 404', async () => {
    const { body } = await get('/api/v1/messages?limit=10');
    const out = body.messages.find((m: { direction: string }) => m.direction === 'outbound');
    expect(out).toBeDefined(); // the 997 we sent
    const r = await get(`/api/v1/messages/${out.id}/unmapped`);
    expect(r.body).toMatchObject({ supported: false, note: 'the unmapped report reads inbound messages: an outbound one is what our mappings wrote' });
    expect((await get('/api/v1/messages/msg_nope/unmapped')).status).toBe(404);
  });
});
