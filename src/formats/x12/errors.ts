/**
 * X12 validation findings. Each finding is a plain record (serialisable, cheap to create on a
 * hot path) that carries the X12 code a 997/999/TA1 reports and where it was found; `toGatewayError`
 * turns one into the project's GatewayError when a stage needs to throw or store it.
 *
 * `level` says which acknowledgement level the finding belongs to:
 * - 'interchange': TA1 note code (I18, TA105) in `code`
 * - 'group': AK9/IK9 functional group syntax error code (AK905..AK909) in `code`
 * - 'transaction': AK5/IK5 transaction set syntax error code (AK502..) in `code`
 * - 'segment': AK3/IK3 segment syntax error code (AK304/IK304) in `code`
 * - 'element': AK4/IK4 data element syntax error code (AK403/IK403) in `code`, with
 *   `segmentCode` '8' implied on its AK3
 */
import { GatewayError } from '../../core/errors.ts';

export type X12ErrorLevel = 'interchange' | 'group' | 'transaction' | 'segment' | 'element';

/** AK404/IK404 (copy of bad data element) holds at most 99 characters: `found` keeps no more */
export const MAX_FOUND = 99;
export const cutFound = (v: string): string => (v.length <= MAX_FOUND ? v : v.slice(0, MAX_FOUND));

/**
 * A partner's value quoted in a message: a long one is cut and its length given (an element of
 * 100,000 nines would otherwise fill every log line, exception and 999 text with it).
 */
export function shown(v: string): string {
  return v.length <= 64 ? `'${v}'` : `'${v.slice(0, 40)}...${v.slice(-8)}' (${v.length} characters)`;
}

export interface X12Error {
  /** stable gateway code, e.g. 'x12_segment_count_mismatch' */
  error: string;
  level: X12ErrorLevel;
  /** the standard's code for this level (TA105, AK905, AK502, AK304, AK403) */
  code: string;
  message: string;
  interchangeControlNumber?: string;
  groupControlNumber?: string;
  transactionControlNumber?: string;
  /** segment tag and 1-based position in the transaction set (ST = 1) */
  segment?: string;
  segmentPosition?: number;
  /** loop id the segment was in (AK303/IK303), when known */
  loopId?: string;
  /** 1-based element position, optional component position, and the element's reference number (AK404) */
  elementPosition?: number;
  componentPosition?: number;
  repetitionPosition?: number;
  elementReference?: string;
  /** the bad value (AK404 copy of bad data element) */
  found?: string;
  expected?: string;
  /** 1-based ordinal of the segment in the whole input (for errors outside a transaction set) */
  fileSegment?: number;
  /** 'warning': read on and reported to the operator; rejects nothing and needs no TA1 */
  severity?: 'warning';
}

/** TA1 note codes (I18) used by the reader. */
export const TA1 = {
  noError: '000',
  controlNumberMismatch: '001',
  standardNotSupported: '002',
  versionNotSupported: '003',
  segmentTerminatorInvalid: '004',
  invalidSenderQualifier: '005',
  invalidSenderId: '006',
  invalidReceiverQualifier: '007',
  invalidReceiverId: '008',
  invalidAuthQualifier: '010',
  invalidAuthValue: '011',
  invalidSecurityQualifier: '012',
  invalidSecurityValue: '013',
  invalidDate: '014',
  invalidTime: '015',
  invalidStandardsId: '016',
  invalidVersion: '017',
  invalidControlNumber: '018',
  invalidAckRequested: '019',
  invalidTestIndicator: '020',
  invalidGroupCount: '021',
  invalidControlStructure: '022',
  prematureEndOfFile: '023',
  invalidContent: '024',
  duplicateControlNumber: '025',
  invalidElementSeparator: '026',
  invalidComponentSeparator: '027',
} as const;

/** AK9/IK9 functional group syntax error codes (716). */
export const GROUP = {
  notSupported: '1',
  versionNotSupported: '2',
  trailerMissing: '3',
  controlNumberMismatch: '4',
  countMismatch: '5',
  controlNumberSyntax: '6',
  controlNumberNotUnique: '19',
} as const;

/** AK5/IK5 transaction set syntax error codes (718). */
export const SET = {
  notSupported: '1',
  trailerMissing: '2',
  controlNumberMismatch: '3',
  countMismatch: '4',
  segmentsInError: '5',
  invalidIdentifier: '6',
  invalidControlNumber: '7',
  notInGroup: '18',
  invalidImplementationReference: '19',
  controlNumberNotUnique: '23',
} as const;

/** AK304/IK304 segment syntax error codes (720). */
export const SEG = {
  unrecognized: '1',
  unexpected: '2',
  mandatoryMissing: '3',
  loopOverMax: '4',
  segmentOverMax: '5',
  notInSet: '6',
  outOfSequence: '7',
  elementErrors: '8',
} as const;

/** AK403/IK403 data element syntax error codes (723). */
export const ELEM = {
  mandatoryMissing: '1',
  conditionalMissing: '2',
  tooMany: '3',
  tooShort: '4',
  tooLong: '5',
  invalidCharacter: '6',
  invalidCode: '7',
  invalidDate: '8',
  invalidTime: '9',
  exclusionViolated: '10',
  tooManyRepetitions: '12',
  tooManyComponents: '13',
} as const;

export function toGatewayError(e: X12Error, partnerId?: string): GatewayError {
  const { error, message, code, level, ...rest } = e;
  return new GatewayError(error, message, {
    ...rest,
    ...(partnerId !== undefined ? { partnerId } : {}),
    standardCode: code,
    level,
  });
}

/** True when a finding makes its transaction set rejected (everything except warnings is fatal here). */
export function isFatal(e: X12Error): boolean {
  return e.severity !== 'warning' && (e.level !== 'interchange' || e.code !== TA1.noError);
}
