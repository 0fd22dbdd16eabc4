/**
 * 850 Purchase Order, X12 004010 (table 1 heading, table 2 PO1 detail, table 3 summary). Loop
 * contents as published for 004010 (SPI loop: SPI, REF, DTM, MSG, N1 loop with G61, CB1 loop).
 */
import type { LoopUse, MessageGrammar, SegmentUse } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';

const carrier = [s('TD1', 2), s('TD5', 12), s('TD3', 12), s('TD4', 5)];

export const N1_LOOP_HEADER: LoopUse = loop('N1', 200, [s('N1'), s('N2', 2), s('N3', 2), s('N4', U), s('NX2', U), s('REF', 12), s('PER', U),
  s('SI', U), s('FOB'), ...carrier, s('PKG', 200)]);

/**
 * The PO1 loop; `text` is the free-form message segment of the set's version: MSG in 004010, MTX
 * from 005010 (where the N9 loops also carry PWK and EFI).
 */
function po1Loop(text: 'MSG' | 'MTX'): LoopUse {
  const n9Extra = text === 'MTX' ? [s('PWK', U), s('EFI', U)] : [];
  return loop('PO1', 100000, [
  s('PO1', 1, 'M'), s('LIN', U), s('SI', U), s('CUR'), s('CN1'), s('PO3', 25), loop('CTP', U, [s('CTP'), s('CUR')]), s('PAM', 10), s('MEA', 40),
  loop('PID', 1000, [s('PID'), s('MEA', 10)]), s('PWK', 25), s('PO4', U), s('REF', U), s('PER', 3), loop('SAC', 25, [s('SAC'), s('CUR'), s('CTP')]),
  loop('IT8', U, [s('IT8'), s('CUR')]), s('CSH', U), s('ITD', 2), s('DIS', 20), s('INC'), s('TAX', U), s('FOB', U), s('SDQ', 500), s('IT3', 5),
  s('DTM', 10), s('TC2', U), ...carrier, s('PCT', U), s('MAN', 10), s(text, text === 'MSG' ? 12 : U), s('SPI', U), s('TXI', U), s('CTB', U),
  loop('QTY', U, [s('QTY'), s('SI', U)]), loop('SCH', 200, [s('SCH'), ...carrier, s('REF')]), s('PKG', 200), loop('LS', 1, [s('LS')]),
  loop('N9', 1000, [s('N9'), s('DTM', U), s('MEA', 40), s(text, text === 'MSG' ? 1000 : U), ...n9Extra]),
  loop('N1', 200, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('QTY', U), s('NX2', U), s('REF', 12), s('PER', 3), s('SI', U), s('DTM'), s('FOB'),
    s('SCH', 200), ...carrier, s('PKG', 200)]),
  loop('SLN', 1000, [s('SLN'), s(text, text === 'MSG' ? 100 : U), s('SI', U), s('PID', 1000), s('PO3', 104), s('TC2', U), s('ADV', U), s('DTM', 10), s('CTP', 25), s('PAM', 10),
    s('PO4'), s('TAX', 3), loop('N9', U, [s('N9'), s('DTM', U), s(text, text === 'MSG' ? 10 : U)]), loop('SAC', 25, [s('SAC'), s('CUR'), s('CTP')]),
    loop('QTY', U, [s('QTY'), s('SI', U)]), loop('N1', 10, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('NX2', U), s('REF', 12), s('PER', 3), s('SI', U)])]),
  loop('AMT', U, [s('AMT'), s('REF'), s('PCT', U)]), loop('LM', U, [s('LM'), s('LQ', U)]), s('LE'),
], 'M');
}

export const PO1_LOOP: LoopUse = po1Loop('MSG');

/** Heading SPI loop (specification identifier), 004010 and 005010 alike but for the message segment. */
function spiLoop(text: 'MSG' | 'MTX'): LoopUse {
  const t = (max: number) => s(text, text === 'MSG' ? max : U);
  return loop('SPI', U, [s('SPI'), s('REF', 5), s('DTM', 5), t(50),
    loop('N1', 20, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 20), s('G61'), t(50)]),
    loop('CB1', U, [s('CB1'), s('REF', 20), s('DTM', 5), s('LDT'), t(50)])]);
}

export const CTT_LOOP: LoopUse = loop('CTT', 1, [s('CTT'), s('AMT')]);

export function grammar850(version: string, segments: MessageGrammar['segments'], text: 'MSG' | 'MTX' = 'MSG'): MessageGrammar {
  const n9 = text === 'MSG' ? loop('N9', 1000, [s('N9'), s('DTM', 10), s('MSG', 1000)]) : loop('N9', 1000, [s('N9'), s('DTM', U), s('MTX', U), s('PWK', U), s('EFI', U)]);
  const children: Array<SegmentUse | LoopUse> = [
    s('ST', 1, 'M'), s('BEG', 1, 'M'), s('CUR'), s('REF', U), s('PER', 3), s('TAX', U), s('FOB', U), s('CTP', U), s('PAM', 10), s('CSH', 5), s('TC2', U),
    loop('SAC', 25, [s('SAC'), s('CUR')]), s('ITD', U), s('DIS', 20), s('INC'), s('DTM', 10), s('LDT', 12), s('LIN', 5), s('SI', U), s('PID', 200),
    s('MEA', 40), s('PWK', 25), s('PKG', 200), ...carrier, s('MAN', 10), s('PCT', U), s('CTB', 5), s('TXI', U),
    loop('AMT', U, [s('AMT'), s('REF', U), s('DTM'), s('PCT', U), loop('FA1', U, [s('FA1'), s('FA2', U)])]),
    n9, N1_LOOP_HEADER, loop('LM', U, [s('LM'), s('LQ', U)]), spiLoop(text),
    loop('ADV', U, [s('ADV'), s('DTM', U), s('MTX', U)]),
    text === 'MSG' ? PO1_LOOP : po1Loop(text), CTT_LOOP, s('SE', 1, 'M'),
  ];
  return { standard: 'x12', message: '850', version, name: 'Purchase Order', children, segments };
}

export const GRAMMAR_850_004010: MessageGrammar = grammar850('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010 });
