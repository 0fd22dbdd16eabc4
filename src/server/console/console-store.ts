/**
 * The console's reads (issue 19) on SQLite and PostgreSQL, the same statements (`?` placeholders,
 * numbered for PostgreSQL), each one index range whatever the history (test/db/query-plans.test.ts):
 * - search: messages by any number they carry (search_keys, migration sqlite 0018 / postgres 0016),
 *   in a date range, newest or oldest first, a page at a time (cursor: the last row's at and seq);
 * - partnerDays: a partner's per-day counts (partner_days, kept by triggers) over a range of days;
 * - exceptions: the queue by status, partner and code, newest or oldest first (exceptions_code);
 * - audit: the audit log by action, actor or subject (audit_log_* indexes), newest first.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { AuditRow, ExceptionRow, MessageRow } from '../../db/schema.ts';

type Run = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export type Order = 'desc' | 'asc';

export interface SearchHit { seq: number; key: string; kind: string; messageId: string; partnerId: string | null; at: string }
export interface SearchQuery {
  /** trimmed, upper-cased by the caller */
  key: string;
  partnerId?: string;
  /** ISO times, inclusive from, exclusive to */
  from?: string;
  to?: string;
  order: Order;
  limit: number;
  after?: { at: string; seq: number };
}

export interface PartnerDay { day: string; received: number; failed: number; acks: number; ackMs: number }

export interface ExceptionQuery {
  status: 'open' | 'replayed' | 'discarded';
  partnerId?: string;
  code?: string;
  order: Order;
  limit: number;
  after?: number;
}

export interface MessageQuery { partnerId?: string; status?: string; order: Order; limit: number; after?: number }

export interface AuditQuery { action?: string; actor?: string; subject?: string; limit: number; before?: number }

export interface ConsoleMethods {
  search(q: SearchQuery): Promise<SearchHit[]>;
  partnerDays(partnerId: string, fromDay: string, toDay: string): Promise<PartnerDay[]>;
  exceptions(q: ExceptionQuery): Promise<ExceptionRow[]>;
  audit(q: AuditQuery): Promise<AuditRow[]>;
  /** messages (without their raw bytes) by partner and status, newest or oldest first */
  messages(q: MessageQuery): Promise<MessageRow[]>;
}

const EXC_COLS = `seq, id, message_id AS "messageId", document_id AS "documentId", partner_id AS "partnerId", stage, code, message, detail,
  status, created_at AS "createdAt", resolved_at AS "resolvedAt", resolved_by AS "resolvedBy"`;

const MSG_COLS = `seq, id, received_at AS "receivedAt", direction, transport, partner_id AS "partnerId", metadata, content_sha256 AS "contentSha256", size,
  status, format, correlation_id AS "correlationId", duplicate_of AS "duplicateOf", test, updated_at AS "updatedAt", related_message_id AS "relatedMessageId",
  external_id AS "externalId", archived_at AS "archivedAt", purged_at AS "purgedAt"`;

