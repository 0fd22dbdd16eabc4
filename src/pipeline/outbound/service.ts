/**
 * The outbound purchase order flow: render (validated, fresh control numbers from the store) ->
 * store the wire bytes as an outbound message and the canonical document (correlation id = PO
 * number, so the lifecycle rules find the PO) -> send on the partner's channel: a `partner.send`
 * job committed with the stored message (partner-send.ts), run by the gateway's job runner, which
 * records the outcome (tracking row, audit entry; a failure ends in the exception queue, stage
 * 'send', and its replay re-runs the job). Nothing is resumed at start: a crash delays the job.
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
import { businessKeys } from '../inbound/stages/business-keys.ts';
import { DEFAULT_OUR_X12, documentOf, isOutboundType, outboundExchange, renderOutbound, type RenderedOutbound } from './render.ts';
import { partnerSendJob } from './partner-send.ts';
import { outboundFileName } from './send.ts';
import type { OutboundConfig } from './types.ts';

export interface OutboundServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  config: () => OutboundConfig;
  validators: CanonicalValidators;
  /** a job runner in this process: woken when a send job was just stored, drained by idle() */
  jobs?: { wake(): void; drain(): Promise<void> };
  ourX12?: OurX12Id;
  /** our UNB sender; default EDIGW / ZZZ */
  ourEdifact?: OurEdifactId;
}

export interface SubmittedOutbound {
  messageId: string;
  documentId: string;
  partnerId: string;
  /** purchase_order, warehouse_order (940) or stock_transfer (943) */
  type: string;
  /** the number the document goes by: the PO number; a warehouse order's orderNumber, a transfer's transferNumber */
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
      kind: rendered.type, poNumber: rendered.poNumber, channel, fileName, contentType: rendered.contentType,
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
      // its send commits with it: a crash can delay the send, never lose it (the job waits for the document below)
      jobs: [partnerSendJob({ messageId, documentId, partnerId }, at)],
    });
    const envelope = {
      id: documentId, type: rendered.type, version: 1, partnerId, direction: 'outbound', receivedAt: at, correlationId: rendered.correlationId,
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
    await store.upsertDocument({ id: documentId, messageId, partnerId, type: rendered.type, direction: 'outbound', businessKey: rendered.poNumber,
      correlationId: rendered.correlationId, envelope, status: 'held', test, at });
    await store.ackFeed([documentId], at);
    await store.enqueueDelivery({ id: sendJobId(documentId), documentId, partnerId, target: SEND_TARGET, at });
    if ((rendered.format === 'x12' && partner.acks?.x12 !== 'none') || (rendered.format === 'edifact' && partner.acks?.edifact === 'contrl')) {
      await store.enqueueDelivery({ id: ackJobId(documentId), documentId, partnerId, target: ACK_TARGET, at });
    }
    await store.audit({ at, actor, action: 'outbound_rendered', subject: messageId, detail: { partnerId, documentId, ...metadata } });
    logger.info('outbound document stored', { partnerId, messageId, documentId, type: rendered.type, poNumber: rendered.poNumber, channel });
    deps.jobs?.wake();
    return { messageId, documentId, partnerId, type: rendered.type, poNumber: rendered.poNumber, channel, fileName,
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

  /** an ERP that retries a POST after a timeout must not order twice: same partner, type, number and document = the same order */
  async function findSameOrder(partnerId: string, input: unknown): Promise<SubmittedOutbound | undefined> {
    const { type, document: doc } = documentOf(input);
    if (!isOutboundType(type) || !doc || typeof doc !== 'object') return undefined;
    const number = businessKeys(type, doc).businessKey;
    if (!number) return undefined;
    const same = stableJson(doc);
    for (const row of await store.findDocuments({ businessKey: number, partnerId, type, limit: 50 })) {
      if (row.direction !== 'outbound') continue;
      const env = JSON.parse(row.envelope) as { document?: unknown; source?: Record<string, string> };
      if (stableJson(env.document) !== same) continue;
      const msg = await store.getMessage(row.messageId);
      const meta = msg ? JSON.parse(msg.metadata) as Record<string, string> : {};
      return { messageId: row.messageId, documentId: row.id, partnerId, type, poNumber: number, channel: meta.channel ?? 'pickup', fileName: meta.fileName ?? '', duplicate: true,
        ...(meta.interchangeControlNumber ? { interchangeControlNumber: meta.interchangeControlNumber } : {}),
        ...(meta.groupControlNumber ? { groupControlNumber: meta.groupControlNumber } : {}),
        ...(meta.transactionControlNumber ? { transactionControlNumber: meta.transactionControlNumber } : {}) };
    }
    return undefined;
  }

  /**
   * Sends stored by a version before jobs and still pending (their `partner_send` tracking row,
   * no job) get their partner.send job; how many. Idempotent (the job key).
   */
  async function resume(): Promise<number> {
    let n = 0;
    const at = clock.now().toISOString();
    for (const row of await store.pendingJobs(SEND_TARGET, 10_000)) {
      const doc = await store.getDocument(row.documentId);
      if (!doc) continue;
      if ((await store.jobs.enqueue(null, partnerSendJob({ messageId: doc.messageId, documentId: doc.id, partnerId: row.partnerId }, at))).created) n++;
    }
    return n;
  }

  return {
    submit,
    resume,
    /** runs the send jobs that are due (the runner given; tests) */
    async idle(): Promise<void> {
      await deps.jobs?.drain();
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
