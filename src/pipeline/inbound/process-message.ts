/**
 * Runs one stored message through the stages: detect format → split → (per unit) identify →
 * dedupe → translate → validate → correlate → store document → release. A failing stage writes
 * an exception (stage, stable code, message, detail) and the raw message stays. Every stage is
 * idempotent (document ids are derived from message id + unit position), so running a message
 * again after a crash or for a replay never yields a second document.
 * With tracing on (src/observability/tracing.ts), a run is the span edigw.process in the trace its
 * message's intake began (the traceparent in the row's metadata), with the stages as child spans.
 */
import { readAcknowledgements } from './read-acks.ts';
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { GatewayError, toGatewayError } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { CanonicalEnvelope } from '../../canonical/types.ts';
import type { CanonicalValidators } from '../../canonical/validate.ts';
import type { MessageRow } from '../../db/schema.ts';
import type { Store, UpsertResult } from '../../db/store.ts';
import type { NewJob } from '../../jobs/job-store.ts';
import type { ConfigView, PartnerView } from './config-port.ts';
import { detectFormat } from './detect-format.ts';
import { documentEvents } from '../../events/business-events.ts';
import { rawSourceOf, type RawSource } from './raw-source.ts';
import { DEFAULT_STREAM_THRESHOLD_BYTES, spool } from '../../storage/spool.ts';
import { ackSendJob } from '../outbound/send-ack.ts';
import { authorizeUnit, refusalKey } from './stages/authorize-sender.ts';
import { businessKeys } from './stages/business-keys.ts';
import { dedupeInterchange } from './stages/dedupe.ts';
import { controlNumbers, identifyPartner, partnerBySender } from './stages/identify.ts';
import { translateUnit } from './stages/translate.ts';
import { createTimeSlicer } from './time-slice.ts';
import { validateTranslated } from './stages/validate.ts';
import type { FormatReader, SplitResult, TranslationUnit, WireFormat } from './units.ts';
import { MAX_TRACED_UNITS, processSpan } from '../../observability/trace-spans.ts';
import { inSpan, startSpan, type TraceSpan, tracingOn, withTraceparent } from '../../observability/tracing.ts';

export type Stage = 'detect' | 'split' | 'identify' | 'dedupe' | 'translate' | 'validate' | 'correlate' | 'store' | 'ack' | 'release' | 'send' | 'process';

/** Lifecycle rules: decide whether a document is held back or passes (with warnings). */
export type Correlate = (envelope: CanonicalEnvelope, partner: PartnerView) => Promise<{
  hold: GatewayError[]; warnings: Array<{ code: string; message: string }>;
  /** the PO the document belongs to when it names only a shipment or order whose PO is known (a 214, a 944 without PO) */
  correlationId?: string;
}>;

export interface PipelineDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  config: () => ConfigView;
  readers: Partial<Record<WireFormat, FormatReader>>;
  validators: CanonicalValidators;
  correlate?: Correlate;
  /** jobs that commit with each document released to the ERP (its push, erp.push: delivery/erp-push.ts) */
  releaseJobs?: (envelope: CanonicalEnvelope, at: string) => NewJob[];
  /** called for each functional ack (997/999/TA1/CONTRL) once it is stored with its send job (ack.send, outbound/send-ack.ts) */
  onAckStored?: (ack: { messageId: string; partnerId: string; message: string; text: string }) => Promise<void>;
  /** the work between two turns of the event loop, which is also one store batch (one commit); default 10 ms */
  sliceMs?: number;
  /** a functional ack larger than this is stored in the file store, as a large message is (default 8 MiB, EDIGW_STREAM_THRESHOLD_BYTES) */
  streamThresholdBytes?: number;
}

export interface UnitOutcome {
  position: number;
  documentId?: string;
  type?: string;
  status: 'released' | 'held' | 'skipped' | 'failed';
  upsert?: UpsertResult['outcome'];
  error?: { stage: Stage; code: string; message: string; detail: unknown };
  envelope?: CanonicalEnvelope;
  previousEnvelope?: unknown;
}

