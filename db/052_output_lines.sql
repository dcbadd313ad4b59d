-- Line numbers for console output, without reading all of it.
--
-- The dashboard shows the tail of a job's output with line numbers, and jumps to a search
-- match anywhere in it. Counting the lines before the tail used to mean reading everything
-- before it (61 MB for a big job). Now each chunk carries how many newlines it holds, written
-- with it; the lines before any offset are a sum over the chunks before it (a few thousand
-- rows at most, through the primary key). Chunks written before this have none: their count
-- is worked out when asked (output_newlines).

SET LOCAL search_path = jobdeck, pg_catalog;

ALTER TABLE job_output ADD COLUMN newlines integer;

-- How many newlines (0x0a) a chunk holds. encode(…, 'escape') leaves 0x0a as it is.
CREATE FUNCTION output_newlines(data bytea) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(array_length(pg_catalog.string_to_array(pg_catalog.encode(data, 'escape'), E'\n'), 1), 1) - 1 $$;
REVOKE ALL ON FUNCTION output_newlines(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION output_newlines(bytea) TO jobdeck_user, jobdeck_worker;

-- db/050's run_output, now counting the chunk's lines itself.
CREATE OR REPLACE FUNCTION run_output(p_job bigint, p_data bytea) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH j AS (UPDATE jobs SET output_bytes = output_bytes + length(p_data), heartbeat_at = now()
	            WHERE id = p_job AND type = 'cmdline' AND status = 'Running' AND run_by = session_user
	              AND p_data IS NOT NULL
	           RETURNING output_bytes - length(p_data) AS off)
	INSERT INTO job_output (job_id, offset_, data, newlines)
	SELECT p_job, off, p_data, output_newlines(p_data) FROM j
	RETURNING offset_
$$;
