/**
 * The one read tracing adds (only when it is on): for documents the ERP feed leased or acked, the
 * message each came from and the traceparent intake stored in its metadata, so their lease and
 * acknowledgement spans join the message's trace. One statement on SQLite and PostgreSQL alike
 * (`?` placeholders, numbered for PostgreSQL), by primary keys: its cost is the batch's size
 * (at most the feed's limit or an ack's 1000 ids), never the history's.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { parseTraceparent } from './traceparent.ts';

export interface DocumentTrace { documentId: string; messageId: string; partnerId: string; type: string; traceparent?: string }

export interface TraceReads {
  /** one entry per known document id (unknown ids are left out), in no particular order */
  documentTraces(documentIds: string[]): Promise<DocumentTrace[]>;
}

type Run = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** ids per statement: SQLite's default limit of host parameters is 32766, PostgreSQL's 65535 */
const CHUNK = 1000;

function traceReads(run: Run): TraceReads {
  return {
    async documentTraces(ids) {
      const out: DocumentTrace[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const part = ids.slice(i, i + CHUNK);
        const rows = await run(`SELECT d.id, d.message_id, d.partner_id, d.type, m.metadata FROM documents d
          JOIN messages m ON m.id = d.message_id WHERE d.id IN (${part.map(() => '?').join(', ')})`, part);
        for (const r of rows) {
          let tp: unknown;
          try { tp = (JSON.parse(String(r.metadata)) as { traceparent?: unknown }).traceparent; } catch { tp = undefined; }
          out.push({
            documentId: String(r.id), messageId: String(r.message_id), partnerId: String(r.partner_id), type: String(r.type),
            ...(parseTraceparent(tp) ? { traceparent: tp as string } : {}),
          });
        }
      }
      return out;
    },
  };
}

export function createSqliteTraceReads(raw: Database.Database): TraceReads {
  const cache = new Map<string, Database.Statement>();
  return traceReads(async (sql, params) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      // one statement per batch size seen; the feed's and the ack's sizes repeat
      if (cache.size > 64) cache.clear();
      stmt = raw.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt.all(...params) as Array<Record<string, unknown>>;
  });
}

export function createPgTraceReads(pool: Pool): TraceReads {
  return traceReads(async (sql, params) => {
    let n = 0;
    return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Array<Record<string, unknown>>;
  });
}
