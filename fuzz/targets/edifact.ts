/** EDIFACT: the codec (UNA, tokenizer, envelopes, grammar) directly, then the pipeline's reader on top. */
import { parseEdifact, createEdifactGrammarRegistry } from '../../src/formats/edifact/index.ts';
import { createEdifactFormatReader } from '../../src/formats/edifact/format-reader.ts';
import type { FuzzTarget } from '../types.ts';
import { assertTyped, isEdifact, pick } from './common.ts';

const grammars = createEdifactGrammarRegistry();
const reader = createEdifactFormatReader({ grammars });

export const target: FuzzTarget = {
  name: 'edifact',
  description: 'parseEdifact (src/formats/edifact) and the pipeline reader splitEdifact',
  dialect: { delimiters: ['+', ':', "'", '?', '.', ',', '*', '\n'], segmentEnds: ["'", '\n'], nesting: [['UNG+X+Y+Z\'', 'UNE+1+1\''], ['?', '']] },
  ratio: 5000,
  floorMs: 100,
  async setup(src) { return pick(src, isEdifact); },
  run(bytes) {
    // the codec itself: the reader would wrap a crash as edifact_unreadable
    const ics = parseEdifact(bytes, { grammars });
    for (const ic of ics) assertTyped(ic.errors, 'interchange');
    const r = reader.splitEdifact(bytes);
    assertTyped(r.errors, 'split');
    for (const u of r.units) assertTyped(u.errors, 'unit');
  },
};
