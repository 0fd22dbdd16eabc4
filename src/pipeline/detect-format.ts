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
  const ct = contentType.toLowerCase();
  if (ct.includes('csv') || ct.includes('text/plain') || ct.includes('comma-separated')) return 'csv';
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  if (ct.includes('edi-x12')) return 'x12';
  if (ct.includes('edifact')) return 'edifact';
  return undefined;
}
