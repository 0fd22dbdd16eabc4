import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { base850, buyerYaml } from '../support/buyer.ts';

// BuyerCo sends us purchase orders as X12 4010 over HTTP.
const isa = (cn: string) => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>~`;
const po = (st: string, poNumber: string, seCount: number) => [
  `ST*850*${st}`, `BEG*00*SA*${poNumber}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042',
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', `SE*${seCount}*${st}`,
].join('~\n') + '~\n';
// Two sets in one group: the first is right, the second's SE01 says 9 segments where there are 6.
const interchange = (cn: string) => `${isa(cn)}\nGS*PO*BUYERCO*GATEWAY*20261120*1030*77*X*004010~\n${po('0001', 'PO-1', 6)}${po('0002', 'PO-2', 9)}GE*2*77~\nIEA*1*${cn}~\n`;

let f: GatewayFixture;
beforeEach(async () => {
  f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: 'buyerco-key' } });
});
afterEach(async () => { await f.close(); });

const post = (body: string) => f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'buyerco-key', headers: { 'content-type': 'application/edi-x12' }, body });

describe('X12 over HTTP: good sets pass beside a bad one, and a 997 answers the group', () => {
  it('releases the good purchase order, queues the bad set with its X12 error, and stores a 997 with AK5 per set', async () => {
    const res = await post(interchange('000000501'));
    expect(res.status).toBe(422);
    const body = await res.json() as any;
    expect(body.documents, JSON.stringify(body.errors, null, 1)).toHaveLength(1);
    expect(body.documents[0]).toMatchObject({
      type: 'purchase_order', partnerId: 'buyerco',
      source: { format: 'x12', message: '850', version: '004010', interchangeControlNumber: '000000501', groupControlNumber: '77', transactionControlNumber: '0001' },
      document: { poNumber: 'PO-1', poDate: '2026-11-20', lines: [{ lineNumber: '1', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100' }] },
    });
    const bad = body.errors.find((e: any) => e.unit === 1);
    expect(bad).toMatchObject({ stage: 'split', code: 'x12_segment_count_mismatch', message: 'SE01 says 9 segments, counted 6', detail: { partnerId: 'buyerco', transactionControlNumber: '0002', segment: 'SE', elementPosition: 1, standardCode: '4' } });

    const msg = await (await f.fetch(`/api/v1/messages/${body.messageId}`, { token: tokens.operator })).json() as any;
    expect(msg.acknowledgements).toHaveLength(1);
    expect(msg.acknowledgements[0]).toMatchObject({ kind: '997', inReplyTo: '000000501' });
    const ack = await (await f.fetch(msg.acknowledgements[0].links.raw, { token: tokens.operator })).text();
    const segs = ack.split('~').map((s) => s.trim()).filter(Boolean);
    // Sender and receiver swapped; our first ISA13 for this partner is 000000001.
    expect(segs[0]).toBe('ISA*00*          *00*          *ZZ*GATEWAY        *ZZ*BUYERCO        *261123*1000*U*00401*000000001*0*P*>');
    expect(segs.slice(1)).toEqual([
      'GS*FA*GATEWAY*BUYERCO*20261123*1000*1*X*004010',
      'ST*997*0001',
      'AK1*PO*77',
      'AK2*850*0001', 'AK5*A',
      'AK2*850*0002', 'AK5*R*4', // AK502 code 4: number of included segments does not match actual count
      'AK9*P*2*2*1',
      'SE*8*0001',
      'GE*1*1',
      'IEA*1*000000001',
    ]);
  });

  it('a replay does not send a second 997, and a resent interchange is a duplicate naming the original', async () => {
    const first = await (await post(interchange('000000502'))).json() as any;
    await f.fetch(`/api/v1/messages/${first.messageId}/replay`, { method: 'POST', token: tokens.operator });
    const msg = await (await f.fetch(`/api/v1/messages/${first.messageId}`, { token: tokens.operator })).json() as any;
    expect(msg.acknowledgements).toHaveLength(1);
    // same ISA13 from the same sender, different bytes (a new GS date): duplicate interchange
    const again = await post(interchange('000000502').replace('*20261120*1030*77*', '*20261121*1030*77*'));
    const body = await again.json() as any;
    expect(body.errors[0]).toMatchObject({ stage: 'dedupe', code: 'duplicate_interchange', detail: { originalMessageId: first.messageId } });
    // refused whole: a TA1 with TA104 R and note code 025 (duplicate interchange control number), no 997
    const dup = await (await f.fetch(`/api/v1/messages/${body.messageId}`, { token: tokens.operator })).json() as any;
    expect(dup.acknowledgements).toHaveLength(1);
    expect(dup.acknowledgements[0]).toMatchObject({ kind: 'TA1', inReplyTo: '000000502' });
    const ta1 = (await (await f.fetch(dup.acknowledgements[0].links.raw, { token: tokens.operator })).text()).split('~').map((x) => x.trim()).filter(Boolean);
    expect(ta1.slice(1)).toEqual(['TA1*000000502*261120*1030*R*025', 'IEA*0*000000002']);
  });
});

describe('identification', () => {
  it('refuses an interchange whose ISA sender is another partner, even with a valid key (anti-spoofing)', async () => {
    f.writePartner('acme', 'id: acme\nname: ACME\nstatus: production\nidentifiers:\n  x12: { qualifier: ZZ, id: ACMESUPPLY }\n');
    expect(f.gw.reloadConfig()).toBe(true);
    const spoofed = interchange('000000601').replace('*ZZ*BUYERCO        *', '*ZZ*ACMESUPPLY     *');
    const body = await (await post(spoofed)).json() as any;
    expect(body.documents).toEqual([]);
    expect(body.errors[0]).toMatchObject({
      stage: 'identify', code: 'sender_mismatch',
      message: 'partner "buyerco" submitted an interchange whose sender ZZ:ACMESUPPLY belongs to partner "acme"',
    });
  });

  it('keeps documents of a partner in test status, or flagged ISA15=T, out of the production feed', async () => {
    const flagged = interchange('000000701').replace('*0*P*>~', '*0*T*>~');
    const body = await (await post(flagged)).json() as any;
    expect(body.documents[0]).toMatchObject({ test: true });
    const prod = ((await (await f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json()) as any).documents;
    expect(prod).toEqual([]);
    const test = ((await (await f.fetch('/api/v1/erp/documents?test=true', { token: tokens.erp })).json()) as any).documents;
    expect(test.map((d: any) => d.document.poNumber)).toEqual(['PO-1']);
  });
});

describe('a big interchange is read and processed one transaction set at a time', () => {
  it('3,000 purchase orders across several read slices: every document stored, the answer carries the first 100 and the count, one 997 for all', async () => {
    const sets = 3000;
    let body = `${isa('000000601')}\nGS*PO*BUYERCO*GATEWAY*20261120*1030*88*X*004010~\n`;
    for (let i = 1; i <= sets; i++) {
      const st = String(i).padStart(4, '0');
      // five lines each: the interchange spans several of the reader's 1 MB slices
      const lines = [1, 2, 3, 4, 5].flatMap((n) => [`PO1*${n}*${i}*EA*1.25**BP*WID-${i}-${n}`, `PID*F****${'LED PANEL '.repeat(8).trim()}`]);
      body += [`ST*850*${st}`, `BEG*00*SA*PO-${i}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042', ...lines, 'CTT*5', `SE*15*${st}`].join('~\n') + '~\n';
    }
    body += `GE*${sets}*88~\nIEA*1*000000601~\n`;
    expect(body.length).toBeGreaterThan(2 * 1048576);
    await f.close(); // the same gateway, accepting messages of up to 16 MB
    f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: 'buyerco-key' }, maxBodyBytes: 16 * 1048576 });
    const res = await post(body);
    expect(res.status).toBe(200);
    const answer = await res.json() as any;
    expect(answer.errors).toEqual([]);
    expect(answer.documents).toHaveLength(100);
    expect(answer.documents[99].document.poNumber).toBe('PO-100');
    expect(answer.documentsNotShown).toBe(sets - 100);
    // every purchase order is stored for the ERP, in order
    const msg = await (await f.fetch(`/api/v1/messages/${answer.messageId}`, { token: tokens.operator })).json() as any;
    expect(msg.documents).toHaveLength(sets);
    expect(msg.documents.map((d: any) => d.businessKey).slice(0, 2)).toEqual(['PO-1', 'PO-2']);
    expect(msg.documents[sets - 1]).toMatchObject({ type: 'purchase_order', status: 'ready', businessKey: `PO-${sets}` });
    // one 997 accepting the whole group
    expect(msg.acknowledgements).toHaveLength(1);
    const ack = await (await f.fetch(msg.acknowledgements[0].links.raw, { token: tokens.operator })).text();
    expect(ack).toContain(`AK9*A*${sets}*${sets}*${sets}`);
  });
});

