-- Command-line runs whose `jobdeck run` died without a word (SIGKILL, a lost machine).
--
-- Until now only a worker's sweep ended them, so an installation that runs no worker (or
-- none in that namespace) kept such a job Running for ever: the very failure of the page
-- jobdeck replaces. end_lost_runs ends every command-line job whose heartbeat is more than a
-- minute old (a run beats at least every 15 seconds), and anyone may call it: it touches
-- nothing else. `jobdeck run` calls it as it starts, the dashboard when it opens and every
-- half minute after.

SET LOCAL search_path = jobdeck, pg_catalog;

CREATE FUNCTION end_lost_runs() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
	WITH e AS (
		UPDATE jobs SET status = 'Error', completed_at = now(),
		       info = info || format('The command-line run on %s was lost (last heard from %s UTC)',
		                             worker, to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))
		 WHERE status = 'Running' AND type = 'cmdline' AND worker IS NOT NULL
		   AND heartbeat_at < now() - interval '1 minute'
		RETURNING 1)
	SELECT count(*)::integer FROM e
$$;
REVOKE ALL ON FUNCTION end_lost_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION end_lost_runs() TO jobdeck_user, jobdeck_worker;