/** documents of one message whose canonical envelope stays in its outcome (the `?wait=true` answer) */
export const OUTCOME_DOCUMENTS = 100;
/** units of one message listed in its outcome at all */
export const OUTCOME_UNITS = 1000;

export interface MessageOutcome {
  messageId: string;
  status: 'processed' | 'failed' | 'duplicate';
  partnerId: string | null;
  format?: WireFormat;
  units: UnitOutcome[];
  errors: Array<{ stage: Stage; code: string; message: string; detail: unknown }>;
  /** documents stored but not carried in `units[].envelope` (after the first OUTCOME_DOCUMENTS) */
  documentsNotShown?: number;
  /** units processed but not listed in `units` (after the first OUTCOME_UNITS): their documents and exceptions are stored */
  unitsNotShown?: number;
  /** functional acknowledgements the message carried (997/999/TA1, CONTRL): what the reconciler reads */
  receipts?: number;
  /** the acknowledgements we stored for it, with their disposition (edigw_acks_total) */
  acksSent?: Array<{ message: string; disposition: string }>;
}

class StageError extends Error {
  constructor(readonly stage: Stage, readonly error: GatewayError) { super(error.message); }
}

/** `span`: the unit's span when traced; the stage runs in its child span edigw.<stage> */
async function stage<T>(name: Stage, fn: () => Promise<T> | T, span?: TraceSpan): Promise<T> {
  try {
    return await (span ? inSpan(`edigw.${name}`, { parent: span }, fn) : fn());
  } catch (e) {
    if (e instanceof StageError) throw e;
    throw new StageError(name, toGatewayError(e));
  }
}

/** the messages a partner's profile declares it sends in a format */
export function declaredMessages(partner: PartnerView | undefined, format: WireFormat): string[] | undefined {
  const list = partner?.documents?.inbound?.filter((d) => d.format === format && d.message).map((d) => d.message!);
  return list && list.length > 0 ? list : undefined;
}

export function documentIdFor(messageId: string, position: number): string {
  return 'doc_' + createHash('sha256').update(`${messageId}:${position}`).digest('hex').slice(0, 24);
}

