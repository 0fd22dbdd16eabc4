/**
 * 944 Warehouse Stock Transfer Receipt Advice, X12 004010. Segment order, loops, mandatory segments
 * and max use from bots-edi/bots-grammars x12/4010/944004010.py, checked against the EdiFabric
 * template (RichardFeich/EdiTemplateResolver) and freight-trust/libedi 00401 944.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_4010 } from './segments-warehouse.ts';

export function grammar944(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  return {
    standard: 'x12', message: '944', version, name: 'Warehouse Stock Transfer Receipt Advice',
    children: [
      s('ST', 1, 'M'), s('W17', 1, 'M'), loop('N1', 10, [s('N1', 1, 'M'), s('N2'), s('N3', 2), s('N4'), s('PER', 5)], 'M'), s('N9', 10),
      s('G61', 3), s('G62', 5), s('NTE', 20), s('W08'), s('W18', 10), s('G08', 2),
      loop('W07', 9999, [s('W07', 1, 'M'), s('G69', 5), s('N9', 200), s('W20', 2), loop('W13', 50, [s('W13', 1, 'M'), s('N9', 200)])], 'M'),
      s('W14', 1, 'M'), s('SE', 1, 'M')
    ],
    segments,
  };
}

export const GRAMMAR_944_004010: MessageGrammar = grammar944('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010, ...WAREHOUSE_SEGMENTS_4010 });
