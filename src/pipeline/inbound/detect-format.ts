import { nearMiss } from '../../formats/near-miss.ts';
import type { WireFormat } from './units.ts';

/**
 * Detects the wire format from the first meaningful bytes (after a UTF-8 BOM and whitespace),
 * with the declared content type as a tie-breaker for CSV, which has no signature.
 */
export function detectFormat(bytes: Uint8Array, contentType = ''): WireFormat | undefined {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  const head = Buffer.from(bytes.subarray(i, i + 3)).toString('latin1');
  if (head === 'ISA') return 'x12';
  if (head === 'UNA' || head === 'UNB') return 'edifact';
  if (head.startsWith('<')) return 'xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  // a damaged envelope still shaped like X12 or EDIFACT goes to that reader, which names what is wrong
  const shaped = ediShaped(Buffer.from(bytes.subarray(i, i + 4)).toString('latin1'));
  if (shaped) return shaped;
  const ct = contentType.toLowerCase();
  if (ct.includes('csv') || ct.includes('text/plain') || ct.includes('comma-separated')) return 'csv';
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  if (ct.includes('edi-x12')) return 'x12';
  if (ct.includes('edifact')) return 'edifact';
  return undefined;
}

const X12_TAGS = new Set(['GS', 'ST', 'GE', 'SE', 'IEA', 'TA1']);
const EDIFACT_TAGS = new Set(['UNG', 'UNH', 'UNT', 'UNE', 'UNZ']);


/**
 * A segment tag and its separator at the start: an X12 envelope or set segment (GS*, ST*) or a
 * misspelt ISA ('IAS*'), an EDIFACT service segment (UNH+) or a misspelt UNB/UNA ('UBN+').
 */
function ediShaped(head4: string): WireFormat | undefined {
  const m = /^([A-Z0-9]{2,3})([^A-Za-z0-9\s])/.exec(head4);
  if (!m) return undefined;
  const [, tag, sep] = m as unknown as [string, string, string];
  if (sep === '+' && (EDIFACT_TAGS.has(tag) || nearMiss(tag, 'UNB') || nearMiss(tag, 'UNA'))) return 'edifact';
  if (sep !== '+' && (X12_TAGS.has(tag) || nearMiss(tag, 'ISA'))) return 'x12';
  return undefined;
}
