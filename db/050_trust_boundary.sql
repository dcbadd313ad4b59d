-- The trust boundary: no user can read, forge or destroy what is not theirs, whatever client
-- they use.
--
-- Until now users held INSERT, DELETE and column UPDATEs on jobs and INSERT on job_output,
-- with row-level security deciding which rows. That let a user with psql choose a job's id
-- (and so read the output of a cleared job whose id they took, or block the sequence), end or
-- rewrite their own jobs (a "Completed" job from any worker name they liked), point their
-- download at another user's file for their clear to delete, and call counts_add to rewrite
-- everyone's tab counters.
--
-- Now users write nothing directly. Each thing a user may change is one SECURITY DEFINER
-- function below that checks the caller (session_user: the login role) itself, takes ids
-- only from the sequence and sets the owner itself: job_submit, job_input_append,
-- job_fail_unqueued, jobs_clear, job_cancel, and for command-line runs run_start,
-- run_output, run_heartbeat and run_end. Workers keep direct UPDATEs, limited to the columns
-- that running a job changes and to jobs still Running (no rewriting history), and may add
-- console output only to running jobs. Every function of the schema pins search_path with
-- pg_temp last (listed or not, pg_temp is searched first for tables, so a user's temporary
-- table named "jobs" would otherwise stand in for ours) and is executable only by the groups
-- that need it.
--
-- Files a job reads travel through the database: the submitting client reads the file with
-- its own rights and streams it into job_input in the transaction that records the job; the
-- worker reads only that. A path a user names is never opened with a worker's rights.
--
-- Parameters are checked against each job type's declared parameters (job_types and
-- job_type_params, written by `jobdeck migrate` from the program's own registry), so nothing
-- invalid is recorded, by jobdeck or by psql.

SET LOCAL search_path = jobdeck, pg_catalog;

-- ==== tables ====

-- The schema owner runs the functions below; it bypasses row-level security on its own
-- tables unless they force it, and forcing it would leave a non-superuser owner's functions
-- seeing no rows.
ALTER TABLE jobs NO FORCE ROW LEVEL SECURITY;
ALTER TABLE job_output NO FORCE ROW LEVEL SECURITY;

ALTER TABLE jobs ADD COLUMN run_by text;          -- the role whose `jobdeck run` runs it
ALTER TABLE jobs ADD COLUMN input_bytes bigint;   -- size of its input file; NULL: none

-- Site settings, numbers only; the schema owner changes them with UPDATE.
CREATE TABLE settings (
	name  text PRIMARY KEY,
	value bigint NOT NULL
);
INSERT INTO settings VALUES ('input_max_bytes', 64 * 1024 * 1024);

-- A job's input file, in chunks, written only by job_input_append.
CREATE TABLE job_input (
	job_id bigint NOT NULL,
	seq    integer NOT NULL,
	data   bytea NOT NULL,
	PRIMARY KEY (job_id, seq)
);
ALTER TABLE job_input ENABLE ROW LEVEL SECURITY;
CREATE POLICY input_read ON job_input FOR SELECT TO jobdeck_worker
	USING (EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_id));

-- The job types and their parameters, as the program's registry declares them.
CREATE TABLE job_types (
	name         text PRIMARY KEY,
	needs_object boolean NOT NULL,
	open_params  boolean NOT NULL     -- any parameter (a task's), as long as its name is one
);
CREATE TABLE job_type_params (
	type     text NOT NULL REFERENCES job_types(name) ON DELETE CASCADE,
	name     text NOT NULL,
	kind     text NOT NULL CHECK (kind IN ('text', 'name', 'int', 'number', 'flag', 'choice', 'file')),
	required boolean NOT NULL,
	min      numeric,
	max      numeric,
	choices  text[],
	PRIMARY KEY (type, name)
);

-- ==== who may do what to the tables ====

REVOKE ALL ON jobs, job_output, job_counts, job_output_purge, job_input, settings, job_types,
	job_type_params FROM PUBLIC;
REVOKE INSERT, UPDATE, DELETE ON jobs FROM jobdeck_user, jobdeck_worker;
REVOKE INSERT ON job_output FROM jobdeck_user, jobdeck_worker;
REVOKE ALL ON SEQUENCE jobs_id_seq FROM jobdeck_user, jobdeck_worker;
GRANT UPDATE (status, info, completed_at, queued_at, started_at, heartbeat_at, worker, attempts,
	output_bytes, download_path, download_size) ON jobs TO jobdeck_worker;
GRANT INSERT ON job_output TO jobdeck_worker;
GRANT SELECT ON job_input TO jobdeck_worker;
GRANT SELECT ON settings, job_types, job_type_params TO jobdeck_user, jobdeck_worker;

DROP POLICY jobs_create ON jobs;
DROP POLICY jobs_update ON jobs;
DROP POLICY jobs_clear ON jobs;
DROP POLICY output_write ON job_output;
-- A worker changes only jobs that are still running: what has ended stays as it ended.
CREATE POLICY jobs_work ON jobs FOR UPDATE TO jobdeck_worker
	USING (status = 'Running') WITH CHECK (true);
CREATE POLICY output_work ON job_output FOR INSERT TO jobdeck_worker
	WITH CHECK (EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_id AND j.status = 'Running'));

