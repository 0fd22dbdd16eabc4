/**
 * Anti-spoofing through the real HTTP gateway (issue 15): ACME's API key may submit only
 * interchanges whose ISA sender is ACME's (ZZ/ACMESUPPLY), addressed to us as ACME knows us
 * (`us.x12`: ZZ/BUYERCO), holding the documents its profile declares (855 and 856). The refused
 * message's bytes stay exactly as posted and an exception names what was found and expected.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const base855 = readFileSync(new URL('../../mappings/_base/x12-004010-855.inbound.yaml', import.meta.url), 'utf8');
const acmeYaml = (extra = '') => `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
us:
  x12: [{ qualifier: ZZ, id: BUYERCO }]
documents:
  inbound:
    - { type: purchase_order_ack, format: x12, message: "855", version: "004010" }
    - { type: ship_notice, format: x12, message: "856", version: "004010" }
http:
  apiKeyEnv: ACME_API_KEY
acks: { x12: none, ta1: never }
${extra}`;

const pad = (s: string) => s.padEnd(15);
const isa = (from: string, to: string, cn: string) => `ISA*00*          *00*          *ZZ*${pad(from)}*ZZ*${pad(to)}*261120*1030*U*00401*${cn}*0*P*>~\n`;
const ack855 = (st: string) => [
  `ST*855*${st}`, 'BAK*00*AC*PO-45001*20261115****SO-88812*20261116', 'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100',
  'ACK*IA*24*EA*067*20261125', 'CTT*1*24', `SE*6*${st}`,
].join('~\n') + '~\n';
const interchange855 = (from: string, to: string, cn: string) =>
  `${isa(from, to, cn)}GS*PR*${from}*${to}*20261120*1030*1*X*004010~\n${ack855('0001')}GE*1*1~\nIEA*1*${cn}~\n`;

let f: GatewayFixture;
afterEach(async () => { await f?.close(); });

const start = async (yaml = acmeYaml(), maxBodyBytes?: number) => {
  f = await startGatewayFixture({
    partners: { acme: yaml }, mappings: { '_base/x12-004010-855.inbound.yaml': base855 },
    env: { ACME_API_KEY: 'acme-key-0123' }, ...(maxBodyBytes ? { maxBodyBytes } : {}),
  });
};
const post = (body: string, wait = true) => f.fetch(`/api/v1/inbound${wait ? '?wait=true' : ''}`, { method: 'POST', key: 'acme-key-0123', headers: { 'content-type': 'application/edi-x12' }, body });
const messageOf = async (id: string) => (await f.fetch(`/api/v1/messages/${id}`, { token: tokens.operator })).json() as Promise<any>;
const rawOf = async (id: string) => Buffer.from(await (await f.fetch(`/api/v1/messages/${id}/raw`, { token: tokens.operator })).arrayBuffer());

describe("a partner's API key submits only its own interchanges, to us, of its declared documents", () => {
  it('takes ACME\'s own 855 addressed to ZZ/BUYERCO', async () => {
    await start();
    const res = await post(interchange855('ACMESUPPLY', 'BUYERCO', '000000101'));
    const body = await res.json() as any;
    expect(body.errors).toEqual([]);
    expect(body.documents).toHaveLength(1);
    expect(body.documents[0]).toMatchObject({ type: 'purchase_order_ack', partnerId: 'acme', source: { message: '855', interchangeControlNumber: '000000101' } });
    // no anti-spoofing warning (the lifecycle correlator may warn that the PO is unknown here)
    expect((body.documents[0].warnings ?? []).filter((w: any) => ['sender_mismatch', 'receiver_unknown', 'document_not_declared'].includes(w.code))).toEqual([]);
  });

  it('refuses an 855 whose ISA sender is not ACME\'s (no partner has it) with sender_mismatch; bytes kept, exception written', async () => {
    await start();
    const sent = interchange855('SPOOFER', 'BUYERCO', '000000102');
    const res = await post(sent);
    expect(res.status).toBe(422);
    const body = await res.json() as any;
    expect(body.documents).toEqual([]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      stage: 'identify', code: 'sender_mismatch',
      message: 'partner "acme" submitted an interchange whose sender ZZ:SPOOFER (ISA05/ISA06) is not one of its ids (ZZ:ACMESUPPLY)',
      detail: { partnerId: 'acme', segment: 'ISA', element: 'ISA06', expected: 'ZZ:ACMESUPPLY', found: 'ZZ:SPOOFER', interchangeControlNumber: '000000102', transactionControlNumber: '0001' },
    });
    expect((await rawOf(body.messageId)).equals(Buffer.from(sent))).toBe(true);
    const msg = await messageOf(body.messageId);
    expect(msg.status).toBe('failed');
    expect(msg.documents).toEqual([]);
    expect(msg.exceptions).toHaveLength(1);
    expect(msg.exceptions[0]).toMatchObject({ stage: 'identify', code: 'sender_mismatch', partnerId: 'acme' });
  });

  it('refuses an 855 addressed to an id that is not ours toward ACME with receiver_unknown', async () => {
    await start();
    const res = await post(interchange855('ACMESUPPLY', 'OTHERBUYER', '000000103'));
    const body = await res.json() as any;
    expect(body.documents).toEqual([]);
    expect(body.errors[0]).toMatchObject({
      stage: 'identify', code: 'receiver_unknown',
      detail: { partnerId: 'acme', segment: 'ISA', element: 'ISA08', expected: 'ZZ:BUYERCO', found: 'ZZ:OTHERBUYER' },
    });
    expect(body.errors[0].message).toBe('partner "acme" sent an interchange addressed to ZZ:OTHERBUYER (ISA07/ISA08), which is not one of our ids toward it (ZZ:BUYERCO)');
  });

  it('a 20 MB file of 850s from a profile that declares only 855 and 856: every set refused document_not_declared, one exception, nothing stored, bytes kept', async () => {
    await start(acmeYaml(), 32 * 1048576);
    let sets = '';
    let n = 0;
    const cn = '000000104';
    // 20 MB: above the 8 MiB spool threshold, so the body takes the streamed intake path
    while (sets.length < 20 * 1048576) {
      n++;
      const st = String(n).padStart(9, '0');
      sets += [`ST*850*${st}`, `BEG*00*SA*PO-${n}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042', 'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', `SE*6*${st}`].join('~\n') + '~\n';
    }
    const sent = `${isa('ACMESUPPLY', 'BUYERCO', cn)}GS*PO*ACMESUPPLY*BUYERCO*20261120*1030*7*X*004010~\n${sets}GE*${n}*7~\nIEA*1*${cn}~\n`;
    expect(sent.length).toBeGreaterThan(20 * 1048576);
    const res = await post(sent, false);
    expect(res.status).toBe(202);
    const { messageId } = await res.json() as any;
    await f.gw.idle();
    const msg = await messageOf(messageId);
    expect(msg.status).toBe('failed');
    expect(msg.documents).toEqual([]);
    expect(msg.exceptions).toHaveLength(1);
    expect(msg.exceptions[0]).toMatchObject({
      stage: 'identify', code: 'document_not_declared',
      message: 'partner "acme" sent a x12 850 document, which its profile does not declare in documents.inbound (x12 855, x12 856)',
    });
    const raw = await rawOf(messageId);
    expect(createHash('sha256').update(raw).digest('hex')).toBe(createHash('sha256').update(sent).digest('hex'));
  }, 120_000);

  it('a partner with several X12 identities: each is its own, any other is still sender_mismatch naming all', async () => {
    await start(acmeYaml().replace('  x12: { qualifier: ZZ, id: ACMESUPPLY }\n', '  x12: [{ qualifier: ZZ, id: ACMESUPPLY }, { qualifier: "01", id: "123456789" }]\n'));
    const duns = interchange855('123456789', 'BUYERCO', '000000106').replace('*ZZ*123456789      *', '*01*123456789      *');
    const ok = await (await post(duns)).json() as any;
    expect(ok.errors).toEqual([]);
    expect(ok.documents[0]).toMatchObject({ partnerId: 'acme', source: { interchangeControlNumber: '000000106' } });
    const spoofed = await (await post(interchange855('SPOOFER', 'BUYERCO', '000000107'))).json() as any;
    expect(spoofed.errors[0]).toMatchObject({ code: 'sender_mismatch', detail: { expected: 'ZZ:ACMESUPPLY or 01:123456789', found: 'ZZ:SPOOFER' } });
  });

  it('policy warn: the 855 to another receiver is processed and carries the warning', async () => {
    await start(acmeYaml('antiSpoofing: { policy: warn }\n'));
    const body = await (await post(interchange855('ACMESUPPLY', 'OTHERBUYER', '000000105'))).json() as any;
    expect(body.errors).toEqual([]);
    expect(body.documents).toHaveLength(1);
    expect(body.documents[0].warnings.filter((w: any) => w.code !== 'ack_unknown_po')).toEqual([{ code: 'receiver_unknown', message: 'partner "acme" sent an interchange addressed to ZZ:OTHERBUYER (ISA07/ISA08), which is not one of our ids toward it (ZZ:BUYERCO)' }]);
    expect(f.logger.entries.some((e: any) => e.fields?.code === 'receiver_unknown')).toBe(true);
  });
});
