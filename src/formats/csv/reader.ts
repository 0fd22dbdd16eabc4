/**
 * CSV reader (papaparse) for partner spreadsheets: per-partner delimiter, quote and escape
 * characters, encoding (iconv-lite), header names or column positions, and rows grouped into
 * documents by a key column (PO number, invoice number).
 *
 * Output per document group (the ObjectTree the mapping language walks):
 *   { key, rows: Array<Record<column, string>>, firstRow, lastRow, errors }
 * Row numbers are 1-based CSV record numbers in the file (the header is record 1); a quoted
 * field with line breaks is one record. Column numbers are 1-based.
 *
 * Grouping: 'contiguous' (default, streaming in constant memory): rows of one document must be
 * adjacent; a key that reappears after another key is reported on the later group
 * (csv_group_not_contiguous) instead of being merged. 'any': groups are collected over the
 * whole file and emitted at its end (memory grows with the file).
 */
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { GatewayError } from '../../core/errors.ts';

export interface CsvProfile {
  /** field delimiter (default ','); '' lets papaparse detect it */
  delimiter?: string;
  quoteChar?: string;
  escapeChar?: string;
  /** iconv-lite encoding of the bytes (default 'utf-8'; a UTF-8 BOM is dropped) */
  encoding?: string;
  /** true (default): record 1 holds the column names; false: columns by position */
  header?: boolean;
  /** header=false: names for columns 1..n (missing names become 'col<n>'); header=true: columns that must be present */
  columns?: string[];
  /** column whose value groups rows into one document; absent: the whole file is one document */
  groupBy?: string;
  grouping?: 'contiguous' | 'any';
  /** trim spaces around values (default false) */
  trim?: boolean;
}

export interface CsvDocument {
  key: string;
  rows: Array<Record<string, string>>;
  firstRow: number;
  lastRow: number;
  /** problems in this document's rows (wrong field count, unterminated quote, blank key...), the first MAX_FINDINGS */
  errors: GatewayError[];
  /** problems past the first MAX_FINDINGS: counted, not built (set only when there are any) */
  omittedErrors?: number;
}

/**
 * Findings kept per document. Each is an Error with a stack: a file of 400,000 short broken rows
 * built 400,000 of them and held the event loop 10.6 s for 800 KB (fuzz, issue 12).
 */
export const MAX_FINDINGS = 100;

type Finding = () => GatewayError;

function addFindings(d: CsvDocument, found: readonly Finding[]): void {
  for (const f of found) {
    if (d.errors.length < MAX_FINDINGS) d.errors.push(f());
    else d.omittedErrors = (d.omittedErrors ?? 0) + 1;
  }
}

interface RowSink { row(fields: string[], record: number, errors: Papa.ParseError[]): void; end(): void }

function createGrouper(profile: CsvProfile, emit: (d: CsvDocument) => void): RowSink {
  const useHeader = profile.header ?? true;
  const mode = profile.grouping ?? 'contiguous';
  let names: string[] | undefined = useHeader ? undefined : undefined;
  let current: CsvDocument | undefined;
  const seen = new Map<string, number>();
  const all = new Map<string, CsvDocument>();
  const keyIndex = (): number => (profile.groupBy ? (names ?? []).indexOf(profile.groupBy) : -1);

  const close = (): void => { if (current && mode === 'contiguous') emit(current); current = undefined; };
  return {
    row(fields, record, perr) {
      if (profile.trim) fields = fields.map((f) => f.trim());
      if (fields.length === 1 && fields[0] === '' && perr.length === 0) return; // empty line
      if (!names) {
        if (useHeader) {
          names = fields;
          const missing = [...(profile.columns ?? []), ...(profile.groupBy ? [profile.groupBy] : [])].filter((c) => !fields.includes(c));
          if (missing.length > 0) throw new GatewayError('csv_missing_column', `header (row ${record}) lacks column(s) ${missing.join(', ')}; found ${fields.join(', ')}`, { row: record, expected: missing.join(', '), found: fields.join(', ') });
          // one pass with a Set: indexOf per name was quadratic in a partner's header (16,000 names: 0.5 s)
          const names0 = new Set<string>();
          const dup = fields.find((f) => f !== '' && (names0.has(f) || (names0.add(f), false)));
          if (dup) throw new GatewayError('csv_duplicate_column', `header (row ${record}) names column '${dup}' twice`, { row: record, found: dup });
          return;
        }
        names = profile.columns ?? [];
        if (profile.groupBy && !names.includes(profile.groupBy)) throw new GatewayError('csv_missing_column', `groupBy column '${profile.groupBy}' is not among the configured columns`, { expected: profile.groupBy });
      }
      const cols = names;
      // built only while the document keeps findings (addFindings)
      const errors: Finding[] = [];
      for (const e of perr) {
        const column = e.code === 'MissingQuotes' || e.code === 'InvalidQuotes' ? fields.length : undefined;
        errors.push(() => new GatewayError(e.code === 'MissingQuotes' ? 'csv_unterminated_quote' : e.code === 'InvalidQuotes' ? 'csv_invalid_quote' : 'csv_parse_error',
          `row ${record}${column ? `, column ${column}` : ''}: ${e.message}`, { row: record, ...(column ? { column } : {}), found: e.code }));
      }
      if (useHeader && fields.length !== cols.length) {
        errors.push(() => new GatewayError('csv_field_count', `row ${record} has ${fields.length} fields, the header has ${cols.length}`, {
          row: record, column: Math.min(fields.length, cols.length) + 1, expected: String(cols.length), found: String(fields.length),
        }));
      }
      const rec: Record<string, string> = {};
      fields.forEach((f, i) => { rec[cols[i] ?? `col${i + 1}`] = f; });
      const ki = keyIndex();
      let key = ki >= 0 ? (fields[ki] ?? '') : '';
      if (ki >= 0 && key === '') {
        errors.push(() => new GatewayError('csv_missing_group_key', `row ${record}, column ${ki + 1} (${profile.groupBy}) is empty: the row cannot be assigned to a document`, { row: record, column: ki + 1, expected: profile.groupBy }));
        key = current?.key ?? '';
      }
      if (mode === 'any') {
        let d = all.get(key);
        if (!d) { d = { key, rows: [], firstRow: record, lastRow: record, errors: [] }; all.set(key, d); }
        d.rows.push(rec); d.lastRow = record; addFindings(d, errors);
        return;
      }
      if (!current || current.key !== key) {
        close();
        current = { key, rows: [], firstRow: record, lastRow: record, errors: [] };
        const before = seen.get(key);
        if (before !== undefined) {
          current.errors.push(new GatewayError('csv_group_not_contiguous', `rows for ${profile.groupBy ?? 'document'} '${key}' start again at row ${record} after other documents (first seen at row ${before}); sort the file by ${profile.groupBy} or use grouping 'any'`, {
            row: record, column: ki + 1, found: key, expected: `rows of '${key}' together`,
          }));
        } else seen.set(key, record);
      }
      current.rows.push(rec);
      current.lastRow = record;
      addFindings(current, errors);
    },
    end() {
      if (!names && useHeader) throw new GatewayError('csv_empty', 'the file has no header row', { expected: 'header row' });
      close();
      if (mode === 'any') for (const d of all.values()) emit(d);
    },
  };
}

