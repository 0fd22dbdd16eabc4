-- documents_correlation (correlation_id) is a prefix of documents_correlation_type (correlation_id, type, seq, 0007):
-- every lookup by correlation id (documentsByCorrelation, firstCorrelated) SEARCHes the longer one, so the
-- shorter one was only written, never read: one index less to maintain per stored document (bench/inserts.ts).
DROP INDEX IF EXISTS documents_correlation;
