/**
 * An interchange whose ISA is rejected (TA104 R) is not processed, over the real HTTP gateway:
 * ISA09 '051513' (month 15) gets only TA1*000001406*051513*1030*R*014 (I18 014 invalid interchange
 * date), no 997 for its group, no document in the ERP feed; the raw bytes are kept and the exception
 * names the partner, ISA13, segment ISA, element ISA09 and what was expected. A trailer finding
 * (IEA01 says 2 groups, 1 counted: I18 021) comes after the sets were processed: TA104 E (accepted,
 * errors noted, "the sender must not resend"), the 997 and the document as usual.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const input = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/x12-004010/rejects-isa09-bad-month/input.edi'), 'latin1');

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: 'buyerco-key' } });
});
afterAll(async () => { await f?.close(); });

const post = (body: string) => f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'buyerco-key', headers: { 'content-type': 'application/edi-x12' }, body });
const ackSegments = async (messageId: string) => {
  const msg = await (await f.fetch(`/api/v1/messages/${messageId}`, { token: tokens.operator })).json() as any;
  return Promise.all(msg.acknowledgements.map(async (a: any) => ({ kind: a.kind, segs: (await (await f.fetch(a.links.raw, { token: tokens.operator })).text()).split('~').map((x) => x.trim()).filter((x) => x && !/^(ISA|GS|GE|IEA)\*/.test(x)) })));
};

describe('an interchange whose ISA is rejected is not processed', () => {
  it('ISA09 month 15: TA1 R 014 only, no 997, nothing in the ERP feed, raw kept, the exception names ISA09', async () => {
    const res = await post(input);
    const body = await res.json() as any;
    expect(body.documents).toEqual([]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ stage: 'split', code: 'x12_isa_invalid_field',
      detail: { segment: 'ISA', elementPosition: 9, interchangeControlNumber: '000001406', found: '051513', expected: 'a date YYMMDD', standardCode: '014', sender: 'ZZ:BUYERCO', interchangeRejected: true, setsNotProcessed: 1 } });
    expect(body.errors[0].message).toBe("ISA09 (Interchange Date) '051513' is invalid: month 15 is not 01-12 (YYMMDD): interchange 000001406 from ZZ:BUYERCO is rejected (TA1 TA104 R, TA105 014); its 1 transaction set(s) are not translated and get no 997/999");
    expect(await ackSegments(body.messageId)).toEqual([{ kind: 'TA1', segs: ['TA1*000001406*051513*1030*R*014'] }]);
    const feed = await (await f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json() as any;
    expect(feed.documents).toEqual([]);
    expect(await (await f.fetch(`/api/v1/messages/${body.messageId}/raw`, { token: tokens.operator })).text()).toBe(input);
    const exc = (await (await f.fetch('/api/v1/exceptions?partner=buyerco', { token: tokens.operator })).json() as any).exceptions;
    expect(exc.map((e: any) => [e.partnerId, e.messageId, e.code])).toEqual([['buyerco', body.messageId, 'x12_isa_invalid_field']]);
  });

  it('IEA01 wrong (read after the sets): TA1 E 021, the 997 and the document as usual', async () => {
    const good = input.replace('*051513*', '*261120*').replaceAll('000001406', '000001407').replace('IEA*1*', 'IEA*2*');
    const body = await (await post(good)).json() as any;
    expect(body.documents.map((d: any) => d.document.poNumber)).toEqual(['PO-1406']);
    expect(body.errors.map((e: any) => e.code)).toEqual(['x12_group_count_mismatch']);
    const acks = await ackSegments(body.messageId);
    expect(acks).toHaveLength(1);
    // one interchange back: the TA1 (I17 E, I18 021 invalid number of included groups) before the 997 group
    expect(acks[0].segs).toEqual(['TA1*000001407*261120*1030*E*021', 'ST*997*0001', 'AK1*PO*1406', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
  });
});
