-- The push dispatcher scans each partner's pending jobs in order.
CREATE INDEX delivery_jobs_partner ON delivery_jobs (target, partner_id, status, seq);
