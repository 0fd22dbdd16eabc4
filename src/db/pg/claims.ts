/**
 * Message claims and named leases on PostgreSQL (see ClaimMethods in store.ts), where several
 * gateway nodes share the database. Each is one statement under READ COMMITTED: when two nodes
 * claim the same message at once, the second waits for the first's row lock, re-evaluates its
 * WHERE on the committed row, finds a live claim of another holder and updates nothing. A lease
 * is an upsert whose DO UPDATE has the same condition; two nodes inserting a new name at once
 * meet on the primary key, and the loser's DO UPDATE sees the winner's row.
 */
import type { Pool } from 'pg';
import type { ClaimMethods } from '../store.ts';

export function createPgClaims(pool: Pool): ClaimMethods {
  return {
    sharedByNodes: true,
    async claimMessage(id, holder, until, now, opts) {
      if (opts?.renew) return ((await pool.query('UPDATE messages SET claim_until = $3 WHERE id = $1 AND claimed_by = $2', [id, holder, until])).rowCount ?? 0) > 0;
      const r = await pool.query(`UPDATE messages SET claimed_by = $2, claim_until = $3
        WHERE id = $1${opts?.onlyReceived ? " AND status = 'received'" : ''}
          AND (claimed_by IS NULL OR claimed_by = $2 OR claim_until IS NULL OR claim_until < $4)`, [id, holder, until, now]);
      return (r.rowCount ?? 0) > 0;
    },
    async releaseMessage(id, holder) {
      await pool.query('UPDATE messages SET claimed_by = NULL, claim_until = NULL WHERE id = $1 AND claimed_by = $2', [id, holder]);
    },
    async resumableMessageIds(q) {
      const r = await pool.query<{ id: string }>(`SELECT id FROM messages
        WHERE status = 'received' AND direction = 'inbound' AND (claim_until IS NULL OR claim_until < $1)
          AND ($2::text IS NULL OR received_at < $2::text) ORDER BY seq LIMIT $3`, [q.now, q.receivedBefore ?? null, q.limit]);
      return r.rows.map((row) => row.id);
    },
    async acquireLease(name, holder, until, now) {
      const r = await pool.query(`INSERT INTO leases (name, holder, lease_until, acquired_at, renewed_at)
        VALUES ($1, $2, $3, $4, $4)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, renewed_at = excluded.renewed_at,
          acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END
        WHERE leases.holder = excluded.holder OR leases.lease_until < $4`, [name, holder, until, now]);
      return (r.rowCount ?? 0) > 0;
    },
    async releaseLease(name, holder) {
      await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
    async getLease(name) {
      const r = await pool.query<{ holder: string; until: string }>('SELECT holder, lease_until AS until FROM leases WHERE name = $1', [name]);
      return r.rows[0];
    },
    async clearClaimsAndLeases() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await client.query('UPDATE messages SET claimed_by = NULL, claim_until = NULL WHERE claimed_by IS NOT NULL');
        await client.query('DELETE FROM leases');
        await client.query('COMMIT');
        return r.rowCount ?? 0;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
}
