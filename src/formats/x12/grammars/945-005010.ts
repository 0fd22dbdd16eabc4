/**
 * 945 Warehouse Shipping Advice, X12 005010 (its table differs from 004010's). Segment order, loops,
 * mandatory segments and max use from bots-edi/bots-grammars x12/5010/945005010.py, checked against
 * the EdiFabric template (RichardFeich/EdiTemplateResolver) and freight-trust/libedi 00501 945.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_5010 } from './segments-warehouse.ts';

export const GRAMMAR_945_005010: MessageGrammar = {
  standard: 'x12', message: '945', version: '005010', name: 'Warehouse Shipping Advice',
  children: [
    s('ST', 1, 'M'), s('W06', 1, 'M'), loop('N1', 10, [s('N1', 1, 'M'), s('N2'), s('N3', 2), s('N4'), s('PER', 5)], 'M'), s('N9', 10),
    s('G61', 3), s('G62', 5), s('NTE', 20), s('W27'), s('W6'), s('W28'), s('W10', 10), s('G72', 5), s('TD1', 5),
    loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
    loop('LX', U, [
      s('LX', 1, 'M'), s('MAN', U), s('PAL'), s('N9', 5),
      loop('W12', U, [
        s('W12', 1, 'M'), s('G69', 5), s('N9', 200), s('G62', 10), s('QTY', 10), s('MEA', 5), s('AMT'), s('R4', 5), s('W27'),
        loop('N1', U, [s('N1', 1, 'M'), s('N2'), s('N3'), s('N4'), s('PER')]), s('G72', 5),
        loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
        loop('LS', 1, [
          s('LS', 1, 'M'),
          loop('LX', U, [s('LX', 1, 'M'), s('N9', U), s('G62', 10), s('N1'), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')])], 'M'),
          s('LE', 1, 'M')
        ]),
        loop('FA1', U, [s('FA1', 1, 'M'), s('FA2', U, 'M')])
      ])
    ]),
    s('W03'), s('SE', 1, 'M')
  ],
  segments: { ...segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }), ...WAREHOUSE_SEGMENTS_5010 },
};
