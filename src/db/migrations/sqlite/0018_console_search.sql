-- The console finds things (issue 19; PostgreSQL: migration 0016).
--
-- search_keys: every number a message can be looked up by, one row per (number, message), kept by
-- triggers in the transaction that stores the row they come from: the documents' business numbers
-- (PO, every PO of a multi-PO ship notice, shipment/ASN, invoice, order, bill of lading, PRO,
-- tracking) and control numbers (ISA13/GS06/ST02, UNB/UNH references), the AS2 Message-ID and the
-- file name of a message, the control numbers of an interchange, the error code of an exception
-- and the control numbers it names. Numbers are stored trimmed and upper-cased; `at` is when the
-- message was received, so a search is one index range: key = ? AND at BETWEEN ? AND ?, newest first.
CREATE TABLE search_keys (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  partner_id TEXT,
  at TEXT NOT NULL
);
CREATE UNIQUE INDEX search_keys_entry ON search_keys (key, message_id);
CREATE INDEX search_keys_key ON search_keys (key, at, seq);
CREATE INDEX search_keys_message ON search_keys (message_id);

CREATE TRIGGER search_keys_document AFTER INSERT ON documents BEGIN
  INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(CAST(v AS TEXT))), k, NEW.message_id, NEW.partner_id,
    coalesce((SELECT received_at FROM messages WHERE id = NEW.message_id), NEW.created_at)
  FROM (
    SELECT 'po' AS k, json_extract(NEW.envelope, '$.document.poNumber') AS v
    UNION ALL SELECT 'shipment', json_extract(NEW.envelope, '$.document.shipmentId')
    UNION ALL SELECT 'invoice', json_extract(NEW.envelope, '$.document.invoiceNumber')
    UNION ALL SELECT 'shipment', json_extract(NEW.envelope, '$.document.asnNumber')
    UNION ALL SELECT 'order', json_extract(NEW.envelope, '$.document.orderNumber')
    UNION ALL SELECT 'bol', json_extract(NEW.envelope, '$.document.billOfLading')
    UNION ALL SELECT 'pro', json_extract(NEW.envelope, '$.document.proNumber')
    UNION ALL SELECT 'tracking', json_extract(NEW.envelope, '$.document.carrier.trackingNumber')
    UNION ALL SELECT 'po', json_extract(o.value, '$.poNumber') FROM json_each(NEW.envelope, '$.document.orders') AS o WHERE o.type = 'object'
    UNION ALL SELECT 'po', p.value FROM json_each(NEW.envelope, '$.document.poNumbers') AS p
    UNION ALL SELECT 'tracking', t.value FROM json_each(NEW.envelope, '$.document.trackingNumbers') AS t
    UNION ALL SELECT 'interchange', json_extract(NEW.envelope, '$.source.interchangeControlNumber')
    UNION ALL SELECT 'group', json_extract(NEW.envelope, '$.source.groupControlNumber')
    UNION ALL SELECT 'transaction', json_extract(NEW.envelope, '$.source.transactionControlNumber')
    UNION ALL SELECT 'number', NEW.business_key
  ) WHERE v IS NOT NULL AND trim(CAST(v AS TEXT)) <> '';
END;

CREATE TRIGGER search_keys_message AFTER INSERT ON messages BEGIN
  INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(v)), k, NEW.id, NEW.partner_id, NEW.received_at
  FROM (
    SELECT 'as2' AS k, json_extract(NEW.metadata, '$.as2MessageId') AS v
    UNION ALL SELECT 'file', json_extract(NEW.metadata, '$.filename')
    UNION ALL SELECT 'interchange', json_extract(NEW.metadata, '$.interchangeControlNumber')
    UNION ALL SELECT 'external', NEW.external_id
  ) WHERE json_valid(NEW.metadata) AND v IS NOT NULL AND trim(v) <> '';
END;

CREATE TRIGGER search_keys_interchange AFTER INSERT ON interchanges BEGIN
  INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  VALUES (upper(trim(NEW.control_number)), 'interchange', NEW.message_id, NEW.partner_id, NEW.received_at);
END;

CREATE TRIGGER search_keys_exception AFTER INSERT ON exceptions BEGIN
  INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(CAST(v AS TEXT))), k, NEW.message_id, NEW.partner_id,
    coalesce((SELECT received_at FROM messages WHERE id = NEW.message_id), NEW.created_at)
  FROM (
    SELECT 'error' AS k, NEW.code AS v
    UNION ALL SELECT 'interchange', json_extract(NEW.detail, '$.interchangeControlNumber')
    UNION ALL SELECT 'group', json_extract(NEW.detail, '$.groupControlNumber')
    UNION ALL SELECT 'transaction', json_extract(NEW.detail, '$.transactionControlNumber')
  ) WHERE json_valid(NEW.detail) AND v IS NOT NULL AND trim(CAST(v AS TEXT)) <> '';
