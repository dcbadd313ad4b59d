-- Files a job produces travel through the database, as the files it reads do (db/050).
--
-- A job that made a file (a finding aid, a csv-export, a report, a command's {output}) used
-- to leave it in its worker's downloads folder, with jobs.download_path naming it there: a
-- user on another machine could not get it. Now the worker streams it into job_file, in
-- chunks, in one transaction when the job ends (job_file_begin, then job_file_append per
-- chunk), and removes its own copy: the downloads folder is only the worker's scratch space.
-- jobs.file_bytes says a file is stored (NULL: none); download_path then holds its name
-- (<stem>-<id>.<ext>) and download_size its size. Rows from before keep their path, and a
-- clear still removes such a file from the clearer's downloads folder, for those rows alone.
--
-- Only a worker stores, only into a Running job held under a worker name its own role
-- registered (workers.role), all of it in the transaction that began it: a file is stored
-- whole or not at all, and never over settings.file_max_bytes. Users and administrators
-- read it exactly while they may read the job (as console output); workers do not read it.
-- A clear or prune removes it with the job's output (output_purge).

SET LOCAL search_path = jobdeck, pg_catalog;

INSERT INTO settings VALUES ('file_max_bytes', 256 * 1024 * 1024);

ALTER TABLE jobs ADD COLUMN file_bytes bigint;   -- size of its stored file; NULL: none stored

-- A job's produced file, in chunks, written only by job_file_begin and job_file_append.
CREATE TABLE job_file (
	job_id bigint NOT NULL,
	seq    integer NOT NULL,
	data   bytea NOT NULL,
	PRIMARY KEY (job_id, seq)
);
ALTER TABLE job_file ENABLE ROW LEVEL SECURITY;
-- readable exactly while the job is (jobs_read decides, as for job_output)
CREATE POLICY file_read ON job_file FOR SELECT TO jobdeck_user
	USING (EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_id));
REVOKE ALL ON job_file FROM PUBLIC;
GRANT SELECT ON job_file TO jobdeck_user;

