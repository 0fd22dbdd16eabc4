-- Issue 12: correlation read and parsed every earlier document of a PO for each new one
-- (quadratic per PO). The store now keeps running totals per PO line, updated in the transaction
-- that stores a ship notice or invoice (src/db/line-totals-sqlite.ts); documents stored before this
-- migration are added once, when the store next opens the file (line_totals_backfill below). Keys are normalized in code (src/pipeline/correlate/line-facts.ts); quantities
-- are exact decimal text, summed in code (SQLite has no decimal type).

-- per PO, kind ('shipped' | 'invoiced') and line as documents name it ('' where a document gave none)
CREATE TABLE po_line_totals (
  po_number TEXT NOT NULL,
  kind TEXT NOT NULL,
  line_number TEXT NOT NULL,
  buyer_part TEXT NOT NULL,
  vendor_part TEXT NOT NULL,
  quantity TEXT NOT NULL,
  PRIMARY KEY (po_number, kind, line_number, buyer_part, vendor_part)
) WITHOUT ROWID;

-- the same per business key (shipment id, invoice number), so a document's re-sends can be left out
CREATE TABLE po_line_key_totals (
  po_number TEXT NOT NULL,
  kind TEXT NOT NULL,
  business_key TEXT NOT NULL,
  line_number TEXT NOT NULL,
  buyer_part TEXT NOT NULL,
  vendor_part TEXT NOT NULL,
  quantity TEXT NOT NULL,
  PRIMARY KEY (po_number, kind, business_key, line_number, buyer_part, vendor_part)
) WITHOUT ROWID;

-- the purchase order a PO number names (the oldest of its type), without reading its ship notices
CREATE INDEX documents_correlation_type ON documents (correlation_id, type, seq);

-- documents stored before this migration: the store adds them to the totals when it opens the
-- file, in one transaction that also deletes this row (createSqliteLineTotals)
CREATE TABLE line_totals_backfill (pending INTEGER NOT NULL);
INSERT INTO line_totals_backfill (pending) SELECT 1 WHERE EXISTS (SELECT 1 FROM documents WHERE type IN ('ship_notice', 'invoice'));
