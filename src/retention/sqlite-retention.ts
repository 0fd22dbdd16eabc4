/**
 * Retention's statements on SQLite (RetentionMethods, retention-store.ts), one prepared statement
 * each, every one reading the partial indexes of migration 0010 (messages_hot, messages_unpurged,
 * messages_raw_ref): their cost follows the rows a pass takes, never the history
 * (test/db/query-plans.test.ts checks the plans at 1M rows).
 */
import type Database from 'better-sqlite3';
import type { BlobStore } from '../storage/blob-store.ts';
import { createRawReader } from './raw-bytes.ts';
import type { RetentionMethods, RetentionStep } from './retention-store.ts';

/** the rows each step has still to do; the same terms as the partial index's WHERE, so SQLite reads that index */
const PENDING: Record<RetentionStep, string> = {
  archive: 'archived_at IS NULL AND purged_at IS NULL',
  purge: 'purged_at IS NULL',
};
const INDEX: Record<RetentionStep, string> = { archive: 'messages_hot', purge: 'messages_unpurged' };
/** a message waiting to be processed keeps its bytes inline and is never purged (it would never be processed) */
const NOT_WAITING = " AND status <> 'received'";

export function createSqliteRetention(raw: Database.Database, blobs: BlobStore | undefined): RetentionMethods {
  const partners = (step: RetentionStep) => raw.prepare<[]>(`WITH RECURSIVE p(id) AS (
      SELECT (SELECT min(partner_id) FROM messages INDEXED BY ${INDEX[step]} WHERE ${PENDING[step]})
      UNION ALL
      SELECT (SELECT min(partner_id) FROM messages INDEXED BY ${INDEX[step]} WHERE ${PENDING[step]} AND partner_id > p.id) FROM p WHERE p.id IS NOT NULL
    ) SELECT id FROM p WHERE id IS NOT NULL`).pluck();
  const unidentified = (step: RetentionStep) => raw.prepare<[]>(`SELECT 1 FROM messages INDEXED BY ${INDEX[step]}
    WHERE partner_id IS NULL AND ${PENDING[step]} LIMIT 1`).pluck();
  // `partner_id IS @partnerId` matches NULL too, and SQLite still seeks the index with it
  const candidates = (step: RetentionStep) => raw.prepare<{ partnerId: string | null; before: string; limit: number }>(`SELECT id, size, raw_ref AS rawRef
    FROM messages INDEXED BY ${INDEX[step]}
    WHERE partner_id IS @partnerId AND received_at < @before AND ${PENDING[step]}${NOT_WAITING}
    ORDER BY received_at LIMIT @limit`);
  const totals = (step: RetentionStep) => raw.prepare<{ partnerId: string | null; before: string }>(`SELECT count(*) AS messages, coalesce(sum(size), 0) AS bytes
    FROM messages INDEXED BY ${INDEX[step]}
    WHERE partner_id IS @partnerId AND received_at < @before AND ${PENDING[step]}${NOT_WAITING}`);
  const q = {
    partners: { archive: partners('archive'), purge: partners('purge') },
    unidentified: { archive: unidentified('archive'), purge: unidentified('purge') },
    candidates: { archive: candidates('archive'), purge: candidates('purge') },
    totals: { archive: totals('archive'), purge: totals('purge') },
    inline: raw.prepare<[string]>("SELECT raw FROM messages WHERE id = ? AND raw_ref IS NULL AND purged_at IS NULL").pluck(),
    archive: raw.prepare<{ id: string; rawRef: string; at: string }>(`UPDATE messages SET raw = x'', raw_ref = @rawRef, archived_at = @at
      WHERE id = @id AND archived_at IS NULL AND purged_at IS NULL`),
    referenced: raw.prepare<{ rawRef: string; except: string }>(`SELECT 1 FROM messages INDEXED BY messages_raw_ref
      WHERE raw_ref = @rawRef AND id NOT IN (SELECT value FROM json_each(@except)) LIMIT 1`).pluck(),
    purge: raw.prepare<{ id: string; at: string; policy: string }>(`UPDATE messages SET raw = x'', raw_ref = NULL, purged_at = @at, purge_policy = @policy
      WHERE id = @id AND purged_at IS NULL`),
    // AS2 non-repudiation evidence (the signed message and MDN, bytes inline) goes with its message's bytes
    purgeEvidence: raw.prepare<[string]>('DELETE FROM as2_evidence WHERE message_id = ?'),
  };
  const archiveAll = raw.transaction((rows: Array<{ id: string; rawRef: string }>, at: string) => {
    let n = 0;
    for (const r of rows) n += q.archive.run({ id: r.id, rawRef: r.rawRef, at }).changes;
    return n;
  });
  const purgeAll = raw.transaction((ids: string[], at: string, policy: string) => {
    let n = 0;
    for (const id of ids) {
      const changed = q.purge.run({ id, at, policy }).changes;
      if (changed) q.purgeEvidence.run(id);
      n += changed;
    }
    return n;
  });

  return {
    blobs,
    readRaw: createRawReader(blobs, async (id) => q.inline.get(id) as Buffer | undefined),
    async retentionPartners(step) {
      const ids = q.partners[step].all() as string[];
      return q.unidentified[step].get() ? [...ids, null] : ids;
    },
    async retentionCandidates(step, r) {
      return q.candidates[step].all({ partnerId: r.partnerId, before: r.receivedBefore, limit: r.limit }) as Array<{ id: string; size: number; rawRef: string | null }>;
    },
    async retentionTotals(step, r) {
      const row = q.totals[step].get({ partnerId: r.partnerId, before: r.receivedBefore }) as { messages: number; bytes: number };
      return { messages: Number(row.messages), bytes: Number(row.bytes) };
    },
    async inlineRaw(id) {
      return q.inline.get(id) as Buffer | undefined;
    },
    async markArchived(rows, at) {
      return rows.length === 0 ? 0 : archiveAll(rows, at);
    },
    async blobReferenced(rawRef, exceptIds) {
      return q.referenced.get({ rawRef, except: JSON.stringify(exceptIds) }) !== undefined;
    },
    async markPurged(ids, at, policy) {
      return ids.length === 0 ? 0 : purgeAll(ids, at, policy);
    },
  };
}
