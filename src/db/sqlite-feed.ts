/**
 * The ERP pull feed's lease on SQLite: one UPDATE … RETURNING leases up to `limit` documents (was
 * one UPDATE per document). A partner with a document under a live lease is skipped, so each
 * partner's documents are handed out in the order received even with several consumers; the
 * busy-partner subquery reads only leased documents (partial index documents_ready_lease, named
 * with INDEXED BY because without statistics SQLite picks documents_feed and walks every ready row).
 */
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { SqliteDb } from './open-sqlite.ts';
import { documents, type DocumentRow } from './schema.ts';
import type { FeedRequest } from './store.ts';

const p = sql.placeholder;

export function prepareFeedLease(db: SqliteDb): (req: FeedRequest) => DocumentRow[] {
  /** one prepared statement per combination of optional filters (type, partner) */
  const variants = new Map<string, { all(values: Record<string, unknown>): DocumentRow[] }>();
  const build = (byType: boolean, byPartner: boolean) => {
    const candidates = db.select({ seq: documents.seq }).from(documents).where(and(
      eq(documents.status, 'ready'),
      eq(documents.test, p('test')),
      or(isNull(documents.leaseUntil), lt(documents.leaseUntil, p('now'))),
      byType ? eq(documents.type, p('type')) : undefined,
      byPartner ? eq(documents.partnerId, p('partnerId')) : undefined,
      sql`${documents.partnerId} NOT IN (SELECT busy.partner_id FROM documents AS busy INDEXED BY documents_ready_lease
        WHERE busy.status = 'ready' AND busy.lease_until > ${p('now')})`,
    )).orderBy(asc(documents.seq)).limit(p('limit'));
    return db.update(documents)
      .set({ leaseUntil: sql`${p('leaseUntil')}`, leaseCount: sql`${documents.leaseCount} + 1` })
      .where(inArray(documents.seq, candidates))
      .returning().prepare();
  };
  return (req) => {
    const key = `${req.type ? 't' : ''}${req.partnerId ? 'p' : ''}`;
    let stmt = variants.get(key);
    if (!stmt) {
      stmt = build(!!req.type, !!req.partnerId);
      variants.set(key, stmt);
    }
    const rows = stmt.all({
      now: req.now, leaseUntil: req.leaseUntil, limit: req.limit, test: req.test ? 1 : 0,
      ...(req.type ? { type: req.type } : {}), ...(req.partnerId ? { partnerId: req.partnerId } : {}),
    });
    // RETURNING gives no order: the feed's order is seq
    return rows.sort((a, b) => a.seq - b.seq);
  };
}
