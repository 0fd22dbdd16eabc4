/**
 * One retention pass: for every partner with a window (its profile's `retention:` or the gateway
 * default), purge what is older than purgeAfterDays, then archive what is older than
 * archiveAfterDays. Work goes in bounded batches (500 rows, at most 64 MB of bytes), each row
 * update one short transaction, the event loop yielded between batches.
 *
 * Archive: the bytes are written to the file store and fsynced first, the row update comes after,
 * so a crash in between leaves a blob and a row still holding its bytes: the next pass stores the
 * same bytes under the same key again (deduplicated) and goes on. Purge deletes a blob only when no
 * other row names it, then marks the rows (bytes gone, metadata kept, when and by which policy),
 * and records one audit entry per partner with the count and the window. A crash between the two
 * leaves rows whose blob is gone, which the next pass purges.
 *
 * Several nodes: a pass holds the `retention` lease (renewed each batch), so one node runs it.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Clock } from '../core/clock.ts';
import { GatewayError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { PartnerProfile } from '../config/types.ts';
import type { Store } from '../db/store.ts';
import { policyFor, type EffectivePolicy, type RetentionDefaults } from './policy.ts';
import type { PurgePolicyRecord } from './raw-bytes.ts';
import type { RetentionStep } from './retention-store.ts';

const DAY_MS = 86_400_000;
export const RETENTION_LEASE = 'retention';

export interface RetentionRunOptions {
  /** only this partner */
  partnerId?: string;
  /** count what a pass would do, change nothing */
  dryRun?: boolean;
  /** rows per batch; default 500 */
  batchSize?: number;
  /** bytes read into memory per archive batch; default 64 MB */
  maxBatchBytes?: number;
  /** files written at once (their fsyncs overlap); default 8 */
  parallelWrites?: number;
  /** after every batch */
  onProgress?: (p: RetentionProgress) => void;
  /** stops between batches */
  signal?: AbortSignal;
}

export interface StepTotals { messages: number; bytes: number }

export interface PartnerReport {
  partnerId: string | null;
  policy: EffectivePolicy;
  archived: StepTotals;
  purged: StepTotals & { blobsDeleted: number };
  /** why the purge step did not run for this partner */
  purgeSkipped?: string;
}

export interface RetentionProgress { step: RetentionStep; partnerId: string | null; messages: number; bytes: number }

export interface RetentionReport {
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  partners: PartnerReport[];
  archived: StepTotals;
  purged: StepTotals & { blobsDeleted: number };
  /** the pass stopped early (signal) */
  stopped: boolean;
}

export interface RetentionDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** the partners and gateway defaults as they are now (a reload applies to the next pass) */
  config: () => { partners: readonly PartnerProfile[]; defaults: RetentionDefaults };
  /** this process's id for the `retention` lease */
  holder: string;
  /** how long the lease lasts between renewals; default 5 minutes */
  leaseMs?: number;
}

