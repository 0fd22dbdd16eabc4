/**
 * Service segments of a message (ISO 9735 syntax, not in the UNTDID segment directories): UNH
 * header, UNT trailer, UNS section control. The same in every directory.
 */
import type { SegmentDef } from '../../grammar.ts';
import { c, e, fixed, seg } from './dsl.ts';

export const SERVICE_SEGMENTS: Record<string, SegmentDef> = {
  UNH: seg('UNH', 'Message header', [
    e('0062', 'Message reference number', 'an', 14, true),
    c('S009', 'Message identifier', true, [e('0065', 'Message type identifier', 'an', 6, true), e('0052', 'Message type version number', 'an', 3, true),
      e('0054', 'Message type release number', 'an', 3, true), e('0051', 'Controlling agency', 'an', 2, true), e('0057', 'Association assigned code', 'an', 6)]),
    e('0068', 'Common access reference', 'an', 35),
    c('S010', 'Status of the transfer', false, [e('0070', 'Sequence message transfer number', 'n', 2, true), fixed('0073', 'First/last sequence message transfer indication', 'a', 1)]),
  ]),
  UNT: seg('UNT', 'Message trailer', [e('0074', 'Number of segments in the message', 'n', 6, true), e('0062', 'Message reference number', 'an', 14, true)]),
  UNS: seg('UNS', 'Section control', [fixed('0081', 'Section identification', 'a', 1, true, ['D', 'S'])]),
};
