/**
 * Functional acks we build (997/999/TA1, CONTRL) go back on the partner's outbound channel (SFTP,
 * AS2) or wait for pickup. The send is a job of kind `ack.send` (src/jobs/), written in the same
 * transaction as the stored ack (process-message.ts passes `ackSendJob` with the ack's insert),
 * so a crash between the two delays the send but never loses it:
 * - key `ack.send:<ack message id>`: one send job per ack, ever (a replay re-runs that job);
 * - queue `send:<partner>` (ordered): a partner's acks leave in the order they were stored;
 * - payload: the stored ack's message id; the task sends the stored bytes, as they were stored.
 * Each attempt is one try on the channel (the sender given here makes no retries of its own); a
 * failure is retried with the kind's backoff (src/jobs/backoff.ts), at the time a 503/429
 * Retry-After names; a refusal that another try cannot change (configuration, certificate) or the
 * last attempt ends in the exception queue (stage `send`, code `ack_send_failed`, detail.jobId),
 * whose replay runs this job again. The receiver's idempotency covers a crash after the send and
 * before the job is marked done: the SFTP file name is the ack's message id (an existing file of
 * that name is our earlier upload), the AS2 Message-ID derives from it (a resend keeps it).
 */
import type { MessageRow } from '../../db/schema.ts';
import { rawInFileStoreOnly } from '../../retention/raw-bytes.ts';
import type { BackoffPolicy } from '../../jobs/backoff.ts';
import type { NewJob } from '../../jobs/job-store.ts';
import { defineTask, JobFailed, RetryLater, type TaskDef } from '../../jobs/registry.ts';
import type { SendResult } from './send.ts';
import { offerStoredMessage } from '../../portal/outbox.ts';
import { failedForGood, type SendTaskDeps } from './send-task.ts';

export const ACK_SEND = 'ack.send';
/** attempts in total; with the backoff below the last one runs about half an hour after the first, on average */
export const ACK_SEND_ATTEMPTS = 10;
export const ackSendBackoff: BackoffPolicy = { baseMs: 2000, capMs: 10 * 60_000, maxRetryAfterMs: 60 * 60_000 };

export interface AckSendPayload { messageId: string }

export const ackSendKey = (ackMessageId: string): string => `${ACK_SEND}:${ackMessageId}`;

/** the send job of a stored ack, to commit with it (NewMessage.jobs) */
export function ackSendJob(ack: { messageId: string; partnerId: string }, at: string): NewJob {
  return {
    kind: ACK_SEND, key: ackSendKey(ack.messageId), queue: `send:${ack.partnerId}`, partnerId: ack.partnerId,
    payload: { messageId: ack.messageId } satisfies AckSendPayload, maxAttempts: ACK_SEND_ATTEMPTS, runAt: at, at,
  };
}

export type AckSendDeps = SendTaskDeps;

/** the remote file name and content type of a stored ack (the file name carries its message id: the receiver's dedupe) */
export function ackDocument(msg: MessageRow): { kind: string; fileName: string; contentType: string } {
  const meta = JSON.parse(msg.metadata) as { kind?: string; contentType?: string };
  const kind = meta.kind ?? 'ack';
  const edifact = kind === 'CONTRL' || meta.contentType === 'application/edifact';
  return { kind, fileName: `${kind}-${msg.id}.${edifact ? 'edi' : 'x12'}`, contentType: edifact ? 'application/edifact' : 'application/edi-x12' };
}

export function createAckSendTask(deps: AckSendDeps): TaskDef<AckSendPayload> {
  const { store, clock, logger } = deps;
  return defineTask<AckSendPayload>(ACK_SEND, async ({ messageId }, { job }) => {
    const msg = await store.getMessage(messageId);
    if (!msg || msg.direction !== 'outbound' || msg.transport !== 'ack') throw new JobFailed(`${messageId} is not a stored functional ack`);
    const doc = ackDocument(msg);
    const partner = msg.partnerId ? deps.config().partner(msg.partnerId) : undefined;
    const result: SendResult = partner
      // a large ack (a 997 of a huge interchange) is in the file store only: read back to send
      ? await deps.sender.send(partner, { fileName: doc.fileName, bytes: rawInFileStoreOnly(msg) ? await store.readRaw(msg) : msg.raw, contentType: doc.contentType, as2MessageId: `<ack-${msg.id}@edigw>`, messageId: msg.id })
      : { channel: 'pickup', status: 'failed', attempts: 0, code: 'partner_unknown', detail: `partner "${msg.partnerId}" is no longer configured` };
    const at = clock.now().toISOString();
    // the file is there under the ack's own name: an earlier attempt of this job uploaded it and stopped before it was marked done
    const alreadyThere = result.status === 'failed' && result.code === 'sftp_upload_target_exists';
    if (result.status === 'sent' || result.status === 'mdn_ok' || result.status === 'stored' || alreadyThere) {
      const outcome = {
        channel: result.channel, status: alreadyThere ? 'sent' : result.status, detail: result.detail, attempt: job.attempts,
        ...(result.remotePath ? { remotePath: result.remotePath } : {}), ...(result.as2MessageId ? { as2MessageId: result.as2MessageId } : {}),
        ...(alreadyThere ? { alreadyOnServer: true } : {}),
      };
      // stored for pickup: in the partner's outbox (src/portal/outbox.ts)
      if (result.status === 'stored') await offerStoredMessage(store, msg, null, at);
      await store.audit({ at, actor: 'system', action: 'ack_sent', subject: msg.id, detail: { channel: result.channel, status: outcome.status, jobId: job.id } });
      logger.info('functional ack sent', { messageId: msg.id, partnerId: msg.partnerId, kind: doc.kind, channel: result.channel, status: outcome.status, attempt: job.attempts });
      return outcome;
    }
    const permanent = failedForGood(result);
    if (permanent || job.attempts >= job.maxAttempts) {
      await store.audit({ at, actor: 'system', action: 'ack_sent', subject: msg.id, detail: { channel: result.channel, status: result.status, jobId: job.id } });
      await store.addException({
        id: deps.ids('exc'), messageId: msg.id, partnerId: msg.partnerId, stage: 'send', code: 'ack_send_failed',
        message: `the ${doc.kind} could not be sent on the ${result.channel} channel: ${result.detail}`,
        detail: { jobId: job.id, kind: ACK_SEND, channel: result.channel, code: result.code, attempts: job.attempts, ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}) }, at,
      });
      logger.warn('functional ack not sent: in the exception queue', { messageId: msg.id, partnerId: msg.partnerId, code: result.code, attempt: job.attempts, error: result.detail });
      throw new JobFailed(`${result.code ?? result.status}: ${result.detail}`);
    }
    logger.warn('functional ack send failed, will retry', { messageId: msg.id, partnerId: msg.partnerId, code: result.code, attempt: job.attempts, of: job.maxAttempts, error: result.detail });
    throw new RetryLater(`${result.code ?? result.status}: ${result.detail}`, { status: result.httpStatus, retryAfter: result.retryAfter });
  }, { maxAttempts: ACK_SEND_ATTEMPTS, backoff: ackSendBackoff });
}

/**
 * The pipeline's onAckStored hook. The send itself is the ack.send job committed with the ack;
 * this only wakes a runner in this process (`wake`) so it need not wait for its next poll.
 */
export function createAckSender(deps: { wake?: () => void } & Partial<AckSendDeps>) {
  return async (): Promise<void> => { deps.wake?.(); };
}
