import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanonicalValidators } from '../canonical/validate.ts';
import { createReaders } from '../pipeline/inbound/readers.ts';
import { translateFile, translateStream, type FileSource, type TranslateOptions } from '../pipeline/inbound/translate-file.ts';
import type { GatewayConfig } from '../config/index.ts';
import { isPostgresUrl, openStore } from '../db/open-store.ts';
import type { GatewayMapping } from '../pipeline/inbound/compile-mapping.ts';
import { outboundGroupKey, outboundInterchangeKey } from '../pipeline/outbound/jobs.ts';
import { readAcknowledgements, type AckReading } from '../pipeline/inbound/read-acks.ts';
import { unmappedReport, type UnmappedReport, type UnmappedSetReport } from '../pipeline/inbound/unmapped-report.ts';
import { tuneGarbageCollector } from '../core/gc-tuning.ts';
import { CliError, dirsFromEnv, loadConfigOrExplain, type Io } from './context.ts';
import { itemWriter, OUTPUT_FORMATS, progressLine, type OutputFormat } from './translate-output.ts';

export const translateHelp = `Usage: edigw translate <file> [--partner <id>] [--message <name>] [--content-type <type>] [--format json|ndjson] [--unmapped]

Translates a partner file (X12, EDIFACT, CSV, XML or JSON) to canonical documents and prints
them as JSON. Stores nothing. Without --partner the partner is found from the envelope ids; when
none matches, the base mappings for the detected standard, message and version apply.

Options:
  --partner <id>         translate as this partner (partners/<id>.yaml)
  --message <name>       the partner's message name for CSV/JSON files with several mappings
  --content-type <type>  declare the format when it cannot be detected (text/csv)
  --format json|ndjson   json (default): one JSON array, indented; ndjson: one compact JSON document
                         per line (newline-delimited JSON), for jq, a loader or a log shipper
  --unmapped             instead of the documents, list per X12 set / EDIFACT message the elements
                         no mapping rule read, by segment/qualifier/position with counts: undeclared
                         ones on stderr, and in the JSON with those the mapping drops on purpose
                         (ignore:, with its reason); see docs/mapping-language.md
  -h, --help             show this help

A TA1, 997, 999 or CONTRL is not a document: it is listed with type "acknowledgement" (what it
acknowledges, its disposition and codes, and whether it matched one of our outbound interchanges
in the gateway database, EDIGW_DATABASE_URL, when that database exists), and described on stderr.

A file over 8 MiB is read slice by slice (X12; other formats are read whole) and its documents
are printed as they are translated (the same JSON array, or NDJSON lines), memory staying one slice
and one document, with progress (documents, errors, MB read, MB/s) every 2 s and errors on stderr
as they come; acknowledgements in it are not listed.

Exit status: 0 when every document translated and validated, 1 otherwise (errors on stderr).`;

export async function translateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { partner: { type: 'string' }, message: { type: 'string' }, 'content-type': { type: 'string' }, format: { type: 'string' }, unmapped: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { io.out(translateHelp); return 0; }
  const format = (values.format ?? 'json') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new CliError(`--format must be ${OUTPUT_FORMATS.join(' or ')}, got "${values.format}"`, 2);
  if (positionals.length !== 1) throw new CliError(`translate takes exactly one file\n\n${translateHelp}`, 2);
  const file = path.resolve(io.cwd, positionals[0]!);
  let bytes: Buffer;
  try {
    if (values.unmapped) {
      const { config } = loadConfigOrExplain(io.env);
      // a large file's sets are garbage once reported: collected before the heap grows far (core/gc-tuning.ts)
      if (statSync(file).size > STREAM_FILE_BYTES) tuneGarbageCollector(io.env);
      return await unmappedReportCommand(fileSource(file), config, { partnerId: values.partner, contentType: values['content-type'] }, file, io, format);
    }
    if (statSync(file).size > STREAM_FILE_BYTES) {
      const { config } = loadConfigOrExplain(io.env);
      return await translateLargeFile(file, config, { partnerId: values.partner, message: values.message, contentType: values['content-type'] }, io, format);
    }
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof CliError || !(e as NodeJS.ErrnoException).code) throw e;
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 2);
  }
  const { config } = loadConfigOrExplain(io.env);
  const result = await translateFile(
    { config, readers: createReaders(), validators: createCanonicalValidators() },
    bytes, { partnerId: values.partner, message: values.message, contentType: values['content-type'] },
  );
  const acks = result.format === 'x12' || result.format === 'edifact' ? readAcknowledgements(result.format, bytes) : [];
  if (acks.length > 0) await matchOurInterchanges(acks, config, io.env);
  const output = itemWriter(format, io.out);
  for (const { usedRules: _u, ...d } of result.documents) output.add(d);
  for (const a of acks) output.add(a);
  output.end();
  for (const a of acks) {
    const match = a.matched === undefined ? (a.message === 'TA1' ? 'not matched: our interchanges are found by their GS06 or UNB 0020, a TA1 names only the ISA13' : 'not matched: no gateway database to look in')
      : a.matched ? `matches our outbound message ${a.outboundMessageId}` : 'matches no outbound interchange of ours';
    io.err(`${path.basename(file)}: ${a.summary}; ${match}${a.defects ? `; the acknowledgement itself is invalid: ${a.defects.join('; ')}` : ''}`);
  }
  for (const e of result.errors) {
    io.err(`${path.basename(file)}${e.unit !== undefined ? ` (document ${e.unit + 1})` : ''}: ${e.code}: ${e.message}`);
  }
  return result.errors.length === 0 && !acks.some((a) => a.defects) ? 0 : 1;
}