-- (For the two functions below, which run as the schema's owner; nobody else may call it.)
-- The job the calling worker holds as p_worker, locked: Running, held under that name, the
-- name registered by the caller's own role. Raises insufficient_privilege otherwise.
CREATE FUNCTION job_file_holder(p_job bigint, p_worker text) RETURNS jobs
LANGUAGE plpgsql SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	j jobs%ROWTYPE;
BEGIN
	IF NOT caller_is('jobdeck_worker') THEN
		RAISE EXCEPTION 'permission denied: only workers store the files of jobs' USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO j FROM jobs
	 WHERE id = p_job AND status = 'Running' AND worker = p_worker
	   AND EXISTS (SELECT 1 FROM workers w WHERE w.id = p_worker AND w.role = session_user)
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'job % is not a running job that worker % of role % holds', p_job, p_worker, session_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN j;
END
$$;

-- Starts storing the file of a job the caller holds (see job_file_holder): p_name is its name
-- (<stem>-<id>.<ext>), p_size what it will hold, refused over file_max_bytes. Whatever an
-- earlier attempt stored goes. Chunks follow with job_file_append, in the same transaction.
CREATE FUNCTION job_file_begin(p_job bigint, p_worker text, p_name text, p_size bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	j jobs%ROWTYPE := job_file_holder(p_job, p_worker);
	limit_ bigint;
BEGIN
	IF p_name IS NULL OR p_name !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$' THEN
		RAISE EXCEPTION 'a file name is 1 to 200 letters, digits, ".", "_" or "-", not starting with "." or "-"'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT value INTO limit_ FROM settings WHERE name = 'file_max_bytes';
	IF p_size IS NULL OR p_size < 0 OR p_size > limit_ THEN
		RAISE EXCEPTION 'the file is larger than the limit of % bytes', limit_
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	DELETE FROM job_file WHERE job_id = j.id;
	UPDATE jobs SET file_bytes = 0, download_path = p_name, download_size = 0, heartbeat_at = now()
	 WHERE id = j.id;
END
$$;

-- Appends a chunk to the file job_file_begin started in this same transaction; returns its
-- size so far. Never beyond file_max_bytes.
CREATE FUNCTION job_file_append(p_job bigint, p_worker text, p_data bytea) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	j jobs%ROWTYPE := job_file_holder(p_job, p_worker);
	limit_ bigint;
BEGIN
	IF p_data IS NULL THEN
		RAISE EXCEPTION 'no data to append' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- the row's xmin is this transaction's only if it began the file (or appended to it)
	IF j.file_bytes IS NULL OR NOT EXISTS (SELECT 1 FROM jobs WHERE id = j.id AND xmin = pg_current_xact_id()::xid) THEN
		RAISE EXCEPTION 'job %: a file is appended to in the transaction that began it (job_file_begin)', p_job
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	SELECT value INTO limit_ FROM settings WHERE name = 'file_max_bytes';
	IF j.file_bytes + length(p_data) > limit_ THEN
		RAISE EXCEPTION 'the file is larger than the limit of % bytes', limit_
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF length(p_data) > 0 THEN
		INSERT INTO job_file (job_id, seq, data)
		SELECT j.id, coalesce(max(seq) + 1, 0), p_data FROM job_file WHERE job_id = j.id;
	END IF;
	-- storing is the job's progress: its heartbeat too
	UPDATE jobs SET file_bytes = j.file_bytes + length(p_data), download_size = j.file_bytes + length(p_data),
	       heartbeat_at = now()
	 WHERE id = j.id;
	RETURN j.file_bytes + length(p_data);
END
$$;

-- ==== clear and prune: stored files go with the output; paths only for rows from before ====

CREATE OR REPLACE FUNCTION jobs_after_delete_output() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	INSERT INTO job_output_purge (job_id)
	SELECT id FROM old_rows WHERE output_bytes > 0 OR input_bytes IS NOT NULL OR file_bytes IS NOT NULL;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION output_purge(max_jobs integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	WITH p AS (DELETE FROM job_output_purge
	            WHERE ctid IN (SELECT ctid FROM job_output_purge
	                            LIMIT least(greatest(max_jobs, 0), 10000) FOR UPDATE SKIP LOCKED)
	        RETURNING job_id),
	     o AS (DELETE FROM job_output WHERE job_id IN (SELECT job_id FROM p)),
	     i AS (DELETE FROM job_input WHERE job_id IN (SELECT job_id FROM p)),
	     f AS (DELETE FROM job_file WHERE job_id IN (SELECT job_id FROM p))
	SELECT count(*) INTO n FROM p;
	RETURN n;
END
$$;

-- As db/050's and db/051's, with a path returned only for a file not stored here (a row from
-- before): the caller removes that one from its downloads folder.
CREATE OR REPLACE FUNCTION jobs_clear() RETURNS TABLE (removed bigint, job_id bigint, download_path text)
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH d AS (DELETE FROM jobs
	            WHERE status <> 'Running'
	              AND (username = session_user
	                   OR (username IS NULL AND pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')))
	           RETURNING id, download_path, file_bytes)
	SELECT c.n, x.id, x.p FROM (SELECT count(*) AS n FROM d) c
	  LEFT JOIN (SELECT id, download_path AS p FROM d WHERE download_path IS NOT NULL AND file_bytes IS NULL) x ON true
$$;

CREATE OR REPLACE FUNCTION jobs_clear_ids(p_ids bigint[]) RETURNS TABLE (removed bigint, job_id bigint, download_path text)
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH d AS (DELETE FROM jobs
	            WHERE id = ANY (p_ids) AND status <> 'Running'
	              AND (username = session_user
	                   OR (username IS NULL AND pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')))
	           RETURNING id, download_path, file_bytes)
	SELECT c.n, x.id, x.p FROM (SELECT count(*) AS n FROM d) c
	  LEFT JOIN (SELECT id, download_path AS p FROM d WHERE download_path IS NOT NULL AND file_bytes IS NULL) x ON true
$$;

CREATE OR REPLACE FUNCTION jobs_prune(p_before timestamptz, p_status job_status, p_batch integer)
RETURNS TABLE (removed bigint, job_id bigint, download_path text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT (caller_is('jobdeck_admin') OR caller_is('jobdeck_worker')) THEN
		RAISE EXCEPTION 'permission denied: only administrators prune' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_before IS NULL OR p_status = 'Running' THEN
		RAISE EXCEPTION 'prune needs a time, and never removes running jobs' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	WITH v AS (SELECT id FROM jobs
	            WHERE status <> 'Running' AND completed_at < p_before
	              AND (p_status IS NULL OR status = p_status)
	            ORDER BY completed_at LIMIT least(greatest(coalesce(p_batch, 1000), 1), 10000)
	            FOR UPDATE SKIP LOCKED),
	     d AS (DELETE FROM jobs WHERE id IN (SELECT id FROM v) RETURNING id, jobs.download_path, jobs.file_bytes)
	SELECT c.n, x.id, x.p FROM (SELECT count(*) AS n FROM d) c
	  LEFT JOIN (SELECT d.id, d.download_path AS p FROM d
	              WHERE d.download_path IS NOT NULL AND d.file_bytes IS NULL) x ON true;
END
$$;

REVOKE ALL ON FUNCTION job_file_holder(bigint, text), job_file_begin(bigint, text, text, bigint),
	job_file_append(bigint, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_file_begin(bigint, text, text, bigint), job_file_append(bigint, text, bytea)
	TO jobdeck_worker;
