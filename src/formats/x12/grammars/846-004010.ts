/**
 * 846 Inventory Inquiry/Advice, X12 004010. Segment order, loops, mandatory segments and max use from
 * bots-edi/bots-grammars x12/4010/846004010.py, checked against the EdiFabric template
 * (RichardFeich/EdiTemplateResolver) and freight-trust/libedi 00401 846.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_4010 } from './segments-warehouse.ts';

export function grammar846(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  return {
    standard: 'x12', message: '846', version, name: 'Inventory Inquiry/Advice',
    children: [
      s('ST', 1, 'M'), s('BIA', 1, 'M'), s('CUR'), s('DTM', 10), s('REF', 12), s('PER', 3), s('MEA', 20),
      loop('N1', 5, [s('N1', 1, 'M'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 12), s('PER', 3)]),
      loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
      loop('LIN', 10000, [
        s('LIN', 1, 'M'), s('PID', 200), s('MEA', 40), s('PKG', 25), s('DTM', 10), s('CTP', 25), s('CUR'), s('SAC', 25), s('REF', U),
        s('PER', 3), s('SDQ', 500), s('MAN'), s('UIT', 5), s('CS'), s('DD', U), s('G53'), s('PCT', U), s('LDT', 12),
        loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
        loop('SLN', 1000, [s('SLN', 1, 'M'), s('PID', 200), s('MEA', 40), s('PKG', 25), loop('MAN', 100, [s('MAN', 1, 'M'), s('MEA', 40)])]),
        loop('QTY', 99, [
          s('QTY', 1, 'M'), s('UIT', 12), s('MEA', 25), s('LDT', 12), s('DTM', 10), loop('SCH', 25, [s('SCH', 1, 'M'), s('MEA', 25)]),
          loop('LM', U, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
          loop('LS', 1, [
            s('LS', 1, 'M'),
            loop('REF', U, [s('REF', 1, 'M'), s('DTM', U), s('N1'), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')])], 'M'),
            s('LE', 1, 'M')
          ])
        ]),
        loop('N1', 200, [s('N1', 1, 'M'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 12), s('PER', 3)])
      ], 'M'),
      s('CTT'), s('SE', 1, 'M')
    ],
    segments,
  };
}

export const GRAMMAR_846_004010: MessageGrammar = grammar846('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010, ...WAREHOUSE_SEGMENTS_4010 });
