-- A new document's search keys are written by the store with the document (src/db/search-keys.ts,
-- sqlite-store.ts), not by this trigger: its 15 json_extract calls re-parsed the envelope each time,
-- about 100 of the 140 µs a document's INSERT cost. The other search_keys triggers stay (one row
-- each, no JSON walk). PostgreSQL keeps its trigger (postgres 0016).
DROP TRIGGER IF EXISTS search_keys_document;
