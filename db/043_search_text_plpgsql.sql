-- job_search_text without a re-plan on every write.
--
-- As a SQL function it could never be inlined (array_to_string is only STABLE, the function
-- says IMMUTABLE), so every statement that wrote the trigram index (each end of a job, each
-- submit) parsed and planned its body again: about a tenth of the server's time per job.
-- PL/pgSQL keeps the plan of its one expression for the session. The text it returns is
-- the same, byte for byte, so the index built on it stays valid.

SET LOCAL search_path = jobdeck, pg_catalog;

CREATE OR REPLACE FUNCTION job_search_text(name text, type text, username text, info text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
	RETURN name || chr(31) || pg_catalog.array_to_string(info, ' ') || chr(31)
	       || coalesce(username, 'Command line') || chr(31) || type;
END
$$;
