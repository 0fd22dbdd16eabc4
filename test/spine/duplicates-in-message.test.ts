/**
 * Repeats inside one message follow the partner's duplicate policy exactly as repeats across
 * messages do: the same ISA13 twice in a file, the same GS06 in one interchange, the same ST02 in
 * one group, the same UNB 0020 / UNH 0062. With `duplicates: reject` only the first reaches the
 * ERP feed and the acknowledgement names the repeat with the standard's code (checked by hand:
 * TA1 I18 025 duplicate interchange control number; 997 AK9 716 code 19 functional group control
 * number not unique within interchange, from 005010 only; AK5 718 code 23 transaction set control
 * number not unique within the functional group; CONTRL 0085 code 26 duplicate detected).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { base850, buyerYaml } from '../support/buyer.ts';

const base850v5010 = readFileSync(new URL('../../mappings/_base/x12-005010-850.inbound.yaml', import.meta.url), 'utf8');
const baseOrders = readFileSync(new URL('../../mappings/_base/edifact-d96a-orders.inbound.yaml', import.meta.url), 'utf8');

const isa = (cn: string, version = '00401') => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*${version === '00401' ? 'U' : '^'}*${version}*${cn}*0*P*>~\n`;
const po = (st: string, poNumber: string) => [
  `ST*850*${st}`, `BEG*00*SA*${poNumber}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042', 'PO1*1*24*EA*12.50**BP*WID-100', 'CTT*1', `SE*6*${st}`,
].join('~\n') + '~\n';
const group = (gs06: string, sets: string[], version = '004010') => `GS*PO*BUYERCO*GATEWAY*20261120*1030*${gs06}*X*${version}~\n${sets.join('')}GE*${sets.length}*${gs06}~\n`;
const interchange = (cn: string, groups: string[], version = '00401') => `${isa(cn, version)}${groups.join('')}IEA*${groups.length}*${cn}~\n`;

let f: GatewayFixture;
afterEach(async () => { await f?.close(); });

const start = async (policy?: 'reject' | 'skip' | 'process') => {
  const yaml = buyerYaml + (policy ? `duplicates: { policy: ${policy}, windowDays: 30 }\n` : '');
  f = await startGatewayFixture({
    partners: { buyerco: yaml, eurotrade: eurotradeYaml + (policy ? `duplicates: { policy: ${policy} }\n` : '') },
    mappings: { '_base/x12-004010-850.inbound.yaml': base850, '_base/x12-005010-850.inbound.yaml': base850v5010, '_base/edifact-d96a-orders.inbound.yaml': baseOrders },
    env: { BUYERCO_API_KEY: 'buyerco-key' },
  });
};
const postX12 = async (body: string) => (await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'buyerco-key', headers: { 'content-type': 'application/edi-x12' }, body })).json() as Promise<any>;
const erpFeed = async (): Promise<string[]> => ((await (await f.fetch('/api/v1/erp/documents?limit=100', { token: tokens.erp })).json()) as any).documents.map((d: any) => d.document.poNumber ?? d.document.orderNumber);
const acksOf = async (messageId: string): Promise<Array<{ kind: string; inReplyTo: string; segments: string[] }>> => {
  const msg = await (await f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.operator })).json() as any;
  const out = [];
  for (const a of msg.acknowledgements) {
    const text = await (await f.fetch(a.links.raw, { token: tokens.operator })).text();
    out.push({ kind: a.kind, inReplyTo: a.inReplyTo, segments: text.split(a.kind === 'CONTRL' ? "'" : '~').map((s) => s.trim()).filter(Boolean) });
  }
  return out;
};
/** the 997 segments between ST and SE */
const body997 = (segs: string[]) => segs.slice(segs.findIndex((s) => s.startsWith('ST*997')), segs.findIndex((s) => s.startsWith('SE*')) + 1);

