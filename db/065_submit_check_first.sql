-- A submission checked first, recorded next.
--
-- A new session pays once for everything the first INSERT into jobs touches: the table's
-- nine indexes, its triggers and policies, the functions job_submit, job_check and the
-- trigger functions compiled, their statements planned: about 6 ms of server time, spent
-- inside the recording transaction, between created_at (its start) and its commit. job_submit
-- with p_count 0 now runs every check and the same INSERT with no rows, computes a search
-- text and calls the counters with nothing to count, and records nothing (no id is taken,
-- nothing is counted or announced): `jobdeck submit` sends that while it asks
-- gearmand whether a worker listens, and the transaction that records the job then runs in a
-- session that is ready. db/051's job_submit otherwise, unchanged.

SET LOCAL search_path = jobdeck, pg_catalog;

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
	IF p_count IS NULL OR p_count < 0 OR p_count > 10000 THEN
		RAISE EXCEPTION 'a submission records 1 to 10000 jobs' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT 'Paused by ' || paused_by INTO note FROM paused WHERE namespace = p_namespace AND route = v_route;
	note := coalesce(note, CASE WHEN p_no_worker THEN 'Waiting for a worker: none is connected for ' || v_route
	                            ELSE 'Waiting for a worker' END);
	IF p_count = 0 THEN
		-- and what the first row written will need: its search text through pg_trgm (whose
		-- library a session loads on first use), the counters
		PERFORM show_trgm(job_search_text(p_name, p_type, session_user, ARRAY[note]));
		PERFORM counts_add('[]');
	END IF;
	RETURN QUERY
	INSERT INTO jobs (name, type, params, object_id, username, info, namespace, queued_at)
	SELECT p_name, p_type, p_params, p_object, session_user, ARRAY[note], p_namespace, now()
	  FROM generate_series(1, p_count)
	RETURNING id;
END
$$;
