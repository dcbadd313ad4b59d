-- jobdeck schema: jobs, their console output, the archival records they act on, and the
-- rules of who may see and clear what. Row-level security enforces those rules, so neither
-- a client bug nor a user with psql can get around them.

SET LOCAL search_path = jobdeck, pg_catalog;

-- Group roles. Membership in jobdeck_admin makes an administrator.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobdeck_user') THEN
		CREATE ROLE jobdeck_user NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobdeck_admin') THEN
		CREATE ROLE jobdeck_admin NOLOGIN IN ROLE jobdeck_user;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobdeck_worker') THEN
		CREATE ROLE jobdeck_worker NOLOGIN;
	END IF;
END
$$;

GRANT USAGE ON SCHEMA jobdeck TO jobdeck_user, jobdeck_worker;

CREATE TYPE job_status AS ENUM ('Running', 'Completed', 'Error');

CREATE FUNCTION is_admin() RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT pg_catalog.pg_has_role(current_user, 'jobdeck_admin', 'MEMBER') $$;

CREATE FUNCTION is_worker() RETURNS boolean
LANGUAGE sql STABLE
AS $$ SELECT pg_catalog.pg_has_role(current_user, 'jobdeck_worker', 'MEMBER') $$;

-- Archival descriptions: the records that jobs concern.
CREATE TABLE records (
	id                 bigserial PRIMARY KEY,
	parent_id          bigint REFERENCES records(id) ON DELETE CASCADE,
	identifier         text NOT NULL UNIQUE,
	title              text NOT NULL,
	level              text NOT NULL DEFAULT 'File',
	publication_status text NOT NULL DEFAULT 'Draft'
		CHECK (publication_status IN ('Published', 'Draft'))
);
CREATE INDEX records_parent ON records (parent_id);

CREATE TABLE jobs (
	id             bigserial PRIMARY KEY,
	name           text NOT NULL,
	type           text NOT NULL,
	status         job_status NOT NULL DEFAULT 'Running',
	username       text DEFAULT current_user,      -- NULL: started from the command line
	object_id      bigint REFERENCES records(id) ON DELETE SET NULL,
	params         jsonb NOT NULL DEFAULT '{}',
	info           text[] NOT NULL DEFAULT '{}',   -- notes, newest last
	download_path  text,
	download_size  bigint,
	namespace      text NOT NULL DEFAULT 'jobdeck',
	created_at     timestamptz NOT NULL DEFAULT now(),
	queued_at      timestamptz,                    -- handed to gearmand; NULL: not yet
	started_at     timestamptz,
	completed_at   timestamptz,
	heartbeat_at   timestamptz,
	worker         text,
	attempts       integer NOT NULL DEFAULT 0,
	max_attempts   integer NOT NULL DEFAULT 3,
	output_bytes   bigint NOT NULL DEFAULT 0,
	CHECK ((status = 'Running') = (completed_at IS NULL))
);

-- One index per tab, each in the dashboard's order, so every page is a keyset range scan.
CREATE INDEX jobs_all    ON jobs (created_at, id);
CREATE INDEX jobs_active ON jobs (created_at, id) WHERE status = 'Running';
CREATE INDEX jobs_failed ON jobs (created_at, id) WHERE status = 'Error';
CREATE INDEX jobs_user   ON jobs (username, created_at, id);
CREATE INDEX jobs_user_active ON jobs (username, created_at, id) WHERE status = 'Running';
CREATE INDEX jobs_user_failed ON jobs (username, created_at, id) WHERE status = 'Error';
-- The sweep looks for running jobs whose worker went quiet or that never reached gearmand.
CREATE INDEX jobs_running_heartbeat ON jobs (heartbeat_at) WHERE status = 'Running';

-- Console output, append-only, in chunks of raw bytes (NULs and invalid UTF-8 survive).
CREATE TABLE job_output (
	job_id  bigint NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
	offset_ bigint NOT NULL,                       -- byte offset of this chunk in the output
	at      timestamptz NOT NULL DEFAULT now(),
	data    bytea NOT NULL,
	PRIMARY KEY (job_id, offset_)
);

