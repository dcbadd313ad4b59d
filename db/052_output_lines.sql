-- Line numbers for console output, without reading all of it.
--
-- The dashboard shows the tail of a job's output with line numbers, and jumps to a search
-- match anywhere in it. Counting the lines before the tail used to mean reading everything
-- before it (61 MB for a big job). Now the job counts the newlines of its output as it is
-- written (jobs.output_lines, next to output_bytes), and each chunk records how many came
-- before it (job_output.line_at): the lines before any offset are one row away. Chunks
-- written before this have no line_at; for them the lines are counted when asked.

SET LOCAL search_path = jobdeck, pg_catalog;

ALTER TABLE jobs ADD COLUMN output_lines bigint NOT NULL DEFAULT 0;
ALTER TABLE job_output ADD COLUMN line_at bigint;
GRANT UPDATE (output_lines) ON jobs TO jobdeck_worker;

-- How many newlines (0x0a) a chunk holds. encode(…, 'escape') leaves 0x0a as it is.
CREATE FUNCTION output_newlines(data bytea) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(array_length(pg_catalog.string_to_array(pg_catalog.encode(data, 'escape'), E'\n'), 1), 1) - 1 $$;
REVOKE ALL ON FUNCTION output_newlines(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION output_newlines(bytea) TO jobdeck_user, jobdeck_worker;

-- The lines of a job's output before offset, counted from its chunks: for chunks written
-- before line_at was kept. PL/pgSQL, so the planner of a tail read, which calls it only when
-- line_at is missing, does not cost in a scan of the whole output (its estimate alone was
-- enough for JIT to compile the statement, 70 ms for a read of a few).
CREATE FUNCTION output_lines_before(p_job bigint, p_offset bigint) RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT coalesce(sum(output_newlines(data)), 0) FROM job_output
	         WHERE job_id = p_job AND offset_ < p_offset);
END
$$;
REVOKE ALL ON FUNCTION output_lines_before(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION output_lines_before(bigint, bigint) TO jobdeck_user, jobdeck_worker;

-- db/050's run_output, now counting lines as well.
CREATE OR REPLACE FUNCTION run_output(p_job bigint, p_data bytea) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH j AS (UPDATE jobs SET output_bytes = output_bytes + length(p_data),
	                  output_lines = output_lines + output_newlines(p_data), heartbeat_at = now()
	            WHERE id = p_job AND type = 'cmdline' AND status = 'Running' AND run_by = session_user
	              AND p_data IS NOT NULL
	           RETURNING output_bytes - length(p_data) AS off, output_lines - output_newlines(p_data) AS lines)
	INSERT INTO job_output (job_id, offset_, data, line_at)
	SELECT p_job, off, p_data, lines FROM j
	RETURNING offset_
$$;
