-- Issue 12: correlation read and parsed every earlier document of a PO for each new one
-- (quadratic per PO). The store now keeps running totals per PO line, updated in the transaction
-- that stores a ship notice or invoice (src/db/pg/line-totals.ts); documents stored before this
-- migration are added to them in the same transaction as this file (a JavaScript step, see
-- migrate.ts). Keys are normalized in code (src/pipeline/correlate/line-facts.ts).
-- Several nodes add to the same PO line: each adds with INSERT … ON CONFLICT DO UPDATE SET
-- quantity = quantity + delta, which takes the row lock until COMMIT, so no addition is lost;
-- rows are locked in key order, so two nodes never deadlock. NUMERIC sums exactly.

CREATE TABLE po_line_totals (
  po_number TEXT NOT NULL,
  kind TEXT NOT NULL,
  line_number TEXT NOT NULL,
  buyer_part TEXT NOT NULL,
  vendor_part TEXT NOT NULL,
  quantity NUMERIC NOT NULL,
  PRIMARY KEY (po_number, kind, line_number, buyer_part, vendor_part)
);

CREATE TABLE po_line_key_totals (
  po_number TEXT NOT NULL,
  kind TEXT NOT NULL,
  business_key TEXT NOT NULL,
  line_number TEXT NOT NULL,
  buyer_part TEXT NOT NULL,
  vendor_part TEXT NOT NULL,
  quantity NUMERIC NOT NULL,
  PRIMARY KEY (po_number, kind, business_key, line_number, buyer_part, vendor_part)
);

CREATE INDEX documents_correlation_type ON documents (correlation_id, type, seq);
