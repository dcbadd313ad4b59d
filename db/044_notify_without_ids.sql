-- Announcements of job changes say that something changed, not which jobs.
--
-- NOTIFY is not subject to row-level security: any role that can connect may LISTEN, so the
-- job ids in the payloads told everyone when other users' jobs were created and changed.
-- Listeners never needed them (the dashboard re-reads what it shows, under row-level
-- security), and announcing each row cost a trigger call per row: a worker's batch of 64
-- ends called it 64 times. Now every statement that inserts, changes or deletes jobs
-- announces once on jobdeck_jobs with an empty payload (PostgreSQL folds identical
-- notifications of a transaction into one). jobdeck_output still names the job whose output
-- grew, so a dashboard reloads only the output it shows.

SET LOCAL search_path = jobdeck, pg_catalog;

DROP TRIGGER jobs_row_notify ON jobs;
DROP FUNCTION jobs_row_notify();

CREATE FUNCTION jobs_notify() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	PERFORM pg_catalog.pg_notify('jobdeck_jobs', '');
	RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify AFTER UPDATE ON jobs
	FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

CREATE OR REPLACE FUNCTION jobs_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	delta jsonb;
BEGIN
	SELECT jsonb_agg(jsonb_build_object('u', username, 's', status, 'n', c))
	  INTO delta
	  FROM (SELECT username, status, count(*) c FROM new_rows GROUP BY 1, 2) g;
	IF delta IS NOT NULL THEN
		PERFORM counts_add(delta);
		PERFORM pg_notify('jobdeck_jobs', '');
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION jobs_after_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	delta jsonb;
BEGIN
	SELECT jsonb_agg(jsonb_build_object('u', username, 's', status, 'n', -c))
	  INTO delta
	  FROM (SELECT username, status, count(*) c FROM old_rows GROUP BY 1, 2) g;
	IF delta IS NOT NULL THEN
		PERFORM counts_add(delta);
		PERFORM pg_notify('jobdeck_jobs', '');
	END IF;
	RETURN NULL;
END
$$;
