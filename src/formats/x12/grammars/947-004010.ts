/**
 * 947 Warehouse Inventory Adjustment Advice, X12 004010. Segment order, loops, mandatory segments and
 * max use from bots-edi/bots-grammars x12/4010/947004010.py, checked against the EdiFabric template
 * (RichardFeich/EdiTemplateResolver) and freight-trust/libedi 00401 947.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_4010 } from './segments-warehouse.ts';

export function grammar947(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  return {
    standard: 'x12', message: '947', version, name: 'Warehouse Inventory Adjustment Advice',
    children: [
      s('ST', 1, 'M'), s('W15', 1, 'M'), loop('N1', 100, [s('N1', 1, 'M'), s('N2'), s('N3'), s('N4'), s('PER', 5)], 'M'), s('N9', 10),
      s('G61', 3), s('G62', 5), s('NTE', 20), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
      loop('W19', U, [
        s('W19', 1, 'M'), s('G69', 5), s('N9', 10), s('CS'), s('AMT'), s('G62', 10), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
        loop('N1', 50, [s('N1', 1, 'M'), s('N2', 2), s('N3', 2), s('N4'), s('G61', 5)]),
        loop('LX', U, [s('LX', 1, 'M'), s('N9', U), s('G62'), s('N1'), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')])]),
        loop('FA1', U, [s('FA1', 1, 'M'), s('FA2', U, 'M')])
      ], 'M'),
      s('SE', 1, 'M')
    ],
    segments,
  };
}

export const GRAMMAR_947_004010: MessageGrammar = grammar947('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010, ...WAREHOUSE_SEGMENTS_4010 });
