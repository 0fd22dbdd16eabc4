/**
 * The outbound purchase order flow: render (validated, fresh control numbers from the store) ->
 * store the wire bytes as an outbound message and the canonical document (correlation id = PO
 * number, so the lifecycle rules find the PO) -> send on the partner's channel in the background
 * -> record the outcome (send job, audit entry; a failure ends in the exception queue, stage
 * 'send'). Pending sends are resumed at start.
 */
import { createHash } from 'node:crypto';
import type { CanonicalValidators } from '../../canonical/validate.ts';
import type { Clock } from '../../core/clock.ts';
import { GatewayError } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import type { OurEdifactId } from './envelope-edifact.ts';
import type { OurX12Id } from './envelope.ts';
import { ACK_TARGET, ackJobId, outboundGroupKey, outboundInterchangeKey, SEND_TARGET, sendJobId } from './jobs.ts';
import { DEFAULT_OUR_X12, documentOf, outboundExchange, renderOutbound, type RenderedOutbound } from './render.ts';
import { outboundFileName, type OutboundSender, type SendResult } from './send.ts';
import type { OutboundConfig } from './types.ts';
import type { MessageOutcome, Stage } from '../process-message.ts';

export interface OutboundServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  config: () => OutboundConfig;
  validators: CanonicalValidators;
  sender: OutboundSender;
  ourX12?: OurX12Id;
  /** our UNB sender; default EDIGW / ZZZ */
  ourEdifact?: OurEdifactId;
}

export interface SubmittedOutbound {
  messageId: string;
  documentId: string;
  partnerId: string;
  poNumber: string;
  channel: string;
  interchangeControlNumber?: string;
  groupControlNumber?: string;
  transactionControlNumber?: string;
  fileName: string;
  /** true when the same purchase order (same partner, PO number and content) was already submitted: nothing new was sent */
  duplicate?: boolean;
}

