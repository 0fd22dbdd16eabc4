/**
 * 214 Transportation Carrier Shipment Status Message, X12 004010. Segment order, loops, mandatory
 * segments and max use from bots-edi/bots-grammars x12/4010/214004010.py, checked against the
 * EdiFabric template (RichardFeich/EdiTemplateResolver) and freight-trust/libedi 00401 214.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_4010 } from './segments-warehouse.ts';

export function grammar214(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  return {
    standard: 'x12', message: '214', version, name: 'Transportation Carrier Shipment Status Message',
    children: [
      s('ST', 1, 'M'), s('B10', 1, 'M'), s('L11', 300), s('MAN', 9999), s('K1', 10),
      loop('N1', 10, [s('N1', 1, 'M'), s('N2'), s('N3', 2), s('N4'), s('G61'), s('G62'), s('L11', 10)]), s('MS3', 12),
      loop('LX', U, [
        s('LX', 1, 'M'), loop('AT7', 10, [s('AT7', 1, 'M'), s('MS1'), s('MS2')]), s('L11', 10), s('MAN', 9999), s('Q7', 10), s('K1', 10),
        s('AT5', 10), s('AT8', 10),
        loop('CD3', U, [
          s('CD3', 1, 'M'), s('L11', 20), loop('AT7', 10, [s('AT7', 1, 'M'), s('MS1'), s('MS2')]), s('NM1'), s('Q7', 10), s('AT8'),
          s('MAN', 9999), loop('N1', U, [s('N1', 1, 'M'), s('N2'), s('N3', 3), s('N4'), s('L11', 10)])
        ]),
        loop('PRF', U, [
          s('PRF', 1, 'M'), loop('N1', U, [s('N1', 1, 'M'), s('N2'), s('N3', 2), s('N4'), s('L11', 10)]),
          loop('CD3', U, [s('CD3', 1, 'M'), s('L11', 20), loop('AT7', 10, [s('AT7', 1, 'M'), s('MS1'), s('MS2')]), s('MAN', 9999)])
        ]),
        loop('SPO', U, [s('SPO', 1, 'M'), s('SDQ', 10)]), loop('EFI', U, [s('EFI', 1, 'M'), s('BIN', 1, 'M')])
      ]),
      s('SE', 1, 'M')
    ],
    segments,
  };
}

export const GRAMMAR_214_004010: MessageGrammar = grammar214('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010, ...WAREHOUSE_SEGMENTS_4010 });
