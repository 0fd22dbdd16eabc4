/** 810 Invoice, X12 004010 (IT1 detail loop, TDS summary). */
import type { LoopUse, MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';

export function grammar810(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  const n1 = (max: number): LoopUse => loop('N1', max, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 12), s('PER', 3), s('DMG')]);
  const it1: LoopUse = loop('IT1', 200000, [
    s('IT1'), s('CRC'), s('QTY', 5), s('CUR'), s('IT3', 5), s('TXI', 10), s('CTP', 25), s('PAM', 10), s('MEA', 40),
    loop('PID', 1000, [s('PID'), s('MEA', 10)]), s('PWK', 25), s('PKG', 25), s('PO4'), s('ITD', 2), s('REF', U), s('YNQ', 10), s('PER', 5),
    s('SDQ', 500), s('DTM', 10), s('CAD', U), s('L7', U), s('SR'), loop('SAC', 25, [s('SAC'), s('TXI', 10)]),
    loop('SLN', 1000, [s('SLN'), s('DTM'), s('REF', U), s('PID', 1000), s('SAC', 25), s('TC2', 2), s('TXI', 10)]),
    n1(200), loop('LM', 10, [s('LM'), s('LQ', 100)]), loop('V1', U, [s('V1'), s('DTM', U)]), loop('FA1', U, [s('FA1'), s('FA2', U)]),
  ]);
  return {
    standard: 'x12', message: '810', version, name: 'Invoice',
    children: [
      s('ST', 1, 'M'), s('BIG', 1, 'M'), s('NTE', 100), s('CUR'), s('REF', 12), s('YNQ', 10), s('PER', 3), n1(200), s('ITD', U), s('DTM', 10),
      s('FOB'), s('PID', 200), s('MEA', 40), s('PWK', 25), s('PKG', 25), s('L7'), s('BAL', U), s('INC'), s('PAM', U),
      loop('LM', 10, [s('LM'), s('LQ', 100)]), loop('N9', 1, [s('N9'), s('MSG', 10)]),
      it1, s('TDS', 1, 'M'), s('TXI', 10), s('CAD'), s('AMT', U), loop('SAC', 25, [s('SAC'), s('TXI', 10)]), loop('ISS', U, [s('ISS'), s('PID')]),
      s('CTT'), s('SE', 1, 'M'),
    ],
    segments,
  };
}

export const GRAMMAR_810_004010: MessageGrammar = grammar810('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010 });
