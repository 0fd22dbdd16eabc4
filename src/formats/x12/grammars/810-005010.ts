/** 810 Invoice, X12 005010. */
import type { MessageGrammar } from '../../grammar.ts';
import { grammar810 } from './810-004010.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';

export const GRAMMAR_810_005010: MessageGrammar = grammar810('005010', segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }));
