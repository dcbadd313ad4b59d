-- Operating, not only watching: workers that register themselves, paused job types, retry,
-- clearing and cancelling chosen jobs, and pruning old ones.
--
-- Workers register and beat as rows of `workers` (a row per worker process, written only by
-- worker_beat and worker_stop, for the calling role's own rows); administrators read them.
-- Counts of what a worker did come with its beats, not with each job, and the Workers view's
-- throughput and queue wait are read from the jobs' own timestamps: nothing is written per job
-- for them. A BRIN index on completed_at finds the jobs of the last hour among millions at the
-- cost of a few bytes per page range.
--
-- A paused route (TYPE, or command:TASK, in a namespace) is a row of `paused`: workers stop
-- taking it within a second (they LISTEN on jobdeck_pause and unregister the function, so
-- gearmand keeps the jobs), its waiting jobs say "Paused by NAME", and resume hands them back.
--
-- Every function checks its caller, as db/050's do.

SET LOCAL search_path = jobdeck, pg_catalog;

-- ==== workers ====

CREATE TABLE workers (
	id             text PRIMARY KEY,          -- the name it runs jobs under (--id, or HOST:PID)
	role           text NOT NULL,             -- the login role that registered it
	host           text NOT NULL,
	pid            integer NOT NULL,
	namespace      text NOT NULL,
	routes         text[] NOT NULL,           -- what it serves: TYPE or command:TASK
	concurrency    integer NOT NULL,          -- processes of its --concurrency group
	started_at     timestamptz NOT NULL,
	heartbeat_at   timestamptz NOT NULL,
	stopped_at     timestamptz,               -- a clean stop; NULL while it runs
	jobs_completed bigint NOT NULL DEFAULT 0,
	jobs_failed    bigint NOT NULL DEFAULT 0
);
REVOKE ALL ON workers FROM PUBLIC;
GRANT SELECT ON workers TO jobdeck_admin, jobdeck_worker;

-- A worker process says it is alive, what it serves and what it has done since it started.
CREATE FUNCTION worker_beat(p_id text, p_host text, p_pid integer, p_namespace text, p_routes text[],
			    p_concurrency integer, p_completed bigint, p_failed bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT caller_is('jobdeck_worker') THEN
		RAISE EXCEPTION 'permission denied: only workers register' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_id IS NULL OR length(p_id) > 200 OR p_host IS NULL OR p_pid IS NULL OR p_namespace IS NULL
	   OR p_routes IS NULL OR p_concurrency IS NULL THEN
		RAISE EXCEPTION 'a worker beats with its id, host, pid, namespace, routes and concurrency'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO workers AS w (id, role, host, pid, namespace, routes, concurrency, started_at,
	                          heartbeat_at, jobs_completed, jobs_failed)
	VALUES (p_id, session_user, left(p_host, 200), p_pid, p_namespace, p_routes, p_concurrency, now(),
	        now(), coalesce(p_completed, 0), coalesce(p_failed, 0))
	ON CONFLICT (id) DO UPDATE
	   SET host = excluded.host, pid = excluded.pid, namespace = excluded.namespace,
	       routes = excluded.routes, concurrency = excluded.concurrency, heartbeat_at = now(),
	       -- a new process under an old name starts afresh
	       started_at = CASE WHEN w.pid <> excluded.pid OR w.stopped_at IS NOT NULL THEN now() ELSE w.started_at END,
	       stopped_at = NULL,
	       jobs_completed = excluded.jobs_completed, jobs_failed = excluded.jobs_failed
	 WHERE w.role = session_user;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'worker % belongs to another role', p_id USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- A worker process stops cleanly.
CREATE FUNCTION worker_stop(p_id text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	UPDATE workers SET stopped_at = now() WHERE id = p_id AND role = session_user
$$;

-- ==== paused routes ====

CREATE TABLE paused (
	namespace text NOT NULL,
	route     text NOT NULL,
	paused_by text NOT NULL,
	paused_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (namespace, route)
);
REVOKE ALL ON paused FROM PUBLIC;
GRANT SELECT ON paused TO jobdeck_user, jobdeck_worker;

-- A job's route: TYPE, or command:TASK.
CREATE FUNCTION job_route(type text, params jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN type = 'command' THEN 'command:' || (params ->> 'task') ELSE type END $$;

-- info with its first note, when it is a waiting or paused note, replaced by note
CREATE FUNCTION job_waiting_as(info text[], note text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ARRAY[note] || array(SELECT n FROM unnest(info) WITH ORDINALITY AS u(n, o)
                                    WHERE n NOT LIKE 'Waiting for a worker%' AND n NOT LIKE 'Paused by %'
                                    ORDER BY o) $$;

-- Pauses a route (administrators): its waiting jobs say so, workers stop taking it. Returns how
-- many jobs wait on it.
CREATE FUNCTION route_pause(p_namespace text, p_route text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	IF NOT caller_is('jobdeck_admin') THEN
		RAISE EXCEPTION 'permission denied: only administrators pause job types' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_namespace IS NULL OR p_route IS NULL OR p_route !~ '^[A-Za-z0-9._-]{1,64}(:[A-Za-z0-9._-]{1,64})?$' THEN
		RAISE EXCEPTION 'a route is TYPE or command:TASK' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO paused (namespace, route, paused_by) VALUES (p_namespace, p_route, session_user)
	ON CONFLICT (namespace, route) DO NOTHING;
	WITH u AS (UPDATE jobs SET info = job_waiting_as(info, 'Paused by ' || session_user)
	            WHERE status = 'Running' AND worker IS NULL AND namespace = p_namespace
	              AND type <> 'cmdline' AND job_route(type, params) = p_route
	           RETURNING 1)
	SELECT count(*) INTO n FROM u;
	PERFORM pg_notify('jobdeck_pause', '');
	RETURN n;
END
$$;

-- Resumes a route (administrators). Returns how many jobs wait on it, to hand over again.
CREATE FUNCTION route_resume(p_namespace text, p_route text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	n bigint;
BEGIN
	IF NOT caller_is('jobdeck_admin') THEN
		RAISE EXCEPTION 'permission denied: only administrators resume job types' USING ERRCODE = 'insufficient_privilege';
	END IF;
	DELETE FROM paused WHERE namespace = p_namespace AND route = p_route;
	WITH u AS (UPDATE jobs SET info = job_waiting_as(info, 'Waiting for a worker'), queued_at = now()
	            WHERE status = 'Running' AND worker IS NULL AND namespace = p_namespace
	              AND type <> 'cmdline' AND job_route(type, params) = p_route
	           RETURNING 1)
	SELECT count(*) INTO n FROM u;
	PERFORM pg_notify('jobdeck_pause', '');
	RETURN n;
END
$$;

-- A submission to a paused route waits saying so (db/050's job_submit, with that one change).
CREATE OR REPLACE FUNCTION job_submit(p_type text, p_name text, p_params jsonb, p_object bigint,
			   p_namespace text, p_no_worker boolean, p_count integer)
RETURNS SETOF bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	v_route text;
	note text;
BEGIN
	IF NOT caller_is('jobdeck_user') THEN
		RAISE EXCEPTION 'permission denied: only jobdeck users submit jobs' USING ERRCODE = 'insufficient_privilege';
	END IF;
	v_route := job_check(p_type, p_params, p_object);
	IF p_name IS NULL OR p_name = '' OR length(p_name) > 1000 THEN
		RAISE EXCEPTION 'a job name has 1 to 1000 characters' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_namespace IS NULL OR p_namespace !~ '^[A-Za-z0-9._-]{1,64}$' THEN
		RAISE EXCEPTION 'a namespace is 1 to 64 letters, digits, ".", "_" or "-"' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_count IS NULL OR p_count < 1 OR p_count > 10000 THEN
		RAISE EXCEPTION 'a submission records 1 to 10000 jobs' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT 'Paused by ' || paused_by INTO note FROM paused WHERE namespace = p_namespace AND route = v_route;
	note := coalesce(note, CASE WHEN p_no_worker THEN 'Waiting for a worker: none is connected for ' || v_route
	                            ELSE 'Waiting for a worker' END);
	RETURN QUERY
	INSERT INTO jobs (name, type, params, object_id, username, info, namespace, queued_at)
	SELECT p_name, p_type, p_params, p_object, session_user, ARRAY[note], p_namespace, now()
	  FROM generate_series(1, p_count)
	RETURNING id;
END
$$;

-- ==== retry ====

-- Records a new job for each failed job of ids the caller may retry (their own; an
-- administrator's: any), with the same type, record, parameters and input file, owned by the
-- caller. One row per id: the old job, the new one (NULL when not retried) and what happened:
-- 'retried', 'missing' (not there or not the caller's), 'not failed', 'command line'.
CREATE FUNCTION job_retry(p_ids bigint[])
RETURNS TABLE (old_id bigint, new_id bigint, outcome text, route text, namespace text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	j jobs%ROWTYPE;
	admin boolean := caller_is('jobdeck_admin');
	k bigint;
	note text;
BEGIN
	IF NOT caller_is('jobdeck_user') THEN
		RAISE EXCEPTION 'permission denied: only jobdeck users retry jobs' USING ERRCODE = 'insufficient_privilege';
	END IF;
	FOR k IN SELECT DISTINCT u FROM unnest(p_ids) u WHERE u IS NOT NULL ORDER BY 1 LOOP
		SELECT * INTO j FROM jobs WHERE id = k FOR UPDATE;
		old_id := k;
		new_id := NULL;
		route := NULL;
		namespace := NULL;
		IF NOT FOUND OR NOT (admin OR j.username IS NOT DISTINCT FROM session_user) THEN
			outcome := 'missing';
		ELSIF j.type = 'cmdline' THEN
			outcome := 'command line';
		ELSIF j.status <> 'Error' THEN
			outcome := 'not failed';
		ELSE
			route := job_route(j.type, j.params);
			namespace := j.namespace;
			SELECT 'Paused by ' || paused_by INTO note FROM paused p WHERE p.namespace = j.namespace AND p.route = job_retry.route;
			INSERT INTO jobs (name, type, params, object_id, username, info, namespace, queued_at, input_bytes)
			VALUES (j.name, j.type, j.params, j.object_id, session_user,
			        ARRAY[coalesce(note, 'Waiting for a worker'), format('Retry of job %s', k)],
			        j.namespace, now(), j.input_bytes)
			RETURNING id INTO new_id;
			INSERT INTO job_input (job_id, seq, data) SELECT new_id, seq, data FROM job_input WHERE job_id = k;
			UPDATE jobs SET info = info || format('Retried as job %s', new_id) WHERE id = k;
			outcome := 'retried';
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;

-- ==== chosen jobs ====

-- Clears the jobs of ids the caller may clear (their own inactive ones; an administrator's
-- also inactive command-line ones), as jobs_clear does for all of them.
CREATE FUNCTION jobs_clear_ids(p_ids bigint[]) RETURNS TABLE (removed bigint, job_id bigint, download_path text)
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
	WITH d AS (DELETE FROM jobs
	            WHERE id = ANY (p_ids) AND status <> 'Running'
	              AND (username = session_user
	                   OR (username IS NULL AND pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')))
	           RETURNING id, download_path)
	SELECT c.n, x.id, x.p FROM (SELECT count(*) AS n FROM d) c
	  LEFT JOIN (SELECT id, download_path AS p FROM d WHERE download_path IS NOT NULL) x ON true
$$;

-- ==== pruning ====

-- Removes up to p_batch inactive jobs of every user that ended before p_before (administrators;
-- status 'Completed', 'Error' or NULL for both), with their output and inputs later (db/031).
-- Rows as jobs_clear's. A batch at a time, so a prune never holds the table for long.
CREATE FUNCTION jobs_prune(p_before timestamptz, p_status job_status, p_batch integer)
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
	     d AS (DELETE FROM jobs WHERE id IN (SELECT id FROM v) RETURNING id, jobs.download_path)
	SELECT c.n, x.id, x.p FROM (SELECT count(*) AS n FROM d) c
	  LEFT JOIN (SELECT d.id, d.download_path AS p FROM d WHERE d.download_path IS NOT NULL) x ON true;
END
$$;

-- How many jobs a prune would remove (administrators).
CREATE FUNCTION jobs_prune_count(p_before timestamptz, p_status job_status) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT caller_is('jobdeck_admin') THEN
		RAISE EXCEPTION 'permission denied: only administrators prune' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN (SELECT count(*) FROM jobs WHERE status <> 'Running' AND completed_at < p_before
	                                     AND (p_status IS NULL OR status = p_status));
END
$$;

-- The jobs that ended in a recent span, found among millions without a per-job cost worth
-- naming (a BRIN index is updated once per page range, not per row).
CREATE INDEX jobs_completed_brin ON jobs USING brin (completed_at);

-- ==== cancelling a command-line run says so ====

-- As db/045's, but a running command-line job answers 'requested run': it has no worker to
-- ask, its `jobdeck run` stops it.
CREATE OR REPLACE FUNCTION job_cancel(job bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
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
		                     WHERE n NOT LIKE 'Waiting for a worker%' AND n NOT LIKE 'Paused by %' ORDER BY o)
		              || format('Cancelled by %s before it started', who)
		 WHERE id = job;
		RETURN 'cancelled';
	END IF;
	IF j.cancel_requested_by IS NULL THEN
		UPDATE jobs SET cancel_requested_by = who WHERE id = job;
		PERFORM pg_notify('jobdeck_cancel', '');
	END IF;
	RETURN CASE WHEN j.type = 'cmdline' THEN 'requested run' ELSE 'requested' END;
END
$$;

-- ==== grants ====

REVOKE ALL ON FUNCTION worker_beat(text, text, integer, text, text[], integer, bigint, bigint),
	worker_stop(text), job_route(text, jsonb), job_waiting_as(text[], text),
	route_pause(text, text), route_resume(text, text), job_retry(bigint[]),
	jobs_clear_ids(bigint[]), jobs_prune(timestamptz, job_status, integer),
	jobs_prune_count(timestamptz, job_status) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION worker_beat(text, text, integer, text, text[], integer, bigint, bigint),
	worker_stop(text) TO jobdeck_worker;
GRANT EXECUTE ON FUNCTION route_pause(text, text), route_resume(text, text),
	jobs_prune_count(timestamptz, job_status) TO jobdeck_admin;
GRANT EXECUTE ON FUNCTION jobs_prune(timestamptz, job_status, integer) TO jobdeck_admin, jobdeck_worker;
GRANT EXECUTE ON FUNCTION job_retry(bigint[]), jobs_clear_ids(bigint[]) TO jobdeck_user;
-- read by the workers' sweep when handing paused routes' jobs over, and by pages
GRANT EXECUTE ON FUNCTION job_route(text, jsonb) TO jobdeck_user, jobdeck_worker;
