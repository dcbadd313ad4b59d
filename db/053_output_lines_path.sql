-- output_lines_before named job_output without its schema and took the caller's search_path:
-- called from psql without `SET search_path = jobdeck` it failed ("relation job_output does
-- not exist"). It runs with the caller's rights (row security decides whose output it
-- counts); now it also finds our tables whatever the caller's path.

ALTER FUNCTION jobdeck.output_lines_before(bigint, bigint) SET search_path = jobdeck, pg_catalog, pg_temp;