END;

CREATE TRIGGER search_keys_as2_evidence AFTER INSERT ON as2_evidence BEGIN
  INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  VALUES (upper(trim(NEW.as2_message_id)), 'as2', NEW.message_id, NEW.partner_id, NEW.created_at);
END;

-- Per partner and UTC day (of the message's receipt): messages received, those that failed, and
-- our functional acks with the sum of their latency (ack stored − message received, ms), kept by
-- triggers so a chart over N days reads N rows per partner, whatever the history.
CREATE TABLE partner_days (
  partner_id TEXT NOT NULL,
  day TEXT NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  acks INTEGER NOT NULL DEFAULT 0,
  ack_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (partner_id, day)
);

CREATE TRIGGER partner_days_received AFTER INSERT ON messages
WHEN NEW.direction = 'inbound' AND NEW.partner_id IS NOT NULL BEGIN
  INSERT INTO partner_days (partner_id, day, received, failed) VALUES (NEW.partner_id, substr(NEW.received_at, 1, 10), 1, NEW.status = 'failed')
    ON CONFLICT (partner_id, day) DO UPDATE SET received = received + 1, failed = failed + excluded.failed;
END;
-- a message identified after it was stored (its partner set by processing)
CREATE TRIGGER partner_days_identified AFTER UPDATE OF partner_id ON messages
WHEN NEW.direction = 'inbound' AND OLD.partner_id IS NULL AND NEW.partner_id IS NOT NULL BEGIN
  INSERT INTO partner_days (partner_id, day, received) VALUES (NEW.partner_id, substr(NEW.received_at, 1, 10), 1)
    ON CONFLICT (partner_id, day) DO UPDATE SET received = received + 1;
END;
-- counted once per message, when it first becomes failed (a replay that fails again does not count twice)
CREATE TRIGGER partner_days_failed AFTER UPDATE OF status ON messages
WHEN NEW.direction = 'inbound' AND NEW.status = 'failed' AND OLD.status IS NOT 'failed' AND NEW.partner_id IS NOT NULL BEGIN
  INSERT INTO partner_days (partner_id, day, failed) VALUES (NEW.partner_id, substr(NEW.received_at, 1, 10), 1)
    ON CONFLICT (partner_id, day) DO UPDATE SET failed = failed + 1;
END;
CREATE TRIGGER partner_days_ack AFTER INSERT ON messages
WHEN NEW.transport = 'ack' AND NEW.related_message_id IS NOT NULL AND NEW.partner_id IS NOT NULL BEGIN
  INSERT INTO partner_days (partner_id, day, acks, ack_ms)
  SELECT NEW.partner_id, substr(m.received_at, 1, 10), 1,
    max(0, CAST(round((julianday(NEW.received_at) - julianday(m.received_at)) * 86400000) AS INTEGER))
  FROM messages m WHERE m.id = NEW.related_message_id
  ON CONFLICT (partner_id, day) DO UPDATE SET acks = acks + 1, ack_ms = ack_ms + excluded.ack_ms;
END;

-- what is already stored (a one-time pass over the history when this migration runs)
INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(business_key)), 'number', message_id, partner_id, created_at FROM documents WHERE business_key IS NOT NULL AND trim(business_key) <> '';
INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(json_extract(o.value, '$.poNumber'))), 'po', d.message_id, d.partner_id, d.created_at
  FROM documents d, json_each(d.envelope, '$.document.orders') o WHERE d.type = 'ship_notice' AND o.type = 'object' AND json_extract(o.value, '$.poNumber') IS NOT NULL;
INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(control_number)), 'interchange', message_id, partner_id, received_at FROM interchanges;
INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(code), 'error', message_id, partner_id, created_at FROM exceptions;
INSERT OR IGNORE INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(trim(json_extract(metadata, '$.as2MessageId'))), 'as2', id, partner_id, received_at FROM messages
  WHERE json_valid(metadata) AND json_extract(metadata, '$.as2MessageId') IS NOT NULL;
INSERT INTO partner_days (partner_id, day, received, failed)
  SELECT partner_id, substr(received_at, 1, 10), count(*), sum(status = 'failed') FROM messages
  WHERE direction = 'inbound' AND partner_id IS NOT NULL GROUP BY partner_id, substr(received_at, 1, 10);

-- the console's filtered lists: the audit log by action, actor or subject, open exceptions by code (newest or oldest first)
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX exceptions_code ON exceptions (status, code, seq);
