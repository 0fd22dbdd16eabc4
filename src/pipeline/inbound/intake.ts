/**
 * Intake: the `Ingest` every transport is handed. It commits the raw bytes (group commit) and only
 * then answers, so a transport acknowledges its sender (202, MDN, remote delete) after the commit.
 * The same bytes from the same partner again are stored too (nothing is dropped) but marked a
 * duplicate of the first, and not processed. A message the transport refused is stored as it came,
 * with an exception (stage `receive`) saying why. A large message the transport streamed into the
 * file store (`stored`, src/storage/spool.ts) is stored as a row referencing its blob.
 * With tracing on, intake is the root span of the message's trace, and its traceparent is stored in
 * the message's metadata (`traceparent`): processing (maybe in another thread or node, maybe after a
 * restart) and the ERP feed continue the trace from the row.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { GatewayError } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Ingest, InboundMessage, IngestReceipt } from '../../core/ingest.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import { metrics } from '../../metrics/registry.ts';
import { intakeSpan } from '../../observability/trace-spans.ts';
import { failSpan, startSpan, tracingOn } from '../../observability/tracing.ts';

export interface IntakeDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  maxBytes: number;
  /** called after the commit for messages to process (not for duplicates) */
  onStored(messageId: string): void;
}

export function createIntake(deps: IntakeDeps): Ingest {
  return async (m: InboundMessage): Promise<IngestReceipt> => {
    const size = m.stored ? m.stored.size : m.bytes.byteLength;
    if (size > deps.maxBytes) {
      throw new GatewayError('message_too_large', `message of ${size} bytes exceeds the limit of ${deps.maxBytes} bytes`, { partnerId: m.partnerId, expected: `at most ${deps.maxBytes} bytes`, found: String(size) });
    }
    const id = deps.ids('msg');
    const span = tracingOn() ? startSpan('edigw.intake', intakeSpan(m, id, size)) : undefined;
    if (!span) return take(m, id, m.metadata);
    try {
      const receipt = await take(m, id, { ...m.metadata, traceparent: span.traceparent });
      span.set({ 'edigw.intake.outcome': m.rejected ? 'refused' : receipt.duplicateOf ? 'duplicate' : 'stored', 'edigw.duplicate_of': receipt.duplicateOf });
      if (m.rejected) span.fail(m.rejected.code, m.rejected.message);
      return receipt;
    } catch (e) {
      failSpan(span, e);
      throw e;
    } finally {
      span.end();
    }
  };

  async function take(m: InboundMessage, id: string, metadata: Record<string, string>): Promise<IngestReceipt> {
    const at = deps.clock.now().toISOString();
    // a body streamed into the file store was hashed as it was written: its key is its SHA-256
    const contentSha256 = m.stored ? m.stored.key : createHash('sha256').update(m.bytes).digest('hex');
    await deps.store.insertMessage({
      id, receivedAt: at, direction: 'inbound', transport: m.transport, partnerId: m.partnerId ?? null,
      metadata, contentSha256, raw: m.stored ? new Uint8Array(0) : m.bytes, test: false,
      ...(m.stored ? { rawRef: m.stored.key, size: m.stored.size } : {}),
    });
    if (m.rejected) {
      await deps.store.addException({
        id: deps.ids('exc'), messageId: id, partnerId: m.partnerId ?? null, stage: 'receive', code: m.rejected.code,
        message: m.rejected.message, detail: { ...m.rejected.detail, transport: m.transport }, at,
      });
      await deps.store.updateMessage(id, { status: 'failed' }, at);
      deps.logger.warn('refused message stored with its exception', { messageId: id, partnerId: m.partnerId, code: m.rejected.code });
      metrics.messageReceived(m.partnerId, m.transport, 'refused', m.rejected.code);
      return { messageId: id };
    }
    const earlier = await deps.store.findByContent(m.partnerId ?? null, contentSha256, id);
    if (earlier) {
      await deps.store.updateMessage(id, { status: 'duplicate', duplicateOf: earlier.id }, at);
      deps.logger.info('duplicate message stored, not processed', { messageId: id, duplicateOf: earlier.id, partnerId: m.partnerId });
      metrics.messageReceived(m.partnerId, m.transport, 'duplicate');
      return { messageId: id, duplicateOf: earlier.id };
    }
    metrics.messageReceived(m.partnerId, m.transport, 'stored');
    deps.onStored(id);
    return { messageId: id };
  }
}
