-- A claim that rewrites no index entry.
--
-- Each job is updated twice by its worker: the claim and the end. An UPDATE that changes no
-- indexed column, on a page with room, is a heap-only tuple (HOT) update: it writes no index
-- entries at all. The claim used to change two indexed things: heartbeat_at (indexed for the
-- sweep) and info (it dropped the "Waiting for a worker" note, and info is in the trigram
-- index), so every claim wrote all nine index entries of the row.
--
-- Now the sweep finds running jobs through the Active tab's index (running jobs are few), the
-- claim leaves info alone, and readers hide a waiting note once a worker has started the job
-- (job_notes below; the end of the job drops it for good). Pages keep a fifth free so the
-- claim's new row version fits beside the old one.

SET LOCAL search_path = jobdeck, pg_catalog;

DROP INDEX jobs_running_heartbeat;
ALTER TABLE jobs SET (fillfactor = 80);

-- The notes as shown: a waiting note (always the first, when there is one) only while no
-- worker has started the job. Simple enough for the planner to inline.
CREATE FUNCTION job_notes(info text[], started_at timestamptz) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN started_at IS NOT NULL AND info[1] LIKE 'Waiting for a worker%'
                  THEN info[2:] ELSE info END $$;
