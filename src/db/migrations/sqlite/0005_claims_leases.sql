-- Several gateway processes may work on one database (PostgreSQL); the same columns exist here so
-- both stores behave alike. A message being processed is claimed by one node until claim_until
-- (renewed while it runs, released after); a named lease (e.g. the SFTP poller of a partner) has
-- one holder until lease_until. Times are ISO-8601 UTC text, compared as strings.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
ALTER TABLE messages ADD COLUMN claim_until TEXT;
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  lease_until TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  renewed_at TEXT NOT NULL
);
