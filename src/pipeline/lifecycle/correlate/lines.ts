/**
 * Matching a document's line to a purchase-order line: by line number (leading zeros ignored:
 * PO1 "1" is 855 "001"), else by buyer's part number, else by vendor's part number (trimmed, case
 * ignored). A line number that no PO line carries falls back to the part numbers.
 */
export interface MatchableLine {
  lineNumber?: string;
  buyerPartNumber?: string;
  vendorPartNumber?: string;
}

export function normalizeLineNumber(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? String(BigInt(t)) : t.toUpperCase();
}

function normalizePart(v: string | undefined): string | undefined {
  const t = v?.trim().toUpperCase();
  return t ? t : undefined;
}

export function matchLine<L extends MatchableLine>(line: MatchableLine, poLines: readonly L[]): L | undefined {
  const n = normalizeLineNumber(line.lineNumber);
  if (n !== undefined) {
    const hit = poLines.find((p) => normalizeLineNumber(p.lineNumber) === n);
    if (hit) return hit;
  }
  const bp = normalizePart(line.buyerPartNumber);
  if (bp !== undefined) {
    const hit = poLines.find((p) => normalizePart(p.buyerPartNumber) === bp);
    if (hit) return hit;
  }
  const vp = normalizePart(line.vendorPartNumber);
  if (vp !== undefined) {
    const hit = poLines.find((p) => normalizePart(p.vendorPartNumber) === vp);
    if (hit) return hit;
  }
  return undefined;
}

/** how a line is named in a message: its number, else its part numbers */
export function describeLine(line: MatchableLine): string {
  if (line.lineNumber) return `line ${line.lineNumber}`;
  if (line.buyerPartNumber) return `buyer part ${line.buyerPartNumber}`;
  if (line.vendorPartNumber) return `vendor part ${line.vendorPartNumber}`;
  return 'a line without number or part numbers';
}

export function samePoNumber(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim() !== '' && a.trim().toUpperCase() === b.trim().toUpperCase();
}
