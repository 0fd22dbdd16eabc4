/**
 * Sending an outbound purchase order (the ERP's 850 / ORDERS / cXML OrderRequest) to the partner is
 * a job of kind `partner.send` (src/jobs/), written in the same transaction as the stored outbound
 * message (service.ts passes `partnerSendJob` with the message's insert), so a crash between
 * storing and sending delays the send but never loses it, and no loop at start is needed:
 * - key `partner.send:<message id>`: one send job per stored message, ever (replay re-runs it);
 * - queue `send:<partner>` (ordered, shared with the partner's functional acks): a partner's
 *   documents leave in the order they were stored;
 * - payload: the message id and its document id; the task sends the stored bytes as stored.
 * Each attempt is one try on the channel (SFTP, AS2, HTTP, pickup); failures are retried with the
 * kind's backoff (src/jobs/backoff.ts; a 503/429 Retry-After honoured); a refusal another try cannot
 * change, or the last attempt, ends in the exception queue (stage `send`, detail.jobId), whose
 * replay runs this job again. The outcome is recorded on the document's `partner_send` tracking
 * row (jobs.ts) as before: the timeline, the ERP's status route and async MDNs read it there.
 * The receiver's idempotency covers a crash after the send and before `done`: the SFTP file name
 * carries the interchange control number (an existing file of that name is our earlier upload, the
 * uploader never overwrites), the AS2 Message-ID derives from the message id, cXML's payloadID is
 * the message's own.
 */
import type { BackoffPolicy } from '../../jobs/backoff.ts';
import type { NewJob } from '../../jobs/job-store.ts';
import { defineTask, JobFailed, RetryLater, type TaskDef } from '../../jobs/registry.ts';
import { SEND_TARGET, sendJobId } from './jobs.ts';
import { offerStoredMessage } from '../../portal/outbox.ts';
import type { SendResult } from './send.ts';
import { failedForGood, type SendTaskDeps } from './send-task.ts';

export const PARTNER_SEND = 'partner.send';
export const PARTNER_SEND_ATTEMPTS = 10;
export const partnerSendBackoff: BackoffPolicy = { baseMs: 2000, capMs: 10 * 60_000, maxRetryAfterMs: 60 * 60_000 };
/** a message whose document is not stored this long after it was: its submission died half-way, the ERP got no answer */
const SUBMISSION_GRACE_MS = 60_000;

export interface PartnerSendPayload { messageId: string; documentId: string }

export const partnerSendKey = (messageId: string): string => `${PARTNER_SEND}:${messageId}`;

/** the send job of a stored outbound message, to commit with it (NewMessage.jobs) */
export function partnerSendJob(m: { messageId: string; documentId: string; partnerId: string }, at: string): NewJob {
  return {
    kind: PARTNER_SEND, key: partnerSendKey(m.messageId), queue: `send:${m.partnerId}`, partnerId: m.partnerId,
    payload: { messageId: m.messageId, documentId: m.documentId } satisfies PartnerSendPayload, maxAttempts: PARTNER_SEND_ATTEMPTS, runAt: at, at,
  };
}

/**
 * final besides the channel's own (send-task.ts), http (cXML): the partner refused the order, or
 * answered in a way that may mean it took it (never resent by itself)
 */
const CXML_PERMANENT = new Set(['cxml_refused', 'cxml_response_unreadable', 'http_refused', 'http_config_invalid', 'cxml_shared_secret_missing']);

export type PartnerSendDeps = SendTaskDeps;

/** what the tracking row keeps of a send (the timeline, GET /api/v1/erp/outbound/:id and async MDNs read it) */
export function sendOutcome(result: SendResult, at: string, extra: Record<string, unknown> = {}) {
  return {
    channel: result.channel, status: result.status, detail: result.detail, attempts: result.attempts,
    ...(result.remotePath ? { remotePath: result.remotePath } : {}), ...(result.as2MessageId ? { as2MessageId: result.as2MessageId } : {}),
    ...(result.mic ? { mic: result.mic } : {}),
    ...(result.mdn ? { mdn: { disposition: result.mdn.disposition.raw, signed: result.mdn.signed, originalMessageId: result.mdn.originalMessageId } } : {}),
    ...(result.url ? { url: result.url } : {}), ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}),
    ...(result.cxmlStatus ? { cxml: result.cxmlStatus } : {}),
    ...(result.code ? { code: result.code } : {}), ...extra, at,
  };
}

