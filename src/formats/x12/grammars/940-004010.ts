/**
 * 940 Warehouse Shipping Order, X12 004010. Segment order, loops, mandatory segments and max use from
 * bots-edi/bots-grammars x12/4010/940004010.py, checked against the EdiFabric template
 * (RichardFeich/EdiTemplateResolver) and freight-trust/libedi 00401 940.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_4010 } from './segments-warehouse.ts';

export function grammar940(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  return {
    standard: 'x12', message: '940', version, name: 'Warehouse Shipping Order',
    children: [
      s('ST', 1, 'M'), s('W05', 1, 'M'), loop('N1', 10, [s('N1', 1, 'M'), s('N2', 2), s('N3', 2), s('N4'), s('PER', 5)]), s('N9', 10),
      s('G61', 3), s('G62', 10), s('NTE', U), s('W09'), s('W66'), s('W6'), s('R2', 13), s('BNX'),
      loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
      loop('LX', U, [
        s('LX', 1, 'M'), s('MAN', U), s('SDQ', U), s('N1'), s('G62', 10),
        loop('W01', U, [
          s('W01', 1, 'M'), s('G69', 5), s('N9', 200), s('NTE', U), s('W20', 3), s('QTY', 10), s('AMT'), s('G62', 10), s('G66'), s('N1', 3),
          s('PER', 5), s('LH2', 6), s('LHR'), s('LH6', 5), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
          loop('LS', 1, [
            s('LS', 1, 'M'),
            loop('LX', U, [
              s('LX', 1, 'M'), s('N9', U), s('G62', 10), s('N1'), s('SDQ', U), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
              loop('LH1', U, [
                s('LH1', 1, 'M'), s('LH2', 4), s('LH3', 10), s('LFH', 20), s('LEP', 3), s('LH4'), s('LHT', 3), s('LHR', 5), s('PER', 5)
              ])
            ], 'M'),
            s('LE', 1, 'M')
          ]),
          loop('FA1', U, [s('FA1', 1, 'M'), s('FA2', U, 'M')])
        ])
      ]),
      s('W76'), s('SE', 1, 'M')
    ],
    segments,
  };
}

export const GRAMMAR_940_004010: MessageGrammar = grammar940('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010, ...WAREHOUSE_SEGMENTS_4010 });
