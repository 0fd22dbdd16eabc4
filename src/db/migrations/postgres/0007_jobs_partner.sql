-- The partner a job works for (a functional ack's send, an MDN's post; NULL for work of no
-- partner), so operators list a partner's jobs (GET /api/v1/jobs?partner=, newest first).
ALTER TABLE jobs ADD COLUMN partner_id TEXT;
CREATE INDEX jobs_partner ON jobs (partner_id, id);
