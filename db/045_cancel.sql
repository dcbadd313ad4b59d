-- Cancelling a job.
--
-- A job that has not started ends at once, as Error, and the worker gearmand later hands it
-- to only acknowledges it. A running job is marked (cancel_requested_by) and its worker told
-- on channel jobdeck_cancel; the worker stops it and ends it as Error, naming who cancelled
-- it. A job whose worker was lost after the request is ended by the sweep rather than run
-- again.
--
-- Who may cancel: the user who started the job, and administrators, any job (the one stuck
-- job that blocks the others is theirs to stop). job_cancel checks that itself and answers
-- about a job the caller may not see exactly as about one that does not exist.

SET LOCAL search_path = jobdeck, pg_catalog;

ALTER TABLE jobs ADD COLUMN cancel_requested_by text;

CREATE FUNCTION job_cancel(job bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	j jobs%ROWTYPE;
	who text := session_user;
BEGIN
	SELECT * INTO j FROM jobs WHERE id = job FOR UPDATE;
	IF NOT FOUND OR NOT (j.username IS NOT DISTINCT FROM who
	                     OR pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')) THEN
		RETURN 'missing';
	END IF;
	IF j.status <> 'Running' THEN
		RETURN 'ended';
	END IF;
	IF j.worker IS NULL THEN
		UPDATE jobs SET status = 'Error', completed_at = now(),
		       info = array(SELECT n FROM unnest(j.info) WITH ORDINALITY AS u(n, o)
		                     WHERE n NOT LIKE 'Waiting for a worker%' ORDER BY o)
		              || format('Cancelled by %s before it started', who)
		 WHERE id = job;
		RETURN 'cancelled';
	END IF;
	IF j.cancel_requested_by IS NULL THEN
		UPDATE jobs SET cancel_requested_by = who WHERE id = job;
		PERFORM pg_notify('jobdeck_cancel', '');
	END IF;
	RETURN 'requested';
END
$$;
REVOKE ALL ON FUNCTION job_cancel(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_cancel(bigint) TO jobdeck_user, jobdeck_worker;