-- Per-tab counters, kept by triggers so no refresh ever counts the whole table.
CREATE TABLE job_counts (
	username text,                                  -- NULL: command-line jobs
	status   job_status NOT NULL,
	n        bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX job_counts_key ON job_counts (coalesce(username, ''), status);

-- Counters and notifications are statement-level, over transition tables, so that a clear
-- of 100,000 jobs or a bulk load costs one counter update per (user, status), not per row.
CREATE FUNCTION counts_add(delta_rows jsonb) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
	INSERT INTO job_counts AS c (username, status, n)
	SELECT d->>'u', (d->>'s')::job_status, (d->>'n')::bigint
	  FROM jsonb_array_elements(delta_rows) d
	ON CONFLICT (coalesce(username, ''), status) DO UPDATE SET n = c.n + excluded.n
$$;

CREATE FUNCTION jobs_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	delta jsonb;
	n bigint;
BEGIN
	SELECT jsonb_agg(jsonb_build_object('u', username, 's', status, 'n', c)), sum(c)
	  INTO delta, n
	  FROM (SELECT username, status, count(*) c FROM new_rows GROUP BY 1, 2) g;
	IF delta IS NOT NULL THEN
		PERFORM counts_add(delta);
	END IF;
	IF n <= 100 THEN
		PERFORM pg_notify('jobdeck_jobs', id::text) FROM new_rows;
	ELSIF n > 100 THEN
		PERFORM pg_notify('jobdeck_jobs', 'bulk');
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION jobs_after_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
DECLARE
	delta jsonb;
	n bigint;
BEGIN
	SELECT jsonb_agg(jsonb_build_object('u', username, 's', status, 'n', c))
	  INTO delta
	  FROM (SELECT username, status, sum(c) c
	          FROM (SELECT username, status, -1 c FROM old_rows
	                UNION ALL
	                SELECT username, status, 1 FROM new_rows) x
	         GROUP BY 1, 2 HAVING sum(c) <> 0) g;
	IF delta IS NOT NULL THEN
		PERFORM counts_add(delta);
	END IF;
	SELECT count(*) INTO n FROM new_rows;
	IF n <= 100 THEN
		PERFORM pg_notify('jobdeck_jobs', id::text) FROM new_rows;
	ELSE
		PERFORM pg_notify('jobdeck_jobs', 'bulk');
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION jobs_after_delete() RETURNS trigger
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
		PERFORM pg_notify('jobdeck_jobs', 'clear');
	END IF;
	RETURN NULL;
END
$$;

-- Every change to a job is announced on channel jobdeck_jobs (payload: the job id; "bulk"
-- or "clear" for a statement touching many); output appends on jobdeck_output (the job id).
CREATE TRIGGER jobs_after_insert AFTER INSERT ON jobs
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_after_insert();
CREATE TRIGGER jobs_after_update AFTER UPDATE ON jobs
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION jobs_after_update();
CREATE TRIGGER jobs_after_delete AFTER DELETE ON jobs
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_after_delete();

CREATE FUNCTION output_notify() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	PERFORM pg_notify('jobdeck_output', NEW.job_id::text);
	RETURN NULL;
END
$$;
CREATE TRIGGER output_notify AFTER INSERT ON job_output
	FOR EACH ROW EXECUTE FUNCTION output_notify();

-- ==== Permissions ====
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
ALTER TABLE job_output ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_output FORCE ROW LEVEL SECURITY;
ALTER TABLE job_counts ENABLE ROW LEVEL SECURITY;

-- Everyone sees their own jobs; administrators and workers see all, command-line jobs too.
CREATE POLICY jobs_read ON jobs FOR SELECT
	USING (username = current_user OR (SELECT is_admin()) OR (SELECT is_worker()));
-- Users record jobs as themselves; administrators and workers may record command-line jobs.
CREATE POLICY jobs_create ON jobs FOR INSERT
	WITH CHECK (username = current_user OR (username IS NULL AND ((SELECT is_admin()) OR (SELECT is_worker()))));
-- Workers run every job; a user may only mark their own job failed (a submit that could not
-- reach gearmand) and a command-line job's runner finishes it.
CREATE POLICY jobs_update ON jobs FOR UPDATE
	USING ((SELECT is_worker()) OR username = current_user OR (username IS NULL AND (SELECT is_admin())))
	WITH CHECK ((SELECT is_worker()) OR username = current_user OR (username IS NULL AND (SELECT is_admin())));
-- Clearing: never a running job; only one's own, and for administrators command-line jobs.
CREATE POLICY jobs_clear ON jobs FOR DELETE
	USING (status <> 'Running' AND (username = current_user OR (username IS NULL AND (SELECT is_admin()))));

CREATE POLICY output_read ON job_output FOR SELECT
	USING (EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_id));
CREATE POLICY output_write ON job_output FOR INSERT
	WITH CHECK ((SELECT is_worker()) OR EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_id
		AND (j.username = current_user OR (j.username IS NULL AND (SELECT is_admin())))));

CREATE POLICY counts_read ON job_counts FOR SELECT
	USING (username = current_user OR (SELECT is_admin()) OR (SELECT is_worker()));

GRANT SELECT ON records TO jobdeck_user;
GRANT SELECT, INSERT, UPDATE ON records TO jobdeck_worker;
GRANT USAGE ON SEQUENCE records_id_seq TO jobdeck_worker;
GRANT SELECT, INSERT, DELETE ON jobs TO jobdeck_user;
GRANT UPDATE (status, info, completed_at, queued_at, started_at, heartbeat_at, worker,
	attempts, output_bytes, download_path, download_size) ON jobs TO jobdeck_user;
GRANT SELECT, INSERT, UPDATE ON jobs TO jobdeck_worker;
GRANT USAGE ON SEQUENCE jobs_id_seq TO jobdeck_user, jobdeck_worker;
GRANT SELECT, INSERT ON job_output TO jobdeck_user, jobdeck_worker;
GRANT SELECT ON job_counts TO jobdeck_user, jobdeck_worker;

-- Administrators add users through this function, which checks membership itself.
CREATE FUNCTION user_add(name text, admin boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = jobdeck, pg_catalog
AS $$
BEGIN
	IF NOT pg_has_role(session_user, 'jobdeck_admin', 'MEMBER')
	   AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
		RAISE EXCEPTION 'permission denied: only administrators add users'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
		RAISE EXCEPTION 'role "%" already exists', name USING ERRCODE = 'duplicate_object';
	END IF;
	EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', name,
		CASE WHEN admin THEN 'jobdeck_admin' ELSE 'jobdeck_user' END);
END
$$;
REVOKE ALL ON FUNCTION user_add(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION user_add(text, boolean) TO jobdeck_admin;
