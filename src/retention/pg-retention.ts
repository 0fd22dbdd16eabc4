/**
 * Retention's statements on PostgreSQL (RetentionMethods, retention-store.ts), reading the
 * partial indexes of migration 0008 (messages_hot, messages_unpurged, messages_raw_ref). Several
 * nodes: the passes run under the `retention` lease (retention-pass.ts), and each UPDATE is
 * conditional, so a row is archived or purged once whoever runs it.
 */
import type { Pool } from 'pg';
import type { BlobStore } from '../storage/blob-store.ts';
import { createRawReader } from './raw-bytes.ts';
import type { RetentionMethods, RetentionStep } from './retention-store.ts';

const PENDING: Record<RetentionStep, string> = {
  archive: 'archived_at IS NULL AND purged_at IS NULL',
  purge: 'purged_at IS NULL',
};
/** a message waiting to be processed keeps its bytes inline and is never purged (it would never be processed) */
const NOT_WAITING = " AND status <> 'received'";
/** `partner_id IS NOT DISTINCT FROM $1` cannot seek an index: NULL gets its own branch */
const partnerTerm = (partnerId: string | null, param: string) => (partnerId === null ? 'partner_id IS NULL' : `partner_id = ${param}`);

export function createPgRetention(pool: Pool, blobs: BlobStore | undefined): RetentionMethods {
  const inlineRaw = async (id: string) => {
    const { rows } = await pool.query<{ raw: Buffer }>('SELECT raw FROM messages WHERE id = $1 AND raw_ref IS NULL AND purged_at IS NULL', [id]);
    return rows[0]?.raw;
  };
  return {
    blobs,
    readRaw: createRawReader(blobs, inlineRaw),
    async retentionPartners(step) {
      const { rows } = await pool.query<{ id: string }>(`WITH RECURSIVE p(id) AS (
          SELECT (SELECT min(partner_id) FROM messages WHERE ${PENDING[step]})
          UNION ALL
          SELECT (SELECT min(partner_id) FROM messages WHERE ${PENDING[step]} AND partner_id > p.id) FROM p WHERE p.id IS NOT NULL
        ) SELECT id FROM p WHERE id IS NOT NULL`);
      const none = await pool.query(`SELECT 1 FROM messages WHERE partner_id IS NULL AND ${PENDING[step]} LIMIT 1`);
      return [...rows.map((r) => r.id), ...(none.rowCount ? [null] : [])];
    },
    async retentionCandidates(step, r) {
      const params: unknown[] = [r.receivedBefore, r.limit];
      if (r.partnerId !== null) params.push(r.partnerId);
      const { rows } = await pool.query<{ id: string; size: number; rawRef: string | null }>(`SELECT id, size, raw_ref AS "rawRef" FROM messages
        WHERE ${partnerTerm(r.partnerId, '$3')} AND received_at < $1 AND ${PENDING[step]}${NOT_WAITING}
        ORDER BY received_at LIMIT $2`, params);
      return rows;
    },
    async retentionTotals(step, r) {
      const params: unknown[] = [r.receivedBefore];
      if (r.partnerId !== null) params.push(r.partnerId);
      const { rows } = await pool.query<{ messages: string; bytes: string }>(`SELECT count(*) AS messages, coalesce(sum(size), 0) AS bytes FROM messages
        WHERE ${partnerTerm(r.partnerId, '$2')} AND received_at < $1 AND ${PENDING[step]}${NOT_WAITING}`, params);
      return { messages: Number(rows[0]?.messages ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
    },
    inlineRaw,
    async markArchived(list, at) {
      if (list.length === 0) return 0;
      const r = await pool.query(`UPDATE messages m SET raw = '\\x'::bytea, raw_ref = v.raw_ref, archived_at = $3
        FROM unnest($1::text[], $2::text[]) AS v(id, raw_ref)
        WHERE m.id = v.id AND m.archived_at IS NULL AND m.purged_at IS NULL`, [list.map((x) => x.id), list.map((x) => x.rawRef), at]);
      return r.rowCount ?? 0;
    },
    async blobReferenced(rawRef, exceptIds) {
      const r = await pool.query('SELECT 1 FROM messages WHERE raw_ref = $1 AND NOT (id = ANY($2::text[])) LIMIT 1', [rawRef, exceptIds]);
      return (r.rowCount ?? 0) > 0;
    },
    async markPurged(ids, at, policy) {
      if (ids.length === 0) return 0;
      // AS2 non-repudiation evidence (the signed message and MDN, bytes inline) goes with its message's bytes, in the same statement
      const r = await pool.query<{ n: string }>(`WITH p AS (
          UPDATE messages SET raw = '\\x'::bytea, raw_ref = NULL, purged_at = $2, purge_policy = $3
          WHERE id = ANY($1::text[]) AND purged_at IS NULL RETURNING id),
        e AS (DELETE FROM as2_evidence WHERE message_id IN (SELECT id FROM p))
        SELECT count(*) AS n FROM p`, [ids, at, policy]);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}
