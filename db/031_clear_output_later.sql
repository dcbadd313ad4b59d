-- Clearing jobs no longer waits for their console output to be deleted.
--
-- job_output referenced jobs with ON DELETE CASCADE, which PostgreSQL carries out row by
-- row: one DELETE per removed job. Clearing 100,000 jobs (900,000 output rows) spent 13.8 s
-- of its 14.5 s there, and even one statement-level delete of those rows takes 2-3 s. So a
-- clear now only records which jobs went (job_output_purge); their output, which nobody can
-- read any more (the read policy needs the job), is deleted in batches afterwards by
-- output_purge: jobs_clear gives it a short time budget, `jobdeck clear` finishes it, and
-- any client may call jobs_output_purge when idle.
--
-- Without the foreign key, output for a job that does not exist is still never written:
-- jobs_output_append updates the job row and inserts in one statement (nothing when the job
-- is gone; a clear running at the same moment makes it wait on that row), and the insert
-- policy requires the job for every role but the workers'.

SET LOCAL search_path = jobdeck, pg_catalog;

ALTER TABLE job_output DROP CONSTRAINT job_output_job_id_fkey;

-- Jobs removed whose output is still stored. Only the functions below touch it.
CREATE TABLE job_output_purge (
	job_id bigint NOT NULL
);

CREATE FUNCTION jobs_after_delete_output() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
BEGIN
	INSERT INTO job_output_purge (job_id) SELECT id FROM old_rows WHERE output_bytes > 0;
	RETURN NULL;
END
$$;

CREATE TRIGGER jobs_after_delete_output AFTER DELETE ON jobs
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_after_delete_output();

-- Deletes the output of up to max_jobs removed jobs; returns how many jobs' output went.
-- Concurrent callers take different jobs (SKIP LOCKED) and never wait on each other.
CREATE FUNCTION output_purge(max_jobs integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	n integer;
BEGIN
	WITH p AS (DELETE FROM job_output_purge
	            WHERE ctid IN (SELECT ctid FROM job_output_purge LIMIT max_jobs FOR UPDATE SKIP LOCKED)
	        RETURNING job_id),
	     o AS (DELETE FROM job_output WHERE job_id IN (SELECT job_id FROM p))
	SELECT count(*) INTO n FROM p;
	RETURN n;
END
$$;
REVOKE ALL ON FUNCTION output_purge(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION output_purge(integer) TO jobdeck_user, jobdeck_worker;

-- Row-level security is forced on job_output, so the functions' owner needs a policy to
-- delete rows there; nobody else holds DELETE on the table.
DO $$
BEGIN
	EXECUTE format('CREATE POLICY output_purge ON job_output FOR DELETE TO %I USING (true)', current_user);
END
$$;
