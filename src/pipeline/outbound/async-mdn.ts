/**
 * An asynchronous MDN that a partner posts to our /as2 for something we sent: found by its
 * Original-Message-ID among our AS2 sends, it turns the send's status from `sent` into `mdn_ok`,
 * or `mdn_error` with an exception (stage `send`) naming the disposition.
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import { parseOutcome, SEND_TARGET } from './jobs.ts';

export interface AsyncMdnFacts {
  originalMessageId?: string;
  /** `ok`: processed with no error/failure modifier */
  disposition: { raw: string; ok: boolean };
  signed: boolean;
}

export function createAsyncMdnRecorder(deps: { store: Store; clock: Clock; ids: IdGenerator; logger: Logger }) {
  const { store, clock, logger } = deps;
  return async (mdn: AsyncMdnFacts, meta: { partnerId: string }): Promise<void> => {
    const id = mdn.originalMessageId?.trim();
    const job = id ? await store.findDeliveryByOutcome(SEND_TARGET, 'as2MessageId', id) : undefined;
    const at = clock.now().toISOString();
    if (!job || job.partnerId !== meta.partnerId) {
      logger.warn('asynchronous MDN for no AS2 message we sent', { partnerId: meta.partnerId, originalMessageId: id });
      await store.audit({ at, actor: 'system', action: 'async_mdn_unmatched', subject: id ?? null, detail: { partnerId: meta.partnerId, disposition: mdn.disposition.raw } });
      return;
    }
    const ok = mdn.disposition.ok;
    const previous = parseOutcome(job.lastError) ?? {};
    const outcome = { ...previous, status: ok ? 'mdn_ok' : 'mdn_error', mdn: { disposition: mdn.disposition.raw, signed: mdn.signed, originalMessageId: id, async: true }, at };
    await store.updateDelivery(job.id, { status: ok ? 'delivered' : 'failed', lastError: JSON.stringify(outcome) }, at);
    const doc = await store.getDocument(job.documentId);
    await store.audit({ at, actor: 'system', action: `outbound_${outcome.status}`, subject: doc?.messageId ?? job.documentId, detail: { partnerId: meta.partnerId, as2MessageId: id, disposition: mdn.disposition.raw } });
    if (!ok) {
      await store.addException({
        id: deps.ids('exc'), messageId: doc?.messageId ?? job.documentId, documentId: job.documentId, partnerId: meta.partnerId, stage: 'send', code: 'as2_mdn_error',
        message: `${meta.partnerId} answered our AS2 message ${id} with "${mdn.disposition.raw}"`, detail: { as2MessageId: id, disposition: mdn.disposition.raw }, at,
      });
    }
  };
}
