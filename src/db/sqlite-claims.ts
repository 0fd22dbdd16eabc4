/**
 * Message claims and named leases on SQLite (see ClaimMethods in store.ts): one prepared
 * statement each. SQLite serializes writers, so a conditional UPDATE (or an upsert with a WHERE
 * on its DO UPDATE) decides between two callers on the same file exactly as on PostgreSQL.
 */
import type Database from 'better-sqlite3';
import type { ClaimMethods } from './store.ts';

export function createSqliteClaims(raw: Database.Database): ClaimMethods {
  type ClaimParams = { id: string; holder: string; until: string; now: string };
  const claimSql = (extra: string) => `UPDATE messages SET claimed_by = @holder, claim_until = @until
    WHERE id = @id${extra} AND (claimed_by IS NULL OR claimed_by = @holder OR claim_until IS NULL OR claim_until < @now)`;
  const claim = raw.prepare<ClaimParams>(claimSql(''));
  const claimReceived = raw.prepare<ClaimParams>(claimSql(" AND status = 'received'"));
  const renew = raw.prepare<ClaimParams>('UPDATE messages SET claim_until = @until WHERE id = @id AND claimed_by = @holder AND @now IS NOT NULL');
  const release = raw.prepare<[string, string]>('UPDATE messages SET claimed_by = NULL, claim_until = NULL WHERE id = ? AND claimed_by = ?');
  const resumable = raw.prepare<{ now: string; before: string | null; limit: number }>(`SELECT id FROM messages
    WHERE status = 'received' AND direction = 'inbound' AND (claim_until IS NULL OR claim_until < @now)
      AND (@before IS NULL OR received_at < @before) ORDER BY seq LIMIT @limit`).pluck();
  const acquire = raw.prepare<{ name: string; holder: string; until: string; now: string }>(`INSERT INTO leases (name, holder, lease_until, acquired_at, renewed_at)
    VALUES (@name, @holder, @until, @now, @now)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until, renewed_at = excluded.renewed_at,
      acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END
    WHERE leases.holder = excluded.holder OR leases.lease_until < @now`);
  const releaseLease = raw.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?');
  const getLease = raw.prepare<[string]>('SELECT holder, lease_until AS until FROM leases WHERE name = ?');
  const clearClaims = raw.prepare('UPDATE messages SET claimed_by = NULL, claim_until = NULL WHERE claimed_by IS NOT NULL');
  const clearLeases = raw.prepare('DELETE FROM leases');

  return {
    sharedByNodes: false,
    async claimMessage(id, holder, until, now, opts) {
      return (opts?.renew ? renew : opts?.onlyReceived ? claimReceived : claim).run({ id, holder, until, now }).changes > 0;
    },
    async releaseMessage(id, holder) {
      release.run(id, holder);
    },
    async resumableMessageIds(q) {
      return resumable.all({ now: q.now, before: q.receivedBefore ?? null, limit: q.limit }) as string[];
    },
    async acquireLease(name, holder, until, now) {
      return acquire.run({ name, holder, until, now }).changes > 0;
    },
    async releaseLease(name, holder) {
      releaseLease.run(name, holder);
    },
    async getLease(name) {
      return getLease.get(name) as { holder: string; until: string } | undefined;
    },
    async clearClaimsAndLeases() {
      return raw.transaction(() => {
        const n = clearClaims.run().changes;
        clearLeases.run();
        return n;
      })();
    },
  };
}