function consoleMethods(run: Run): ConsoleMethods {
  return {
    async search(q) {
      const where = ['key = ?'];
      const params: unknown[] = [q.key];
      if (q.from) { where.push('at >= ?'); params.push(q.from); }
      if (q.to) { where.push('at < ?'); params.push(q.to); }
      if (q.partnerId) { where.push('partner_id = ?'); params.push(q.partnerId); }
      if (q.after) {
        where.push(q.order === 'desc' ? '(at < ? OR (at = ? AND seq < ?))' : '(at > ? OR (at = ? AND seq > ?))');
        params.push(q.after.at, q.after.at, q.after.seq);
      }
      const dir = q.order === 'desc' ? 'DESC' : 'ASC';
      const rows = await run(`SELECT seq, key, kind, message_id AS "messageId", partner_id AS "partnerId", at FROM search_keys
        WHERE ${where.join(' AND ')} ORDER BY at ${dir}, seq ${dir} LIMIT ?`, [...params, q.limit]);
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }) as SearchHit);
    },
    async partnerDays(partnerId, fromDay, toDay) {
      const rows = await run(`SELECT day, received, failed, acks, ack_ms AS "ackMs" FROM partner_days
        WHERE partner_id = ? AND day >= ? AND day <= ? ORDER BY day`, [partnerId, fromDay, toDay]);
      return rows.map((r) => ({ day: String(r.day), received: Number(r.received), failed: Number(r.failed), acks: Number(r.acks), ackMs: Number(r.ackMs) }));
    },
    async exceptions(q) {
      const where = ['status = ?'];
      const params: unknown[] = [q.status];
      if (q.code) { where.push('code = ?'); params.push(q.code); }
      if (q.partnerId) { where.push('partner_id = ?'); params.push(q.partnerId); }
      if (q.after !== undefined) { where.push(q.order === 'desc' ? 'seq < ?' : 'seq > ?'); params.push(q.after); }
      const rows = await run(`SELECT ${EXC_COLS} FROM exceptions WHERE ${where.join(' AND ')} ORDER BY seq ${q.order === 'desc' ? 'DESC' : 'ASC'} LIMIT ?`, [...params, q.limit]);
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }) as ExceptionRow);
    },
    async messages(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.partnerId) { where.push('partner_id = ?'); params.push(q.partnerId); }
      if (q.status) { where.push('status = ?'); params.push(q.status); }
      if (q.after !== undefined) { where.push(q.order === 'desc' ? 'seq < ?' : 'seq > ?'); params.push(q.after); }
      const rows = await run(`SELECT ${MSG_COLS} FROM messages${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${q.order === 'desc' ? 'DESC' : 'ASC'} LIMIT ?`, [...params, q.limit]);
      return rows.map((r) => ({ ...r, seq: Number(r.seq), size: Number(r.size), test: Boolean(r.test), raw: Buffer.alloc(0) }) as unknown as MessageRow);
    },
    async audit(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.action) { where.push('action = ?'); params.push(q.action); }
      if (q.actor) { where.push('actor = ?'); params.push(q.actor); }
      if (q.subject) { where.push('subject = ?'); params.push(q.subject); }
      if (q.before !== undefined) { where.push('seq < ?'); params.push(q.before); }
      const rows = await run(`SELECT seq, at, actor, action, subject, detail FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq DESC LIMIT ?`, [...params, q.limit]);
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }) as AuditRow);
    },
  };
}

export function createSqliteConsole(raw: Database.Database): ConsoleMethods {
  const cache = new Map<string, Database.Statement>();
  const run: Run = async (sql, params) => {
    let stmt = cache.get(sql);
    if (!stmt) { stmt = raw.prepare(sql); cache.set(sql, stmt); }
    return stmt.all(...params) as Array<Record<string, unknown>>;
  };
  return consoleMethods(run);
}

export function createPgConsole(pool: Pool): ConsoleMethods {
  const run: Run = async (sql, params) => {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    return (await pool.query(text, params)).rows as Array<Record<string, unknown>>;
  };
  const methods = consoleMethods(run);
  return {
    ...methods,
    // the triggers append deltas (several nodes write at once, migration 0016): fold them, then read both
    async partnerDays(partnerId, fromDay, toDay) {
      await pool.query(`WITH moved AS (DELETE FROM partner_day_deltas RETURNING partner_id, day, received, failed, acks, ack_ms)
        INSERT INTO partner_days (partner_id, day, received, failed, acks, ack_ms)
        SELECT partner_id, day, sum(received), sum(failed), sum(acks), sum(ack_ms) FROM moved GROUP BY partner_id, day
        ON CONFLICT (partner_id, day) DO UPDATE SET received = partner_days.received + excluded.received, failed = partner_days.failed + excluded.failed,
          acks = partner_days.acks + excluded.acks, ack_ms = partner_days.ack_ms + excluded.ack_ms`).catch(() => {});
      const { rows } = await pool.query(`SELECT day, sum(received) AS received, sum(failed) AS failed, sum(acks) AS acks, sum(ack_ms) AS "ackMs" FROM (
          SELECT day, received, failed, acks, ack_ms FROM partner_days WHERE partner_id = $1 AND day >= $2 AND day <= $3
          UNION ALL SELECT day, received, failed, acks, ack_ms FROM partner_day_deltas WHERE partner_id = $1 AND day >= $2 AND day <= $3
        ) AS d GROUP BY day ORDER BY day`, [partnerId, fromDay, toDay]);
      return rows.map((r: Record<string, unknown>) => ({ day: String(r.day), received: Number(r.received), failed: Number(r.failed), acks: Number(r.acks), ackMs: Number(r.ackMs) }));
    },
  };
}
