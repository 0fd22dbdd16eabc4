import { describe, expect, it } from 'vitest';
import type { Loop, Segment } from '../../src/formats/wire.ts';
import { compileMapping, MappingCompileError } from '../../src/mapping/index.ts';

const seg = (tag: string, ...elements: string[]): Segment => ({ tag, elements, position: 0 });
const mapping = (sscc: string) => ({
  file: 'test.yaml',
  text: `format: x12\nmessage: "856"\nversion: "004010"\ndirection: inbound\ndocument: ship_notice\nfields:\n  shipmentId: BSN/02\n  shipDate: { path: BSN/03, as: date }\n  orders:\n    each: "**/HL[03=O]"\n    fields:\n      poNumber: PRF/01\n      lines:\n        each: "**/HL[03=I]"\n        fields:\n          quantityShipped: { path: SN1/02, as: number }\n          sscc: ${sscc}\n`,
});
const item = (qty: string, man?: string): Loop => ({ loop: 'HL', children: [seg('HL', '', '', 'I'), seg('SN1', '', qty, 'EA'), ...(man ? [seg('MAN', 'GM', man)] : [])] });
const tree: Loop = {
  loop: '856',
  children: [seg('BSN', '00', 'SH-1', '20261120'), {
    loop: 'HL', children: [seg('HL', '1', '', 'S'), {
      loop: 'HL', children: [seg('HL', '2', '1', 'O'), seg('PRF', 'PO-1'), {
        loop: 'HL', children: [seg('HL', '3', '2', 'P'), seg('MAN', 'GM', '00106141411234567897'), item('5'), item('2', '006141410000000128')],
      }],
    }],
  }],
};

describe("mapping paths: '..' steps up to the loop that holds the current one", () => {
  it("takes an item's own SSCC, else its pack's, and the sscc transform drops the GS1 AI 00", async () => {
    const m = compileMapping(mapping('{ path: ["MAN[01=GM]/02", "../MAN[01=GM]/02"], as: sscc }'), { load: () => { throw new Error('no extends'); } });
    const out = await m.toCanonical({ standard: 'x12', message: '856', version: '004010', root: tree });
    expect(out.problems).toEqual([]);
    expect((out.value as any).orders[0].lines).toEqual([
      { quantityShipped: 5, sscc: '106141411234567897' },
      { quantityShipped: 2, sscc: '006141410000000128' },
    ]);
  });

  it("refuses '..' in the middle of a path with a precise message", () => {
    try {
      compileMapping(mapping('HL/../MAN/02'), { load: () => { throw new Error('no extends'); } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MappingCompileError);
      expect((e as MappingCompileError).problems[0]!.message).toContain("'..' may only start a path, as in ../MAN[01=GM]/02");
    }
  });
});
