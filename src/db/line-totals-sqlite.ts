/**
 * The per-PO-line running totals on SQLite (migration 0007): added to in the transaction that
 * stores a ship notice or invoice. SQLite has no decimal type, so each total is read, summed
 * exactly in code (decimal.ts) and written back; one process owns the file and better-sqlite3
 * runs the transaction synchronously, so nothing else writes between the read and the write.
 */
import type Database from 'better-sqlite3';
import { add, format, parseDecimal } from '../pipeline/lifecycle/correlate/decimal.ts';
import { lineTotalDeltas, perLineDeltas } from '../pipeline/lifecycle/correlate/line-facts.ts';
import type { LineKind, LineTotal, LineTotalDelta } from './store.ts';

const LINE = 'line_number = @lineNumber AND buyer_part = @buyerPart AND vendor_part = @vendorPart';
const COLUMNS = 'kind, line_number AS lineNumber, buyer_part AS buyerPart, vendor_part AS vendorPart, quantity';

/**
 * The totals of a file; documents stored before migration 0007 are added first, once (one
 * transaction adds them and deletes the migration's line_totals_backfill row).
 */
export function createSqliteLineTotals(raw: Database.Database) {
  const totals = totalsOn(raw);
  // a read first: opening the file must not need the write lock (another process may hold it)
  if (raw.prepare('SELECT 1 FROM line_totals_backfill').get()) {
    raw.transaction(() => {
      if (raw.prepare('DELETE FROM line_totals_backfill').run().changes > 0) backfill(raw, totals);
    }).immediate();
  }
  return totals;
}

function totalsOn(raw: Database.Database) {
  const q = {
    total: raw.prepare(`SELECT quantity FROM po_line_totals WHERE po_number = @poNumber AND kind = @kind AND ${LINE}`).pluck(),
    setTotal: raw.prepare(`INSERT INTO po_line_totals (po_number, kind, line_number, buyer_part, vendor_part, quantity)
      VALUES (@poNumber, @kind, @lineNumber, @buyerPart, @vendorPart, @quantity)
      ON CONFLICT (po_number, kind, line_number, buyer_part, vendor_part) DO UPDATE SET quantity = excluded.quantity`),
    keyTotal: raw.prepare(`SELECT quantity FROM po_line_key_totals WHERE po_number = @poNumber AND kind = @kind AND business_key = @businessKey AND ${LINE}`).pluck(),
    setKeyTotal: raw.prepare(`INSERT INTO po_line_key_totals (po_number, kind, business_key, line_number, buyer_part, vendor_part, quantity)
      VALUES (@poNumber, @kind, @businessKey, @lineNumber, @buyerPart, @vendorPart, @quantity)
      ON CONFLICT (po_number, kind, business_key, line_number, buyer_part, vendor_part) DO UPDATE SET quantity = excluded.quantity`),
    ofPo: raw.prepare(`SELECT ${COLUMNS} FROM po_line_totals WHERE po_number = ?`),
    ofKey: raw.prepare(`SELECT ${COLUMNS} FROM po_line_key_totals WHERE po_number = ? AND kind = ? AND business_key = ?`),
  };
  const plus = (stored: unknown, delta: string) => (typeof stored === 'string' ? format(add(parseDecimal(stored), parseDecimal(delta))) : delta);
  const apply = (deltas: LineTotalDelta[]) => {
    for (const d of perLineDeltas(deltas)) q.setTotal.run({ ...line(d), quantity: plus(q.total.get(line(d)), d.quantity) });
    for (const d of deltas) q.setKeyTotal.run({ ...keyed(d), quantity: plus(q.keyTotal.get(keyed(d)), d.quantity) });
  };
  return {
    /** call inside the transaction that stores the document */
    record(previous: { type: string; envelope: string } | undefined, next: { type: string; envelope: unknown }): void {
      if (!counted(next.type) && !(previous && counted(previous.type))) return;
      apply(lineTotalDeltas(previous && { type: previous.type, envelope: JSON.parse(previous.envelope) }, next));
    },
    read(poNumber: string, businessKey?: { kind: LineKind; key: string }): LineTotal[] {
      return (businessKey ? q.ofKey.all(poNumber, businessKey.kind, businessKey.key) : q.ofPo.all(poNumber)) as LineTotal[];
    },
  };
}

/** adds every stored ship notice and invoice to the totals (documents stored before migration 0007) */
function backfill(raw: Database.Database, totals: ReturnType<typeof totalsOn>): void {
  // pages by seq: the connection cannot write while a statement iterates
  const page = raw.prepare(`SELECT seq, type, envelope FROM documents WHERE type IN ('ship_notice', 'invoice') AND seq > ? ORDER BY seq LIMIT 1000`);
  for (let after = 0; ;) {
    const rows = page.all(after) as Array<{ seq: number; type: string; envelope: string }>;
    if (rows.length === 0) return;
    for (const row of rows) totals.record(undefined, { type: row.type, envelope: JSON.parse(row.envelope) });
    after = rows.at(-1)!.seq;
  }
}

const counted = (type: string) => type === 'ship_notice' || type === 'invoice' || type === 'receipt';
const line = (d: LineTotalDelta) => ({ poNumber: d.poNumber, kind: d.kind, lineNumber: d.lineNumber, buyerPart: d.buyerPart, vendorPart: d.vendorPart });
const keyed = (d: LineTotalDelta) => ({ ...line(d), businessKey: d.businessKey });
