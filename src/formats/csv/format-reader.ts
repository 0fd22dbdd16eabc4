/**
 * CSV files into translation units: one per document group (rows sharing the partner's groupBy
 * column, e.g. the PO or invoice number; the whole file when there is none). The partner's
 * `formats.csv` options arrive as ctx.formatOptions: delimiter, quote, encoding, header, columns
 * (mapping name -> header name, or -> 0-based position when header is false), groupBy, skipRows.
 * The unit's input is the group's rows (objects keyed by column name) - what a csv mapping walks.
 * The message name comes from ctx.metadata.message, else the partner's single inbound csv message
 * (when the reader was given `inboundMessages`).
 */
import { GatewayError } from '../../core/errors.ts';
import { parseCsv, type CsvProfile } from './index.ts';
import type { FormatReader, SplitContext, SplitResult, TranslationUnit } from '../../pipeline/inbound/units.ts';

export interface CsvReaderDeps {
  /** the partner's inbound csv message names (from its profile's documents), for files sent without a message name */
  inboundMessages?: (partnerId: string) => string[];
}

interface CsvOptions {
  delimiter?: string; quote?: string; encoding?: string; header?: boolean;
  columns?: Record<string, string | number>; groupBy?: string | number; skipRows?: number;
}

export function createCsvFormatReader(deps: CsvReaderDeps = {}): FormatReader<TranslationUnit[]> {
  return {
    format: 'csv',
    async split(bytes, ctx): Promise<SplitResult<TranslationUnit[]>> {
      const opts = (ctx.formatOptions ?? {}) as CsvOptions;
      const message = messageOf(ctx, deps);
      if (typeof message !== 'string') return { units: [], errors: [message] };
      let profile: CsvProfile;
      let aliases: Array<[string, string]>;
      try {
        ({ profile, aliases } = profileOf(opts));
      } catch (e) {
        return { units: [], errors: [e as GatewayError] };
      }
      let input = bytes;
      if (opts.skipRows) input = skipLines(bytes, opts.skipRows);
      let docs;
      try {
        docs = parseCsv(input, profile);
      } catch (e) {
        return { units: [], errors: [e instanceof GatewayError ? e : new GatewayError('csv_unreadable', `the CSV file cannot be read: ${String(e)}`)] };
      }
      if (docs.length === 0) return { units: [], errors: [new GatewayError('csv_empty', 'the CSV file holds no data rows', { expected: 'at least one row after the header' })] };
      const units = docs.map((d, position): TranslationUnit => {
        const rows = aliases.length === 0 ? d.rows : d.rows.map((r) => withAliases(r, aliases));
        const unit: TranslationUnit = {
          position, format: 'csv', message, envelope: {}, input: rows, errors: [],
        };
        if (d.key) unit.envelope.transactionControlNumber = d.key;
        const first = d.errors[0];
        if (first) {
          const n = d.errors.length - 1 + (d.omittedErrors ?? 0);
          const more = n > 0 ? ` (and ${n} more finding(s)${d.omittedErrors ? `, the first ${d.errors.length} listed` : ''})` : '';
          unit.errors.push(new GatewayError(first.code, `${first.message}${more}`, { ...first.detail, group: d.key, firstRow: d.firstRow, lastRow: d.lastRow, findings: d.errors }));
        }
        return unit;
      });
      return { units, errors: [] };
    },
  };
}

function messageOf(ctx: SplitContext, deps: CsvReaderDeps): string | GatewayError {
  if (ctx.metadata.message) return ctx.metadata.message;
  const known = ctx.inboundMessages ?? (ctx.partnerId && deps.inboundMessages ? deps.inboundMessages(ctx.partnerId) : []);
  if (known.length === 1 && known[0]) return known[0];
  return new GatewayError('csv_message_unknown',
    known.length > 1
      ? `partner ${ctx.partnerId} sends several csv messages (${known.join(', ')}); name the message (X-EDI-Message header, ?message=, or --message)`
      : 'a CSV file carries no message type; name it (X-EDI-Message header, ?message=, or --message)',
    { partnerId: ctx.partnerId, expected: known.length > 0 ? known.join(' | ') : 'a message name' });
}

/** Partner options -> codec profile; header=true columns are aliases (mapping name -> header name). */
function profileOf(o: CsvOptions): { profile: CsvProfile; aliases: Array<[string, string]> } {
  const header = o.header ?? true;
  const profile: CsvProfile = { header };
  if (o.delimiter !== undefined) profile.delimiter = o.delimiter;
  if (o.quote !== undefined) profile.quoteChar = o.quote;
  if (o.encoding !== undefined) profile.encoding = o.encoding;
  const aliases: Array<[string, string]> = [];
  const cols = Object.entries(o.columns ?? {});
  if (!header) {
    const names: string[] = [];
    for (const [name, at] of cols) {
      if (typeof at !== 'number') throw new GatewayError('csv_bad_columns', `formats.csv.columns.${name} must be a 0-based position when header is false`, { found: String(at) });
      names[at] = name;
    }
    profile.columns = Array.from(names, (n, i) => n ?? `col${i + 1}`);
  } else {
    for (const [name, at] of cols) {
      if (typeof at !== 'string') throw new GatewayError('csv_bad_columns', `formats.csv.columns.${name} must be a header name when header is true`, { found: String(at) });
      if (name !== at) aliases.push([name, at]);
    }
    if (aliases.length + cols.length > 0) profile.columns = [...new Set(cols.map(([, at]) => at as string))];
  }
  if (o.groupBy !== undefined) {
    if (typeof o.groupBy === 'number') {
      const name = header ? undefined : profile.columns?.[o.groupBy];
      if (!name) throw new GatewayError('csv_bad_group_by', `formats.csv.groupBy ${o.groupBy} is a position; name a column instead`, { found: String(o.groupBy) });
      profile.groupBy = name;
    } else {
      profile.groupBy = o.columns && typeof o.columns[o.groupBy] === 'string' && header ? (o.columns[o.groupBy] as string) : o.groupBy;
    }
  }
  return { profile, aliases };
}

function withAliases(row: Record<string, string>, aliases: Array<[string, string]>): Record<string, string> {
  const out = { ...row };
  for (const [name, col] of aliases) { const v = row[col]; if (v !== undefined) out[name] = v; }
  return out;
}

/** drops the first n lines (a title block above the header) */
function skipLines(bytes: Uint8Array, n: number): Uint8Array {
  let i = 0;
  for (let k = 0; k < n && i < bytes.length; k++) {
    const nl = bytes.indexOf(0x0a, i);
    if (nl < 0) return bytes.subarray(bytes.length);
    i = nl + 1;
  }
  return bytes.subarray(i);
}
