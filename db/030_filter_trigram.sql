-- The text filter (name, info, user or type containing the text, any case) at scale.
--
-- ILIKE '%text%' cannot use a B-tree, and a filter matching few jobs scanned the whole
-- table: seconds at a million jobs. A trigram index answers it, but not directly: under
-- row-level security PostgreSQL only turns "leakproof" conditions into index conditions,
-- and ILIKE is not one, so a query run by a dashboard user never uses the index. Hence
-- job_filter_ids: it runs as its owner (who bypasses row-level security), finds the
-- candidate ids through the index, keeps only jobs the session's own login may see, and
-- returns them — or NULL when there would be more than `cap` (a common word: scanning the
-- table in order finds a page of matches quickly anyway). The page query then adds
-- id = ANY(candidates), which is leakproof and served by the primary key, and still applies
-- its own filter and the policies, so results are exactly what they were.

SET LOCAL search_path = jobdeck, public, pg_catalog;

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA jobdeck;

-- The fields the filter searches, joined by a unit separator (0x1f). Any job whose name,
-- info, user or type contains a text also contains it here: a superset of the real
-- matches, which the page query's own filter narrows. Immutable so it can be indexed
-- (array_to_string over text[] depends on nothing but its input).
CREATE FUNCTION job_search_text(name text, type text, username text, info text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT name || chr(31) || pg_catalog.array_to_string(info, ' ') || chr(31)
             || coalesce(username, 'Command line') || chr(31) || type $$;

CREATE INDEX jobs_search ON jobs USING gin (job_search_text(name, type, username, info) gin_trgm_ops);

CREATE FUNCTION job_filter_ids(pattern text, cap integer) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	ids bigint[];
	everyone boolean;
	plan json;
BEGIN
	-- An owner still bound by row-level security would see too few jobs: say nothing.
	IF NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) THEN
		RETURN NULL;
	END IF;
	-- A common word matches too many jobs to be worth collecting: the planner's estimate
	-- (from the statistics of the index expression) says so in well under a millisecond.
	EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM jobs'
	               ' WHERE job_search_text(name, type, username, info) ILIKE %L', pattern) INTO plan;
	IF (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8 > cap THEN
		RETURN NULL;
	END IF;
	everyone := pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')
	            OR pg_has_role(session_user, 'jobdeck_worker', 'MEMBER');
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
REVOKE ALL ON FUNCTION job_filter_ids(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_filter_ids(text, integer) TO jobdeck_user, jobdeck_worker;
