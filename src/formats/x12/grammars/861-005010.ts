/**
 * 861 Receiving Advice/Acceptance Certificate, X12 005010 (its table differs from 004010's). Segment
 * order, loops, mandatory segments and max use from bots-edi/bots-grammars x12/5010/861005010.py,
 * checked against the EdiFabric template (RichardFeich/EdiTemplateResolver) and freight-trust/libedi
 * 00501 861.
 */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_5010 } from './segments-warehouse.ts';

export const GRAMMAR_861_005010: MessageGrammar = {
  standard: 'x12', message: '861', version: '005010', name: 'Receiving Advice/Acceptance Certificate',
  children: [
    s('ST', 1, 'M'), s('BRA', 1, 'M'), s('CUR'), s('REF', U), s('PER', 3), s('DTM', 10, 'M'), s('PRF', 25), s('TD1', 2), s('TD5', 12),
    s('TD3', 12), s('TD4', 5), s('MEA', 40),
    loop('N1', 200, [s('N1', 1, 'M'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 100), s('PER', 3), s('FOB')]),
    loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]), loop('FA1', U, [s('FA1', 1, 'M'), s('FA2', U, 'M')]),
    loop('RCD', U, [
      s('RCD', 1, 'M'), s('SN1'), s('CUR'), s('LIN', 100), s('PID', 1000), s('PO4', 100), s('REF', 12), s('PER', 3), s('DTM', 10),
      s('PRF', 25), s('MEA', U), s('FOB'), s('TD1', 20), s('TD5', 12), s('TD3', 12), s('TD4', 5), s('SAC', 10), s('MAN', U),
      loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')]),
      loop('SLN', 100, [s('SLN', 1, 'M'), s('PID', 1000), s('NM1'), loop('LM', 10, [s('LM', 1, 'M'), s('LQ', 100, 'M')])]),
      loop('N1', 200, [s('N1', 1, 'M'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 100), s('PER', 3), s('FOB')]),
      loop('FA1', U, [s('FA1', 1, 'M'), s('FA2', U, 'M')])
    ]),
    s('CTT'), s('SE', 1, 'M')
  ],
  segments: { ...segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }), ...WAREHOUSE_SEGMENTS_5010 },
};
