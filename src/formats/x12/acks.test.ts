/**
 * Functional acks of a large interchange are written from a set log in chunks: the bytes are the
 * ones the tree writer gives (build997/build999 + writeInterchange, whose output ack.test.ts and
 * test/golden/acks.test.ts check against the standard by hand), and the log gives back every set
 * as it was added, from memory and from its temporary file alike.
 */
import { describe, expect, it } from 'vitest';
import { build997, build999, parseX12, writeInterchange, X231A1, type GroupEndItem, type InterchangeEndItem } from './index.ts';
import type { TransactionResult } from './types.ts';
import { createSetLog } from './acks.ts';
import { createX12FormatReader } from './format-reader.ts';

const ISA = (v: string, rep: string, comp: string, ack = '0'): string => `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*ACMESUPPLY     *240315*1030*${rep}*${v}*000000101*${ack}*P*${comp}~`;
const set = (n: number, extra = ''): string => { const cn = String(n).padStart(4, '0'); return `ST*850*${cn}~BEG*00*SA*P${n}**20240315~${extra}PO1*1*2*EA*3.5**BP*X1~SE*${extra ? 5 : 4}*${cn}~`; };

function interchange(v: '00401' | '00501', sets: number, bad: Set<number>, ack = '0'): string {
  const gs08 = v === '00401' ? '004010' : '005010';
  let s = `${v === '00401' ? ISA(v, 'U', '>', ack) : ISA(v, '^', ':', ack)}GS*PO*BUYERCO*ACMESUPPLY*20240315*1030*101*X*${gs08}~`;
  for (let n = 1; n <= sets; n++) s += set(n, bad.has(n) ? 'DTM*002*20241301~' : '');
  return `${s}GE*${sets}*101~IEA*1*000000101~`;
}

const now = new Date('2026-12-07T09:30:00Z');

/** the acks the pipeline builds, read to the end (the X12 format reader's acknowledge) */
async function streamedAcks(text: string, x12: '997' | '999', ta1: 'always' | 'on_error' = 'on_error'): Promise<string[]> {
  const split = createX12FormatReader().streamX12(Buffer.from(text, 'latin1'));
  for (const _ of split.units) { /* read */ }
  let n = 40;
  const acks = await split.acknowledge!({ policy: { x12, ta1 }, now, duplicateInterchanges: new Set(), issue: async () => ++n });
  return acks.map((a) => [...a.body!()].join(''));
}

/** the same ack written as before: the group's sets in a list, the 997/999 as a tree, writeInterchange */
function treeAck(text: string, x12: '997' | '999', withTa1: boolean): string {
  const items = parseX12(text);
  const g = items.find((i): i is GroupEndItem => i.kind === 'group_end')!;
  const end = items.find((i): i is InterchangeEndItem => i.kind === 'interchange_end')!;
  const h = g.interchange;
  const v5010 = h.version >= '00501';
  const tree = x12 === '999' ? build999(g) : build997(g);
  return writeInterchange({
    interchange: { senderQualifier: 'ZZ', senderId: 'ACMESUPPLY', receiverQualifier: 'ZZ', receiverId: 'BUYERCO', date: '261207', time: '0930', version: h.version, controlNumber: 42, ackRequested: '0', usage: 'P' },
    groups: [{ group: { functionalId: 'FA', senderCode: 'ACMESUPPLY', receiverCode: 'BUYERCO', date: '20261207', time: '0930', controlNumber: 41, version: x12 === '999' ? X231A1 : g.group.version }, transactions: [{ tree, controlNumber: '0001' }] }],
    // the partner's delimiters, with a line break after each segment (DEFAULT_DELIMITERS_*)
    delimiters: v5010 ? { element: '*', component: ':', repetition: '^', segment: '~', lineBreak: '\n' } : { element: '*', component: '>', segment: '~', lineBreak: '\n' },
    ...(withTa1 ? { ta1: [{ tag: 'TA1', elements: ['000000101', '240315', '1030', end.errors.length ? 'R' : 'A', end.errors[0]?.code ?? '000'], position: 0 }] } : {}),
  });
}

describe('streamed functional acks', () => {
  it('write the bytes of the tree writer for a small group with findings (997 4010, 999 5010, TA1)', async () => {
    const bad = new Set([2]);
    const t4 = interchange('00401', 3, bad);
    expect(await streamedAcks(t4, '997')).toEqual([treeAck(t4, '997', false)]);
    const t5 = interchange('00501', 3, bad, '1');
    expect(await streamedAcks(t5, '999', 'always')).toEqual([treeAck(t5, '999', true)]);
    // read by hand: AK2/IK5 per set, the DTM date in error in set 2, AK9 P 3 3 2
    expect((await streamedAcks(t5, '999'))[0]!.replaceAll('\n', '')).toContain('AK2*850*0002~IK3*DTM*3**8~IK4*2*373*8*20241301~IK5*R*5~AK2*850*0003~IK5*A~AK9*P*3*3*2~SE*12*0001~GE*1*41~IEA*1*000000042~');
  });

  it('write the same bytes for 12,000 sets, whose log spills to its temporary file', async () => {
    const bad = new Set([1, 4097, 9000, 12000]);
    const text = interchange('00401', 12_000, bad);
    const [streamed] = await streamedAcks(text, '997');
    expect(streamed).toBe(treeAck(text, '997', false));
    // ST, AK1, two per clean set, four per bad one (AK2, AK3, AK4, AK5), AK9, SE
    expect(streamed!.replaceAll('\n', '')).toContain(`AK9*P*12000*12000*11996~SE*${2 + 2 * 11_996 + 4 * 4 + 2}*0001~`);
  });

  it('the set log gives back every set in order, from memory and from its file, as often as it is read', () => {
    const log = createSetLog({ memorySets: 10 });
    const sets: TransactionResult[] = [];
    for (let n = 1; n <= 3000; n++) {
      const t: TransactionResult = n % 7 === 0
        ? { id: '850', controlNumber: String(n), accepted: false, ordinal: n, errors: [{ error: 'x12_element_invalid', level: 'element', code: '7', message: 'bad\nvalue', segment: 'PO1', segmentPosition: 3, elementPosition: 2, found: `Ünïcödé ${'x'.repeat(n % 50)}`, interchangeControlNumber: '1' }] }
        : n % 11 === 0 ? { id: '850', controlNumber: String(n), accepted: true, errors: [], implementationReference: '005010X222', ordinal: n }
          : { id: '850', controlNumber: String(n).padStart(9, '0'), accepted: true, errors: [], ordinal: n };
      sets.push(t);
      log.add(t);
    }
    expect(log.spilled).toBe(true);
    expect(log.count).toBe(3000);
    expect([...log]).toEqual(sets);
    expect([...log]).toEqual(sets);
    log.close();
  });
});
