/**
 * Translates a file without storing anything: what `edigw translate` and `edigw check` run. The
 * same stages as the pipeline (detect, split, identify, translate, validate), but when no partner
 * matches the envelope the base mappings for the detected standard, message and version apply.
 * translateStream hands each document on as it is read, so a large X12 file is read slice by slice
 * and never held whole (edigw translate on a large file).
 */
import type { CanonicalValidators } from '../../canonical/validate.ts';
import { GatewayError, toGatewayError } from '../../core/errors.ts';
import type { ConfigView } from './config-port.ts';
import { detectFormat } from './detect-format.ts';
import { declaredMessages } from './process-message.ts';
import { businessKeys } from './stages/business-keys.ts';
import { dedupeInMessage } from './stages/dedupe.ts';
import { controlNumbers, identifyPartner } from './stages/identify.ts';
import { translateUnit } from './stages/translate.ts';
import { validateTranslated } from './stages/validate.ts';
import type { FormatReader, SplitContext, TranslationUnit, WireFormat } from './units.ts';

export type TranslatedDocument = { type: string; partnerId: string | null; correlationId: string | null; source: Record<string, string>; document: unknown; usedRules: string[]; mappingFile?: string; warnings?: Array<{ code: string; message: string }> };
export type TranslationError = { unit?: number; code: string; message: string; detail: unknown };

export interface FileTranslation {
  format?: WireFormat;
  documents: TranslatedDocument[];
  errors: TranslationError[];
}

export interface TranslateFileDeps {
  config: ConfigView;
  readers: Partial<Record<WireFormat, FormatReader>>;
  validators: CanonicalValidators;
}

/** a file as translateStream reads it: its first bytes, then its slices one at a time (a large file is never read whole by a reader that can stream: X12) */
export interface FileSource {
  head: Uint8Array;
  /** absent for bytes already in memory */
  slices?: () => Iterable<Uint8Array>;
  whole(): Uint8Array;
}

/** where translateStream hands each document and error as soon as it has it */
export interface TranslationSink {
  document(d: TranslatedDocument): void;
  error(e: TranslationError): void;
}

/**
 * The in-file duplicate policy (stages/dedupe.ts, as the gateway applies it); a rejected repeat's
 * error says what the acknowledgement answers it with (the standard's code).
 */
function inFilePolicy(config: ConfigView, partnerId: string | undefined, unit: TranslationUnit): boolean {
  try {
    return dedupeInMessage((partnerId ? config.partner(partnerId)?.duplicates?.policy : undefined) ?? 'reject', partnerId, undefined, unit);
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    const ack = duplicateAck(unit, partnerId ? config.partner(partnerId)?.acks?.x12 : undefined);
    throw new GatewayError(e.code, `${e.message}; acknowledged with ${ack}`, { ...(e.detail as object), ack });
  }
}

/** The acknowledgement code for a repeat the policy rejected (X12 I18 / 716 / 718, ISO 9735 0085). */
function duplicateAck(unit: TranslationUnit, x12Ack: string | undefined): string {
  const level = unit.duplicate!.level;
  if (unit.format === 'edifact') {
    return `CONTRL ${level === 'interchange' ? 'UCI' : level === 'group' ? 'UCF' : 'UCM'} action 4, 0085 code 26 (duplicate detected)`;
  }
  if (level === 'interchange') return 'TA1 R, TA105 025 (duplicate interchange control number)';
  if (level === 'set') return 'AK5/IK5 R, code 23 (transaction set control number not unique within the functional group)';
  return x12Ack === '999' || (unit.version ?? '') >= '005010'
    ? 'AK9 R, code 19 (functional group control number not unique within interchange)'
    : 'AK9 R (a 004010 997 has no code for it: 716 code 19 means S1E missing before 005010)';
}

