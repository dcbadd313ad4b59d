-- Announcements of new console output no longer name the job either (see db/044).
--
-- Any role may LISTEN, and the job ids on jobdeck_output told everyone which jobs were
-- running and how busily. A dashboard reloads the output of the job it shows when that job
-- is running and any output came; a job that is not running gets no more output.

SET LOCAL search_path = jobdeck, pg_catalog;

CREATE OR REPLACE FUNCTION output_notify() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	PERFORM pg_catalog.pg_notify('jobdeck_output', '');
	RETURN NULL;
END
$$;