export function createMessageProcessor(deps: PipelineDeps) {
  const { store, clock, ids, logger } = deps;

  async function recordException(msg: MessageRow, partnerId: string | null, s: Stage, err: GatewayError, documentId?: string) {
    await store.addException({
      id: ids('exc'), messageId: msg.id, documentId: documentId ?? null, partnerId, stage: s,
      code: err.code, message: err.message, detail: { ...err.detail }, at: clock.now().toISOString(),
    });
    logger.warn('stage failed', { messageId: msg.id, partnerId, stage: s, code: err.code, error: err.message });
  }

  /** `trace`: the run's span (tracing on); `traced`: this unit gets its own span (one of the first MAX_TRACED_UNITS) */
  async function processUnit(msg: MessageRow, unit: TranslationUnit, format: WireFormat, seen: Map<string, string | null>, refused: Set<string>, trace?: { run: TraceSpan; traced: boolean }): Promise<UnitOutcome> {
    if (!trace) return processUnitIn(msg, unit, format, seen, refused);
    const span = trace.traced ? startSpan('edigw.unit', { parent: trace.run, attributes: {
      'edigw.unit.position': unit.position, 'edigw.format': format, 'edigw.message_type': unit.message, 'edigw.document_id': documentIdFor(msg.id, unit.position),
    } }) : undefined;
    try {
      const u = await processUnitIn(msg, unit, format, seen, refused, { span, jobsParent: (span ?? trace.run).traceparent });
      span?.set({ 'edigw.unit.status': u.status, 'edigw.document_type': u.type, 'edigw.partner': u.envelope?.partnerId });
      if (u.error) span?.fail(u.error.code, u.error.message);
      return u;
    } finally {
      span?.end();
    }
  }

  async function processUnitIn(msg: MessageRow, unit: TranslationUnit, format: WireFormat, seen: Map<string, string | null>, refused: Set<string>, trace?: { span?: TraceSpan; jobsParent: string }): Promise<UnitOutcome> {
    const t = trace?.span;
    const config = deps.config();
    const documentId = documentIdFor(msg.id, unit.position);
    let partner: PartnerView | undefined;
    try {
      partner = await stage('identify', () => identifyPartner(config, msg.partnerId, unit), t);
      const p = partner;
      // anti-spoofing: sender, receiver and document as the partner's profile declares them
      const authorized = authorizeUnit(p, unit, msg.partnerId !== null);
      if (authorized.refuse) throw new StageError('identify', authorized.refuse);
      if (unit.errors.length > 0) throw new StageError('split', unit.errors[0]!);
      const proceed = await stage('dedupe', () => dedupeInterchange(store, p, msg.id, unit, clock.now(), seen), t);
      if (!proceed) return { position: unit.position, status: 'skipped' };
      const translated = await stage('translate', () => translateUnit(config, p.id, unit), t);
      await stage('validate', () => validateTranslated(deps.validators, p.id, unit, translated), t);
      const keys = businessKeys(translated.type, translated.document);
      const test = p.status === 'test' || unit.envelope.test === true || msg.test;
      const envelope: CanonicalEnvelope = {
        id: documentId, type: translated.type, version: 1, partnerId: p.id, direction: 'inbound',
        receivedAt: msg.receivedAt, correlationId: keys.correlationId ?? documentId,
        ...(test ? { test: true } : {}),
        source: {
          format, message: unit.message,
          ...(unit.version ? { version: unit.version } : {}),
          ...controlNumbers(unit),
          messageId: msg.id,
        },
        document: translated.document as CanonicalEnvelope['document'],
      };
      const verdict = deps.correlate ? await stage('correlate', () => deps.correlate!(envelope, p), t) : { hold: [], warnings: [] };
      if (verdict.correlationId) envelope.correlationId = keys.correlationId = verdict.correlationId;
      // reader warnings first (EDIFACT directory substituted, X12 nearest version), then anti-spoofing and lifecycle
      const warnings = [...(unit.warnings ?? []).map((w) => ({ code: w.code, message: w.message })), ...authorized.warnings, ...verdict.warnings];
      if (warnings.length > 0) envelope.warnings = warnings;
      for (const w of authorized.warnings) logger.warn('anti-spoofing check failed (policy warn: processed)', { messageId: msg.id, partnerId: p.id, code: w.code, error: w.message });
      const held = verdict.hold.length > 0;
      const upsert = await stage('store', () => store.upsertDocument({
        id: documentId, messageId: msg.id, partnerId: p.id, type: translated.type, direction: 'inbound',
        businessKey: keys.businessKey, correlationId: keys.correlationId, envelope, status: held ? 'held' : 'ready',
        test, at: clock.now().toISOString(),
        // the push commits with the release: a crash can delay it, never lose it
        ...(!held && deps.releaseJobs ? { jobs: deps.releaseJobs(envelope, clock.now().toISOString()).map((j) => withTraceparent(j, trace?.jobsParent)) } : {}),
        // its business events (document.released, order.changed, invoice.held, ...) commit with it too
        events: documentEvents({ envelope, held, at: clock.now().toISOString(), findings: [
          ...verdict.hold.map((h) => ({ code: h.code, message: h.message, detail: { ...h.detail } })), ...verdict.warnings] }),
      }), t);
      for (const h of verdict.hold) await recordException(msg, p.id, 'correlate', h, documentId);
      return {
        position: unit.position, documentId, type: translated.type, status: held ? 'held' : 'released',
        upsert: upsert.outcome, envelope, previousEnvelope: upsert.previous ? JSON.parse(upsert.previous.envelope) : undefined,
      };
    } catch (e) {
      const se = e instanceof StageError ? e : new StageError('store', toGatewayError(e));
      const err = se.error;
      if (partner && err.detail.partnerId === undefined) err.detail.partnerId = partner.id;
      // the same refusal again in one message (thousands of undeclared 850s): one exception says it for all
      const key = refusalKey(err, unit);
      if (!key || !refused.has(key)) await recordException(msg, partner?.id ?? msg.partnerId, se.stage, err, documentId);
      if (key) refused.add(key);
      return { position: unit.position, documentId, status: 'failed', error: { stage: se.stage, code: err.code, message: err.message, detail: err.detail } };
    }
  }

  /** Ack: functional acknowledgements back to the sender, once per message (a replay does not resend). */
  async function acknowledge(msg: MessageRow, format: WireFormat, split: SplitResult, duplicateInterchanges: ReadonlySet<string>, span?: TraceSpan) {
    const config = deps.config();
    const partner = msg.partnerId ? config.partner(msg.partnerId) : partnerBySender(config, format, split.sender);
    if (!partner || !split.acknowledge) return;
    if ((await store.relatedMessages(msg.id)).length > 0) return;
    const now = clock.now();
    const acks = await split.acknowledge({
      policy: partner.acks ?? {}, now, duplicateInterchanges,
      issue: (kind, max) => store.nextControlNumber(partner.id, kind, max, now.toISOString()),
    });
    const sent: Array<{ message: string; disposition: string }> = [];
    for (const a of acks) {
      const id = ids('msg');
      // an ack written in chunks (a 997 of a large interchange) goes through the spool: past its threshold into the file store
      const spooled = a.body ? await spool(utf8Chunks(a.body()), { thresholdBytes: deps.streamThresholdBytes ?? DEFAULT_STREAM_THRESHOLD_BYTES, maxBytes: Number.MAX_SAFE_INTEGER, blobs: store.retention.blobs }) : undefined;
      const raw = spooled ? (spooled.bytes ? Buffer.from(spooled.bytes) : Buffer.alloc(0)) : a.bytes ? Buffer.from(a.bytes) : Buffer.from(a.text, 'utf8');
      const inFileStore = spooled?.stored;
      await store.insertMessage({
        id, receivedAt: now.toISOString(), direction: 'outbound', transport: 'ack', partnerId: partner.id, status: 'processed', relatedMessageId: msg.id,
        metadata: { ackFor: msg.id, kind: a.message, interchangeControlNumber: a.interchangeControlNumber, inReplyTo: a.inReplyTo, contentType: a.format === 'x12' ? 'application/edi-x12' : 'application/edifact' },
        contentSha256: inFileStore ? inFileStore.key : createHash('sha256').update(raw).digest('hex'), raw, test: msg.test,
        ...(inFileStore ? { rawRef: inFileStore.key, size: inFileStore.size } : {}),
        // its send (job ack.send) commits with it: a crash can delay the send, never lose it
        jobs: [withTraceparent(ackSendJob({ messageId: id, partnerId: partner.id }, now.toISOString()), span?.traceparent)],
      });
      logger.info('functional ack stored', { messageId: id, ackFor: msg.id, partnerId: partner.id, kind: a.message });
      sent.push(...ackDispositions(a, raw));
      span?.set({ 'edigw.ack.message_type': a.message, 'edigw.ack.message_id': id });
      await deps.onAckStored?.({ messageId: id, partnerId: partner.id, message: a.message, text: a.body ? (inFileStore ? '' : raw.toString('utf8')) : a.text });
    }
    return sent;
  }

  /** Processes a stored message; `by` is recorded when earlier open exceptions are superseded (replay). */
  async function processMessage(messageId: string, by = 'system'): Promise<MessageOutcome> {
    const msg = await store.getMessage(messageId);
    if (!msg) throw new GatewayError('message_not_found', `message ${messageId} does not exist`, { messageId });
    if (!tracingOn()) return run(msg, by);
    const traceparent = (JSON.parse(msg.metadata) as { traceparent?: string }).traceparent;
    return inSpan('edigw.process', processSpan(msg.id, traceparent, { partnerId: msg.partnerId, transport: msg.transport, by }), async (span) => {
      const outcome = await run(msg, by, span);
      const documents = outcome.units.filter((u) => u.envelope).length + (outcome.documentsNotShown ?? 0);
      span?.set({ 'edigw.status': outcome.status, 'edigw.format': outcome.format, 'edigw.partner': outcome.partnerId ?? undefined, 'edigw.documents': documents });
      const error = outcome.errors[0] ?? outcome.units.find((u) => u.error)?.error;
      if (error) span?.fail(error.code, error.message);
      return outcome;
    });
  }

  async function run(msg: MessageRow, by: string, span?: TraceSpan): Promise<MessageOutcome> {
    const now = () => clock.now().toISOString();
    await store.resolveExceptions(msg.id, 'replayed', by, now());
    const outcome: MessageOutcome = { messageId: msg.id, status: 'processed', partnerId: msg.partnerId, units: [], errors: [] };
    const fail = async (s: Stage, err: GatewayError) => {
      await recordException(msg, msg.partnerId, s, err);
      outcome.errors.push({ stage: s, code: err.code, message: err.message, detail: err.detail });
      outcome.status = 'failed';
    };
    const metadata = JSON.parse(msg.metadata) as Record<string, string>;
    let correlationId: string | null = null;
    let source: RawSource | undefined;
    try {
      source = rawSourceOf(store, msg);
    } catch (e) {
      await fail('detect', toGatewayError(e));
    }
    const format = source && detectFormat(source.head, metadata.contentType);
    if (!source) {
      // the bytes could not be read (purged, file store missing): the exception says why
    } else if (!format) {
      await fail('detect', new GatewayError('format_unknown', 'the content is not X12 (ISA), EDIFACT (UNA/UNB), XML, JSON or CSV (declare Content-Type: text/csv)', { partnerId: msg.partnerId ?? undefined, found: previewBytes(source.head) }));
    } else {
      outcome.format = format;
      const reader = deps.readers[format];
      if (!reader) {
        await fail('detect', new GatewayError('format_unsupported', `${format} messages are not supported by this gateway yet`, { partnerId: msg.partnerId ?? undefined }));
      } else {
        const partner = msg.partnerId ? deps.config().partner(msg.partnerId) : undefined;
        // a web EDI form (src/portal/web-edi.ts) is canonical JSON, whatever the partner's own JSON is
        const formatOptions = msg.transport === 'portal' && format === 'json' ? { canonical: true } : partner?.formats?.[format];
        const ctx = { partnerId: msg.partnerId ?? undefined, formatOptions, inboundMessages: declaredMessages(partner, format), metadata };
        // the read of the whole interchange (a streaming reader reads as the units are taken, so this span lasts until the last)
        const splitSpan = span && startSpan('edigw.split', { parent: span, attributes: { 'edigw.format': format } });
        // a large message in the file store is read slice by slice by a reader that can (X12); others read it whole
        const split = await (source.sliced && reader.splitSlices ? reader.splitSlices(source.slices(), ctx) : source.whole().then((raw) => reader.split(raw, ctx)))
          .catch((e): SplitResult => ({ units: [], errors: [toGatewayError(e, `${format}_unreadable`)] }));
        const seen = new Map<string, string | null>();
        const duplicateInterchanges = new Set<string>();
        let first: { partnerId: string; correlationId: string | null } | undefined;
        const refused = new Set<string>();
        let unitCount = 0;
        // units first: a streaming reader (X12) yields each as it reads, and knows the message-level
        // errors (counts, trailers, garbage) only at the end
        const units = split.units[Symbol.iterator]();
        const slicer = createTimeSlicer(deps.sliceMs);
        // one slice of units (10 ms of work) is one store batch: one commit instead of one per document
        const slice = () => store.batch(async (): Promise<boolean> => {
          for (;;) {
            if (slicer.due()) return false;
            let next: IteratorResult<TranslationUnit>;
            try {
              next = units.next();
            } catch (e) {
              // a streaming reader failing part way: what it read stays processed, the rest is an exception
              split.errors.push(toGatewayError(e, `${format}_unreadable`));
              return true;
            }
            if (next.done) return true;
            if (span && unitCount === 0) span.set({ 'edigw.message_type': next.value.message });
            const u = await processUnit(msg, next.value, format, seen, refused, span && { run: span, traced: unitCount < MAX_TRACED_UNITS });
            if (u.error?.code === 'duplicate_interchange') duplicateInterchanges.add(String((u.error.detail as { interchangeControlNumber?: string }).interchangeControlNumber ?? ''));
            if (u.envelope && !first) first = { partnerId: u.envelope.partnerId, correlationId: u.envelope.correlationId ?? null };
            if (u.status === 'failed') outcome.status = 'failed';
            // a big message keeps only the first documents in its outcome (the rest are stored, not held here),
            // and lists only its first OUTCOME_UNITS units: the outcome does not grow with the message
            if (unitCount >= OUTCOME_DOCUMENTS && u.envelope) {
              delete u.envelope; delete u.previousEnvelope;
              outcome.documentsNotShown = (outcome.documentsNotShown ?? 0) + 1;
            }
            if (unitCount < OUTCOME_UNITS) outcome.units.push(u);
            else outcome.unitsNotShown = (outcome.unitsNotShown ?? 0) + 1;
            unitCount++;
          }
        });
        // a turn for the event loop between slices (HTTP, timers), with the slice's writes committed
        while (!(await slice())) await slicer.pause();
        for (const err of split.errors) await fail('split', err);
        if (splitSpan) {
          splitSpan.set({ 'edigw.units': unitCount, 'edigw.split.errors': split.errors.length });
          if (split.errors[0]) splitSpan.fail(split.errors[0].code, split.errors[0].message);
          splitSpan.end();
          if (unitCount > MAX_TRACED_UNITS) span?.set({ 'edigw.units_not_traced': unitCount - MAX_TRACED_UNITS });
        }
        if (split.receiptCount) outcome.receipts = split.receiptCount;
        if (unitCount === 0 && split.errors.length === 0 && !split.receiptCount) {
          await fail('split', new GatewayError('message_empty', 'the message holds no document', { partnerId: msg.partnerId ?? undefined }));
        }
        // the partner: authenticated, else the first document's, else the envelope sender's (an acks-only message)
        outcome.partnerId ??= first?.partnerId ?? partnerBySender(deps.config(), format, split.sender)?.id ?? null;
        correlationId = first?.correlationId ?? null;
        if (split.acknowledge) {
          try {
            const sent = await (span ? inSpan('edigw.ack', { parent: span }, (s) => acknowledge(msg, format, split, duplicateInterchanges, s)) : acknowledge(msg, format, split, duplicateInterchanges));
            if (sent?.length) outcome.acksSent = sent;
          } catch (e) {
            await fail('ack', toGatewayError(e));
          }
        }
      }
    }
    await store.updateMessage(msg.id, {
      status: outcome.status, format: outcome.format ?? null, partnerId: outcome.partnerId,
      correlationId,
    }, now());
    return outcome;
  }

  return { processMessage };
}

async function* utf8Chunks(chunks: Iterable<string>): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield Buffer.from(c, 'utf8');
}

function previewBytes(raw: Uint8Array): string {
  return JSON.stringify(Buffer.from(raw.subarray(0, 40)).toString('latin1'));
}

/** what an acknowledgement we stored says (read back from its text: the standard's codes, not our intent), at most 100 */
function ackDispositions(a: { format: string; message: string }, raw: Buffer): Array<{ message: string; disposition: string }> {
  // an ack written to the file store (a large interchange's) is not read back: its bytes are not in memory
  if (raw.byteLength === 0 || raw.byteLength > 1024 * 1024) return [{ message: a.message, disposition: 'not_read' }];
  const read = readAcknowledgements(a.format === 'edifact' ? 'edifact' : 'x12', raw);
  if (read.length === 0) return [{ message: a.message, disposition: 'not_read' }];
  return read.slice(0, 100).map((r) => ({ message: r.message, disposition: r.disposition }));
}