/**
 * Looks the acknowledged group (997/999 AK102) or interchange (CONTRL UCI 0020) up among our
 * outbound messages, when the gateway database exists; the partner is the ack's envelope sender.
 */
async function matchOurInterchanges(acks: AckReading[], config: GatewayConfig<GatewayMapping>, env: Record<string, string | undefined>): Promise<void> {
  const url = dirsFromEnv(env).databaseUrl;
  if (!isPostgresUrl(url) && !existsSync(url.replace(/^sqlite:(\/\/)?/, ''))) return;
  const store = await openStore(url, { blobDir: env.EDIGW_BLOB_DIR || undefined });
  try {
    for (const a of acks) {
      if (a.message === 'TA1') continue;
      const [id, qualifier] = a.standard === 'x12' ? a.from.split(':').reverse() : a.from.split(':');
      const partner = a.standard === 'x12' ? config.byX12(qualifier ?? '', id ?? '') : config.byEdifact(id ?? '', qualifier);
      const key = !partner ? undefined : a.standard === 'x12' ? outboundGroupKey(partner.id, a.acknowledges.group ?? '') : outboundInterchangeKey(partner.id, a.acknowledges.interchange ?? '');
      const found = key ? await store.findByExternalId(key) : undefined;
      a.matched = found !== undefined && found !== null && found.direction === 'outbound';
      if (a.matched) a.outboundMessageId = found!.id;
    }
  } finally {
    await store.close();
  }
}

/** files larger than this are translated as a stream (translateLargeFile) */
const STREAM_FILE_BYTES = 8 * 1024 * 1024;
const SLICE_BYTES = 1 << 20;
const PROGRESS_MS = 2000;

/**
 * A large file: read in 1 MB slices, each document printed as soon as it is translated (the same
 * JSON array as for a small file, written element by element), errors and progress on stderr as
 * they come. Memory stays one slice and one document whatever the file's size (X12).
 */
