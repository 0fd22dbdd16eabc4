import { describe, expect, it } from 'vitest';
import type { Segment, WireTree } from '../wire.ts';
import { createEdifactFormatReader } from './format-reader.ts';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const ctx = { metadata: {} };
const seg = (tree: unknown, tag: string): Segment | undefined => {
  const walk = (n: { children: unknown[] }): Segment | undefined => {
    for (const c of n.children as Array<Segment | { loop: string; children: unknown[] }>) {
      if ('tag' in c && c.tag === tag) return c;
      if ('loop' in c) { const f = walk(c); if (f) return f; }
    }
    return undefined;
  };
  return walk((tree as WireTree).root);
};

// two interchanges; the first with a UNG group and a test indicator, the second with two messages
const file = "UNA:+,? '"
  + "UNB+UNOC:3+4012345000009:14+4099999000001:14+261121:1015+IC1++++++1'"
  + "UNG+ORDRSP+4012345000009:14+4099999000001:14+261121:1015+G7+UN+D:96A'"
  + "UNH+M1+ORDRSP:D:96A:UN'BGM+231+R1+29'DTM+137:20261121:102'RFF+ON:PO-1'LIN+1+5+4006381333931:EN'QTY+21:12,5:PCE'PRI+AAA:2,35'UNS+S'UNT+9+M1'"
  + "UNE+1+G7'UNZ+1+IC1'"
  + "UNB+UNOC:3+5412345000013:ZZZ+4099999000001:14+261121:1016+IC2'"
  + "UNH+A+INVOIC:D:01B:UN'BGM+380+I1+9'DTM+137:20261121:102'UNS+S'MOA+77:10'UNT+6+A'"
  + "UNH+B+IFTMIN:D:96A:UN'BGM+340+X'UNT+3+B'"
  + "UNZ+2+IC2'";

describe('EDIFACT format reader', () => {
  it('splits every UNH..UNT into a unit with message type, version, envelope ids and control references', async () => {
    const r = await createEdifactFormatReader().split(bytes(file), ctx);
    expect(r.errors).toEqual([]);
    expect(r.units.map((u) => [u.position, u.format, u.message, u.version])).toEqual([
      [0, 'edifact', 'ORDRSP', 'D96A'], [1, 'edifact', 'INVOIC', 'D01B'], [2, 'edifact', 'IFTMIN', 'D96A'],
    ]);
    expect(r.units[0]!.envelope).toEqual({
      sender: { id: '4012345000009', qualifier: '14' }, receiver: { id: '4099999000001', qualifier: '14' },
      interchangeControlNumber: 'IC1', groupControlNumber: 'G7', transactionControlNumber: 'M1', test: true,
    });
    expect(r.units[1]!.envelope).toMatchObject({ sender: { id: '5412345000013', qualifier: 'ZZZ' }, interchangeControlNumber: 'IC2', transactionControlNumber: 'A', test: false });
    expect(r.units[1]!.envelope.groupControlNumber).toBeUndefined();
  });

  it('normalises the decimal comma of numeric (class n) elements, and leaves codes and text alone', async () => {
    const r = await createEdifactFormatReader().split(bytes(file), ctx);
    const tree = r.units[0]!.input;
    expect(seg(tree, 'QTY')!.elements).toEqual([['21', '12.5', 'PCE']]);
    expect(seg(tree, 'PRI')!.elements).toEqual([['AAA', '2.35']]);
    expect(seg(tree, 'RFF')!.elements).toEqual([['ON', 'PO-1']]);
  });

  it('reports a message type without a grammar precisely, beside the good messages', async () => {
    const r = await createEdifactFormatReader().split(bytes(file), ctx);
    expect(r.units[0]!.errors).toEqual([]);
    expect(r.units[1]!.errors).toEqual([]);
    const e = r.units[2]!.errors[0]!;
    expect(e.code).toBe('edifact_unsupported_message');
    expect(e.detail).toMatchObject({ interchangeControlNumber: 'IC2', transactionControlNumber: 'B', found: 'IFTMIN D96A' });
  });

  it('a rejected message carries its findings with segment and element positions', async () => {
    const bad = "UNB+UNOA:3+S:ZZZ+R:ZZZ+261121:1015+IC3'UNH+1+ORDERS:D:96A:UN'BGM+220+PO-9+9'DTM+137:20261121:102'LIN+1++X:EN'QTY+21:1O:PCE'UNS+S'UNT+7+1'UNZ+1+IC3'";
    const r = await createEdifactFormatReader().split(bytes(bad), ctx);
    const e = r.units[0]!.errors[0]!;
    expect(e.detail).toMatchObject({ segment: 'QTY', segmentPosition: 5, elementPosition: 1, transactionControlNumber: '1', interchangeControlNumber: 'IC3' });
  });

  it('interchange-level findings go to the split errors; unreadable input is an error, not a throw', async () => {
    const r = await createEdifactFormatReader().split(bytes("UNB+UNOA:3+S:ZZZ+R:ZZZ+261121:1015+IC4'UNH+1+ORDERS:D:96A:UN'BGM+220+P+9'DTM+137:20261121:102'UNS+S'UNT+5+1'UNZ+2+IC4'"), ctx);
    expect(r.errors.map((e) => e.code)).toEqual(['edifact_interchange_count_mismatch']);
    expect(r.units).toHaveLength(1);
    const t = await createEdifactFormatReader().split(bytes('UNB+UNOA:3+S'), ctx);
    expect(t.units).toEqual([]);
    expect(t.errors.map((e) => e.code)).toEqual(['edifact_truncated']);
    const n = await createEdifactFormatReader().split(bytes('hello'), ctx);
    expect(n.errors.map((e) => e.code)).toEqual(['edifact_not_edifact']);
  });

  it('inbound CONTRL messages are receipts, not documents', () => {
    const contrl = "UNB+UNOA:3+S:ZZZ+R:ZZZ+261121:1015+IC5'UNH+1+CONTRL:D:3:UN'UCI+GW1+R:ZZZ+S:ZZZ+7'UNT+3+1'UNZ+1+IC5'";
    const r = createEdifactFormatReader().splitEdifact(bytes(contrl));
    expect(r.units).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.receipts.map((m) => m.header.type)).toEqual(['CONTRL']);
  });
});
