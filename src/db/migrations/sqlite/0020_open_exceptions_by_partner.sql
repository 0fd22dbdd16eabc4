-- Open exceptions per partner and error code for /metrics (issue 19; PostgreSQL: migration 0018):
-- row_counts names 'open_exceptions:<partner>:<code>' (empty partner: none identified), kept by the
-- store in the transaction that opens or resolves an exception (src/db/row-counts.ts), as
-- 'exceptions:open' is. This counts the exceptions open at the time of the migration, once.
INSERT INTO row_counts (name, value)
  SELECT 'open_exceptions:' || coalesce(partner_id, '') || ':' || code, count(*) FROM exceptions
  WHERE status = 'open' GROUP BY partner_id, code;
