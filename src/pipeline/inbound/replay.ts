/**
 * Replay and discard for the exception queue. A replay re-runs what failed, by its kind:
 * - a failed job (the exception names it: detail.jobId; a stored functional ack: its ack.send job;
 *   an outbound purchase order: its partner.send job) is run again as it was stored (a failed 997
 *   send resends the stored 997's bytes, a failed PO send the stored PO's); the job's
 *   key keeps it one job, and the replay waits (up to `jobWaitMs`) for a runner to settle it;
 * - an inbound message is run through the pipeline again with the current configuration (after a
 *   mapping fix, say). Document ids are derived from the message, so replaying twice never yields
 *   two documents. Our own functional acks never enter the inbound pipeline.
 */
import type { Clock } from '../../core/clock.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ExceptionRow, MessageRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import type { Job } from '../../jobs/job-store.ts';
import { partnerSendJob, partnerSendKey } from '../outbound/partner-send.ts';
import { ackSendJob, ackSendKey } from '../outbound/send-ack.ts';
import { OUTCOME_UNITS, type MessageOutcome, type Stage } from './process-message.ts';
import { messagePurgedError } from '../../retention/raw-bytes.ts';

export interface ReplayResult {
  messageId: string;
  before: { status: string; exceptions: Array<{ id: string; stage: string; code: string; message: string }>; documents: Array<{ id: string; status: string; envelope: unknown }> };
  after: MessageOutcome;
  /** the job the replay ran again, as it stands after the replay */
  job?: JobView;
  /**
   * the message's exceptions open after the replay: a replay before the fix fails again, and the
   * exception it closed lives on in these (the same failure, recorded anew); empty when it worked
   */
  openExceptions: Array<{ id: string; stage: string; code: string; message: string }>;
}

export interface JobView { id: number; kind: string; state: string; attempts: number; lastError: string | null; runAt: string }

const jobView = (j: Job): JobView => ({ id: j.id, kind: j.kind, state: j.state, attempts: j.attempts, lastError: j.lastError, runAt: j.runAt });

