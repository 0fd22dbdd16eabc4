/**
 * 944 Warehouse Stock Transfer Receipt Advice, X12 005010 (its table differs from 004010's). Segment
 * order, loops, mandatory segments and max use from bots-edi/bots-grammars x12/5010/944005010.py,
 * checked against the EdiFabric template (RichardFeich/EdiTemplateResolver) and freight-trust/libedi
 * 00501 944.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_5010 } from './segments-warehouse.ts';

export const GRAMMAR_944_005010: MessageGrammar = {
  standard: 'x12', message: '944', version: '005010', name: 'Warehouse Stock Transfer Receipt Advice',
  children: [
    s('ST', 1, 'M'), s('W17', 1, 'M'), loop('N1', 10, [s('N1', 1, 'M'), s('N2'), s('N3', 2), s('N4'), s('PER', 5)], 'M'), s('N9', 10),
    s('G61', 3), s('G62', 5), s('NTE', 20), s('W08'), s('W18', 10), s('G08', 2), s('TD1', 5),
    loop('LX', U, [
      s('LX', 1, 'M'), s('MAN'), s('PAL', U), s('N9', 5),
      loop('W07', 9999, [s('W07', 1, 'M'), s('G69', 5), s('N9', 200), s('W20', 2), loop('W13', 50, [s('W13', 1, 'M'), s('N9', 200)])])
    ], 'M'),
    s('W14', 1, 'M'), s('SE', 1, 'M')
  ],
  segments: { ...segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }), ...WAREHOUSE_SEGMENTS_5010 },
};