function papaConfig(profile: CsvProfile): Papa.ParseConfig {
  return {
    header: false, skipEmptyLines: false, dynamicTyping: false,
    delimiter: profile.delimiter ?? ',', quoteChar: profile.quoteChar ?? '"', escapeChar: profile.escapeChar ?? profile.quoteChar ?? '"',
  };
}

/** Parses a whole CSV file (bytes in the profile's encoding, or text). */
export function parseCsv(input: Uint8Array | string, profile: CsvProfile = {}): CsvDocument[] {
  const text = typeof input === 'string' ? input : iconv.decode(Buffer.from(input), profile.encoding ?? 'utf-8');
  const out: CsvDocument[] = [];
  const sink = createGrouper(profile, (d) => out.push(d));
  let record = 0;
  let thrown: unknown;
  Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    ...papaConfig(profile),
    step: (r, parser) => {
      record++;
      try { sink.row(r.data, record, r.errors); } catch (e) { thrown = e; parser.abort(); }
    },
  });
  if (thrown) throw thrown;
  sink.end();
  return out;
}

/**
 * Streams document groups from bytes (file or HTTP body) of any size: decodes with iconv-lite,
 * parses with papaparse, pauses the parser while the consumer is behind.
 */
export async function* readCsv(source: AsyncIterable<Uint8Array>, profile: CsvProfile = {}): AsyncGenerator<CsvDocument> {
  const queue: CsvDocument[] = [];
  let failure: unknown;
  let done = false;
  let wake: (() => void) | undefined;
  let paused: Papa.Parser | undefined;
  const notify = (): void => { const w = wake; wake = undefined; w?.(); };
  const sink = createGrouper(profile, (d) => { queue.push(d); notify(); });
  const decoder = iconv.getDecoder(profile.encoding ?? 'utf-8');
  const it = source[Symbol.asyncIterator]();
  // read until the first line break so the record separator is known before papaparse starts
  let head = '';
  let ended = false;
  while (!(/\n/.test(head) || /\r[^\n]/.test(head)) && head.length < 1 << 20) {
    const n = await it.next();
    if (n.done) { ended = true; head += decoder.end() ?? ''; break; }
    head += decoder.write(Buffer.from(n.value));
  }
  head = head.replace(/^\uFEFF/, '');
  const nl = /\r\n|\n|\r/.exec(head)?.[0] ?? '\n';
  async function* decoded(): AsyncGenerator<string> {
    if (head) yield head;
    if (ended) return;
    for (;;) {
      const n = await it.next();
      if (n.done) break;
      const s = decoder.write(Buffer.from(n.value));
      if (s) yield s;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  let record = 0;
  const parseStream = Papa.parse as unknown as (input: Readable, config: object) => void;
  parseStream(Readable.from(decoded()), {
    ...papaConfig(profile),
    newline: nl,
    step: (r: Papa.ParseStepResult<string[]>, parser: Papa.Parser) => {
      record++;
      try { sink.row(r.data, record, r.errors); } catch (e) { failure ??= e; parser.abort(); }
      if (queue.length >= 64 && !paused) { paused = parser; parser.pause(); }
    },
    complete: () => { try { if (!failure) sink.end(); } catch (e) { failure = e; } done = true; notify(); },
    error: (e: Error) => { failure ??= e; done = true; notify(); },
  });
  for (;;) {
    while (queue.length > 0) {
      yield queue.shift() as CsvDocument;
      if (paused && queue.length < 16) { const p = paused; paused = undefined; p.resume(); }
    }
    if (failure) throw failure;
    if (done) return;
    if (paused) { const p = paused; paused = undefined; p.resume(); }
    await new Promise<void>((r) => { wake = r; });
  }
}