/** Translates a file held in memory; everything collected (tests, edigw check, small files). */
export async function translateFile(deps: TranslateFileDeps, bytes: Uint8Array, opts: TranslateOptions): Promise<FileTranslation> {
  const out: FileTranslation = { documents: [], errors: [] };
  const source: FileSource = { head: bytes, whole: () => bytes };
  const { format } = await translateStream(deps, source, opts, { document: (d) => out.documents.push(d), error: (e) => out.errors.push(e) });
  if (format) out.format = format;
  return out;
}

export interface TranslateOptions { partnerId?: string; contentType?: string; message?: string }

/** Translates a file document by document, handing each to `sink` as it is read; resolves with the format detected. */
export async function translateStream(deps: TranslateFileDeps, source: FileSource, opts: TranslateOptions, sink: TranslationSink): Promise<{ format?: WireFormat }> {
  const err = (e: unknown, unit?: number) => {
    const g = toGatewayError(e);
    sink.error({ ...(unit !== undefined ? { unit } : {}), code: g.code, message: g.message, detail: g.detail });
  };
  if (opts.partnerId && !deps.config.partner(opts.partnerId)) {
    err(new GatewayError('partner_unknown', `partner "${opts.partnerId}" is not configured`));
    return {};
  }
  const format = detectFormat(source.head, opts.contentType ?? (opts.message ? 'text/csv' : ''));
  if (!format) {
    err(new GatewayError('format_unknown', 'the file is not X12 (ISA), EDIFACT (UNA/UNB), XML or JSON; for CSV pass --content-type text/csv'));
    return {};
  }
  const reader = deps.readers[format];
  if (!reader) {
    err(new GatewayError('format_unsupported', `${format} files are not supported yet`));
    return { format };
  }
  const partner = opts.partnerId ? deps.config.partner(opts.partnerId) : undefined;
  const ctx: SplitContext = { partnerId: opts.partnerId, formatOptions: partner?.formats?.[format], inboundMessages: declaredMessages(partner, format), metadata: opts.message ? { message: opts.message } : {} };
  const split = await (reader.splitSlices && source.slices ? reader.splitSlices(source.slices(), ctx) : reader.split(source.whole(), ctx))
    .catch((e) => ({ units: [], errors: [toGatewayError(e)] }));
  // a reader that read everything first knows the message-level errors now; a streaming one (X12) at the end
  const streamed = !Array.isArray(split.units);
  if (!streamed) for (const e of split.errors) err(e);
  for (const unit of split.units) {
    try {
      if (unit.errors.length > 0) throw unit.errors[0];
      let partnerId: string | undefined;
      try {
        partnerId = identifyPartner(deps.config, opts.partnerId ?? null, unit).id;
      } catch (e) {
        // without a matching partner, the base mappings for the standard still translate the file
        if (!(e instanceof GatewayError && e.code === 'partner_unknown' && !opts.partnerId)) throw e;
      }
      // a repeat inside the file (same ISA13, GS06, ST02, UNB 0020, UNG 0048, UNH 0062): the partner's duplicate policy, as the gateway applies it
      if (unit.duplicate && !inFilePolicy(deps.config, partnerId, unit)) continue;
      const t = await translateUnit(deps.config, partnerId, unit);
      validateTranslated(deps.validators, partnerId ?? '(none)', unit, t);
      const keys = businessKeys(t.type, t.document);
      sink.document({
        type: t.type, partnerId: partnerId ?? null, correlationId: keys.correlationId,
        source: { format, message: unit.message, ...(unit.version ? { version: unit.version } : {}), ...(unit.subset ? { subset: unit.subset } : {}), ...controlNumbers(unit) },
        document: t.document, usedRules: t.usedRules, ...(t.mapping ? { mappingFile: t.mapping.file } : {}),
        ...(unit.warnings?.length ? { warnings: unit.warnings.map((w) => ({ code: w.code, message: w.message })) } : {}),
      });
    } catch (e) {
      err(e, unit.position);
    }
  }
  if (streamed) for (const e of split.errors) err(e);
  return { format };
}
