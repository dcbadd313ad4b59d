-- Console output is announced on a channel of the job's own.
--
-- Since db/047 every output row announced itself on jobdeck_output with no job id (any role
-- may LISTEN, and ids told everyone which jobs were busy), so a dashboard showing one job
-- re-read its tail whenever any job wrote: with hundreds of jobs streaming, its work grew
-- with everyone's output. Now each job's output goes to 'jobdeck_output_' || md5(secret ||
-- id): the secret is readable by nobody but the schema owner, so the name of a job's channel
-- is learnt only from output_channel(), which answers only those who may read the job (the
-- same rule as the jobs_read policy). Listening to a channel tells nothing more than reading
-- the job would. The shared jobdeck_output channel is no longer spoken on.
--
-- And jobdeck_jobs is spoken on only by statements that change what a listener shows: every
-- UPDATE of jobs announced itself, so each heartbeat and each flush of output (which counts
-- the job's bytes and lines) made every dashboard re-read its page. The trigger now names
-- the columns it watches: every column but heartbeat_at, output_bytes and output_lines
-- (tests/integration/b60_notify.sh checks that a column added later is watched too).

SET LOCAL search_path = jobdeck, pg_catalog;

CREATE TABLE channel_secret (secret text NOT NULL);
INSERT INTO channel_secret VALUES (gen_random_uuid()::text || gen_random_uuid()::text);
REVOKE ALL ON channel_secret FROM PUBLIC;
ALTER TABLE channel_secret ENABLE ROW LEVEL SECURITY;   -- no policy: the owner alone

-- The channel of a job, for the trigger below; granted to nobody.
CREATE FUNCTION output_channel_of(p_job bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = jobdeck, pg_catalog, pg_temp
AS $$ SELECT 'jobdeck_output_' || pg_catalog.md5(secret || p_job::text) FROM channel_secret $$;
REVOKE ALL ON FUNCTION output_channel_of(bigint) FROM PUBLIC;

-- The channel of a job the caller may read, else NULL (no job and not yours look the same).
CREATE FUNCTION output_channel(p_job bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	SELECT output_channel_of(j.id) FROM jobs j
	 WHERE j.id = p_job
	   AND (j.username = session_user OR caller_is('jobdeck_admin') OR caller_is('jobdeck_worker'))
$$;
REVOKE ALL ON FUNCTION output_channel(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION output_channel(bigint) TO jobdeck_user, jobdeck_worker;

CREATE OR REPLACE FUNCTION output_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pg_catalog.pg_notify(output_channel_of(NEW.job_id), '');
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION output_notify() FROM PUBLIC;

DROP TRIGGER jobs_notify ON jobs;
CREATE TRIGGER jobs_notify
	AFTER UPDATE OF name, type, status, username, object_id, params, info, download_path,
	                download_size, namespace, created_at, queued_at, started_at, completed_at,
	                worker, attempts, max_attempts, cancel_requested_by, run_by, input_bytes,
	                file_bytes
	ON jobs FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();
