/**
 * The unmapped report of one file or stored message: per X12 transaction set / EDIFACT message,
 * the elements its inbound mapping did not read (unmapped.ts), undeclared apart from declared.
 * What `edigw translate --unmapped`, `edigw check --unmapped` and the console's message page
 * (GET /api/v1/messages/:id/unmapped) show.
 *
 * Bounded: `maxSets` sets at most (a large interchange reports its first ones and says so), and
 * with a slicer, the work gives the event loop its turn between sets (time-slice.ts) and stops at
 * `budgetMs` of work. An X12 message is read slice by slice as its sets are reported (the rest of a
 * large interchange is never read); the other readers need the message whole.
 */
import { toGatewayError } from '../../core/errors.ts';
import type { ConfigView, MappingView } from './config-port.ts';
import { detectFormat } from './detect-format.ts';
import { grammarFor } from './grammars.ts';
import { declaredMessages } from './process-message.ts';
import { identifyPartner } from './stages/identify.ts';
import type { FileSource } from './translate-file.ts';
import type { FormatReader, SplitContext, WireFormat } from './units.ts';
import { unmappedElements, type UnmappedEntry, type UnmappedMapping } from './unmapped.ts';
import type { WireTree } from '../../formats/wire.ts';

export interface UnmappedSetReport {
  /** 1-based position of the set/message in the file */
  document: number;
  message: string;
  version?: string;
  mappingFile: string;
  undeclared: UnmappedEntry[];
  declared: UnmappedEntry[];
}

export interface UnmappedReport {
  format?: WireFormat;
  /** false: the report does not read this format (CSV, XML/cXML, JSON) or the file is not recognised */
  supported: boolean;
  /** why not supported, in a sentence */
  note?: string;
  sets: UnmappedSetReport[];
  /** sets not reported: refused by their syntax, or with no inbound mapping */
  skipped: Array<{ document: number; message: string; reason: string }>;
  /** the report stopped before the end of the message */
  truncated?: { after: number; reason: string };
  /** elements (not paths) over the reported sets */
  totals: { sets: number; undeclared: number; declared: number };
}

export interface UnmappedReportOptions {
  partnerId?: string;
  contentType?: string;
  /** sets reported at most (default: all) */
  maxSets?: number;
  /** with `slicer`: stop after this much work, in ms */
  budgetMs?: number;
  slicer?: { pause(): Promise<void> | undefined };
  now?: () => number;
  /** each set's report as soon as it is made; with it, `sets` stays empty (memory: one set's report, whatever the file's size) */
  onSet?: (s: UnmappedSetReport) => void;
}

const REPORTED: readonly WireFormat[] = ['x12', 'edifact'];

export async function unmappedReport(
  deps: { config: ConfigView; readers: Partial<Record<WireFormat, FormatReader>> },
  source: FileSource, opts: UnmappedReportOptions = {},
): Promise<UnmappedReport> {
  const report: UnmappedReport = { supported: false, sets: [], skipped: [], totals: { sets: 0, undeclared: 0, declared: 0 } };
  const format = detectFormat(source.head, opts.contentType ?? '');
  if (!format) {
    report.note = 'the content is not recognised as X12, EDIFACT, XML or JSON';
    return report;
  }
  report.format = format;
  if (!REPORTED.includes(format)) {
    report.note = `the unmapped report reads X12 and EDIFACT; it is not supported for ${format === 'xml' ? 'xml (cXML)' : format}`;
    return report;
  }
  report.supported = true;
  const reader = deps.readers[format];
  if (!reader) {
    report.note = `no ${format} reader`;
    return report;
  }
  const partner = opts.partnerId ? deps.config.partner(opts.partnerId) : undefined;
  const ctx: SplitContext = { partnerId: opts.partnerId, formatOptions: partner?.formats?.[format], inboundMessages: declaredMessages(partner, format), metadata: {} };
  let split;
  try {
    split = await (reader.splitSlices && source.slices ? reader.splitSlices(source.slices(), ctx) : reader.split(source.whole(), ctx));
  } catch (e) {
    report.note = `the message cannot be read: ${toGatewayError(e).message}`;
    return report;
  }
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const maxSets = opts.maxSets ?? Infinity;
  let seen = 0;
  for (const unit of split.units) {
    if (seen >= maxSets) {
      report.truncated = { after: seen, reason: `the first ${maxSets.toLocaleString('en-US')} sets are reported` };
      break;
    }
    if (opts.budgetMs !== undefined && now() - started > opts.budgetMs) {
      report.truncated = { after: seen, reason: `stopped after ${opts.budgetMs.toLocaleString('en-US')} ms of work` };
      break;
    }
    seen++;
    const document = unit.position + 1;
    if (unit.errors.length > 0) {
      report.skipped.push({ document, message: unit.message, reason: `${unit.errors[0]!.code}: ${unit.errors[0]!.message}` });
      continue;
    }
    let partnerId: string | undefined;
    try { partnerId = identifyPartner(deps.config, opts.partnerId ?? null, unit).id; } catch { partnerId = opts.partnerId; }
    const mapping = deps.config.mappingFor(partnerId, { format: unit.format, message: unit.message, version: unit.version, direction: 'inbound' });
    if (!mapping) {
      report.skipped.push({ document, message: unit.message, reason: `no inbound mapping for ${unit.format} ${unit.message}${unit.version ? ` ${unit.version}` : ''}` });
      continue;
    }
    const tree = unit.input as WireTree;
    try {
      const r = await unmappedElements(mapping as MappingView & UnmappedMapping, tree, grammarFor(format, unit.message, tree.version ?? unit.version ?? ''));
      const set: UnmappedSetReport = { document, message: unit.message, ...(unit.version ? { version: unit.version } : {}), mappingFile: mapping.file, ...r };
      if (opts.onSet) opts.onSet(set);
      else report.sets.push(set);
      report.totals.sets++;
      for (const e of r.undeclared) report.totals.undeclared += e.count;
      for (const e of r.declared) report.totals.declared += e.count;
    } catch (e) {
      report.skipped.push({ document, message: unit.message, reason: `${toGatewayError(e).code}: ${toGatewayError(e).message}` });
    }
    await opts.slicer?.pause();
  }
  return report;
}
