-- Cheaper per-row triggers for the two updates every job gets from its worker.
--
-- jobs_row_update (db/040) ran for every UPDATE as a SECURITY DEFINER function with its own
-- search_path, and moved the counters through counts_move, a SQL function that PostgreSQL
-- parses and plans again in every transaction: a third of the server's time per job went
-- there, although only the end of a job ever moves a counter.
--
-- Now two triggers: jobs_row_count runs only when the status or the owner changed (a WHEN
-- condition, checked without calling any function) and writes the counters with its own
-- statements, whose plans PL/pgSQL keeps for the session; jobs_row_notify announces the job
-- and needs no privileges, so it runs as the caller without switching search_path.

SET LOCAL search_path = jobdeck, pg_catalog;

DROP TRIGGER jobs_row_update ON jobs;
DROP FUNCTION jobs_row_update();
DROP FUNCTION counts_move(text, job_status, bigint);

CREATE FUNCTION jobs_row_count() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
BEGIN
	-- counter rows in one order, (username, status) of the old row and the new row, so
	-- concurrent updates never wait on each other in a cycle
	IF (coalesce(OLD.username, ''), OLD.status) < (coalesce(NEW.username, ''), NEW.status) THEN
		INSERT INTO job_counts AS c (username, status, n) VALUES (OLD.username, OLD.status, -1)
		ON CONFLICT (coalesce(username, ''), status) DO UPDATE SET n = c.n - 1;
		INSERT INTO job_counts AS c (username, status, n) VALUES (NEW.username, NEW.status, 1)
		ON CONFLICT (coalesce(username, ''), status) DO UPDATE SET n = c.n + 1;
	ELSE
		INSERT INTO job_counts AS c (username, status, n) VALUES (NEW.username, NEW.status, 1)
		ON CONFLICT (coalesce(username, ''), status) DO UPDATE SET n = c.n + 1;
		INSERT INTO job_counts AS c (username, status, n) VALUES (OLD.username, OLD.status, -1)
		ON CONFLICT (coalesce(username, ''), status) DO UPDATE SET n = c.n - 1;
	END IF;
	RETURN NULL;
END
$$;

-- A transaction that changes more than 100 jobs announces the first 100 ids, then 'bulk'
-- once, and no more ids, so a large UPDATE never floods the listeners.
CREATE FUNCTION jobs_row_notify() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	k integer;
BEGIN
	k := coalesce(nullif(pg_catalog.current_setting('jobdeck.notified', true), ''), '0')::integer + 1;
	IF k <= 101 THEN
		PERFORM pg_catalog.set_config('jobdeck.notified', k::text, true);
		PERFORM pg_catalog.pg_notify('jobdeck_jobs', CASE WHEN k <= 100 THEN NEW.id::text ELSE 'bulk' END);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER jobs_row_count AFTER UPDATE ON jobs FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.username IS DISTINCT FROM NEW.username)
	EXECUTE FUNCTION jobs_row_count();
CREATE TRIGGER jobs_row_notify AFTER UPDATE ON jobs FOR EACH ROW
	EXECUTE FUNCTION jobs_row_notify();