export function createPartnerSendTask(deps: PartnerSendDeps): TaskDef<PartnerSendPayload> {
  const { store, clock, logger } = deps;
  return defineTask<PartnerSendPayload>(PARTNER_SEND, async ({ messageId, documentId }, { job }) => {
    const msg = await store.getMessage(messageId);
    if (!msg || msg.direction !== 'outbound' || !msg.partnerId) throw new JobFailed(`${messageId} is not a stored outbound message`);
    const partnerId = msg.partnerId;
    if (!(await store.getDocument(documentId))) {
      // stored with its job, then the document: a send must wait for it; missing for good, the ERP never got its answer and submits again
      if (clock.now().getTime() - Date.parse(msg.receivedAt) < SUBMISSION_GRACE_MS) throw new RetryLater(`document ${documentId} not stored yet`, { delayMs: 1000, countAttempt: false });
      throw new JobFailed(`outbound_submission_incomplete: document ${documentId} of ${messageId} was never stored (the submission stopped half-way; nothing sent)`);
    }
    const tracking = sendJobId(documentId);
    await store.enqueueDelivery({ id: tracking, documentId, partnerId, target: SEND_TARGET, at: msg.receivedAt });
    const meta = JSON.parse(msg.metadata) as Record<string, string>;
    const partner = deps.config().partner(partnerId);
    const result: SendResult = partner
      ? await deps.sender.send(partner, { fileName: meta.fileName ?? `${msg.id}.edi`, bytes: msg.raw, contentType: meta.contentType ?? 'application/octet-stream', as2MessageId: `<po-${msg.id}@edigw>`, messageId: msg.id })
      : { channel: 'pickup', status: 'failed', attempts: 0, code: 'partner_unknown', detail: `partner "${partnerId}" is no longer configured` };
    const at = clock.now().toISOString();
    // the file is there under this document's own name: an earlier attempt uploaded it and stopped before the job was done
    const alreadyThere = result.status === 'failed' && result.code === 'sftp_upload_target_exists';
    const attempts = { attempts: job.attempts, jobId: job.id };
    if (result.status === 'sent' || result.status === 'mdn_ok' || result.status === 'stored' || alreadyThere) {
      const outcome = sendOutcome(alreadyThere ? { ...result, status: 'sent', code: undefined } : result, at, { ...attempts, ...(alreadyThere ? { alreadyOnServer: true } : {}) });
      // stored for pickup: in the partner's outbox, delivered only when the partner acks it (src/portal/outbox.ts)
      const collected = result.status === 'stored';
      if (collected) await offerStoredMessage(store, msg, documentId, at);
      await store.updateDelivery(tracking, { status: collected ? 'pending' : 'delivered', attempts: job.attempts, leaseUntil: null, lastError: JSON.stringify(outcome) }, at);
      await store.audit({ at, actor: 'system', action: `outbound_${outcome.status}`, subject: msg.id, detail: { partnerId, documentId, ...outcome } });
      logger.info('outbound sent', { partnerId, messageId: msg.id, status: outcome.status, attempt: job.attempts });
      return outcome;
    }
    const outcome = sendOutcome(result, at, attempts);
    const permanent = failedForGood(result, CXML_PERMANENT);
    if (permanent || job.attempts >= job.maxAttempts) {
      await store.updateDelivery(tracking, { status: 'failed', attempts: job.attempts, leaseUntil: null, lastError: JSON.stringify(outcome) }, at);
      await store.audit({ at, actor: 'system', action: `outbound_${result.status}`, subject: msg.id, detail: { partnerId, documentId, ...outcome } });
      await store.addException({
        id: deps.ids('exc'), messageId: msg.id, documentId, partnerId, stage: 'send', code: result.code ?? 'outbound_send_failed',
        message: `purchase order not delivered to ${partnerId} over ${result.channel}: ${result.detail}`, detail: { partnerId, kind: PARTNER_SEND, ...outcome }, at,
      });
      logger.warn('outbound send failed: in the exception queue', { partnerId, messageId: msg.id, ...outcome });
      throw new JobFailed(`${result.code ?? result.status}: ${result.detail}`);
    }
    // still pending: the last answer is visible while the job waits for its retry
    await store.updateDelivery(tracking, { attempts: job.attempts, lastError: JSON.stringify(outcome) }, at);
    logger.warn('outbound send failed, will retry', { partnerId, messageId: msg.id, code: result.code, attempt: job.attempts, of: job.maxAttempts, error: result.detail });
    throw new RetryLater(`${result.code ?? result.status}: ${result.detail}`, { status: result.httpStatus, retryAfter: result.retryAfter });
  }, { maxAttempts: PARTNER_SEND_ATTEMPTS, backoff: partnerSendBackoff });
}
