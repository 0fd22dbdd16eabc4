/** X12: the pipeline's streaming reader (tokenizer, envelopes, grammar tree, element checks) over every set. */
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';
import type { FuzzTarget } from '../types.ts';
import { assertTyped, isX12, pick } from './common.ts';

const reader = createX12FormatReader();

export const target: FuzzTarget = {
  name: 'x12',
  description: 'X12 reader as the pipeline runs it: src/formats/x12/format-reader.ts streamX12',
  dialect: { delimiters: ['*', '~', '>', ':', '^', '|', '\n', '\r'], segmentEnds: ['~', '\n'], nesting: [['HL*1**S~', ''], ['LS*1~', 'LE*1~']] },
  ratio: 5000,
  floorMs: 100,
  async setup(src) { return pick(src, isX12); },
  run(bytes) {
    const r = reader.streamX12(bytes);
    for (const u of r.units) assertTyped(u.errors, 'unit');
    assertTyped(r.errors, 'interchange');
  },
};
