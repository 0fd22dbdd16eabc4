/**
 * Our functional acks explained in words for the partner: per rejected (or accepted with errors)
 * transaction set, each segment and element the 997/999 names, e.g. "transaction set 856 0001
 * rejected: segment TD5 at position 12, element 3 must be at most 4 characters". The 997/999 is read
 * with the X12 reader and parseAck (src/formats/x12/ack-parse.ts); the exception the gateway
 * recorded for the same segment and element, when there is one, says exactly what was expected
 * (AK4 carries only a code). A CONTRL or TA1 is said by read-acks.ts's summary.
 */
import { createX12Reader, parseAck } from '../formats/x12/index.ts';
import { readAcknowledgements } from '../pipeline/inbound/read-acks.ts';

/** X12 720: AK3/IK3 segment syntax error codes */
const SEGMENT_CODES: Record<string, string> = {
  '1': 'is not a recognized segment', '2': 'was not expected there', '3': 'is mandatory and missing', '4': 'loop occurs more often than allowed',
  '5': 'occurs more often than allowed', '6': 'is not in the transaction set', '7': 'is out of sequence', '8': 'has data element errors',
};
/** X12 723: AK4/IK4 data element syntax error codes */
const ELEMENT_CODES: Record<string, string> = {
  '1': 'is mandatory and missing', '2': 'is required (conditionally) and missing', '3': 'is one element too many', '4': 'is too short',
  '5': 'is too long', '6': 'has an invalid character', '7': 'is not a valid code', '8': 'is not a valid date', '9': 'is not a valid time',
  '10': 'violates an exclusion condition', '12': 'repeats too often', '13': 'has too many components',
};

/** what the gateway recorded about the partner's message (its exceptions' details) */
export interface FindingDetail { segment?: unknown; elementPosition?: unknown; expected?: unknown; found?: unknown; message?: string }

function precise(code: string, f: FindingDetail | undefined): string | undefined {
  const expected = typeof f?.expected === 'string' ? f.expected : undefined;
  if (!expected) return undefined;
  const range = /^(\d+)\.\.(\d*)$/.exec(expected);
  if (code === '5' && range?.[2]) return `must be at most ${range[2]} characters`;
  if (code === '4' && range?.[1]) return `must be at least ${range[1]} characters`;
  if (code === '7') return `must be one of ${expected.split('|').join(', ')}`;
  if (code === '8') return `must be a date ${expected}`;
  if (code === '9') return `must be a time ${expected}`;
  if (code === '6' && (expected === 'R' || /^N\d$/.test(expected))) return 'must be a number';
  return undefined;
}

/** sentences explaining one of our acks (its raw bytes); `findings` are the exceptions of the message it answers */
export function explainAck(bytes: Uint8Array, findings: FindingDetail[] = []): string[] {
  const head = Buffer.from(bytes.subarray(0, 3)).toString('latin1');
  if (head !== 'ISA') {
    return readAcknowledgements('edifact', bytes).map((a) => a.summary);
  }
  const out: string[] = [];
  const reader = createX12Reader();
  for (const item of [...reader.push(bytes), ...reader.end()]) {
    if (item.kind !== 'transaction' || (item.transaction.id !== '997' && item.transaction.id !== '999')) continue;
    const a = parseAck(item.tree);
    for (const set of a.sets) {
      const status = set.status.replace(/_/g, ' ');
      if (set.errors.length === 0) {
        out.push(`transaction set ${set.id} ${set.controlNumber} ${status}${set.status === 'accepted' ? '' : set.codes.length ? ` (code ${set.codes.join(', ')})` : ''}`);
        continue;
      }
      const parts: string[] = [];
      for (const seg of set.errors) {
        const at = `segment ${seg.segment} at position ${seg.position}`;
        if (seg.elements.length === 0) parts.push(`${at} ${SEGMENT_CODES[seg.code ?? ''] ?? `has an error (code ${seg.code ?? '?'})`}`);
        for (const el of seg.elements) {
          const f = findings.find((x) => x.segment === seg.segment && Number(x.elementPosition) === el.position);
          const what = precise(el.code, f) ?? ELEMENT_CODES[el.code] ?? `has an error (code ${el.code})`;
          parts.push(`${at}, element ${el.position}${el.component ? ` component ${el.component}` : ''} ${what}${el.value !== undefined ? ` (found "${el.value}")` : ''}`);
        }
      }
      out.push(`transaction set ${set.id} ${set.controlNumber} ${status}: ${parts.join('; ')}`);
    }
    if (a.sets.length === 0) out.push(`functional group ${a.functionalId} ${a.groupControlNumber} ${a.groupStatus.replace(/_/g, ' ')}`);
  }
  return out;
}