export function createRetentionPass(deps: RetentionDeps) {
  const { store, clock } = deps;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;

  async function holdLease(): Promise<void> {
    const now = clock.now();
    const ok = await store.acquireLease(RETENTION_LEASE, deps.holder, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString());
    if (!ok) {
      const lease = await store.getLease(RETENTION_LEASE);
      throw new GatewayError('retention_running_elsewhere', `a retention pass is already running (${lease?.holder ?? 'another process'}, lease until ${lease?.until ?? '?'}); try again when it is done`,
        { holder: lease?.holder, until: lease?.until });
    }
  }

  return async function run(opts: RetentionRunOptions = {}): Promise<RetentionReport> {
    const batchSize = opts.batchSize ?? 500;
    const maxBatchBytes = opts.maxBatchBytes ?? 64 * 1024 * 1024;
    const parallel = opts.parallelWrites ?? 8;
    const startedAt = clock.now();
    const { partners, defaults } = deps.config();
    const byId = new Map(partners.map((p) => [p.id, p]));
    const blobs = store.retention.blobs;
    const report: RetentionReport = {
      dryRun: opts.dryRun === true, startedAt: startedAt.toISOString(), finishedAt: '', partners: [],
      archived: { messages: 0, bytes: 0 }, purged: { messages: 0, bytes: 0, blobsDeleted: 0 }, stopped: false,
    };
    const stopped = () => opts.signal?.aborted === true;

    // every partner with rows still to do, plus configured partners (a profile's window with no rows yet reports zeros)
    const ids = new Set<string | null>();
    if (opts.partnerId !== undefined) ids.add(opts.partnerId);
    else {
      for (const step of ['purge', 'archive'] as const) for (const id of await store.retention.retentionPartners(step)) ids.add(id);
    }
    const policies = [...ids].map((id) => policyFor(id, id === null ? undefined : byId.get(id), defaults))
      .filter((p) => p.archiveAfterDays !== null || p.purgeAfterDays !== null);
    if (policies.length > 0 && !opts.dryRun) {
      if (!blobs && policies.some((p) => p.archiveAfterDays !== null)) {
        throw new GatewayError('retention_no_file_store', 'retention archives raw messages to a file store, and none is configured: set EDIGW_BLOB_DIR (for PostgreSQL, a directory every gateway node shares)', {});
      }
      await holdLease();
    }
    try {
      for (const policy of policies) {
        if (stopped()) break;
        const r: PartnerReport = { partnerId: policy.partnerId, policy, archived: { messages: 0, bytes: 0 }, purged: { messages: 0, bytes: 0, blobsDeleted: 0 } };
        report.partners.push(r);
        // a purge deletes: never by the default for a partner id no loaded profile has (its profile may
        // just have failed to load), unless asked for by name
        const known = policy.partnerId === null || byId.has(policy.partnerId) || opts.partnerId === policy.partnerId;
        if (policy.purgeAfterDays !== null && known) await purge(policy, r);
        else if (policy.purgeAfterDays !== null) r.purgeSkipped = 'no partner profile with this id is loaded (purge it by name: edigw retention run --partner <id>)';
        if (policy.archiveAfterDays !== null && !stopped()) await archive(policy, r);
        for (const k of ['messages', 'bytes'] as const) { report.archived[k] += r.archived[k]; report.purged[k] += r.purged[k]; }
        report.purged.blobsDeleted += r.purged.blobsDeleted;
      }
    } finally {
      if (policies.length > 0 && !opts.dryRun) await store.releaseLease(RETENTION_LEASE, deps.holder).catch(() => {});
    }
    report.stopped = stopped();
    report.finishedAt = clock.now().toISOString();
    return report;

    function cutoff(daysBack: number): string {
      return new Date(startedAt.getTime() - daysBack * DAY_MS).toISOString();
    }

    async function purge(policy: EffectivePolicy, r: PartnerReport): Promise<void> {
      const q = { partnerId: policy.partnerId, receivedBefore: cutoff(policy.purgeAfterDays!) };
      if (opts.dryRun) { Object.assign(r.purged, await store.retention.retentionTotals('purge', q)); return; }
      const record: PurgePolicyRecord = { source: policy.purgeSource, partnerId: policy.partnerId, purgeAfterDays: policy.purgeAfterDays!, receivedBefore: q.receivedBefore };
      const policyJson = JSON.stringify(record);
      while (!stopped()) {
        const rows = await store.retention.retentionCandidates('purge', { ...q, limit: batchSize });
        if (rows.length === 0) break;
        const ids = rows.map((x) => x.id);
        for (const key of new Set(rows.map((x) => x.rawRef).filter((k): k is string => k !== null))) {
          if (!(await store.retention.blobReferenced(key, ids)) && blobs && (await blobs.delete(key))) r.purged.blobsDeleted++;
        }
        const at = clock.now().toISOString();
        r.purged.messages += await store.retention.markPurged(ids, at, policyJson);
        r.purged.bytes += rows.reduce((n, x) => n + x.size, 0);
        opts.onProgress?.({ step: 'purge', partnerId: policy.partnerId, messages: r.purged.messages, bytes: r.purged.bytes });
        await holdLease();
        await yieldToLoop();
      }
      if (r.purged.messages > 0) {
        await store.audit({
          at: clock.now().toISOString(), actor: `retention:${deps.holder}`, action: 'retention_purge', subject: policy.partnerId,
          detail: { messages: r.purged.messages, bytes: r.purged.bytes, blobsDeleted: r.purged.blobsDeleted, ...record },
        });
        deps.logger.info('retention purged raw messages', { partnerId: policy.partnerId, messages: r.purged.messages, bytes: r.purged.bytes, purgeAfterDays: record.purgeAfterDays, receivedBefore: record.receivedBefore });
      }
    }

    async function archive(policy: EffectivePolicy, r: PartnerReport): Promise<void> {
      const q = { partnerId: policy.partnerId, receivedBefore: cutoff(policy.archiveAfterDays!) };
      if (opts.dryRun) { Object.assign(r.archived, await store.retention.retentionTotals('archive', q)); return; }
      while (!stopped()) {
        const rows = await store.retention.retentionCandidates('archive', { ...q, limit: batchSize });
        if (rows.length === 0) break;
        const moved: Array<{ id: string; rawRef: string }> = [];
        let bytes = 0;
        let i = 0;
        // files written `parallel` at a time; the batch ends at batchSize rows or maxBatchBytes read
        while (i < rows.length && bytes < maxBatchBytes) {
          const slice: typeof rows = [];
          while (i < rows.length && slice.length < parallel && bytes < maxBatchBytes) { const row = rows[i++]!; slice.push(row); bytes += row.size; }
          const done = await Promise.all(slice.map(async (row) => {
            if (row.rawRef) return { id: row.id, rawRef: row.rawRef, size: 0 }; // already in the file store (streamed in)
            const raw = await store.retention.inlineRaw(row.id);
            if (!raw) return undefined; // archived or purged meanwhile
            return { id: row.id, rawRef: await blobs!.put(raw), size: raw.byteLength };
          }));
          for (const d of done) if (d) { moved.push({ id: d.id, rawRef: d.rawRef }); r.archived.bytes += d.size; }
        }
        r.archived.messages += await store.retention.markArchived(moved, clock.now().toISOString());
        opts.onProgress?.({ step: 'archive', partnerId: policy.partnerId, messages: r.archived.messages, bytes: r.archived.bytes });
        if (moved.length === 0) break; // nothing could be taken: do not spin on the same rows
        await holdLease();
        await yieldToLoop();
      }
      if (r.archived.messages > 0) {
        await store.audit({
          at: clock.now().toISOString(), actor: `retention:${deps.holder}`, action: 'retention_archive', subject: policy.partnerId,
          detail: { messages: r.archived.messages, bytes: r.archived.bytes, archiveAfterDays: policy.archiveAfterDays, source: policy.archiveSource, receivedBefore: q.receivedBefore },
        });
        deps.logger.info('retention archived raw messages', { partnerId: policy.partnerId, messages: r.archived.messages, bytes: r.archived.bytes, archiveAfterDays: policy.archiveAfterDays });
      }
    }
  };
}
