-- The counters move once per statement again, now that workers end jobs in batches.
--
-- db/042 moved the counters per row (jobs_row_count, two upserts for every job whose status
-- or owner changed) because a worker then claimed and ended one job per statement, and a
-- statement-level trigger paid for its transition tables on every one. Workers now claim up
-- to 64 jobs and end up to 500 in one statement: per row, the end of each job upserted the
-- same two counter rows twice and called a SECURITY DEFINER function, a third of the
-- server's time for the whole end. Now the trigger runs once per UPDATE statement and moves
-- each (user, status) counter once, by the statement's sum, in a fixed order (so concurrent
-- statements never wait on each other in a cycle); an UPDATE that moves no job between
-- counters (a claim, a heartbeat, output) writes nothing.

SET LOCAL search_path = jobdeck, pg_catalog;

DROP TRIGGER jobs_row_count ON jobs;

CREATE OR REPLACE FUNCTION jobs_row_count() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog, pg_temp
AS $$
DECLARE
	delta jsonb;
BEGIN
	-- the same jobs before and after: what each counter gains is its count after less its
	-- count before (no join: the transition tables have no statistics to plan one by)
	SELECT jsonb_agg(jsonb_build_object('u', u, 's', s, 'n', n) ORDER BY coalesce(u, ''), s)
	  INTO delta
	  FROM (SELECT u, s, sum(n) AS n
	          FROM (SELECT username AS u, status AS s, -count(*) AS n FROM old_rows GROUP BY 1, 2
	                UNION ALL
	                SELECT username, status, count(*) FROM new_rows GROUP BY 1, 2) x
	         GROUP BY 1, 2
	        HAVING sum(n) <> 0) g;
	IF delta IS NOT NULL THEN
		PERFORM counts_add(delta);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER jobs_row_count AFTER UPDATE ON jobs
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION jobs_row_count();
