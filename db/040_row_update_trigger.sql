-- Updates of single jobs no longer pay for statement-level triggers over transition tables.
--
-- A worker updates each job it runs twice (claim, end), one row at a time. The statement-
-- level jobs_after_update collected both transition tables, aggregated them into jsonb and
-- rewrote the counters on every such update, claim included, although a claim never changes
-- a counter; with two workers the counter rows were rewritten and locked twice per job. That
-- capped two workers near 660 jobs/s on two cores with the database doing nothing else.
--
-- Now an UPDATE fires a row-level trigger: the counters move only when the row's status or
-- owner changes (one decrement, one increment, in a fixed order so concurrent updates never
-- wait on each other in a cycle), and the job id is announced. A transaction that changes
-- more than 100 jobs announces the first 100 ids, then 'bulk' once, and no more ids, so a
-- large UPDATE never floods the listeners. INSERT and DELETE keep their statement-level
-- triggers (a bulk submit or a clear still costs one counter update per user and status).

SET LOCAL search_path = jobdeck, pg_catalog;

DROP TRIGGER jobs_after_update ON jobs;
DROP FUNCTION jobs_after_update();

CREATE FUNCTION counts_move(u text, s job_status, delta bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
	INSERT INTO job_counts AS c (username, status, n) VALUES (u, s, delta)
	ON CONFLICT (coalesce(username, ''), status) DO UPDATE SET n = c.n + excluded.n
$$;

CREATE FUNCTION jobs_row_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	k integer;
BEGIN
	IF OLD.status IS DISTINCT FROM NEW.status OR OLD.username IS DISTINCT FROM NEW.username THEN
		-- counter rows in one order: (username, status) of the old row and the new row
		IF (coalesce(OLD.username, ''), OLD.status) < (coalesce(NEW.username, ''), NEW.status) THEN
			PERFORM counts_move(OLD.username, OLD.status, -1);
			PERFORM counts_move(NEW.username, NEW.status, 1);
		ELSE
			PERFORM counts_move(NEW.username, NEW.status, 1);
			PERFORM counts_move(OLD.username, OLD.status, -1);
		END IF;
	END IF;
	k := coalesce(nullif(current_setting('jobdeck.notified', true), ''), '0')::integer + 1;
	IF k <= 101 THEN
		PERFORM set_config('jobdeck.notified', k::text, true);
		PERFORM pg_notify('jobdeck_jobs', CASE WHEN k <= 100 THEN NEW.id::text ELSE 'bulk' END);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER jobs_row_update AFTER UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION jobs_row_update();
