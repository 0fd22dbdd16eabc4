/**
 * TA1 Interchange Acknowledgment: built for a received interchange (when ISA14 = 1 or the
 * interchange has findings), and parsed from an inbound one. TA104: A when there is no
 * interchange finding, R otherwise; TA105: the first finding's note code (I18), 000 when none.
 */
import type { Element, Segment } from '../wire.ts';
import { TA1 as NOTE, type X12Error } from './errors.ts';
import type { InterchangeHeader } from './types.ts';

export function needsTa1(interchange: Pick<InterchangeHeader, 'ackRequested'>, errors: X12Error[]): boolean {
  return interchange.ackRequested === '1' || errors.some((e) => e.level === 'interchange' && e.severity !== 'warning');
}

/**
 * TA104 (I17): A no errors; R the header/trailer rejected: the interchange was not processed (the
 * sender resends); E accepted with errors noted, "the sender must not resend": `processed` says its
 * sets were read and answered (a trailer finding such as IEA01/IEA02 comes after them).
 */
export function buildTa1(interchange: Pick<InterchangeHeader, 'controlNumber' | 'date' | 'time'>, errors: X12Error[], processed = false): Segment {
  const first = errors.find((e) => e.level === 'interchange' && e.severity !== 'warning' && e.code !== NOTE.noError);
  return { tag: 'TA1', elements: [interchange.controlNumber, interchange.date, interchange.time, first ? (processed ? 'E' : 'R') : 'A', first ? first.code : NOTE.noError], position: 0 };
}

export interface Ta1Result {
  interchangeControlNumber: string;
  date: string;
  time: string;
  status: 'accepted' | 'accepted_with_errors' | 'rejected';
  ackCode: string;
  noteCode: string;
}

const s = (e: Element | undefined): string => (e === undefined ? '' : typeof e === 'string' ? e : e.join(''));

export function parseTa1(seg: Segment): Ta1Result {
  const ack = s(seg.elements[3]);
  return {
    interchangeControlNumber: s(seg.elements[0]), date: s(seg.elements[1]), time: s(seg.elements[2]),
    status: ack === 'A' ? 'accepted' : ack === 'E' ? 'accepted_with_errors' : 'rejected', ackCode: ack, noteCode: s(seg.elements[4]),
  };
}
