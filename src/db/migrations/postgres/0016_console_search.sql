-- The console finds things (issue 19; SQLite: migration 0018, which explains the tables).
-- search_keys: every number a message can be looked up by, one row per (number, message), written
-- by triggers in the transaction that stores the row it comes from (no shared row is updated).
CREATE TABLE search_keys (
  seq BIGSERIAL PRIMARY KEY,
  key TEXT COLLATE "C" NOT NULL,
  kind TEXT NOT NULL,
  message_id TEXT NOT NULL,
  partner_id TEXT,
  at TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX search_keys_entry ON search_keys (key, message_id);
CREATE INDEX search_keys_key ON search_keys (key, at, seq);
CREATE INDEX search_keys_message ON search_keys (message_id);

CREATE FUNCTION edigw_json_array(j JSONB) RETURNS JSONB LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(j) = 'array' THEN j ELSE '[]'::jsonb END
$$;

CREATE FUNCTION edigw_search_keys_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  e JSONB := coalesce(edigw_try_jsonb(NEW.envelope), '{}'::jsonb);
  received TEXT;
BEGIN
  SELECT received_at INTO received FROM messages WHERE id = NEW.message_id;
  INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(btrim(v)), k, NEW.message_id, NEW.partner_id, coalesce(received, NEW.created_at)
  FROM (
    SELECT 'po' AS k, e #>> '{document,poNumber}' AS v
    UNION ALL SELECT 'shipment', e #>> '{document,shipmentId}'
    UNION ALL SELECT 'invoice', e #>> '{document,invoiceNumber}'
    UNION ALL SELECT 'shipment', e #>> '{document,asnNumber}'
    UNION ALL SELECT 'order', e #>> '{document,orderNumber}'
    UNION ALL SELECT 'bol', e #>> '{document,billOfLading}'
    UNION ALL SELECT 'pro', e #>> '{document,proNumber}'
    UNION ALL SELECT 'tracking', e #>> '{document,carrier,trackingNumber}'
    UNION ALL SELECT 'po', o ->> 'poNumber' FROM jsonb_array_elements(edigw_json_array(e #> '{document,orders}')) AS o
    UNION ALL SELECT 'po', p FROM jsonb_array_elements_text(edigw_json_array(e #> '{document,poNumbers}')) AS p
    UNION ALL SELECT 'tracking', t FROM jsonb_array_elements_text(edigw_json_array(e #> '{document,trackingNumbers}')) AS t
    UNION ALL SELECT 'interchange', e #>> '{source,interchangeControlNumber}'
    UNION ALL SELECT 'group', e #>> '{source,groupControlNumber}'
    UNION ALL SELECT 'transaction', e #>> '{source,transactionControlNumber}'
    UNION ALL SELECT 'number', NEW.business_key
  ) AS x WHERE v IS NOT NULL AND btrim(v) <> ''
  ON CONFLICT (key, message_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER search_keys_document AFTER INSERT ON documents FOR EACH ROW EXECUTE FUNCTION edigw_search_keys_document();

CREATE FUNCTION edigw_search_keys_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  m JSONB := coalesce(edigw_try_jsonb(NEW.metadata), '{}'::jsonb);
BEGIN
  INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(btrim(v)), k, NEW.id, NEW.partner_id, NEW.received_at
  FROM (
    SELECT 'as2' AS k, m ->> 'as2MessageId' AS v
    UNION ALL SELECT 'file', m ->> 'filename'
    UNION ALL SELECT 'interchange', m ->> 'interchangeControlNumber'
    UNION ALL SELECT 'external', NEW.external_id
  ) AS x WHERE v IS NOT NULL AND btrim(v) <> ''
  ON CONFLICT (key, message_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER search_keys_message AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION edigw_search_keys_message();

CREATE FUNCTION edigw_search_keys_interchange() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  VALUES (upper(btrim(NEW.control_number)), 'interchange', NEW.message_id, NEW.partner_id, NEW.received_at)
  ON CONFLICT (key, message_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER search_keys_interchange AFTER INSERT ON interchanges FOR EACH ROW EXECUTE FUNCTION edigw_search_keys_interchange();

CREATE FUNCTION edigw_search_keys_exception() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d JSONB := coalesce(edigw_try_jsonb(NEW.detail), '{}'::jsonb);
  received TEXT;
BEGIN
  SELECT received_at INTO received FROM messages WHERE id = NEW.message_id;
  INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(btrim(v)), k, NEW.message_id, NEW.partner_id, coalesce(received, NEW.created_at)
  FROM (
    SELECT 'error' AS k, NEW.code AS v
    UNION ALL SELECT 'interchange', d ->> 'interchangeControlNumber'
    UNION ALL SELECT 'group', d ->> 'groupControlNumber'
    UNION ALL SELECT 'transaction', d ->> 'transactionControlNumber'
  ) AS x WHERE v IS NOT NULL AND btrim(v) <> ''
  ON CONFLICT (key, message_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER search_keys_exception AFTER INSERT ON exceptions FOR EACH ROW EXECUTE FUNCTION edigw_search_keys_exception();

CREATE FUNCTION edigw_search_keys_as2() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  VALUES (upper(btrim(NEW.as2_message_id)), 'as2', NEW.message_id, NEW.partner_id, NEW.created_at)
  ON CONFLICT (key, message_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER search_keys_as2_evidence AFTER INSERT ON as2_evidence FOR EACH ROW EXECUTE FUNCTION edigw_search_keys_as2();

-- Per partner and UTC day: received, failed, our acks and their latency sum. Several nodes write at
-- once, so the triggers append deltas (as row_counts does, migration 0004) and the chart's read folds
-- them into partner_days first (console-store.ts): what is read stays N days per partner.
CREATE TABLE partner_days (
  partner_id TEXT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  received BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  acks BIGINT NOT NULL DEFAULT 0,
  ack_ms BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (partner_id, day)
);
CREATE TABLE partner_day_deltas (
  seq BIGSERIAL PRIMARY KEY,
  partner_id TEXT NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  received INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  acks INTEGER NOT NULL DEFAULT 0,
  ack_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX partner_day_deltas_partner ON partner_day_deltas (partner_id, day);

CREATE FUNCTION edigw_partner_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  related TEXT;
BEGIN
  IF NEW.partner_id IS NULL THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.direction = 'inbound' THEN
      INSERT INTO partner_day_deltas (partner_id, day, received, failed) VALUES (NEW.partner_id, substr(NEW.received_at, 1, 10), 1, CASE WHEN NEW.status = 'failed' THEN 1 ELSE 0 END);
    ELSIF NEW.transport = 'ack' AND NEW.related_message_id IS NOT NULL THEN
      SELECT received_at INTO related FROM messages WHERE id = NEW.related_message_id;
      IF related IS NOT NULL THEN
        INSERT INTO partner_day_deltas (partner_id, day, acks, ack_ms) VALUES (NEW.partner_id, substr(related, 1, 10), 1,
          greatest(0, round(extract(epoch FROM (NEW.received_at::timestamptz - related::timestamptz)) * 1000)));
      END IF;
    END IF;
  ELSIF NEW.direction = 'inbound' THEN
    IF OLD.partner_id IS NULL THEN
      INSERT INTO partner_day_deltas (partner_id, day, received) VALUES (NEW.partner_id, substr(NEW.received_at, 1, 10), 1);
    END IF;
    IF NEW.status = 'failed' AND OLD.status IS DISTINCT FROM 'failed' THEN
      INSERT INTO partner_day_deltas (partner_id, day, failed) VALUES (NEW.partner_id, substr(NEW.received_at, 1, 10), 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER partner_days_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION edigw_partner_days();
CREATE TRIGGER partner_days_update AFTER UPDATE OF status, partner_id ON messages FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.partner_id IS DISTINCT FROM NEW.partner_id) EXECUTE FUNCTION edigw_partner_days();

-- what is already stored (a one-time pass over the history when this migration runs)
INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(btrim(business_key)), 'number', message_id, partner_id, created_at FROM documents WHERE business_key IS NOT NULL AND btrim(business_key) <> ''
  ON CONFLICT (key, message_id) DO NOTHING;
INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(btrim(o ->> 'poNumber')), 'po', d.message_id, d.partner_id, d.created_at
  FROM documents d, jsonb_array_elements(edigw_json_array(edigw_try_jsonb(d.envelope) #> '{document,orders}')) AS o
  WHERE d.type = 'ship_notice' AND o ->> 'poNumber' IS NOT NULL
  ON CONFLICT (key, message_id) DO NOTHING;
INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(btrim(control_number)), 'interchange', message_id, partner_id, received_at FROM interchanges
  ON CONFLICT (key, message_id) DO NOTHING;
INSERT INTO search_keys (key, kind, message_id, partner_id, at)
  SELECT upper(code), 'error', message_id, partner_id, created_at FROM exceptions
  ON CONFLICT (key, message_id) DO NOTHING;
INSERT INTO partner_days (partner_id, day, received, failed)
  SELECT partner_id, substr(received_at, 1, 10), count(*), count(*) FILTER (WHERE status = 'failed') FROM messages
  WHERE direction = 'inbound' AND partner_id IS NOT NULL GROUP BY partner_id, substr(received_at, 1, 10);

CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX exceptions_code ON exceptions (status, code, seq);