export function createOutboundService(deps: OutboundServiceDeps) {
  const { store, clock, ids, logger } = deps;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  async function submit(partnerId: string, input: unknown, actor: string): Promise<SubmittedOutbound> {
    const config = deps.config();
    const partner = config.partner(partnerId);
    if (!partner) throw new GatewayError('partner_unknown', `no partner "${partnerId}" is configured`, { partnerId });
    const earlier = await findSameOrder(partnerId, input);
    if (earlier) return earlier;
    const now = clock.now();
    const at = now.toISOString();
    const messageId = ids('msg');
    const previousPayloadId = await previousOrderRequest(partner, input);
    const rendered: RenderedOutbound = await renderOutbound({ config, validators: deps.validators }, partnerId, input, {
      now, ourId: deps.ourX12 ?? DEFAULT_OUR_X12, ...(deps.ourEdifact ? { ourEdifactId: deps.ourEdifact } : {}),
      controlNumbers: (kind, max) => store.nextControlNumber(partnerId, kind, max, at),
      // cXML payloadID: <time>.<message id>@<domain>, unique because the message id is
      cxmlUnique: messageId,
      ...(previousPayloadId ? { cxmlPreviousPayloadId: previousPayloadId } : {}),
    });
    const channel = partner.outbound?.channel ?? 'pickup';
    const documentId = ids('doc');
    const fileName = outboundFileName(partner, rendered, messageId);
    const test = partner.status === 'test';
    const metadata: Record<string, string> = {
      kind: 'purchase_order', poNumber: rendered.poNumber, channel, fileName, contentType: rendered.contentType,
      format: rendered.format, message: rendered.message, mappingFile: rendered.mappingFile,
      ...(rendered.version ? { version: rendered.version } : {}),
      ...(rendered.interchangeControlNumber ? { interchangeControlNumber: rendered.interchangeControlNumber } : {}),
      ...(rendered.groupControlNumber ? { groupControlNumber: rendered.groupControlNumber } : {}),
      ...(rendered.transactionControlNumber ? { transactionControlNumber: rendered.transactionControlNumber } : {}),
    };
    await store.insertMessage({
      id: messageId, receivedAt: at, direction: 'outbound', transport: channel, partnerId, metadata,
      contentSha256: createHash('sha256').update(rendered.bytes).digest('hex'), raw: rendered.bytes, test, status: 'processed',
      ...(externalIdOf(partnerId, rendered) ? { externalId: externalIdOf(partnerId, rendered) } : {}),
    });
    const envelope = {
      id: documentId, type: 'purchase_order', version: 1, partnerId, direction: 'outbound', receivedAt: at, correlationId: rendered.poNumber,
      ...(test ? { test: true } : {}),
      source: {
        format: rendered.format, message: rendered.message, messageId,
        ...(rendered.version ? { version: rendered.version } : {}),
        ...(rendered.interchangeControlNumber ? { interchangeControlNumber: rendered.interchangeControlNumber } : {}),
        ...(rendered.groupControlNumber ? { groupControlNumber: rendered.groupControlNumber } : {}),
        ...(rendered.transactionControlNumber ? { transactionControlNumber: rendered.transactionControlNumber } : {}),
      },
      document: rendered.document,
    };
    // stored 'held' then marked delivered at once: the ERP is where the PO came from, it must not come back on the feed
    await store.upsertDocument({ id: documentId, messageId, partnerId, type: 'purchase_order', direction: 'outbound', businessKey: rendered.poNumber,
      correlationId: rendered.poNumber, envelope, status: 'held', test, at });
    await store.ackFeed([documentId], at);
    await store.enqueueDelivery({ id: sendJobId(documentId), documentId, partnerId, target: SEND_TARGET, at });
    if ((rendered.format === 'x12' && partner.acks?.x12 !== 'none') || (rendered.format === 'edifact' && partner.acks?.edifact === 'contrl')) {
      await store.enqueueDelivery({ id: ackJobId(documentId), documentId, partnerId, target: ACK_TARGET, at });
    }
    await store.audit({ at, actor, action: 'outbound_rendered', subject: messageId, detail: { partnerId, documentId, ...metadata } });
    logger.info('outbound purchase order stored', { partnerId, messageId, documentId, poNumber: rendered.poNumber, channel });
    track(dispatch(documentId, messageId, partnerId, fileName, rendered.bytes, rendered.contentType));
    return { messageId, documentId, partnerId, poNumber: rendered.poNumber, channel, fileName,
      ...(rendered.interchangeControlNumber ? { interchangeControlNumber: rendered.interchangeControlNumber } : {}),
      ...(rendered.groupControlNumber ? { groupControlNumber: rendered.groupControlNumber } : {}),
      ...(rendered.transactionControlNumber ? { transactionControlNumber: rendered.transactionControlNumber } : {}) };
  }

  /** cXML change/cancel: the payloadID of the order's most recent OrderRequest the partner accepted */
  async function previousOrderRequest(partner: Parameters<typeof outboundExchange>[0], input: unknown): Promise<string | undefined> {
    const doc = documentOf(input).document as { poNumber?: unknown; purpose?: unknown } | undefined;
    if (!doc || typeof doc.poNumber !== 'string' || (doc.purpose !== 'change' && doc.purpose !== 'cancel')) return undefined;
    let exchange: { format: string; message: string };
    try { exchange = outboundExchange(partner); } catch { return undefined; }
    if (exchange.format !== 'xml' || exchange.message !== 'OrderRequest') return undefined;
    for (const row of await store.findDocuments({ businessKey: doc.poNumber, partnerId: partner.id, type: 'purchase_order', limit: 50 })) {
      if (row.direction !== 'outbound' || (await store.getDeliveryJob(sendJobId(row.id)))?.status !== 'delivered') continue;
      const msg = await store.getMessage(row.messageId);
      const meta = msg ? JSON.parse(msg.metadata) as Record<string, string> : {};
      if (meta.format === 'xml' && meta.message === 'OrderRequest' && meta.interchangeControlNumber) return meta.interchangeControlNumber;
    }
    return undefined;
  }

  /** how an inbound functional ack finds this interchange again: X12 by GS06, EDIFACT by UNB 0020 */
  function externalIdOf(partnerId: string, r: RenderedOutbound): string | undefined {
    if (r.format === 'x12' && r.groupControlNumber) return outboundGroupKey(partnerId, r.groupControlNumber);
    if (r.format === 'edifact' && r.interchangeControlNumber) return outboundInterchangeKey(partnerId, r.interchangeControlNumber);
    return undefined;
  }

  /** an ERP that retries a POST after a timeout must not order twice: same partner, PO number and document = the same order */
  async function findSameOrder(partnerId: string, input: unknown): Promise<SubmittedOutbound | undefined> {
    const doc = documentOf(input).document as { poNumber?: unknown } | undefined;
    if (!doc || typeof doc.poNumber !== 'string') return undefined;
    const same = stableJson(doc);
    for (const row of await store.findDocuments({ businessKey: doc.poNumber, partnerId, type: 'purchase_order', limit: 50 })) {
      if (row.direction !== 'outbound') continue;
      const env = JSON.parse(row.envelope) as { document?: unknown; source?: Record<string, string> };
      if (stableJson(env.document) !== same) continue;
      const msg = await store.getMessage(row.messageId);
      const meta = msg ? JSON.parse(msg.metadata) as Record<string, string> : {};
      return { messageId: row.messageId, documentId: row.id, partnerId, poNumber: doc.poNumber, channel: meta.channel ?? 'pickup', fileName: meta.fileName ?? '', duplicate: true,
        ...(meta.interchangeControlNumber ? { interchangeControlNumber: meta.interchangeControlNumber } : {}),
        ...(meta.groupControlNumber ? { groupControlNumber: meta.groupControlNumber } : {}),
        ...(meta.transactionControlNumber ? { transactionControlNumber: meta.transactionControlNumber } : {}) };
    }
    return undefined;
  }

  function track(p: Promise<unknown>): void {
    const q = p.catch((e) => logger.error('outbound send crashed', { error: String(e) })).finally(() => inFlight.delete(q));
    inFlight.add(q);
  }

  async function dispatch(documentId: string, messageId: string, partnerId: string, fileName: string, bytes: Uint8Array, contentType: string): Promise<SendResult | undefined> {
    const jobId = sendJobId(documentId);
    const now = clock.now();
    // the lease keeps a second gateway (or a resume) from sending the same document twice
    if (!(await store.leaseDelivery(jobId, new Date(now.getTime() + 30 * 60_000).toISOString(), now.toISOString()))) return undefined;
    const partner = deps.config().partner(partnerId);
    const result: SendResult = partner
      ? await deps.sender.send(partner, { fileName, bytes, contentType })
      : { channel: 'pickup', status: 'failed', attempts: 0, code: 'partner_unknown', detail: `partner "${partnerId}" is no longer configured` };
    const at = clock.now().toISOString();
    const outcome = {
      channel: result.channel, status: result.status, detail: result.detail, attempts: result.attempts,
      ...(result.remotePath ? { remotePath: result.remotePath } : {}), ...(result.as2MessageId ? { as2MessageId: result.as2MessageId } : {}),
      ...(result.mic ? { mic: result.mic } : {}),
      ...(result.mdn ? { mdn: { disposition: result.mdn.disposition.raw, signed: result.mdn.signed, originalMessageId: result.mdn.originalMessageId } } : {}),
      ...(result.url ? { url: result.url } : {}), ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}),
      ...(result.cxmlStatus ? { cxml: result.cxmlStatus } : {}),
      ...(result.code ? { code: result.code } : {}), at,
    };
    const failed = result.status === 'failed' || result.status === 'mdn_error';
    await store.updateDelivery(jobId, { status: failed ? 'failed' : 'delivered', attempts: result.attempts, leaseUntil: null, lastError: JSON.stringify(outcome) }, at);
    await store.audit({ at, actor: 'system', action: `outbound_${result.status}`, subject: messageId, detail: { partnerId, documentId, ...outcome } });
    if (failed) {
      await store.addException({
        id: ids('exc'), messageId, documentId, partnerId, stage: 'send', code: result.code ?? 'outbound_send_failed',
        message: `purchase order not delivered to ${partnerId} over ${result.channel}: ${result.detail}`, detail: { partnerId, ...outcome }, at,
      });
      logger.warn('outbound send failed', { partnerId, messageId, ...outcome });
    } else {
      logger.info('outbound sent', { partnerId, messageId, status: result.status });
    }
    return result;
  }

  /**
   * Sends a stored outbound PO again (replay of its 'send' exception); undefined when the message is
   * not an outbound PO, so the caller's pipeline never translates our own document as inbound.
   */
  async function resend(messageId: string, by: string): Promise<MessageOutcome | undefined> {
    const msg = await store.getMessage(messageId);
    if (!msg || msg.direction !== 'outbound' || !msg.partnerId) return undefined;
    const [doc] = await store.documentsForMessage(msg.id);
    const job = doc ? await store.getDeliveryJob(sendJobId(doc.id)) : undefined;
    if (!doc || !job) return undefined;
    const at = clock.now().toISOString();
    await store.resolveExceptions(msg.id, 'replayed', by, at);
    await store.updateDelivery(job.id, { status: 'pending', leaseUntil: null, nextAttemptAt: at }, at);
    const meta = JSON.parse(msg.metadata) as Record<string, string>;
    const result = await dispatch(doc.id, msg.id, msg.partnerId, meta.fileName ?? `${msg.id}.edi`, msg.raw, meta.contentType ?? 'application/octet-stream');
    const failed = !result || result.status === 'failed' || result.status === 'mdn_error';
    return {
      messageId: msg.id, status: failed ? 'failed' : 'processed', partnerId: msg.partnerId, units: [],
      errors: failed ? [{ stage: 'send' as Stage, code: result?.code ?? 'outbound_send_in_progress', message: result?.detail ?? 'another send of this message is in progress', detail: result ?? {} }] : [],
    };
  }

  /** Sends what was stored but not sent (a crash or stop between storing and sending). */
  async function resume(): Promise<number> {
    let n = 0;
    for (const partnerId of await store.deliveryPartners(SEND_TARGET)) {
      for (const job of await store.pendingDeliveries(SEND_TARGET, partnerId, 500)) {
        const msg = await store.getMessage(job.messageId);
        if (!msg || stopped) continue;
        const meta = JSON.parse(msg.metadata) as Record<string, string>;
        track(dispatch(job.documentId, msg.id, partnerId, meta.fileName ?? `${msg.id}.edi`, msg.raw, meta.contentType ?? 'application/octet-stream'));
        n++;
      }
    }
    return n;
  }

  return {
    submit,
    resume,
    resend,
    /** waits for the sends started so far (tests, shutdown) */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async stop(): Promise<void> {
      stopped = true;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type OutboundService = ReturnType<typeof createOutboundService>;

/** JSON with object keys sorted, to compare documents whatever the key order */
function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => (value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value));
}