-- ==== checking a submission ====

-- The caller's membership, by login role: inside a SECURITY DEFINER function current_user
-- is the owner, so these are what the functions below ask.
CREATE FUNCTION caller_is(grp text) RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT pg_catalog.pg_has_role(session_user, grp, 'MEMBER') $$;

-- Raises invalid_parameter_value with the reason when a job of type t with params p and
-- record obj may not be recorded; returns the route (TYPE, or command:TASK).
CREATE FUNCTION job_check(t text, p jsonb, obj bigint) RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	jt job_types%ROWTYPE;
	k text;
	v jsonb;
	s text;
	d job_type_params%ROWTYPE;
BEGIN
	SELECT * INTO jt FROM job_types WHERE name = t;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown job type "%"', t USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF jt.needs_object AND obj IS NULL THEN
		RAISE EXCEPTION 'a % job needs a record', t USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p IS NULL OR jsonb_typeof(p) <> 'object' THEN
		RAISE EXCEPTION 'parameters must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR k, v IN SELECT * FROM jsonb_each(p) LOOP
		IF k !~ '^[A-Za-z0-9._-]{1,64}$' THEN
			RAISE EXCEPTION 'parameter name "%" must be 1 to 64 letters, digits, ".", "_" or "-"', k
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF jsonb_typeof(v) <> 'string' THEN
			RAISE EXCEPTION 'parameter % must be a string', k USING ERRCODE = 'invalid_parameter_value';
		END IF;
		s := v #>> '{}';
		IF length(s) > 4096 THEN
			RAISE EXCEPTION 'parameter % is longer than 4096 characters', k USING ERRCODE = 'invalid_parameter_value';
		END IF;
		SELECT * INTO d FROM job_type_params WHERE type = t AND name = k;
		IF NOT FOUND THEN
			IF jt.open_params THEN
				CONTINUE;
			END IF;
			RAISE EXCEPTION '% does not take the parameter "%"', t, k USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF (d.kind = 'int' AND s !~ '^-?[0-9]{1,18}$')
		   OR (d.kind = 'number' AND s !~ '^-?([0-9]+\.?[0-9]*|\.[0-9]+)$')
		   OR (d.kind = 'flag' AND lower(s) NOT IN ('0', '1', 'true', 'false', 'yes', 'no'))
		   OR (d.kind = 'choice' AND lower(s) <> ALL (SELECT lower(c) FROM unnest(d.choices) c))
		   OR (d.kind = 'name' AND s !~ '^[A-Za-z0-9._-]{1,64}$')
		   OR (d.kind IN ('text', 'file') AND s = '') THEN
			RAISE EXCEPTION '% is not a valid % for %', quote_literal(s), d.kind, k
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF d.kind IN ('int', 'number') THEN
			IF (d.min IS NOT NULL AND s::numeric < d.min) OR (d.max IS NOT NULL AND s::numeric > d.max) THEN
				RAISE EXCEPTION '% must be from % to %, not %', k, d.min, d.max, s
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
		END IF;
	END LOOP;
	FOR d IN SELECT * FROM job_type_params WHERE type = t AND required LOOP
		IF NOT p ? d.name THEN
			RAISE EXCEPTION '% needs the parameter %', t, d.name USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	RETURN CASE WHEN t = 'command' THEN 'command:' || (p ->> 'task') ELSE t END;
