import { describe, expect, it } from 'vitest';
import type { Loop, Segment } from '../wire.ts';
import { DEFAULT_DELIMITERS_4010 } from './delimiters.ts';
import { writeTransaction } from './writer.ts';

const seg = (tag: string, ...elements: string[]): Segment => ({ tag, elements, position: 0 });
const hl = (level: string, children: Array<Segment | Loop> = [], id = '', parent = ''): Loop => ({ loop: 'HL', children: [seg('HL', id, parent, level), ...children] });

describe('X12 writer: HL numbering from the loop nesting', () => {
  it('numbers empty HL01 in tree order and takes HL02 from the parent loop, even for identical lines', () => {
    const line = () => hl('I', [seg('LIN', '1', 'VP', 'SAME')]);
    const root: Loop = {
      loop: '856',
      children: [seg('BSN', '00', 'SH1', '20261120', '0000'), hl('S', [], '1'), hl('O', [line(), line()], '', '1'), hl('O', [line()], '', '1')],
    };
    const text = writeTransaction({ tree: { standard: 'x12', message: '856', version: '004010', root }, controlNumber: '0001' }, { ...DEFAULT_DELIMITERS_4010, lineBreak: '' }).text;
    const hls = text.split('~').filter((s) => s.startsWith('HL*'));
    // S=1; first order 2 with items 3 and 4; second order 5 with item 6
    expect(hls).toEqual(['HL*1**S', 'HL*2*1*O', 'HL*3*2*I', 'HL*4*2*I', 'HL*5*1*O', 'HL*6*5*I']);
  });
});
