/**
 * How `edigw translate` writes what it produces, one item at a time as it comes (memory: one item):
 * `json` (default) one JSON array, two-space indented, byte for byte JSON.stringify(items, null, 2);
 * `ndjson` one compact JSON value per line (newline-delimited JSON: jq, a log shipper or a loader
 * read it line by line, never the whole file).
 */
export type OutputFormat = 'json' | 'ndjson';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'ndjson'];

export interface ItemWriter { add(item: unknown): void; end(): void }

export function itemWriter(format: OutputFormat, out: (line: string) => void): ItemWriter {
  if (format === 'ndjson') return { add: (item) => out(JSON.stringify(item)), end: () => {} };
  // the array's last element is held back until the next comes (a comma) or the end (none)
  let pending: string | undefined;
  return {
    add(item) {
      if (pending === undefined) out('[');
      else out(`${pending},`);
      pending = JSON.stringify(item, null, 2).split('\n').map((l) => `  ${l}`).join('\n');
    },
    end() {
      if (pending === undefined) out('[]');
      else { out(pending); out(']'); }
    },
  };
}

/** `big.x12: 1,234 documents, 0 errors, 40 of 128 MB read (21.3 MB/s)`: progress of a streamed file on stderr */
export function progressLine(name: string, p: { documents: number; errors: number; read: number; total: number; startedMs: number; nowMs: number }): string {
  const s = Math.max(0.001, (p.nowMs - p.startedMs) / 1000);
  return `${name}: ${p.documents.toLocaleString('en-US')} documents, ${p.errors.toLocaleString('en-US')} errors, ${mb(p.read)} of ${mb(p.total)} MB read (${(p.read / 1048576 / s).toFixed(1)} MB/s)`;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
