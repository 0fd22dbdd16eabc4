-- Issue 11: no hot-path query may cost more as history grows (SQLite: migration 0006).
CREATE INDEX documents_type ON documents (type, seq);
CREATE INDEX documents_partner ON documents (partner_id, seq);
CREATE INDEX messages_partner ON messages (partner_id, seq);
CREATE INDEX delivery_jobs_pending ON delivery_jobs (target, status, partner_id);
-- a job by the outcome it recorded; the keys are fixed in code, each with its own expression index
CREATE INDEX delivery_jobs_outcome_as2 ON delivery_jobs (target, (edigw_try_jsonb(last_error) ->> 'as2MessageId'));
CREATE INDEX delivery_jobs_outcome_mdn ON delivery_jobs (target, (edigw_try_jsonb(last_error) ->> 'mdnRow'));

-- Counts for /healthz and /metrics. Several nodes write at once, so a trigger never updates a shared
-- counter row (every writer would queue on its lock until commit): it appends a delta, and a reader
-- folds the deltas into row_counts (counts() in pg-store.ts), so what is read stays a few rows.
CREATE TABLE row_counts (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
CREATE TABLE row_count_deltas (
  seq BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  delta INTEGER NOT NULL
);
INSERT INTO row_counts (name, value) SELECT 'messages:' || status, count(*) FROM messages GROUP BY status;
INSERT INTO row_counts (name, value) SELECT 'documents:' || status, count(*) FROM documents GROUP BY status;
INSERT INTO row_counts (name, value) SELECT 'exceptions:' || status, count(*) FROM exceptions GROUP BY status;

CREATE FUNCTION edigw_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO row_count_deltas (name, delta) VALUES (TG_TABLE_NAME || ':' || OLD.status, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO row_count_deltas (name, delta) VALUES (TG_TABLE_NAME || ':' || NEW.status, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER messages_count AFTER INSERT OR DELETE ON messages FOR EACH ROW EXECUTE FUNCTION edigw_count_rows();
CREATE TRIGGER messages_count_status AFTER UPDATE OF status ON messages FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION edigw_count_rows();
CREATE TRIGGER documents_count AFTER INSERT OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION edigw_count_rows();
CREATE TRIGGER documents_count_status AFTER UPDATE OF status ON documents FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION edigw_count_rows();
CREATE TRIGGER exceptions_count AFTER INSERT OR DELETE ON exceptions FOR EACH ROW EXECUTE FUNCTION edigw_count_rows();
CREATE TRIGGER exceptions_count_status AFTER UPDATE OF status ON exceptions FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION edigw_count_rows();
