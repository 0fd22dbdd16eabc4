/**
 * An asynchronous MDN that a partner posts to our /as2 for something we sent: found by its
 * Original-Message-ID among our AS2 sends, it turns the send's status from `sent` into `mdn_ok`,
 * or `mdn_error` with an exception (stage `send`) naming the disposition. When the send recorded
 * the MIC we computed (`mic` in the send job's outcome, `base64, sha-256`), a positive MDN must
 * return it in Received-Content-MIC: a missing or different MIC is an `mdn_error` naming both.
 * The same MDN posted again (a partner retrying because our 200 was lost) changes nothing.
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import { parseReceivedMic } from '../../transports/as2/mic.ts';
import { parseMicAlgorithm } from '../../transports/as2/oids.ts';
import { parseOutcome, SEND_TARGET } from './jobs.ts';

export interface AsyncMdnFacts {
  originalMessageId?: string;
  /** `ok`: processed with no error/failure modifier */
  disposition: { raw: string; ok: boolean };
  signed: boolean;
  /** Received-Content-MIC as the partner returned it */
  receivedContentMic?: { value: string; label: string };
}

export type MicCheck = { ok: true } | { ok: false; detail: string };

/**
 * Compares the MIC we computed at send time (`value, label`) with the partner's
 * Received-Content-MIC: same digest algorithm (labels `sha-256` and `sha256` are one) and the same base64 value.
 */
export function checkReceivedMic(ours: string, theirs: { value: string; label: string } | undefined): MicCheck {
  if (!theirs) return { ok: false, detail: `the MDN has no Received-Content-MIC; ours is ${ours}` };
  const want = parseReceivedMic(ours);
  const theirsText = `${theirs.value}, ${theirs.label}`;
  const sameAlgorithm = want !== undefined && parseMicAlgorithm(want.label) !== undefined && parseMicAlgorithm(want.label) === parseMicAlgorithm(theirs.label);
  if (!want || !sameAlgorithm || want.value !== theirs.value.trim()) {
    return { ok: false, detail: `Received-Content-MIC ${theirsText} does not match ours ${ours}` };
  }
  return { ok: true };
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
    const previous = parseOutcome(job.lastError) ?? {};
    const theirMic = mdn.receivedContentMic ? `${mdn.receivedContentMic.value}, ${mdn.receivedContentMic.label}` : undefined;
    const before = previous.mdn as { async?: unknown; disposition?: unknown; receivedContentMic?: unknown } | undefined;
    if (before?.async === true && before.disposition === mdn.disposition.raw && before.receivedContentMic === theirMic) {
      logger.info('asynchronous MDN received again; already recorded', { partnerId: meta.partnerId, originalMessageId: id });
      return;
    }
    const ourMic = typeof previous.mic === 'string' ? previous.mic : undefined;
    // a negative disposition is the failure; its MIC (often absent) says nothing more
    const micCheck: MicCheck | undefined = mdn.disposition.ok && ourMic ? checkReceivedMic(ourMic, mdn.receivedContentMic) : undefined;
    const ok = mdn.disposition.ok && micCheck?.ok !== false;
    const detail = !mdn.disposition.ok
      ? `${meta.partnerId} answered our AS2 message ${id} with "${mdn.disposition.raw}"`
      : micCheck && !micCheck.ok ? `${meta.partnerId} answered our AS2 message ${id} with "${mdn.disposition.raw}", but ${micCheck.detail}` : mdn.disposition.raw;
    const outcome = {
      ...previous, status: ok ? 'mdn_ok' : 'mdn_error',
      ...(ok ? {} : { detail }),
      mdn: {
        disposition: mdn.disposition.raw, signed: mdn.signed, originalMessageId: id, async: true,
        ...(theirMic ? { receivedContentMic: theirMic } : {}), micVerified: micCheck?.ok === true,
      },
      at,
    };
    if (!ourMic && mdn.disposition.ok) logger.warn('asynchronous MDN accepted without a MIC check: the send recorded no MIC', { partnerId: meta.partnerId, originalMessageId: id });
    await store.updateDelivery(job.id, { status: ok ? 'delivered' : 'failed', lastError: JSON.stringify(outcome) }, at);
    const doc = await store.getDocument(job.documentId);
    await store.audit({ at, actor: 'system', action: `outbound_${outcome.status}`, subject: doc?.messageId ?? job.documentId, detail: { partnerId: meta.partnerId, as2MessageId: id, disposition: mdn.disposition.raw, ...(theirMic ? { receivedContentMic: theirMic } : {}) } });
    if (!ok) {
      await store.addException({
        id: deps.ids('exc'), messageId: doc?.messageId ?? job.documentId, documentId: job.documentId, partnerId: meta.partnerId, stage: 'send', code: 'as2_mdn_error',
        message: detail,
        detail: { as2MessageId: id, disposition: mdn.disposition.raw, ...(ourMic ? { ourMic } : {}), ...(theirMic ? { receivedContentMic: theirMic } : {}) },
        at,
      });
    }
  };
}
