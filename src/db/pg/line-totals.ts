/**
 * The per-PO-line running totals on PostgreSQL (migration 0005), added to in the transaction that
 * stores a ship notice or invoice. Several nodes add to the same PO line at once: each addition is
 * `INSERT … ON CONFLICT DO UPDATE SET quantity = quantity + delta` on a NUMERIC (exact), which
 * holds the row's lock until COMMIT, so the second node's addition waits for the first and none
 * is lost. One statement per table, its rows in key order: every writer locks rows in the same
 * order, so two nodes never deadlock on them.
 */
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { format, parseDecimal } from '../../pipeline/lifecycle/correlate/decimal.ts';
import { lineTotalDeltas, perLineDeltas } from '../../pipeline/lifecycle/correlate/line-facts.ts';
import type { LineKind, LineTotal } from '../store.ts';

/** a drizzle database or transaction (only `execute` is used) */
type Executor = Pick<NodePgDatabase<Record<string, unknown>>, 'execute'>;

const counted = (type: string) => type === 'ship_notice' || type === 'invoice' || type === 'receipt';

export async function recordPgLineTotals(
  tx: Executor, previous: { type: string; envelope: string } | undefined, next: { type: string; envelope: unknown },
): Promise<void> {
  if (!counted(next.type) && !(previous && counted(previous.type))) return;
  const deltas = lineTotalDeltas(previous && { type: previous.type, envelope: JSON.parse(previous.envelope) }, next);
  if (deltas.length === 0) return;
  const rows = (ds: typeof deltas) => JSON.stringify(ds.map((d) => ({
    po_number: d.poNumber, kind: d.kind, business_key: d.businessKey, line_number: d.lineNumber, buyer_part: d.buyerPart, vendor_part: d.vendorPart, quantity: d.quantity,
  })));
  await tx.execute(sql`INSERT INTO po_line_totals (po_number, kind, line_number, buyer_part, vendor_part, quantity)
    SELECT po_number, kind, line_number, buyer_part, vendor_part, quantity
    FROM jsonb_to_recordset(${rows(perLineDeltas(deltas))}::jsonb) AS d(po_number text, kind text, line_number text, buyer_part text, vendor_part text, quantity numeric)
    ORDER BY po_number, kind, line_number, buyer_part, vendor_part
    ON CONFLICT (po_number, kind, line_number, buyer_part, vendor_part) DO UPDATE SET quantity = po_line_totals.quantity + excluded.quantity`);
  await tx.execute(sql`INSERT INTO po_line_key_totals (po_number, kind, business_key, line_number, buyer_part, vendor_part, quantity)
    SELECT po_number, kind, business_key, line_number, buyer_part, vendor_part, quantity
    FROM jsonb_to_recordset(${rows(deltas)}::jsonb) AS d(po_number text, kind text, business_key text, line_number text, buyer_part text, vendor_part text, quantity numeric)
    ORDER BY po_number, kind, business_key, line_number, buyer_part, vendor_part
    ON CONFLICT (po_number, kind, business_key, line_number, buyer_part, vendor_part) DO UPDATE SET quantity = po_line_key_totals.quantity + excluded.quantity`);
}

export async function readPgLineTotals(db: Executor, poNumber: string, businessKey?: { kind: LineKind; key: string }): Promise<LineTotal[]> {
  const columns = sql`kind, line_number AS "lineNumber", buyer_part AS "buyerPart", vendor_part AS "vendorPart", quantity::text AS quantity`;
  const result = businessKey
    ? await db.execute(sql`SELECT ${columns} FROM po_line_key_totals WHERE po_number = ${poNumber} AND kind = ${businessKey.kind} AND business_key = ${businessKey.key}`)
    : await db.execute(sql`SELECT ${columns} FROM po_line_totals WHERE po_number = ${poNumber}`);
  // NUMERIC keeps the larger scale of what it added ('2.5' - '2.5' is '0.0'): the same text as SQLite
  return (result.rows as unknown as LineTotal[]).map((r) => ({ ...r, quantity: format(parseDecimal(r.quantity)) }));
}

/** adds every stored ship notice and invoice to the totals: migration 0005's step, in its transaction */
export async function backfillPgLineTotals(db: Executor): Promise<void> {
  for (let after = 0; ;) {
    const { rows } = await db.execute(sql`SELECT seq, type, envelope FROM documents
      WHERE type IN ('ship_notice', 'invoice') AND seq > ${after} ORDER BY seq LIMIT 1000`);
    if (rows.length === 0) return;
    for (const row of rows as Array<{ seq: number | string; type: string; envelope: string }>) {
      await recordPgLineTotals(db, undefined, { type: row.type, envelope: JSON.parse(row.envelope) });
    }
    after = Number((rows.at(-1) as { seq: number | string }).seq);
  }
}
