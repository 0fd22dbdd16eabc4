-- Several gateway nodes on one database. A message being processed is claimed by one node until
-- claim_until (renewed while it runs, released after), so a starting node's resume and the
-- periodic resume scan never take a message another live node is processing; a node that dies
-- leaves a claim that expires. A named lease (the SFTP poller of a partner) has one holder until
-- lease_until. Times are ISO-8601 text with COLLATE "C", compared byte-wise as in SQLite.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
ALTER TABLE messages ADD COLUMN claim_until TEXT COLLATE "C";
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  lease_until TEXT COLLATE "C" NOT NULL,
  acquired_at TEXT COLLATE "C" NOT NULL,
  renewed_at TEXT COLLATE "C" NOT NULL
);
