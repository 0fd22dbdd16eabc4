/**
 * Segment definitions, directory D01B: the D96A definitions with the D01B changes that matter
 * for our messages (BGM C106 document identification replaces 1004; RFF 1154 an..70 and 1060;
 * NAD country sub-entity composite C819; FTX 4447 text formatting).
 */
import type { SegmentDef } from '../../grammar.ts';
import { c, codeList, e, seg } from './dsl.ts';
import { SEGMENTS_D96A } from './segments-d96a.ts';

const d96a = SEGMENTS_D96A;
const nad = d96a.NAD as SegmentDef;

export const SEGMENTS_D01B: Record<string, SegmentDef> = {
  ...d96a,
  BGM: seg('BGM', 'Beginning of message', [
    c('C002', 'Document/message name', false, [e('1001', 'Document name code', 'an', 3), ...codeList(), e('1000', 'Document name', 'an', 35)]),
    c('C106', 'Document/message identification', false, [e('1004', 'Document identifier', 'an', 35), e('1056', 'Version identifier', 'an', 9), e('1060', 'Revision identifier', 'an', 6)]),
    e('1225', 'Message function code', 'an', 3), e('4343', 'Response type code', 'an', 3)]),
  RFF: seg('RFF', 'Reference', [c('C506', 'Reference', true, [e('1153', 'Reference code qualifier', 'an', 3, true), e('1154', 'Reference identifier', 'an', 70),
    e('1156', 'Document line identifier', 'an', 6), e('4000', 'Reference version identifier', 'an', 35), e('1060', 'Revision identifier', 'an', 6)])]),
  NAD: seg('NAD', 'Name and address', [...nad.elements.slice(0, 6),
    c('C819', 'Country sub-entity details', false, [e('3229', 'Country sub-entity name code', 'an', 9), ...codeList(), e('3228', 'Country sub-entity name', 'an', 70)]),
    ...nad.elements.slice(7)]),
  FTX: seg('FTX', 'Free text', [...(d96a.FTX as SegmentDef).elements, e('4447', 'Free text format code', 'an', 3)]),
};
