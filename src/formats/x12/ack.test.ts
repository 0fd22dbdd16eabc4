import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build997, ackGroupEnvelope } from './ack-997.ts';
import { build999 } from './ack-999.ts';
import { parseAck } from './ack-parse.ts';
import { parseX12, parseTransactions } from './reader.ts';
import { buildTa1, needsTa1, parseTa1 } from './ta1.ts';
import type { GroupEndItem, InterchangeEndItem } from './types.ts';
import { writeInterchange, writeTransaction } from './writer.ts';

const here = dirname(fileURLToPath(import.meta.url));
const conformance = resolve(here, '../../../../shared/conformance/x12');
const D4 = { element: '*', component: '>', segment: '~', lineBreak: '\n' };
const D5 = { element: '*', component: ':', repetition: '^', segment: '~', lineBreak: '\n' };

const ISA = (v: string, rep: string, comp: string): string => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*ACMESUPPLY     *240315*1030*${rep}*${v}*000000101*1*P*${comp}~`;
const group = (gs08: string): string => `GS*PO*BUYERCO*ACMESUPPLY*20240315*1030*101*X*${gs08}~`
  + 'ST*850*0001~BEG*00*SA*P1**20240315~PO1*1*2*EA*3.5**BP*X1~SE*4*0001~'
  + 'ST*850*0002~BEG*00*SA*P2**20240315~DTM*002*20241301~PO1*1*2*EA*3.5**BP*X1~SE*5*0002~'
  + 'ST*850*0003~BEG*00*SA*P3**20240315~PO1*1*2*EA*3.5**BP*X1~SE*7*0003~GE*3*101~';

function received(text: string): GroupEndItem {
  const g = parseX12(text).find((i): i is GroupEndItem => i.kind === 'group_end');
  if (!g) throw new Error('no group');
  return g;
}

describe('997', () => {
  it('acknowledges a 4010 group: accepted set, element error (AK3/AK4), count error (AK5 4), partial AK9', () => {
    const g = received(`${ISA('00401', 'U', '>')}${group('004010')}IEA*1*000000101~`);
    const tree = build997(g, { controlNumber: '0001' });
    expect(tree.version).toBe('004010');
    // expected text written by hand from X12.6 / the 997 standard: AK1 has 2 elements in 004010
    expect(writeTransaction({ tree }, D4).text.split('\n')).toEqual([
      'ST*997*0001~', 'AK1*PO*101~',
      'AK2*850*0001~', 'AK5*A~',
      'AK2*850*0002~', 'AK3*DTM*3**8~', 'AK4*2*373*8*20241301~', 'AK5*R*5~',
      'AK2*850*0003~', 'AK5*R*4~',
      'AK9*P*3*3*1~', 'SE*12*0001~', '']);
  });

  it('uses AK103 in a 5010 group and rejects the group when no set is accepted', () => {
    const text = `${ISA('00501', '^', ':')}GS*PO*BUYERCO*ACMESUPPLY*20240315*1030*7*X*005010~ST*850*0001~BEG*00*SA*P1**20240315~SE*3*0001~GE*1*7~IEA*1*000000101~`;
    const tree = build997(received(text));
    const lines = writeTransaction({ tree }, D5).text.split('\n');
    expect(lines).toEqual(['ST*997*0001~', 'AK1*PO*7*005010~', 'AK2*850*0001~', 'AK3*PO1*3**3~', 'AK5*R*5~', 'AK9*R*1*1*0~', 'SE*7*0001~', '']);
  });

  it('reports group trailer findings in AK905', () => {
    const text = `${ISA('00401', 'U', '>')}GS*PO*BUYERCO*ACMESUPPLY*20240315*1030*101*X*004010~ST*850*0001~BEG*00*SA*P1**20240315~PO1*1*2*EA*3.5**BP*X1~SE*4*0001~GE*2*101~IEA*1*000000101~`;
    const tree = build997(received(text));
    expect(writeTransaction({ tree }, D4).text).toContain('AK9*E*1*1*1*5~');
  });

  it('writes a 997 interchange back to the sender with swapped ids', () => {
    const g = received(`${ISA('00401', 'U', '>')}${group('004010')}IEA*1*000000101~`);
    const text = writeInterchange({
      delimiters: D4,
      interchange: { senderQualifier: 'ZZ', senderId: 'ACMESUPPLY', receiverQualifier: 'ZZ', receiverId: 'BUYERCO', date: '240316', time: '0900', controlNumber: 5 },
      groups: [{ group: ackGroupEnvelope(g.group, { controlNumber: 5, date: '20240316', time: '0900', version: g.group.version }), transactions: [{ tree: build997(g), controlNumber: '0005' }] }],
    });
    const [t] = parseTransactions(text);
    expect(t?.accepted).toBe(true);
    expect(t?.group?.functionalId).toBe('FA');
    expect(t?.group?.senderCode).toBe('ACMESUPPLY');
    expect(parseAck(t!.tree).sets.map((s) => s.status)).toEqual(['accepted', 'rejected', 'rejected']);
  });
});

describe('999', () => {
  it('acknowledges a 5010 group with IK3/IK4/IK5 in the 005010X231A1 convention', () => {
    const g = received(`${ISA('00501', '^', ':')}${group('005010')}IEA*1*000000101~`);
    const tree = build999(g, { controlNumber: '0001' });
    expect(tree.version).toBe('005010X231A1');
    expect(writeTransaction({ tree }, D5).text.split('\n')).toEqual([
      'ST*999*0001*005010X231A1~', 'AK1*PO*101*005010~',
      'AK2*850*0001~', 'IK5*A~',
      'AK2*850*0002~', 'IK3*DTM*3**8~', 'IK4*2*373*8*20241301~', 'IK5*R*5~',
      'AK2*850*0003~', 'IK5*R*4~',
      'AK9*P*3*3*1~', 'SE*12*0001~', '']);
    // our own 999 reads back without findings against the 999 grammar
    const text = writeInterchange({ delimiters: D5, interchange: { senderQualifier: 'ZZ', senderId: 'A', receiverQualifier: 'ZZ', receiverId: 'B', date: '240316', time: '0900', controlNumber: 1, version: '00501' },
      groups: [{ group: { functionalId: 'FA', senderCode: 'AA', receiverCode: 'BB', date: '20240316', time: '0900', controlNumber: 1, version: '005010X231A1' }, transactions: [{ tree }] }] });
    expect(parseTransactions(text)[0]?.errors).toEqual([]);
  });
});

describe('TA1', () => {
  it('builds TA1 R with the first interchange note code, A/000 when clean', () => {
    const items = parseX12(`${ISA('00401', 'U', '>')}${group('004010')}IEA*1*000000999~`);
    const end = items.find((i): i is InterchangeEndItem => i.kind === 'interchange_end')!;
    expect(needsTa1(end.interchange, end.errors)).toBe(true);
    expect(buildTa1(end.interchange, end.errors).elements).toEqual(['000000101', '240315', '1030', 'R', '001']);
    expect(buildTa1(end.interchange, []).elements).toEqual(['000000101', '240315', '1030', 'A', '000']);
    expect(needsTa1({ ackRequested: '0' }, [])).toBe(false);
  });

  it('parses an inbound TA1', () => {
    expect(parseTa1({ tag: 'TA1', elements: ['000000050', '200229', '1200', 'R', '022'], position: 0 })).toEqual({
      interchangeControlNumber: '000000050', date: '200229', time: '1200', status: 'rejected', ackCode: 'R', noteCode: '022' });
  });
});

describe.skipIf(!existsSync(conformance))('inbound 997/999 reconciliation (conformance samples)', () => {
  it('reads staedi 999: one accepted, two rejected sets with IK3/IK4 detail', () => {
    const [t] = parseTransactions(readFileSync(resolve(conformance, 'staedi_999_5010.edi')));
    const rec = parseAck(t!.tree);
    expect(rec).toMatchObject({ type: '999', functionalId: 'HC', groupControlNumber: '17456', version: '005010X222', groupStatus: 'partially_accepted', included: 3, received: 3, accepted: 1 });
    expect(rec.sets.map((s) => [s.controlNumber, s.status, s.codes])).toEqual([['0001', 'accepted', []], ['0002', 'rejected', ['5']], ['0003', 'rejected', ['5']]]);
    expect(rec.sets[1]?.errors).toEqual([{ segment: 'CLM', position: 22, code: '8', elements: [{ position: 2, reference: '782', code: '1' }] }]);
    expect(rec.sets[2]?.errors[0]).toMatchObject({ segment: 'REF', position: 57, code: '3' });
  });

  it('reads staedi 997: rejected 837 with AK3/AK4', () => {
    const [t] = parseTransactions(readFileSync(resolve(conformance, 'staedi_997_5010_ak3_ak4_reject.edi')));
    const rec = parseAck(t!.tree);
    expect(rec).toMatchObject({ type: '997', groupControlNumber: '000001', groupStatus: 'rejected', groupCodes: [] });
    expect(rec.sets).toEqual([{ id: '837', controlNumber: '0021', status: 'rejected', ackCode: 'R', codes: ['5'],
      errors: [{ segment: 'NM1', position: 8, code: '8', elements: [{ position: 8, code: '7', reference: '66', value: 'MI' }] }] }]);
  });
});
