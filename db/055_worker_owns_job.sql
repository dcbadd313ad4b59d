-- A worker changes only the jobs it holds.
--
-- db/050 let a worker change any running job. A worker that was stopped (SIGSTOP, a VM
-- paused, a long swap storm) past the heartbeat timeout has had its job handed to another
-- worker by the sweep; when it wakes it must not write output, results or an end into the job
-- that another worker now runs. The worker's own statements check that the job is still
-- theirs; these policies make the database refuse it as well.
--
-- Every connection of `jobdeck worker` says which worker it is (the setting jobdeck.worker,
-- and jobdeck.heartbeat_timeout, the timeout it sweeps with, in seconds). A worker connection
-- that says so may change a running job only when the job is its own, has no worker, or has
-- a worker silent for longer than the timeout (the claim and the sweep take those); it may add
-- console output only to a running job of its own or of no worker (the sweep's notes). A
-- connection of the worker role that says no name is held to db/050's rule alone: workers are
-- trusted to say who they are; this guards against a stale worker, not a lying one.

SET LOCAL search_path = jobdeck, pg_catalog;

DROP POLICY jobs_work ON jobs;
CREATE POLICY jobs_work ON jobs FOR UPDATE TO jobdeck_worker
	USING (status = 'Running' AND (
		coalesce(current_setting('jobdeck.worker', true), '') = ''
		OR worker IS NULL
		OR worker = current_setting('jobdeck.worker', true)
		OR heartbeat_at < now() - make_interval(secs =>
			coalesce(nullif(current_setting('jobdeck.heartbeat_timeout', true), '')::float8, 30))))
	WITH CHECK (true);

DROP POLICY output_work ON job_output;
CREATE POLICY output_work ON job_output FOR INSERT TO jobdeck_worker
	WITH CHECK (EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_id AND j.status = 'Running' AND (
		coalesce(current_setting('jobdeck.worker', true), '') = ''
		OR j.worker IS NULL
		OR j.worker = current_setting('jobdeck.worker', true))));
