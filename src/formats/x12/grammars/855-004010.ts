/** 855 Purchase Order Acknowledgment, X12 004010. */
import type { LoopUse, MessageGrammar, SegmentUse } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { CTT_LOOP, N1_LOOP_HEADER } from './850-004010.ts';

const carrier = [s('TD1', 2), s('TD5', 12), s('TD3', 12), s('TD4', 5)];

export function grammar855(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  const po1: LoopUse = loop('PO1', 100000, [
    s('PO1', 1, 'M'), s('LIN', U), s('SI', U), s('CUR'), s('CN1'), s('PO3', 25), loop('CTP', U, [s('CTP'), s('CUR')]), s('PAM', 10), s('MEA', 40),
    loop('PID', 1000, [s('PID'), s('MEA', 10)]), s('PWK', 25), s('PO4', U), s('REF', U), s('PER', 3), loop('SAC', 25, [s('SAC'), s('CUR'), s('CTP')]),
    loop('IT8', U, [s('IT8'), s('CUR')]), s('CSH', U), s('ITD', 2), s('DIS', 20), s('INC'), s('TAX', U), s('FOB', U), s('SDQ', 500), s('IT3', 5),
    s('DTM', 10), s('TC2', U), ...carrier, s('PCT', U), s('MAN', 10), s('MSG', 12), s('SPI', U), s('TXI', U), s('CTB', U),
    loop('QTY', U, [s('QTY'), s('SI', U)]), loop('ACK', 104, [s('ACK'), s('DTM', 10)]), loop('SCH', 104, [s('SCH'), ...carrier, s('REF')]),
    s('PKG', 200), loop('LS', 1, [s('LS')]), loop('N9', 1000, [s('N9'), s('DTM', U), s('MEA', 40), s('MSG', 1000)]),
    loop('N1', 200, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('QTY', U), s('NX2', U), s('REF', 12), s('PER', 3), s('SI', U), s('DTM'), s('FOB'),
      s('SCH', 200), ...carrier, s('PKG', 200)]),
    loop('SLN', 1000, [s('SLN'), s('MSG', 100), s('SI', U), s('PID', 1000), s('PO3', 104), s('ADV', U), s('DTM', 10), s('CTP', 25), s('PAM', 10),
      s('PO4'), s('TAX', 3), loop('N9', U, [s('N9'), s('DTM', U), s('MSG', 10)]), loop('SAC', 25, [s('SAC'), s('CUR'), s('CTP')]),
      loop('QTY', U, [s('QTY'), s('SI', U)]), loop('ACK', 104, [s('ACK'), s('DTM', 10)]), loop('SCH', 104, [s('SCH'), ...carrier, s('REF')]),
      loop('N1', 10, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('NX2', U), s('REF', 12), s('PER', 3), s('SI', U)])]),
    s('LE'),
  ]);
  const children: Array<SegmentUse | LoopUse> = [
    s('ST', 1, 'M'), s('BAK', 1, 'M'), s('CUR'), s('REF', U), s('PER', 3), s('TAX', U), s('FOB', U), s('CTP', U), s('PAM', 10), s('CSH', 5),
    loop('SAC', 25, [s('SAC'), s('CUR')]), s('ITD', U), s('DIS', 20), s('INC'), s('DTM', 10), s('LDT', 12), s('LIN', 5), s('SI', U), s('PID', 200),
    s('MEA', 40), s('PWK', 25), s('PKG', 200), ...carrier, s('MAN', 10), s('TXI', U), s('CTB', 5),
    loop('N9', 1000, [s('N9'), s('DTM', 10), s('MSG', 1000)]), N1_LOOP_HEADER, loop('ADV', U, [s('ADV'), s('DTM', U), s('MTX', U)]),
    po1, CTT_LOOP, s('SE', 1, 'M'),
  ];
  return { standard: 'x12', message: '855', version, name: 'Purchase Order Acknowledgment', children, segments };
}

export const GRAMMAR_855_004010: MessageGrammar = grammar855('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010 });
