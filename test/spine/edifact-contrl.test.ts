import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const partner = `id: eurotrade
name: EuroTrade
status: production
identifiers:
  edifact: { id: "4012345000009", qualifier: "14" }
acks: { edifact: contrl }
`;
const repoFile = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url));
// the shipped standard fixtures use a sender no example partner has (4000001000005, issue 19): sent as eurotrade's, with its GLN
const asEurotrade = (p: string) => Buffer.from(repoFile(p).toString('latin1').replace(/^UNB\+([^+]+)\+4000001000005:14\+/m, 'UNB+$1+4012345000009:14+'), 'latin1');

let f: GatewayFixture;
beforeEach(async () => {
  f = await startGatewayFixture({ partners: { eurotrade: partner }, mappings: { '_base/edifact-d96a-orders.inbound.yaml': repoFile('mappings/_base/edifact-d96a-orders.inbound.yaml').toString() } });
});
afterEach(async () => { await f.close(); });

const upload = (body: Buffer) => f.fetch('/api/v1/inbound?partner=eurotrade&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edifact' }, body: new Uint8Array(body) });
const contrlOf = async (messageId: string) => {
  const msg = await (await f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.operator })).json() as any;
  expect(msg.acknowledgements).toHaveLength(1);
  expect(msg.acknowledgements[0]).toMatchObject({ kind: 'CONTRL' });
  return (await (await f.fetch(msg.acknowledgements[0].links.raw, { token: tokens.operator })).text()).split("'").map((s) => s.trim()).filter(Boolean);
};

describe('EDIFACT CONTRL back to the partner (acks.edifact: contrl)', () => {
  it('rejects a message missing its mandatory BGM: UCI acknowledged, UCM rejected with the segment error', async () => {
    const body = await (await upload(asEurotrade('fixtures/edifact-d96a/rejects-mandatory-bgm-missing/input.edi'))).json() as any;
    expect(body.errors[0]).toMatchObject({ code: 'edifact_mandatory_segment_missing' });
    const segs = await contrlOf(body.messageId);
    // our UNB answers theirs: sender and recipient swapped, our first interchange reference 1
    expect(segs[0]).toMatch(/^UNB\+UNOA:3\+5412345000013:14\+4012345000009:14\+\d{6}:\d{4}\+1$/);
    expect(segs[1]).toBe('UNH+1+CONTRL:D:3:UN');
    // UCI 0083 = 7: interchange acknowledged; UCM 0083 = 4: message rejected (ISO 9735 action codes)
    expect(segs[2]).toBe('UCI+ORD0003+4012345000009:14+5412345000013:14+7');
    expect(segs[3]).toMatch(/^UCM\+1\+ORDERS:D:96A:UN\+4/);
    expect(segs.at(-1)).toBe('UNZ+1+1');
  });

  it('acknowledges a good ORDERS interchange with UCI and UCM action 7', async () => {
    const body = await (await upload(asEurotrade('fixtures/edifact-d96a/orders/input.edi'))).json() as any;
    expect(body.status).toBe('processed');
    const segs = await contrlOf(body.messageId);
    expect(segs.find((s) => s.startsWith('UCI+'))).toMatch(/\+7$/);
    expect(segs.filter((s) => s.startsWith('UCM+')).every((s) => s.endsWith('+7'))).toBe(true);
  });
});

describe('EDIFACT directory read with the nearest one we ship, through the gateway', () => {
  it('stores the document with a warning naming both directories (ORDERS D02A read with D01B)', async () => {
    const text = "UNB+UNOA:3+4012345000009:14+5412345000013:14+261201:0800+ORD0201'UNH+1+ORDERS:D:02A:UN:EAN010'BGM+220+PO-0201+9'DTM+137:20261201:102'LIN+1++4000862141404:SRV'QTY+21:12:PCE'UNS+S'UNT+7+1'UNZ+1+ORD0201'";
    const body = await (await upload(Buffer.from(text))).json() as any;
    expect(body.errors).toEqual([]);
    expect(body.documents).toHaveLength(1);
    expect(body.documents[0]).toMatchObject({ type: 'purchase_order', partnerId: 'eurotrade', source: { message: 'ORDERS', version: 'D02A' } });
    expect(body.documents[0].document).toMatchObject({ poNumber: 'PO-0201', lines: [{ lineNumber: '1', gtin: '4000862141404', quantity: 12 }] });
    const w = body.documents[0].warnings.filter((x: any) => x.code === 'edifact_directory_substituted');
    expect(w).toHaveLength(1);
    expect(w[0].message).toContain('ORDERS D02A is read with directory D01B');
  });
});
