-- Issue 11: row_counts is kept by the store, once per transaction (a batch of units commits its count
-- changes in one upsert per name, src/db/row-counts.ts), not by a trigger per row: the insert trigger
-- was the largest single cost of storing a document (~31 µs of ~120, bench/inserts.ts). The counts
-- were exact under the triggers up to this migration, so they are kept as they are.
DROP TRIGGER IF EXISTS messages_count_insert;
DROP TRIGGER IF EXISTS messages_count_update;
DROP TRIGGER IF EXISTS messages_count_delete;
DROP TRIGGER IF EXISTS documents_count_insert;
DROP TRIGGER IF EXISTS documents_count_update;
DROP TRIGGER IF EXISTS documents_count_delete;
DROP TRIGGER IF EXISTS exceptions_count_insert;
DROP TRIGGER IF EXISTS exceptions_count_update;
DROP TRIGGER IF EXISTS exceptions_count_delete;
