/**
 * 856 Ship Notice/Manifest, X12 004010. Every HL level uses the one HL loop below; the reader
 * then nests HL loops by HL01/HL02 (parent id), not by position (see hierarchy.ts).
 */
import type { LoopUse, MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { COMMON_4010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';

export function grammar856(version: string, segments: MessageGrammar['segments']): MessageGrammar {
  const hl: LoopUse = loop('HL', 200000, [
    s('HL', 1, 'M'), s('LIN'), s('SN1'), s('SLN', 1000), s('PRF'), s('PO4'), s('PID', 200), s('MEA', 40), s('PWK', 25), s('PKG', 25), s('TD1', 20),
    s('TD5', 12), s('TD3', 12), s('TD4', 5), s('TSD'), s('REF', U), s('PER', 3),
    loop('LH1', 100, [s('LH1'), s('LH2', 4), s('LH3', 10), s('LFH', 20), s('LEP', 3), s('LH4'), s('LHT', 3), s('LHR', 10), s('PER', 5), s('LHE')]),
    loop('CLD', 200, [s('CLD'), s('REF', 200), s('DTP')]), s('MAN', U), s('DTM', 10), s('FOB'), s('PAL'),
    loop('N1', 200, [s('N1'), s('N2', 2), s('N3', 2), s('N4'), s('REF', 12), s('PER', 3), s('FOB')]), s('SDQ', 50), s('ETD'), s('CUR'),
    loop('SAC', U, [s('SAC'), s('CUR')]), s('GF'), s('YNQ', 10), loop('LM', 10, [s('LM'), s('LQ', 100)]),
    loop('V1', U, [s('V1'), s('R4', U), s('DTM', U)]),
  ], 'M');
  return {
    standard: 'x12', message: '856', version, name: 'Ship Notice/Manifest',
    children: [s('ST', 1, 'M'), s('BSN', 1, 'M'), s('DTM', 10), hl, s('CTT'), s('SE', 1, 'M')],
    segments,
  };
}

export const GRAMMAR_856_004010: MessageGrammar = grammar856('004010', { ...COMMON_4010, ...SET_SEGMENTS_4010 });
