/**
 * The DeliveryStore (see store.ts for the ordering contract) over the gateway's database: one
 * `delivery_jobs` row per document and target; a job that fails for good becomes an exception
 * (stage `deliver`) with the ERP's answer, so it waits for an operator like any other failure.
 */
import type { Clock } from '../core/clock.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Store } from '../db/store.ts';
import type { CanonicalEnvelope } from '../canonical/types.ts';
import type { DeliveryJob, DeliveryStore } from './store.ts';

export interface DbDeliveryStore extends DeliveryStore {
  enqueue(envelope: Pick<CanonicalEnvelope, 'id' | 'partnerId'>): Promise<boolean>;
}

export function createDbDeliveryStore(deps: { store: Store; clock: Clock; ids: IdGenerator; target: string }): DbDeliveryStore {
  const { store, clock, target } = deps;
  const iso = (d: Date) => d.toISOString();
  const now = () => clock.now().toISOString();
  const mustJob = async (id: string) => {
    const job = await store.getDeliveryJob(id);
    if (!job) throw new Error(`no delivery job ${id}`);
    return job;
  };
  return {
    enqueue: (envelope) => store.enqueueDelivery({ id: deps.ids('job'), documentId: envelope.id, partnerId: envelope.partnerId, target, at: now() }),
    async due(at, limitPerPartner) {
      const t = iso(at);
      const out: Array<DeliveryJob & { seq: number }> = [];
      for (const partnerId of await store.deliveryPartners(target)) {
        for (const row of await store.pendingDeliveries(target, partnerId, limitPerPartner)) {
          // the scan of a partner stops at its first job in flight or waiting for a retry
          if ((row.leaseUntil && row.leaseUntil > t) || row.nextAttemptAt > t) break;
          out.push({ id: row.id, documentId: row.documentId, partnerId, attempts: row.attempts, envelope: JSON.parse(row.envelope) as CanonicalEnvelope, enqueuedAt: row.createdAt, seq: row.seq });
        }
      }
      return out.sort((a, b) => a.seq - b.seq).map(({ seq: _s, ...j }) => j);
    },
    lease: (jobId, until) => store.leaseDelivery(jobId, iso(until), now()),
    async delivered(jobId, response) {
      const job = await mustJob(jobId);
      await store.updateDelivery(jobId, { status: 'delivered', attempts: job.attempts + 1, leaseUntil: null, lastError: null }, now());
      await store.audit({ at: now(), actor: `erp:${target}`, action: 'delivered', subject: job.documentId, detail: { status: response.status } });
    },
    async retryLater(jobId, at, error, options) {
      const job = await mustJob(jobId);
      if (job.status !== 'pending') return;
      await store.updateDelivery(jobId, {
        attempts: job.attempts + (options?.countAttempt === false ? 0 : 1), nextAttemptAt: iso(at), leaseUntil: null, lastError: JSON.stringify(error),
      }, now());
    },
    async failed(jobId, error) {
      const job = await mustJob(jobId);
      if (job.status !== 'pending') return;
      await store.updateDelivery(jobId, { status: 'failed', attempts: job.attempts + 1, leaseUntil: null, lastError: JSON.stringify(error) }, now());
      const doc = await store.getDocument(job.documentId);
      await store.addException({
        id: deps.ids('exc'), messageId: doc?.messageId ?? job.documentId, documentId: job.documentId, partnerId: job.partnerId,
        stage: 'deliver', code: error.code, message: `the ERP refused document ${job.documentId}: ${error.message}`,
        detail: { status: error.status, body: error.body, attempts: job.attempts + 1, target }, at: now(),
      });
    },
  };
}
