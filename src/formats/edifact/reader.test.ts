import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseEdifact, readEdifact, type EdifactInterchange } from './reader.ts';
import { isSegment, type Loop, type Segment } from '../wire.ts';
import { createEdifactGrammarRegistry } from './grammars/index.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/edifact');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(fixtures, name));
const codes = (errs: Array<{ code: string }>): string[] => errs.map((e) => e.code);

function loops(root: Loop, id: string): Loop[] {
  const out: Loop[] = [];
  const walk = (l: Loop): void => { for (const c of l.children) if (!isSegment(c)) { if (c.loop === id) out.push(c); walk(c); } };
  walk(root);
  return out;
}
const first = (l: Loop): Segment => l.children[0] as Segment;

describe('parseEdifact: envelopes and headers', () => {
  it('reads UNB sender/recipient with qualifiers, date, time, control reference, syntax and UNA', () => {
    const [ic] = parseEdifact(fixture('orders-d96a.edi')) as [EdifactInterchange];
    expect(ic.header).toMatchObject({
      syntax: { id: 'UNOC', version: '3' }, sender: { id: '4012345000009', qualifier: '14' }, recipient: { id: '5412345000013', qualifier: '14' },
      date: '261120', time: '0930', controlReference: 'ORD0001', testIndicator: false, una: true,
    });
    expect(ic.messages).toHaveLength(1);
    expect(ic.messages[0]?.header).toEqual({ reference: '1', type: 'ORDERS', version: 'D', release: '96A', agency: 'UN', association: 'EAN008' });
    expect(ic.errors).toEqual([]);
    expect(ic.messages[0]?.errors).toEqual([]);
  });

  it('decodes UNOC (ISO 8859-1), UNOD (ISO 8859-2) and UNOW (UTF-8) to Unicode', () => {
    const nadName = (file: string, q: string): unknown => {
      const m = (parseEdifact(fixture(file))[0] as EdifactInterchange).messages[0];
      const nad = loops(m!.tree.root, 'SG2').map(first).find((s) => s.elements[0] === q);
      return nad?.elements[3];
    };
    expect(nadName('orders-d96a.edi', 'BY')).toEqual(['Müller Großhandel GmbH']);
    expect(nadName('orders-d01b.edi', 'BY')).toEqual(['Zakład Łódź sp. z o.o.']);
    expect(nadName('invoic-d01b.edi', 'SU')).toEqual(['Dostawca Żółw']);
  });

  it('nests segment groups so that NAD[3035=ST]/C080/3036 resolves by element position', () => {
    const m = (parseEdifact(fixture('orders-d96a.edi'))[0] as EdifactInterchange).messages[0]!;
    const grammar = createEdifactGrammarRegistry().find('ORDERS', 'D96A')!;
    const nadDef = grammar.segments.NAD!;
    const c080 = nadDef.elements.findIndex((e) => e.id === 'C080');
    const i3036 = nadDef.elements[c080]!.components!.findIndex((e) => e.id === '3036');
    const st = loops(m.tree.root, 'SG2').map(first).find((s) => s.elements[0] === 'ST')!;
    expect((st.elements[c080] as string[])[i3036]).toBe('Müller Lager Süd');
    const lines = loops(m.tree.root, 'SG25');
    expect(lines.map((l) => (first(l).elements[2] as string[])[0])).toEqual(['4000862141404', '4000862141411']);
    // PRI sits in SG28 inside each line, CTA/COM in SG5 inside the buyer's SG2
    expect(loops(lines[1]!, 'SG28').map((l) => first(l).elements[0])).toEqual([['AAA', '0.035']]);
    expect(loops(m.tree.root, 'SG5')).toHaveLength(1);
    // released ':' inside FTX
    const ftx = m.tree.root.children.find((c) => isSegment(c) && c.tag === 'FTX') as Segment;
    expect(ftx.elements[3]).toEqual(['Bitte Lieferschein beilegen: Rampe 3']);
  });

  it('reads a directory we ship with its own tables, and any other D directory with the nearest one we ship', () => {
    const reg = createEdifactGrammarRegistry();
    expect(reg.find('INVOIC', 'D97B')?.version).toBe('D97B');
    expect(reg.find('ORDERS', 'D01B')?.version).toBe('D01B');
    expect(reg.resolve('ORDERS', 'D01B')?.substitutedFor).toBeUndefined();
    // D98B: D97B is one year before, D99B one year after; a tie goes to the newer (wider element lengths)
    expect(reg.resolve('ORDERS', 'D98B')).toMatchObject({ grammar: { version: 'D99B' }, substitutedFor: 'D98B' });
    expect(reg.resolve('ORDERS', 'D02A')).toMatchObject({ grammar: { version: 'D01B' }, substitutedFor: 'D02A' });
    expect(reg.resolve('INVOIC', 'D21A')).toMatchObject({ grammar: { version: 'D18A' }, substitutedFor: 'D21A' });
    // D93A has no APERAK: the nearest directory that has one
    expect(reg.resolve('APERAK', 'D93A')).toMatchObject({ grammar: { version: 'D96A' }, substitutedFor: 'D93A' });
    expect(reg.find('APERAK', 'D96A')?.version).toBe('D96A');
    expect(reg.find('ORDERS', '2912')).toBeUndefined();
    expect(reg.find('BAPLIE', 'D95B')).toBeUndefined();
  });

  it('says so, as a warning, when a message is read with another directory than the one it names', () => {
    const text = "UNB+UNOC:3+S+R+260101:1200+1'UNH+1+ORDERS:D:02A:UN:EAN010'BGM+220+P1+9'DTM+137:20260101:102'UNS+S'UNT+5+1'UNZ+1+1'";
    const m = parseEdifact(text)[0]!.messages[0]!;
    expect(m.grammarVersion).toBe('D01B');
    expect(m.subset).toEqual({ name: 'EANCOM', code: 'EAN010', version: '010' });
    expect(m.errors.map((e) => [e.code, e.detail.severity, e.detail.found, e.detail.expected])).toEqual([['edifact_directory_substituted', 'warning', 'D02A', 'D01B']]);
    expect(m.errors[0]!.message).toContain('D02A');
    expect(m.errors[0]!.message).toContain('D01B');
  });

  it('checks UNT count and reference, UNE and UNZ counts and references with ISO 9735 codes', () => {
    const text = "UNB+UNOA:3+S+R+260101:1200+IC1'UNG+ORDERS+S+R+260101:1200+G1+UN+D:96A'UNH+M1+ORDERS:D:96A:UN'BGM+220+P1+9'DTM+137:20260101:102'UNS+S'UNT+9+M9'UNE+2+G2'UNZ+3+IC2'";
    const [ic] = parseEdifact(text) as [EdifactInterchange];
    const m = ic.messages[0]!;
    expect(m.errors.map((e) => [e.code, e.detail.standardCode, e.detail.expected, e.detail.found])).toEqual([
      ['edifact_message_segment_count_mismatch', '29', '5', '9'],
      ['edifact_message_reference_mismatch', '28', 'M1', 'M9'],
    ]);
    expect(ic.errors.map((e) => [e.code, e.detail.standardCode, e.detail.serviceSegment])).toEqual([
      ['edifact_group_count_mismatch', '29', 'UNE'], ['edifact_group_reference_mismatch', '28', 'UNE'],
      ['edifact_interchange_count_mismatch', '29', 'UNZ'], ['edifact_interchange_reference_mismatch', '28', 'UNZ'],
    ]);
    expect(ic.groups[0]?.header).toMatchObject({ groupId: 'ORDERS', reference: 'G1', messageVersion: { version: 'D', release: '96A' } });
  });

  it('reports missing trailers, mixed groups/messages and segments outside messages', () => {
    const text = "UNB+UNOA:3+S+R+260101:1200+IC1'UNH+M1+ORDERS:D:96A:UN'BGM+220+P1+9'DTM+137:20260101:102'UNS+S'FTX+AAI'UNG+ORDERS+S+R+260101:1200+G1+UN+D:96A'UNH+M2+ORDERS:D:96A:UN'BGM+220+P2+9'DTM+137:20260101:102'UNS+S'UNT+5+M2'";
    const [ic] = parseEdifact(text) as [EdifactInterchange];
    expect(codes(ic.messages[0]!.errors)).toEqual(['edifact_unexpected_segment', 'edifact_message_trailer_missing']);
    expect(codes(ic.messages[1]!.errors)).toEqual([]);
    expect(codes(ic.errors)).toEqual(['edifact_groups_and_messages_mixed', 'edifact_group_trailer_missing', 'edifact_interchange_trailer_missing']);
  });

  it('reads several interchanges in one file, each with its own UNA', () => {
    const a = fixture('ordrsp-d96a.edi').toString('latin1');
    const b = "UNA:+,? 'UNB+UNOA:3+X+Y+260101:1200+9'UNH+1+ORDRSP:D:96A:UN'BGM+231+R2+4+AP'DTM+137:20260101:102'UNS+S'UNT+5+1'UNZ+1+9'";
    const ics = parseEdifact(a + b);
    expect(ics.map((i) => [i.header.controlReference, i.header.separators.decimal, i.messages.length, i.errors.length])).toEqual([['RSP0001', '.', 1, 0], ['9', ',', 1, 0]]);
  });

  it('flags the test indicator and reads input without UNB as a headerless interchange with an error', () => {
    const [t] = parseEdifact("UNB+UNOA:3+S+R+260101:1200+1++++++1'UNZ+0+1'") as [EdifactInterchange];
    expect(t.header.testIndicator).toBe(true);
    const [h] = parseEdifact("UNH+1+ORDRSP:D:96A:UN'BGM+231+R2+4+AP'DTM+137:20260101:102'UNS+S'UNT+5+1'") as [EdifactInterchange];
    expect(codes(h.errors)).toContain('edifact_interchange_header_missing');
    expect(h.messages).toHaveLength(1);
  });

  it('refuses empty and non-EDIFACT input with a precise error', () => {
    expect(() => parseEdifact('')).toThrowError(expect.objectContaining({ code: 'edifact_empty' }));
    expect(() => parseEdifact('<?xml version="1.0"?><a/>')).toThrowError(expect.objectContaining({ code: 'edifact_not_edifact' }));
  });
});

describe('readEdifact: streaming', () => {
  it('yields the same messages as parseEdifact when fed one byte at a time', async () => {
    const bytes = Buffer.concat([fixture('orders-d96a.edi'), fixture('invoic-d96a.edi')]);
    async function* oneByte(): AsyncGenerator<Uint8Array> { for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1); }
    const items = [];
    for await (const it of readEdifact(oneByte())) items.push(it);
    expect(items.map((i) => i.kind)).toEqual(['message', 'interchange', 'message', 'interchange']);
    const whole = parseEdifact(bytes);
    const streamed = items.filter((i) => i.kind === 'message').map((i) => (i.kind === 'message' ? i.message.tree : undefined));
    expect(streamed).toEqual(whole.flatMap((i) => i.messages.map((m) => m.tree)));
  });
});