async function translateLargeFile(file: string, config: GatewayConfig<GatewayMapping>, opts: TranslateOptions, io: Io, format: OutputFormat): Promise<number> {
  // the garbage of each document's translation is collected before the heap grows far (core/gc-tuning.ts)
  tuneGarbageCollector(io.env);
  const name = path.basename(file);
  const total = statSync(file).size;
  let read = 0;
  const readSlices = function* (sliceBytes: number): Generator<Uint8Array> {
    const fd = openSync(file, 'r');
    try {
      for (;;) {
        const buf = Buffer.allocUnsafe(sliceBytes);
        const n = readSync(fd, buf, 0, sliceBytes, null);
        if (n === 0) return;
        read += n;
        yield buf.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  };
  let head: Uint8Array = new Uint8Array(0);
  for (const s of readSlices(64 * 1024)) { head = s; break; }
  read = 0;
  let documents = 0;
  let errors = 0;
  const output = itemWriter(format, io.out);
  const startedMs = Date.now();
  let lastProgress = startedMs;
  await translateStream({ config, readers: createReaders(), validators: createCanonicalValidators() },
    { head, slices: () => readSlices(SLICE_BYTES), whole: () => readFileSync(file) }, opts, {
      document: ({ usedRules: _u, ...d }) => {
        output.add(d);
        documents++;
        const nowMs = Date.now();
        if (nowMs - lastProgress >= PROGRESS_MS) {
          lastProgress = nowMs;
          io.err(progressLine(name, { documents, errors, read, total, startedMs, nowMs }));
        }
      },
      error: (e) => {
        errors++;
        io.err(`${name}${e.unit !== undefined ? ` (document ${e.unit + 1})` : ''}: ${e.code}: ${e.message}`);
      },
    });
  output.end();
  const s = (Date.now() - startedMs) / 1000;
  io.err(`${name}: ${documents.toLocaleString('en-US')} documents, ${errors.toLocaleString('en-US')} errors, ${(total / 1048576).toFixed(0)} MB in ${s.toFixed(1)} s (${(total / 1048576 / Math.max(s, 0.001)).toFixed(1)} MB/s)`);
  return errors === 0 ? 0 : 1;
}

/** `--unmapped`: per X12 transaction set / EDIFACT message, the elements its mapping did not read (src/pipeline/inbound/unmapped-report.ts). */
async function unmappedReportCommand(source: FileSource, config: GatewayConfig<GatewayMapping>, opts: TranslateOptions, file: string, io: Io, format: OutputFormat): Promise<number> {
  const name = path.basename(file);
  // each set is printed as it is reported (one JSON array, element by element) and summed for stderr:
  // memory stays one set's report whatever the file's size
  const summary = new UnmappedSummary(name);
  const output = itemWriter(format, io.out);
  const report = await unmappedReport({ config, readers: createReaders() }, source, {
    partnerId: opts.partnerId, contentType: opts.contentType,
    onSet: (s) => { output.add(s); summary.add(s); },
  });
  if (!report.supported) throw new CliError(`${name}: ${report.note}`, 2);
  output.end();
  summary.print(report, io);
  return 0;
}

/** up to this many sets, stderr names each set; beyond, paths are summed over the file */
const PER_SET_LINES = 10;

/** The report on stderr: undeclared entries one per line (per set, or summed over a file of many sets), declared ones counted; skipped sets named. */
export class UnmappedSummary {
  private readonly first: UnmappedSetReport[] = [];
  private readonly byPath = new Map<string, { count: number; sets: number; example: string }>();
  private sets = 0;
  private declared = 0;
  constructor(private readonly name: string) {}

  add(s: UnmappedSetReport): void {
    this.sets++;
    if (this.first.length <= PER_SET_LINES) this.first.push(s);
    for (const u of s.undeclared) {
      const k = `${s.message}, ${s.mappingFile}): ${u.path}`;
      const e = this.byPath.get(k);
      if (e) { e.count += u.count; e.sets++; } else this.byPath.set(k, { count: u.count, sets: 1, example: u.example });
    }
    for (const d of s.declared) this.declared += d.count;
  }

  print(report: UnmappedReport, io: Io): void {
    const name = this.name;
    if (report.note) io.err(`${name}: ${report.note}`);
    if (this.sets > PER_SET_LINES) {
      for (const [k, e] of this.byPath) io.err(`${name} (${k} not mapped: ${e.count}x in ${e.sets.toLocaleString('en-US')} of ${this.sets.toLocaleString('en-US')} sets (e.g. '${e.example}')`);
      if (this.declared > 0) io.err(`${name}: ${this.declared} element${this.declared === 1 ? '' : 's'} dropped as declared (ignore:)`);
    } else {
      for (const s of this.first) {
        const where = `${name} (document ${s.document}, ${s.message}, ${s.mappingFile})`;
        for (const u of s.undeclared) io.err(`${where}: ${u.path} not mapped: ${u.count}x (e.g. '${u.example}')`);
        const declared = s.declared.reduce((n, d) => n + d.count, 0);
        if (declared > 0) io.err(`${where}: ${declared} element${declared === 1 ? '' : 's'} dropped as declared (ignore:) in ${s.declared.length} path${s.declared.length === 1 ? '' : 's'}`);
      }
    }
    for (const k of report.skipped) io.err(`${name} (document ${k.document}, ${k.message}): not reported: ${k.reason}`);
    if (report.truncated) io.err(`${name}: ${report.truncated.reason}; the rest is not reported`);
  }
}

/** A file as the readers take it: in memory up to STREAM_FILE_BYTES, else read in slices (X12 streams; the others read it whole). */
export function fileSource(file: string): FileSource {
  if (statSync(file).size <= STREAM_FILE_BYTES) {
    const bytes = readFileSync(file);
    return { head: bytes, whole: () => bytes };
  }
  const slices = function* (): Generator<Uint8Array> {
    const fd = openSync(file, 'r');
    try {
      for (;;) {
        const buf = Buffer.allocUnsafe(SLICE_BYTES);
        const n = readSync(fd, buf, 0, SLICE_BYTES, null);
        if (n === 0) return;
        yield buf.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  };
  let head: Uint8Array = new Uint8Array(0);
  for (const s of slices()) { head = s.subarray(0, 64 * 1024); break; }
  return { head, slices, whole: () => readFileSync(file) };
}