export function createExceptionQueue(deps: {
  store: Store;
  clock: Clock;
  run(messageId: string, by: string): Promise<MessageOutcome>;
  /** a job runner in this process (the gateway's): woken when a replay makes a job due; none in `edigw replay` (the running gateway's runner runs it) */
  jobs?: { wake(): void };
  /** how long a replay waits for a replayed job to settle; default 30 s */
  jobWaitMs?: number;
  /** how often it looks; default 50 ms */
  jobPollMs?: number;
}) {
  const { store } = deps;

  /** the job a replay re-runs: the one the exception names, or a stored ack's send (created for an ack stored before jobs existed) */
  async function jobOf(exc: ExceptionRow | undefined, msg: MessageRow): Promise<Job | undefined> {
    const named = exc ? (JSON.parse(exc.detail) as { jobId?: unknown }).jobId : undefined;
    if (typeof named === 'number') {
      const j = await store.jobs.get(named);
      if (j) return j;
    }
    if (msg.direction !== 'outbound' || !msg.partnerId) return undefined;
    const at = deps.clock.now().toISOString();
    if (msg.transport === 'ack') {
      return (await store.jobs.getByKey(ackSendKey(msg.id)))
        ?? (await store.jobs.enqueue(null, { ...ackSendJob({ messageId: msg.id, partnerId: msg.partnerId }, at), maxAttempts: 1 })).job;
    }
    // an outbound purchase order: its partner.send job (created for one stored before jobs existed)
    const [doc] = await store.documentsForMessage(msg.id);
    if (!doc) return undefined;
    return (await store.jobs.getByKey(partnerSendKey(msg.id)))
      ?? (await store.jobs.enqueue(null, { ...partnerSendJob({ messageId: msg.id, documentId: doc.id, partnerId: msg.partnerId }, at), maxAttempts: 1 })).job;
  }

  async function rerunJob(job: Job, msg: MessageRow, by: string): Promise<{ after: MessageOutcome; job: Job }> {
    const at = deps.clock.now().toISOString();
    // failed or cancelled: due now with a fresh budget; waiting or running: it runs anyway; done: nothing to redo
    if (job.state === 'failed' || job.state === 'cancelled') await store.jobs.retry(job.id, at);
    await store.resolveExceptions(msg.id, 'replayed', by, at);
    deps.jobs?.wake();
    const deadline = Date.now() + (deps.jobWaitMs ?? 30_000);
    let now = (await store.jobs.get(job.id))!;
    while ((now.state === 'waiting' || now.state === 'running') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, deps.jobPollMs ?? 50));
      now = (await store.jobs.get(job.id))!;
    }
    const error = (code: string, message: string) => ({ stage: 'send' as Stage, code, message, detail: { jobId: now.id, kind: now.kind, state: now.state, attempts: now.attempts } });
    const errors = now.state === 'done' ? []
      : now.state === 'failed' ? [error('job_failed', `job ${now.id} (${now.kind}) failed again: ${now.lastError ?? 'no error recorded'}`)]
      : now.state === 'cancelled' ? [error('job_cancelled', `job ${now.id} (${now.kind}) was cancelled`)]
      : [error('job_not_yet_run', `job ${now.id} (${now.kind}) is ${now.state}, next run at ${now.runAt}${deps.jobs ? '' : ': the running gateway runs it'}`)];
    return { after: { messageId: msg.id, status: errors.length === 0 ? 'processed' : 'failed', partnerId: msg.partnerId, units: [], errors }, job: now };
  }

  async function messageOf(ref: string): Promise<string> {
    if (ref.startsWith('exc_')) {
      const exc = await store.getException(ref);
      if (!exc) throw new GatewayError('exception_not_found', `exception ${ref} does not exist`);
      return exc.messageId;
    }
    const msg = await store.getMessage(ref);
    if (!msg) throw new GatewayError('message_not_found', `message ${ref} does not exist (give an exc_… or msg_… id)`);
    return msg.id;
  }

  /** the message's open exceptions after a replay (a job replay that failed again has none of its own: the job says it) */
  async function stillOpen(messageId: string): Promise<ReplayResult['openExceptions']> {
    return (await store.listExceptions({ messageId, status: 'open', limit: 100 })).map((e) => ({ id: e.id, stage: e.stage, code: e.code, message: e.message }));
  }

  return {
    async replay(ref: string, by: string): Promise<ReplayResult> {
      const messageId = await messageOf(ref);
      const exc = ref.startsWith('exc_') ? await store.getException(ref) : undefined;
      if (exc && exc.status === 'discarded') {
        throw new GatewayError('exception_discarded', `exception ${ref} was discarded by ${exc.resolvedBy ?? 'someone'} and cannot be replayed`);
      }
      const msg = (await store.getMessage(messageId))!;
      const before = {
        status: msg.status,
        exceptions: (await store.listExceptions({ messageId, status: 'open', limit: 1000 })).map((e) => ({ id: e.id, stage: e.stage, code: e.code, message: e.message })),
        // a large interchange's first OUTCOME_UNITS documents (each with its envelope), as its outcome lists them
        documents: (await store.documentsForMessage(messageId, OUTCOME_UNITS)).map((d) => ({ id: d.id, status: d.status, envelope: JSON.parse(d.envelope) })),
      };
      const job = await jobOf(exc, msg);
      if (job) {
        const r = await rerunJob(job, msg, by);
        const openExceptions = await stillOpen(messageId);
        await store.audit({ at: deps.clock.now().toISOString(), actor: by, action: 'replay', subject: messageId, detail: { ref, status: r.after.status, jobId: job.id, kind: job.kind, ...(openExceptions.length ? { stillOpen: openExceptions.map((e) => e.id) } : {}) } });
        return { messageId, before, after: r.after, job: jobView(r.job), openExceptions };
      }
      if (msg.purgedAt) throw messagePurgedError(msg); // retention deleted its bytes: nothing to re-run
      const after = await deps.run(messageId, by);
      const openExceptions = await stillOpen(messageId);
      await store.audit({ at: deps.clock.now().toISOString(), actor: by, action: 'replay', subject: messageId, detail: { ref, status: after.status, ...(openExceptions.length ? { stillOpen: openExceptions.map((e) => e.id) } : {}) } });
      return { messageId, before, after, openExceptions };
    },
    async discard(ref: string, by: string, reason?: string): Promise<{ messageId: string; discarded: number }> {
      const messageId = await messageOf(ref);
      const n = await store.resolveExceptions(messageId, 'discarded', by, deps.clock.now().toISOString());
      await store.audit({ at: deps.clock.now().toISOString(), actor: by, action: 'discard', subject: messageId, detail: { ref, reason } });
      return { messageId, discarded: n };
    },
  };
}
