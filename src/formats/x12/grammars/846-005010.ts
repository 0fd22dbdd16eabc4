/** 846 Inventory Inquiry/Advice, X12 005010: the 004010 table (bots-edi/bots-grammars x12/5010/846005010.py is the same), 005010 segments. */
import type { MessageGrammar } from '../../grammar.ts';
import { grammar846 } from './846-004010.ts';
import { COMMON_4010, segments5010 } from './segments-common.ts';
import { SET_SEGMENTS_4010 } from './segments-sets.ts';
import { WAREHOUSE_SEGMENTS_5010 } from './segments-warehouse.ts';

export const GRAMMAR_846_005010: MessageGrammar = grammar846('005010', { ...segments5010({ ...COMMON_4010, ...SET_SEGMENTS_4010 }), ...WAREHOUSE_SEGMENTS_5010 });