END
$$;

-- ==== what users may do ====

-- Records count jobs of one kind as the caller, as handed to gearmand now (the caller does
-- that next); returns their ids in order. no_worker: nobody serves the type, and the note
-- says so. Files the type reads follow with job_input_append, in the same transaction.
CREATE FUNCTION job_submit(p_type text, p_name text, p_params jsonb, p_object bigint,
			   p_namespace text, p_no_worker boolean, p_count integer)
RETURNS SETOF bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	route text;
BEGIN
	IF NOT caller_is('jobdeck_user') THEN
		RAISE EXCEPTION 'permission denied: only jobdeck users submit jobs' USING ERRCODE = 'insufficient_privilege';
	END IF;
	route := job_check(p_type, p_params, p_object);
	IF p_name IS NULL OR p_name = '' OR length(p_name) > 1000 THEN
		RAISE EXCEPTION 'a job name has 1 to 1000 characters' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_namespace IS NULL OR p_namespace !~ '^[A-Za-z0-9._-]{1,64}$' THEN
		RAISE EXCEPTION 'a namespace is 1 to 64 letters, digits, ".", "_" or "-"' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_count IS NULL OR p_count < 1 OR p_count > 10000 THEN
		RAISE EXCEPTION 'a submission records 1 to 10000 jobs' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	INSERT INTO jobs (name, type, params, object_id, username, info, namespace, queued_at)
	SELECT p_name, p_type, p_params, p_object, session_user,
	       ARRAY[CASE WHEN p_no_worker THEN 'Waiting for a worker: none is connected for ' || route
	                  ELSE 'Waiting for a worker' END],
	       p_namespace, now()
	  FROM generate_series(1, p_count)
	RETURNING id;
END
$$;

-- Appends a chunk of a job's input file; returns the input's size so far. Only the job's
-- owner, only in the transaction that recorded it, and only up to input_max_bytes.
CREATE FUNCTION job_input_append(p_job bigint, p_data bytea) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	have bigint;
	limit_ bigint;
BEGIN
	IF p_data IS NULL THEN
		RAISE EXCEPTION 'no data to append' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT coalesce(input_bytes, 0) INTO have FROM jobs
	 WHERE id = p_job AND username = session_user AND xmin = pg_current_xact_id()::xid
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'job % is not one this transaction submitted', p_job USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT value INTO limit_ FROM settings WHERE name = 'input_max_bytes';
	IF have + length(p_data) > limit_ THEN
		RAISE EXCEPTION 'the input file is larger than the limit of % bytes', limit_
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF length(p_data) > 0 THEN
		INSERT INTO job_input (job_id, seq, data)
		SELECT p_job, coalesce(max(seq) + 1, 0), p_data FROM job_input WHERE job_id = p_job;
	END IF;
	UPDATE jobs SET input_bytes = have + length(p_data) WHERE id = p_job;
	RETURN have + length(p_data);
END
$$;

-- A job of a type that reads a file is recorded only with its file: checked when the
-- transaction that records it commits. A type's file parameter is called "file" (the
-- registry's rule), so jobs without one cost nothing here.
CREATE FUNCTION jobs_input_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM job_type_params WHERE type = NEW.type AND kind = 'file')
	   AND (SELECT input_bytes FROM jobs WHERE id = NEW.id) IS NULL THEN
		RAISE EXCEPTION 'a % job needs its input file (job_input_append)', NEW.type
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER jobs_input_check AFTER INSERT ON jobs
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
	WHEN (NEW.params ? 'file' AND NEW.status = 'Running')
	EXECUTE FUNCTION jobs_input_check();

