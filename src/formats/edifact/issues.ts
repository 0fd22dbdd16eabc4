/**
 * EDIFACT syntax issues: GatewayErrors with a stable code, the ISO 9735 syntax error code
 * (data element 0085, as reported in CONTRL UCI/UCF/UCM/UCS/UCD) and where it happened.
 */
import { GatewayError, type ErrorDetail } from '../../core/errors.ts';

/** ISO 9735 data element 0085 "Syntax error, coded" values used here. */
export const SYNTAX_ERROR = {
  syntaxVersionNotSupported: '2',
  invalidValue: '12',
  missing: '13',
  valueNotSupportedInPosition: '14',
  notSupportedInPosition: '15',
  tooManyConstituents: '16',
  unspecified: '18',
  invalidDecimalNotation: '19',
  invalidCharacters: '21',
  referencesDoNotMatch: '28',
  controlCountMismatch: '29',
  groupsAndMessagesMixed: '30',
  invalidOccurrenceOutsideMessage: '33',
  tooManySegmentRepetitions: '35',
  tooManyGroupRepetitions: '36',
  invalidTypeOfCharacters: '37',
  elementTooLong: '39',
  elementTooShort: '40',
  characterSetNotSupported: '46',
} as const;

/** Where an issue applies, which decides the CONTRL segment that reports it. */
export type IssueLevel = 'interchange' | 'group' | 'message' | 'segment' | 'element';

export interface IssueDetail extends ErrorDetail {
  level: IssueLevel;
  /** 'error' rejects the level in CONTRL; 'warning' is reported to operators only */
  severity: 'error' | 'warning';
  standardCode?: string;
  /** service segment tag a UCI/UCF/UCM error refers to (0013) */
  serviceSegment?: string;
}

export function issue(code: string, message: string, detail: IssueDetail): GatewayError {
  return new GatewayError(code, message, detail);
}

export function issueDetail(e: GatewayError): IssueDetail {
  return e.detail as IssueDetail;
}

export function isBlocking(e: GatewayError): boolean {
  return (e.detail as Partial<IssueDetail>).severity !== 'warning';
}
