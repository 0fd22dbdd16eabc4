/**
 * 214 Transportation Carrier Shipment Status Message, X12 005010 (its table differs from 004010's).
 * Segment order, loops, mandatory segments and max use from bots-edi/bots-grammars
 * x12/5010/214005010.py, checked against the EdiFabric template (RichardFeich/EdiTemplateResolver) and
 * freight-trust/libedi 00501 214.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_5010 } from './segments-warehouse.ts';

export const GRAMMAR_214_005010: MessageGrammar = {
  standard: 'x12', message: '214', version: '005010', name: 'Transportation Carrier Shipment Status Message',
  children: [
    s('ST', 1, 'M'), s('B10', 1, 'M'), s('MS3', 12),
    loop('LX', U, [
      s('LX', 1, 'M'), s('L11', 999), s('MAN', 9999), s('Q7', 10), s('K1', 10), s('AT5', 10), s('AT8', 10),
      loop('AT7', 10, [s('AT7', 1, 'M'), s('MS1'), s('MS2', 2), s('K1'), s('M7')], 'M'),
      loop('N1', 5, [s('N1', 1, 'M'), s('N2'), s('N3', 2), s('N4'), s('G62'), s('L11', 10)]),
      loop('OID', U, [s('OID', 1, 'M'), s('SDQ', 10)])
    ], 'M'),
    s('SE', 1, 'M')
  ],
  segments: { ...segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }), ...WAREHOUSE_SEGMENTS_5010 },
};
