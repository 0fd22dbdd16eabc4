/**
 * CONTRL, the syntax and service report message of ISO 9735 (not in the UNTDID directories):
 * one table for CONTRL 2:2 and D:3 (syntax 1-3) and 4:1 (syntax 4), whose v4 elements are
 * appended conditional ones (checked against the BizTalk Edifact_ContrlSchema.xsd, MIT, which
 * describes the same union). Read so that an inbound CONTRL's elements are checked like any
 * message's; contrl-read.ts reads it segment by segment.
 */
import type { MessageGrammar, SegmentDef } from '../../grammar.ts';
import { C, M, c, e, g, s, seg } from './dsl.ts';
import { SERVICE_SEGMENTS } from './service-segments.ts';

const s011 = c('S011', 'Data element identification', false, [e('0098', 'Erroneous data element position in segment', 'n', 3, true),
  e('0104', 'Erroneous component data element position', 'n', 3), e('0136', 'Erroneous data element occurrence', 'n', 6)]);
const tail = [e('0085', 'Syntax error, coded', 'an', 3), e('0013', 'Service segment tag, coded', 'an', 3), s011,
  e('0534', 'Security reference number', 'an', 14), e('0138', 'Security segment position', 'n', 6)];

export const CONTRL_SEGMENTS: Record<string, SegmentDef> = {
  ...SERVICE_SEGMENTS,
  UCI: seg('UCI', 'Interchange response', [e('0020', 'Interchange control reference', 'an', 14, true),
    c('S002', 'Interchange sender', true, [e('0004', 'Interchange sender identification', 'an', 35, true), e('0007', 'Identification code qualifier', 'an', 4),
      e('0008', 'Interchange sender internal identification', 'an', 35), e('0042', 'Interchange sender internal sub-identification', 'an', 35)]),
    c('S003', 'Interchange recipient', true, [e('0010', 'Interchange recipient identification', 'an', 35, true), e('0007', 'Identification code qualifier', 'an', 4),
      e('0014', 'Interchange recipient internal identification', 'an', 35), e('0046', 'Interchange recipient internal sub-identification', 'an', 35)]),
    e('0083', 'Action, coded', 'an', 3, true), ...tail]),
  UCM: seg('UCM', 'Message response', [e('0062', 'Message reference number', 'an', 14),
    c('S009', 'Message identifier', false, [e('0065', 'Message type', 'an', 6, true), e('0052', 'Message version number', 'an', 3, true),
      e('0054', 'Message release number', 'an', 3, true), e('0051', 'Controlling agency, coded', 'an', 3, true), e('0057', 'Association assigned code', 'an', 6),
      e('0110', 'Code list directory version number', 'an', 6), e('0113', 'Message type sub-function identification', 'an', 6)]),
    e('0083', 'Action, coded', 'an', 3, true), e('0085', 'Syntax error, coded', 'an', 3), e('0013', 'Service segment tag, coded', 'an', 3), s011,
    e('0800', 'Package reference number', 'an', 35),
    c('S020', 'Reference identification', false, [e('0813', 'Reference qualifier', 'an', 3, true), e('0802', 'Reference identification number', 'an', 35)]),
    e('0534', 'Security reference number', 'an', 14), e('0138', 'Security segment position', 'n', 6)]),
  UCF: seg('UCF', 'Group response', [e('0048', 'Group reference number', 'an', 14, true),
    c('S006', 'Application sender identification', false, [e('0040', 'Application sender identification', 'an', 35, true), e('0007', 'Identification code qualifier', 'an', 4)]),
    c('S007', 'Application recipient identification', false, [e('0044', 'Application recipient identification', 'an', 35, true), e('0007', 'Identification code qualifier', 'an', 4)]),
    e('0083', 'Action, coded', 'an', 3, true), ...tail]),
  UCS: seg('UCS', 'Segment error indication', [e('0096', 'Segment position in message body', 'n', 6, true), e('0085', 'Syntax error, coded', 'an', 3)]),
  UCD: seg('UCD', 'Data element error indication', [e('0085', 'Syntax error, coded', 'an', 3, true),
    c('S011', 'Data element identification', true, [e('0098', 'Erroneous data element position in segment', 'n', 3, true),
      e('0104', 'Erroneous component data element position', 'n', 3), e('0136', 'Erroneous data element occurrence', 'n', 6)])]),
};

const ucmGroup = (id: string, detail: string) => g(id, C, 999999, [s('UCM', M, 1), g(detail, C, 999, [s('UCS', M, 1), s('UCD', C, 99)])]);

/** CONTRL for the versions UNH S009 names it with: 2:2, D:3 (syntax 1-3), 4:1 (syntax 4) */
export function contrlGrammars(): MessageGrammar[] {
  const children = [s('UNH', M, 1), s('UCI', M, 1), ucmGroup('SG1', 'SG2'),
    g('SG3', C, 999999, [s('UCF', M, 1), ucmGroup('SG4', 'SG5')]), s('UNT', M, 1)];
  return ['22', 'D3', '41'].map((version) => ({ standard: 'edifact', message: 'CONTRL', version, name: 'Syntax and service report message', children, segments: CONTRL_SEGMENTS }));
}
