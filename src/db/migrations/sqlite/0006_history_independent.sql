-- Issue 11: no hot-path query may cost more as history grows. Each index below serves a lookup that
-- scanned a whole table before (see test/db/query-plans.test.ts, which checks every statement the
-- intake, pipeline, feed, /healthz and /metrics run against a database of 1M rows).

-- correlation (855/856/810 against their PO), the order timeline, the overdue scan
CREATE INDEX documents_correlation ON documents (correlation_id);
-- the feed's busy-partner check reads only documents under a lease (PostgreSQL has had it since 0002)
CREATE INDEX documents_ready_lease ON documents (lease_until) WHERE status = 'ready';
-- newest documents of a type (overdue scan, admin search by type) and of a partner
CREATE INDEX documents_type ON documents (type, seq);
CREATE INDEX documents_partner ON documents (partner_id, seq);
-- a partner's messages, newest first (admin API, console)
CREATE INDEX messages_partner ON messages (partner_id, seq);
-- claims held at start (released by a single-node SQLite gateway): only claimed messages are read
CREATE INDEX messages_claimed ON messages (claimed_by) WHERE claimed_by IS NOT NULL;
-- partners with pending jobs of a target: reads pending jobs only, not every job ever delivered
CREATE INDEX delivery_jobs_pending ON delivery_jobs (target, status, partner_id);
-- a job by the outcome it recorded (async MDN by AS2 Message-ID, MDN post by message): the keys are
-- fixed in code, so each has its own expression index
CREATE INDEX delivery_jobs_outcome_as2 ON delivery_jobs (target, json_extract(last_error, '$.as2MessageId')) WHERE json_valid(last_error);
CREATE INDEX delivery_jobs_outcome_mdn ON delivery_jobs (target, json_extract(last_error, '$.mdnRow')) WHERE json_valid(last_error);

-- Counts for /healthz and /metrics ('messages:received' → n), kept by triggers in the transaction
-- that changes a row. One writer owns a SQLite file, so the counter rows are never contended
-- (PostgreSQL, with several writers, appends deltas instead: its migration 0004).
CREATE TABLE row_counts (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO row_counts (name, value) SELECT 'messages:' || status, count(*) FROM messages GROUP BY status;
INSERT INTO row_counts (name, value) SELECT 'documents:' || status, count(*) FROM documents GROUP BY status;
INSERT INTO row_counts (name, value) SELECT 'exceptions:' || status, count(*) FROM exceptions GROUP BY status;

CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
  INSERT INTO row_counts (name, value) VALUES ('messages:' || NEW.status, 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER messages_count_update AFTER UPDATE OF status ON messages WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE row_counts SET value = value - 1 WHERE name = 'messages:' || OLD.status;
  INSERT INTO row_counts (name, value) VALUES ('messages:' || NEW.status, 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
  UPDATE row_counts SET value = value - 1 WHERE name = 'messages:' || OLD.status;
END;

CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN
  INSERT INTO row_counts (name, value) VALUES ('documents:' || NEW.status, 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER documents_count_update AFTER UPDATE OF status ON documents WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE row_counts SET value = value - 1 WHERE name = 'documents:' || OLD.status;
  INSERT INTO row_counts (name, value) VALUES ('documents:' || NEW.status, 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER documents_count_delete AFTER DELETE ON documents BEGIN
  UPDATE row_counts SET value = value - 1 WHERE name = 'documents:' || OLD.status;
END;

CREATE TRIGGER exceptions_count_insert AFTER INSERT ON exceptions BEGIN
  INSERT INTO row_counts (name, value) VALUES ('exceptions:' || NEW.status, 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER exceptions_count_update AFTER UPDATE OF status ON exceptions WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE row_counts SET value = value - 1 WHERE name = 'exceptions:' || OLD.status;
  INSERT INTO row_counts (name, value) VALUES ('exceptions:' || NEW.status, 1)
    ON CONFLICT (name) DO UPDATE SET value = value + 1;
END;
CREATE TRIGGER exceptions_count_delete AFTER DELETE ON exceptions BEGIN
  UPDATE row_counts SET value = value - 1 WHERE name = 'exceptions:' || OLD.status;
END;