-- Ends the caller's jobs that gearmand never took (a submit that could not hand them over):
-- only their own, still Running and never started. Returns how many.
CREATE FUNCTION job_fail_unqueued(p_ids bigint[], p_reason text) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH l AS (SELECT j.id FROM unnest(p_ids) AS a(id),
	           LATERAL (SELECT id FROM jobs WHERE id = a.id AND username = session_user
	                       AND status = 'Running' AND worker IS NULL OFFSET 0 FOR UPDATE) j
	           ORDER BY j.id),
	     e AS (UPDATE jobs SET status = 'Error', completed_at = now(), queued_at = NULL,
	                  info = array(SELECT n FROM unnest(jobs.info) WITH ORDINALITY AS u(n, o)
	                                WHERE n NOT LIKE 'Waiting for a worker%' ORDER BY o)
	                         || ('Could not queue the job: ' || coalesce(left(p_reason, 500), 'no reason given'))
	            FROM l WHERE jobs.id = l.id RETURNING 1)
	SELECT count(*)::integer FROM e
$$;

-- Removes the caller's inactive jobs (and, for an administrator, inactive command-line
-- jobs). One row per removed job that made a file: (how many went, the job, its file); one
-- row (n, NULL, NULL) when none did. The caller removes the files (see jobs_clear in jobs.c).
CREATE FUNCTION jobs_clear() RETURNS TABLE (removed bigint, job_id bigint, download_path text)
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH d AS (DELETE FROM jobs
	            WHERE status <> 'Running'
	              AND (username = session_user
	                   OR (username IS NULL AND pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')))
	           RETURNING id, download_path)
	SELECT c.n, x.id, x.p FROM (SELECT count(*) AS n FROM d) c
	  LEFT JOIN (SELECT id, download_path AS p FROM d WHERE download_path IS NOT NULL) x ON true
$$;

-- ==== command-line runs (`jobdeck run`) ====

-- Records a command-line job already started by runner (a name for the run), for the
-- calling role alone to report on. Administrators and workers only.
CREATE FUNCTION run_start(p_name text, p_params jsonb, p_object bigint, p_namespace text, p_runner text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	id_ bigint;
BEGIN
	IF NOT (caller_is('jobdeck_admin') OR caller_is('jobdeck_worker')) THEN
		RAISE EXCEPTION 'permission denied: only administrators and workers record command-line jobs'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_name IS NULL OR p_name = '' OR length(p_name) > 1000 OR p_runner IS NULL OR length(p_runner) > 200 THEN
		RAISE EXCEPTION 'a run needs a name of 1 to 1000 characters and a runner' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_namespace IS NULL OR p_namespace !~ '^[A-Za-z0-9._-]{1,64}$' THEN
		RAISE EXCEPTION 'a namespace is 1 to 64 letters, digits, ".", "_" or "-"' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO jobs (name, type, params, object_id, username, namespace, worker, run_by, attempts,
	                  max_attempts, started_at, heartbeat_at)
	VALUES (p_name, 'cmdline', coalesce(p_params, '{}'), p_object, NULL, p_namespace, p_runner,
	        session_user, 1, 1, now(), now())
	RETURNING id INTO id_;
	RETURN id_;
END
$$;

-- Appends console output to the caller's running command-line job (also a heartbeat).
-- Returns the offset it went to; NULL when the job is not the caller's running run.
CREATE FUNCTION run_output(p_job bigint, p_data bytea) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH j AS (UPDATE jobs SET output_bytes = output_bytes + length(p_data), heartbeat_at = now()
	            WHERE id = p_job AND type = 'cmdline' AND status = 'Running' AND run_by = session_user
	              AND p_data IS NOT NULL
	           RETURNING output_bytes - length(p_data) AS off)
	INSERT INTO job_output (job_id, offset_, data) SELECT p_job, off, p_data FROM j
	RETURNING offset_
$$;

-- The caller's run is alive. One row with who asked to cancel it (NULL: nobody); no row
-- when it is not the caller's running run any more.
CREATE FUNCTION run_heartbeat(p_job bigint) RETURNS TABLE (cancel_requested_by text)
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	UPDATE jobs SET heartbeat_at = now()
	 WHERE id = p_job AND type = 'cmdline' AND status = 'Running' AND run_by = session_user
	RETURNING cancel_requested_by
$$;

-- Ends the caller's running command-line job. true when it did.
CREATE FUNCTION run_end(p_job bigint, p_status job_status, p_note text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH e AS (UPDATE jobs SET status = p_status, completed_at = now(),
	                  info = CASE WHEN p_note IS NULL THEN info ELSE info || left(p_note, 2000) END
	            WHERE id = p_job AND type = 'cmdline' AND status = 'Running' AND run_by = session_user
	              AND p_status <> 'Running'
	           RETURNING 1)
	SELECT EXISTS (SELECT 1 FROM e)
$$;

-- ==== functions kept, made safe ====

-- Clearing defers output (db/031), and now inputs too.
CREATE OR REPLACE FUNCTION jobs_after_delete_output() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	INSERT INTO job_output_purge (job_id)
	SELECT id FROM old_rows WHERE output_bytes > 0 OR input_bytes IS NOT NULL;
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
	     i AS (DELETE FROM job_input WHERE job_id IN (SELECT job_id FROM p))
	SELECT count(*) INTO n FROM p;
	RETURN n;
END
$$;

-- The text filter's candidates (db/030), now answering only about jobs the caller sees: an
-- administrator's or worker's call may use the planner's estimate over all jobs, a user's
-- only their own jobs' counters and rows, so NULL or not says nothing about anyone else.
CREATE OR REPLACE FUNCTION job_filter_ids(pattern text, cap integer) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	ids bigint[];
	everyone boolean := caller_is('jobdeck_admin') OR caller_is('jobdeck_worker');
	plan json;
	mine bigint;
BEGIN
	cap := least(greatest(cap, 0), 10000);
	IF everyone THEN
		-- A common word matches too many jobs to be worth collecting: the planner's estimate
		-- (from the statistics of the index expression) says so in well under a millisecond.
		EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM jobs'
		               ' WHERE job_search_text(name, type, username, info) ILIKE %L', pattern) INTO plan;
		IF (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8 > cap THEN
			RETURN NULL;
		END IF;
	ELSE
		-- A user with few jobs reads them all faster through their own index.
		SELECT coalesce(sum(n), 0) INTO mine FROM job_counts WHERE username = session_user;
		IF mine <= cap THEN
			RETURN NULL;
		END IF;
	END IF;
	SELECT array_agg(id) INTO ids
	  FROM (SELECT id FROM jobs
	         WHERE job_search_text(name, type, username, info) ILIKE pattern
	           AND (everyone OR username = session_user)
	         LIMIT cap + 1) m;
	IF coalesce(array_length(ids, 1), 0) > cap THEN
		RETURN NULL;
	END IF;
	RETURN coalesce(ids, '{}');
END
$$;

-- ==== every function: search_path with pg_temp last, no EXECUTE for PUBLIC ====

DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid FROM pg_proc p
	          WHERE p.pronamespace = 'jobdeck'::regnamespace AND p.prosecdef
	LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = jobdeck, pg_catalog, pg_temp', f);
	END LOOP;
	-- pg_trgm's functions live here too; they read no data and stay as the extension made them
	FOR f IN SELECT p.oid FROM pg_proc p
	          WHERE p.pronamespace = 'jobdeck'::regnamespace
	            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
	                              AND d.objid = p.oid AND d.deptype = 'e')
	LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
	END LOOP;
END
$$;

-- Needed by the queries of every reader (row-level security policies and the columns shown).
GRANT EXECUTE ON FUNCTION is_admin(), is_worker(), job_notes(text[], timestamptz)
	TO jobdeck_user, jobdeck_worker;
-- The trigram index's expression, computed again whenever a worker changes a job's Info.
GRANT EXECUTE ON FUNCTION job_search_text(text, text, text, text[]) TO jobdeck_worker;
GRANT EXECUTE ON FUNCTION job_submit(text, text, jsonb, bigint, text, boolean, integer),
	job_input_append(bigint, bytea), job_fail_unqueued(bigint[], text), jobs_clear()
	TO jobdeck_user;
GRANT EXECUTE ON FUNCTION run_start(text, jsonb, bigint, text, text), run_output(bigint, bytea),
	run_heartbeat(bigint), run_end(bigint, job_status, text)
	TO jobdeck_admin, jobdeck_worker;
GRANT EXECUTE ON FUNCTION job_cancel(bigint), end_lost_runs(), output_purge(integer),
	job_filter_ids(text, integer) TO jobdeck_user, jobdeck_worker;
GRANT EXECUTE ON FUNCTION user_add(text, boolean) TO jobdeck_admin;
