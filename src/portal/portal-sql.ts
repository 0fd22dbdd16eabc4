/**
 * PortalMethods (portal-store.ts) on SQLite and PostgreSQL: the same statements, `?` placeholders
 * (numbered $1, $2… for PostgreSQL). Each is one conditional statement, so of two nodes leasing
 * or accepting at once exactly one wins. The outbox lease is the ERP feed's (sqlite-feed.ts): one
 * UPDATE … RETURNING over the partner's ready rows not under a live lease, lease count + 1.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { OutboxRow, PortalMethods, PortalSessionRow, PortalUserRow } from './portal-store.ts';

type Run = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const OUTBOX_COLS = `seq, id, partner_id AS "partnerId", kind, message_id AS "messageId", document_id AS "documentId", summary, status, test,
  lease_until AS "leaseUntil", lease_count AS "leaseCount", created_at AS "createdAt", updated_at AS "updatedAt", delivered_at AS "deliveredAt"`;
const USER_COLS = `seq, id, partner_id AS "partnerId", email, password_hash AS "passwordHash", status, failed_logins AS "failedLogins",
  locked_until AS "lockedUntil", invite_hash AS "inviteHash", invite_expires_at AS "inviteExpiresAt", invited_by AS "invitedBy",
  created_at AS "createdAt", updated_at AS "updatedAt", last_login_at AS "lastLoginAt"`;
const SESSION_COLS = `token_hash AS "tokenHash", user_id AS "userId", partner_id AS "partnerId", csrf, created_at AS "createdAt", expires_at AS "expiresAt"`;
const USER_FIELDS: Record<string, string> = {
  passwordHash: 'password_hash', status: 'status', failedLogins: 'failed_logins', lockedUntil: 'locked_until',
  inviteHash: 'invite_hash', inviteExpiresAt: 'invite_expires_at', lastLoginAt: 'last_login_at',
};

const outboxRow = (r: Record<string, unknown>): OutboxRow => ({ ...r, seq: Number(r.seq), test: Boolean(r.test), leaseCount: Number(r.leaseCount) } as OutboxRow);
const userRow = (r: Record<string, unknown>): PortalUserRow => ({ ...r, seq: Number(r.seq), failedLogins: Number(r.failedLogins) } as PortalUserRow);

function portalMethods(run: Run, bool: (b: boolean) => unknown): PortalMethods {
  return {
    async offerOutbox(i) {
      await run(`INSERT INTO partner_outbox (id, partner_id, kind, message_id, document_id, summary, status, test, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)
        ON CONFLICT (partner_id, kind, message_id) DO UPDATE SET summary = excluded.summary, status = 'ready', lease_until = NULL,
          delivered_at = NULL, updated_at = excluded.updated_at`,
      [i.id, i.partnerId, i.kind, i.messageId, i.documentId ?? null, JSON.stringify(i.summary), bool(i.test), i.at, i.at]);
    },
    async leaseOutbox(q) {
      const rows = await run(`UPDATE partner_outbox SET lease_until = ?, lease_count = lease_count + 1
        WHERE seq IN (SELECT seq FROM partner_outbox WHERE partner_id = ? AND status = 'ready' AND (lease_until IS NULL OR lease_until < ?)
          ORDER BY seq LIMIT ?)
        RETURNING ${OUTBOX_COLS}`, [q.leaseUntil, q.partnerId, q.now, q.limit]);
      // RETURNING gives no order: the outbox's order is seq
      return rows.map(outboxRow).sort((a, b) => a.seq - b.seq);
    },
    async ackOutbox(partnerId, ids, at) {
      if (ids.length === 0) return { acknowledged: [], unknown: [] };
      const unique = [...new Set(ids)];
      const rows = (await run(`UPDATE partner_outbox SET status = 'delivered', delivered_at = coalesce(delivered_at, ?), lease_until = NULL, updated_at = ?
        WHERE partner_id = ? AND id IN (${unique.map(() => '?').join(', ')}) RETURNING ${OUTBOX_COLS}`, [at, at, partnerId, ...unique])).map(outboxRow);
      const found = new Set(rows.map((r) => r.id));
      return { acknowledged: rows.sort((a, b) => a.seq - b.seq), unknown: unique.filter((id) => !found.has(id)) };
    },
    async listOutbox(q) {
      const rows = await run(`SELECT ${OUTBOX_COLS} FROM partner_outbox WHERE partner_id = ?${q.before !== undefined ? ' AND seq < ?' : ''}
        ORDER BY seq DESC LIMIT ?`, [q.partnerId, ...(q.before !== undefined ? [q.before] : []), q.limit]);
      return rows.map(outboxRow);
    },
    async getOutbox(partnerId, id) {
      const [r] = await run(`SELECT ${OUTBOX_COLS} FROM partner_outbox WHERE partner_id = ? AND id = ?`, [partnerId, id]);
      return r ? outboxRow(r) : undefined;
    },

    async insertUser(u) {
      await run(`INSERT INTO portal_users (id, partner_id, email, password_hash, status, failed_logins, locked_until, invite_hash, invite_expires_at,
        invited_by, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [u.id, u.partnerId, u.email, u.passwordHash, u.status, u.failedLogins, u.lockedUntil, u.inviteHash, u.inviteExpiresAt, u.invitedBy, u.createdAt, u.updatedAt, u.lastLoginAt]);
    },
    async getUser(id) {
      const [r] = await run(`SELECT ${USER_COLS} FROM portal_users WHERE id = ?`, [id]);
      return r ? userRow(r) : undefined;
    },
    async userByEmail(email) {
      const [r] = await run(`SELECT ${USER_COLS} FROM portal_users WHERE email = ?`, [email]);
      return r ? userRow(r) : undefined;
    },
    async userByInvite(inviteHash) {
      const [r] = await run(`SELECT ${USER_COLS} FROM portal_users WHERE invite_hash = ?`, [inviteHash]);
      return r ? userRow(r) : undefined;
    },
    async listUsers(partnerId) {
      return (await run(`SELECT ${USER_COLS} FROM portal_users WHERE partner_id = ? ORDER BY seq LIMIT 1000`, [partnerId])).map(userRow);
    },
    async updateUser(id, fields, at) {
      const entries = Object.entries(fields).filter(([k]) => USER_FIELDS[k]);
      if (entries.length === 0) return;
      await run(`UPDATE portal_users SET ${entries.map(([k]) => `${USER_FIELDS[k]} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
        [...entries.map(([, v]) => v ?? null), at, id]);
    },
    async acceptInvite(inviteHash, passwordHash, now) {
      const rows = await run(`UPDATE portal_users SET password_hash = ?, status = 'active', invite_hash = NULL, invite_expires_at = NULL,
        failed_logins = 0, locked_until = NULL, updated_at = ? WHERE invite_hash = ? AND invite_expires_at > ? RETURNING id`, [passwordHash, now, inviteHash, now]);
      return rows.length === 1;
    },

    async insertSession(s) {
      await run('INSERT INTO portal_sessions (token_hash, user_id, partner_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        [s.tokenHash, s.userId, s.partnerId, s.csrf, s.createdAt, s.expiresAt]);
    },
    async getSession(tokenHash) {
      const [r] = await run(`SELECT ${SESSION_COLS} FROM portal_sessions WHERE token_hash = ?`, [tokenHash]);
      return r as PortalSessionRow | undefined;
    },
    async deleteSession(tokenHash) {
      await run('DELETE FROM portal_sessions WHERE token_hash = ?', [tokenHash]);
    },
    async deleteSessionsOfUser(userId) {
      await run('DELETE FROM portal_sessions WHERE user_id = ?', [userId]);
    },
  };
}

export function createSqlitePortal(raw: Database.Database): PortalMethods {
  const cache = new Map<string, Database.Statement>();
  const run: Run = async (sql, params) => {
    let stmt = cache.get(sql);
    if (!stmt) { stmt = raw.prepare(sql); cache.set(sql, stmt); }
    return stmt.reader ? stmt.all(...params) as Array<Record<string, unknown>> : (stmt.run(...params), []);
  };
  return portalMethods(run, (b) => (b ? 1 : 0));
}

export function createPgPortal(pool: Pool): PortalMethods {
  const run: Run = async (sql, params) => {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    return (await pool.query(text, params)).rows as Array<Record<string, unknown>>;
  };
  return portalMethods(run, (b) => b);
}
