-- Issue 11: the store appends the count changes to row_count_deltas itself, one row per name a
-- transaction (a batch of units writes one INSERT, src/db/pg/batch-context.ts), instead of a trigger
-- per row (a plpgsql call and a delta row per document: ~147 µs of ~340 per INSERT, bench/inserts.ts).
-- The deltas up to here are exact and stay, folded on the next read as before.
DROP TRIGGER IF EXISTS messages_count ON messages;
DROP TRIGGER IF EXISTS messages_count_status ON messages;
DROP TRIGGER IF EXISTS documents_count ON documents;
DROP TRIGGER IF EXISTS documents_count_status ON documents;
DROP TRIGGER IF EXISTS exceptions_count ON exceptions;
DROP TRIGGER IF EXISTS exceptions_count_status ON exceptions;
DROP FUNCTION IF EXISTS edigw_count_rows();