describe('X12: the same control number twice inside one file', () => {
  it('ISA13 twice, policy reject (the default): one document in the ERP feed, a 997 for the first, TA1 R 025 for the repeat', async () => {
    await start();
    const body = await postX12(interchange('000000901', [group('1', [po('0001', 'PO-1')])]) + interchange('000000901', [group('2', [po('0001', 'PO-2')])]));
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-1']);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ stage: 'dedupe', code: 'duplicate_interchange_in_message', detail: { interchangeControlNumber: '000000901', originalMessageId: body.messageId, level: 'interchange' } });
    expect(body.errors[0].message).toContain('interchange 2 of this message repeats interchange 1');
    expect(await erpFeed()).toEqual(['PO-1']);
    const acks = await acksOf(body.messageId);
    expect(acks.map((a) => a.kind).sort()).toEqual(['997', 'TA1']);
    expect(body997(acks.find((a) => a.kind === '997')!.segments)).toEqual(['ST*997*0001', 'AK1*PO*1', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
    // TA101 = ISA13, TA102/TA103 = ISA09/ISA10 of the refused interchange, TA104 R, TA105 025
    expect(acks.find((a) => a.kind === 'TA1')!.segments).toContain('TA1*000000901*261120*1030*R*025');
  });

  it('GS06 twice in a 005010 interchange: the second group is AK9 R with code 19 and its set R', async () => {
    await start();
    const body = await postX12(interchange('000000902', [group('7', [po('0001', 'PO-1')], '005010'), group('7', [po('0002', 'PO-2')], '005010')], '00501'));
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-1']);
    expect(body.errors[0]).toMatchObject({ code: 'duplicate_group', detail: { groupControlNumber: '7', transactionControlNumber: '0002' } });
    expect(await erpFeed()).toEqual(['PO-1']);
    const [ack] = await acksOf(body.messageId);
    const segs = ack!.segments;
    // two FA groups in one interchange, one 997 per received group (AK103 = GS08 from 005010)
    const second = segs.slice(segs.lastIndexOf('ST*997*0001'));
    expect(body997(segs)).toEqual(['ST*997*0001', 'AK1*PO*7*005010', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
    expect(body997(second)).toEqual(['ST*997*0001', 'AK1*PO*7*005010', 'AK2*850*0002', 'AK5*R', 'AK9*R*1*1*0*19', 'SE*6*0001']);
  });

  it('GS06 twice in a 004010 interchange: AK9 R without code 19 (in 004010, 716 code 19 is a missing S1E)', async () => {
    await start();
    const body = await postX12(interchange('000000903', [group('7', [po('0001', 'PO-1')]), group('7', [po('0002', 'PO-2')])]));
    expect(await erpFeed()).toEqual(['PO-1']);
    const [ack] = await acksOf(body.messageId);
    const second = ack!.segments.slice(ack!.segments.lastIndexOf('ST*997*0001'));
    expect(body997(second)).toEqual(['ST*997*0001', 'AK1*PO*7', 'AK2*850*0002', 'AK5*R', 'AK9*R*1*1*0', 'SE*6*0001']);
  });

  it('ST02 twice in one group: the repeat is AK5 R 23, the group AK9 P', async () => {
    await start();
    const body = await postX12(interchange('000000904', [group('8', [po('0001', 'PO-1'), po('0001', 'PO-2')])]));
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-1']);
    expect(body.errors[0]).toMatchObject({ code: 'duplicate_transaction', detail: { transactionControlNumber: '0001', found: '0001' } });
    expect(await erpFeed()).toEqual(['PO-1']);
    const [ack] = await acksOf(body.messageId);
    expect(body997(ack!.segments)).toEqual(['ST*997*0001', 'AK1*PO*8', 'AK2*850*0001', 'AK5*A', 'AK2*850*0001', 'AK5*R*23', 'AK9*P*2*2*1', 'SE*8*0001']);
  });

  it('policy skip: the repeat is dropped without an error and acknowledged as received; policy process: both reach the ERP', async () => {
    await start('skip');
    const file = interchange('000000905', [group('9', [po('0001', 'PO-1'), po('0001', 'PO-2')])]) + interchange('000000905', [group('10', [po('0001', 'PO-3')])]);
    const skipped = await postX12(file);
    expect(skipped.errors).toEqual([]);
    expect(skipped.status).toBe('processed');
    expect(await erpFeed()).toEqual(['PO-1']);
    const acks = await acksOf(skipped.messageId);
    expect(acks.map((a) => a.kind)).toEqual(['997', '997']);
    expect(body997(acks.find((a) => a.segments.includes('AK1*PO*9'))!.segments)).toEqual(['ST*997*0001', 'AK1*PO*9', 'AK2*850*0001', 'AK5*A', 'AK2*850*0001', 'AK5*A', 'AK9*A*2*2*2', 'SE*8*0001']);
    await f.close();
    await start('process');
    const processed = await postX12(file);
    expect(processed.errors).toEqual([]);
    expect(await erpFeed()).toEqual(['PO-1', 'PO-2', 'PO-3']);
  });
});

const eurotradeYaml = `id: eurotrade
name: EuroTrade
status: production
identifiers:
  edifact: { id: "4012345000009", qualifier: "14" }
acks: { edifact: contrl }
`;
const orders = (ref: string, po: string) => [
  `UNH+${ref}+ORDERS:D:96A:UN:EAN008`, `BGM+220+${po}+9`, 'DTM+137:20261120:102', 'NAD+BY+4012345000009::9', 'NAD+SU+5412345000013::9',
  'LIN+1++4000862141404:EN', 'QTY+21:250:PCE', 'UNS+S', 'CNT+2:1', `UNT+10+${ref}`,
].join("'\n") + "'\n";
const unb = (ref: string, messages: string[]) => `UNB+UNOC:3+4012345000009:14+5412345000013:14+261120:0930+${ref}'\n${messages.join('')}UNZ+${messages.length}+${ref}'\n`;
const postEdifact = async (body: string) => (await f.fetch('/api/v1/inbound?partner=eurotrade&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edifact' }, body })).json() as Promise<any>;

describe('EDIFACT: the same reference twice inside one file', () => {
  it('UNB 0020 twice: one order in the ERP feed, the repeat UCI action 4 with 0085 code 26 at UNB element 5', async () => {
    await start();
    const body = await postEdifact(unb('ORD0901', [orders('1', 'PO-E1')]) + unb('ORD0901', [orders('1', 'PO-E2')]));
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-E1']);
    expect(body.errors[0]).toMatchObject({ stage: 'dedupe', code: 'duplicate_interchange_in_message', detail: { interchangeControlNumber: 'ORD0901' } });
    expect(await erpFeed()).toEqual(['PO-E1']);
    const acks = await acksOf(body.messageId);
    expect(acks).toHaveLength(2);
    const ucis = acks.map((a) => a.segments.find((s) => s.startsWith('UCI+'))).sort();
    expect(ucis).toEqual(['UCI+ORD0901+4012345000009:14+5412345000013:14+4+26+UNB+5', 'UCI+ORD0901+4012345000009:14+5412345000013:14+7']);
  });

  it('UNH 0062 twice in one interchange: the repeat UCM action 4 with code 26 at UNH element 1', async () => {
    await start();
    const body = await postEdifact(unb('ORD0902', [orders('1', 'PO-E1'), orders('1', 'PO-E2')]));
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-E1']);
    expect(body.errors[0]).toMatchObject({ code: 'duplicate_message', detail: { transactionControlNumber: '1' } });
    expect(await erpFeed()).toEqual(['PO-E1']);
    const [ack] = await acksOf(body.messageId);
    expect(ack!.segments.filter((s) => s.startsWith('UCM+'))).toEqual(['UCM+1+ORDERS:D:96A:UN:EAN008+7', 'UCM+1+ORDERS:D:96A:UN:EAN008+4+26+UNH+1']);
  });

  it('UNG 0048 twice in one interchange: only the first group reaches the ERP feed', async () => {
    await start();
    const ung = (ref: string, messages: string[]) => `UNG+ORDERS+4012345000009:14+5412345000013:14+261120:0930+${ref}+UN+D:96A'\n${messages.join('')}UNE+${messages.length}+${ref}'\n`;
    const body = await postEdifact(`UNB+UNOC:3+4012345000009:14+5412345000013:14+261120:0930+ORD0903'\n${ung('G1', [orders('1', 'PO-E1')])}${ung('G1', [orders('2', 'PO-E2')])}UNZ+2+ORD0903'\n`);
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-E1']);
    expect(body.errors[0]).toMatchObject({ stage: 'dedupe', code: 'duplicate_group', detail: { groupControlNumber: 'G1', transactionControlNumber: '2' } });
    expect(await erpFeed()).toEqual(['PO-E1']);
  });
});
