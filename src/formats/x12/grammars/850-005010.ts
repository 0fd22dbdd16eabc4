/**
 * 850 Purchase Order, X12 005010: the 004010 loop structure with MTX (text) where 004010 has MSG
 * (N9, SPI, SLN loops; the N9 loops also carry PWK and EFI), 005010 segment lengths (REF02 50, PER04 256, ST03).
 */
import type { MessageGrammar } from '../../grammar.ts';
import { grammar850 } from './850-004010.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';

export const GRAMMAR_850_005010: MessageGrammar = grammar850('005010', segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }), 'MTX');
