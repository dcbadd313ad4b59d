#!/usr/bin/env bash
# Every function of the schema, with its owner, whether it runs as its owner (SECURITY
# DEFINER), its search_path and who may call it, against the project's allow-list: a new
# function, a grant to PUBLIC or a search_path without pg_temp last fails here until it is
# looked at. And a user's temporary tables, named like ours, never stand in for them.
. "$(dirname "$0")/../lib.sh"
jd_db a20 || exit 1

# signature | definer | search_path | callers (sorted; PUBLIC when nobody revoked it)
actual=$(sql "SET search_path = jobdeck, pg_catalog;
WITH f AS (
  SELECT p.oid, p.oid::regprocedure::text AS sig, p.prosecdef, p.proconfig, p.proacl, p.proowner
    FROM pg_proc p
   WHERE p.pronamespace = 'jobdeck'::regnamespace
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                       AND d.objid = p.oid AND d.deptype = 'e'))
SELECT f.sig || ' | ' || CASE WHEN f.prosecdef THEN 'definer' ELSE 'invoker' END || ' | '
       || coalesce((SELECT c FROM unnest(f.proconfig) c WHERE c LIKE 'search_path=%'), '-') || ' | '
       || CASE WHEN f.proacl IS NULL THEN 'PUBLIC' ELSE coalesce((
            SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, ',' ORDER BY 1)
              FROM aclexplode(f.proacl) a
             WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> f.proowner), '') END
  FROM f ORDER BY 1")

read -r -d '' allowed <<'LIST'
caller_is(text) | invoker | - | 
counts_add(jsonb) | definer | search_path=jobdeck, pg_catalog, pg_temp | 
end_lost_runs() | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user,jobdeck_worker
is_admin() | invoker | - | jobdeck_user,jobdeck_worker
is_worker() | invoker | - | jobdeck_user,jobdeck_worker
job_cancel(bigint) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user,jobdeck_worker
job_check(text,jsonb,bigint) | invoker | - | 
job_fail_unqueued(bigint[],text) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user
job_file_append(bigint,text,bytea) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_worker
job_file_begin(bigint,text,text,bigint) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_worker
job_file_holder(bigint,text) | invoker | search_path=jobdeck, pg_catalog, pg_temp | 
job_filter_ids(text,integer) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user,jobdeck_worker
job_input_append(bigint,bytea) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user
job_notes(text[],timestamp with time zone) | invoker | - | jobdeck_user,jobdeck_worker
job_retry(bigint[]) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user
job_route(text,jsonb) | invoker | - | jobdeck_user,jobdeck_worker
job_search_text(text,text,text,text[]) | invoker | - | jobdeck_worker
job_submit(text,text,jsonb,bigint,text,boolean,integer) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user
job_waiting_as(text[],text) | invoker | - | 
jobs_after_delete() | definer | search_path=jobdeck, pg_catalog, pg_temp | 
jobs_after_delete_output() | definer | search_path=jobdeck, pg_catalog, pg_temp | 
jobs_after_insert() | definer | search_path=jobdeck, pg_catalog, pg_temp | 
jobs_clear() | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user
jobs_clear_ids(bigint[]) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user
jobs_input_check() | definer | search_path=jobdeck, pg_catalog, pg_temp | 
jobs_notify() | invoker | - | 
jobs_prune(timestamp with time zone,job_status,integer) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin,jobdeck_worker
jobs_prune_count(timestamp with time zone,job_status) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin
jobs_row_count() | definer | search_path=jobdeck, pg_catalog, pg_temp | 
output_channel(bigint) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user,jobdeck_worker
output_channel_of(bigint) | definer | search_path=jobdeck, pg_catalog, pg_temp | 
output_lines_before(bigint,bigint) | invoker | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user,jobdeck_worker
output_newlines(bytea) | invoker | - | jobdeck_user,jobdeck_worker
output_notify() | definer | search_path=jobdeck, pg_catalog, pg_temp | 
output_purge(integer) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_user,jobdeck_worker
route_pause(text,text) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin
route_resume(text,text) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin
run_end(bigint,job_status,text) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin,jobdeck_worker
run_heartbeat(bigint) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin,jobdeck_worker
run_output(bigint,bytea) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin,jobdeck_worker
run_start(text,jsonb,bigint,text,text) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin,jobdeck_worker
user_add(text,boolean) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_admin
worker_beat(text,text,integer,text,text[],integer,bigint,bigint) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_worker
worker_stop(text) | definer | search_path=jobdeck, pg_catalog, pg_temp | jobdeck_worker
LIST
diff_out=$(diff <(printf '%s\n' "$allowed" | sed 's/ *$//') <(printf '%s\n' "$actual" | sed 's/ *$//'))
t_eq "every function of the schema is on the allow-list, as listed" "" "$diff_out"
t_eq "every function belongs to the schema's owner" "0" "$(sql "
  SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'jobdeck' AND p.proowner <> n.nspowner")"
t_eq "the extension's functions (pg_trgm) run as their caller" "0" "$(sql "
  SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
   WHERE p.pronamespace = 'jobdeck'::regnamespace AND d.deptype = 'e' AND p.prosecdef")"
t_eq "…and all belong to pg_trgm" "pg_trgm" "$(sql "
  SELECT string_agg(DISTINCT e.extname, ',') FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid
   WHERE p.pronamespace = 'jobdeck'::regnamespace")"

# Tables: users may read, never write; nothing is granted to PUBLIC.
t_eq "no table of the schema grants anything to PUBLIC" "" "$(sql "
  SELECT string_agg(c.relname, ',') FROM pg_class c, aclexplode(c.relacl) a
   WHERE c.relnamespace = 'jobdeck'::regnamespace AND a.grantee = 0")"
t_eq "users hold no INSERT, UPDATE, DELETE or TRUNCATE on any table" "" "$(sql "
  SELECT string_agg(DISTINCT c.relname || ':' || a.privilege_type, ',') FROM pg_class c, aclexplode(c.relacl) a
   WHERE c.relnamespace = 'jobdeck'::regnamespace AND a.grantee IN ('jobdeck_user'::regrole, 'jobdeck_admin'::regrole)
     AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')")"
t_eq "nor on any column" "" "$(sql "
  SELECT string_agg(DISTINCT c.relname || '.' || t.attname || ':' || a.privilege_type, ',')
    FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
   WHERE c.relnamespace = 'jobdeck'::regnamespace AND a.grantee IN ('jobdeck_user'::regrole, 'jobdeck_admin'::regrole)")"
t_eq "workers update only the columns that running a job changes" \
	"attempts,completed_at,download_path,download_size,heartbeat_at,info,output_bytes,output_lines,queued_at,started_at,status,worker" "$(sql "
  SELECT string_agg(t.attname, ',' ORDER BY t.attname)
    FROM pg_attribute t, aclexplode(t.attacl) a
   WHERE t.attrelid = 'jobdeck.jobs'::regclass AND a.grantee = 'jobdeck_worker'::regrole AND a.privilege_type = 'UPDATE'")"

# ==== a temporary table named like ours does not stand in for it ====
# (pg_temp, unless listed last, is searched first for tables)
out=$(PGUSER=alice psql -X -q -At -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE TEMP TABLE job_types (name text, needs_object boolean, open_params boolean);
CREATE TEMP TABLE job_type_params (type text, name text, kind text, required boolean, min numeric,
                                   max numeric, choices text[]);
INSERT INTO pg_temp.job_types VALUES ('sleep', false, true);
SELECT jobdeck.job_submit('sleep', 'x', '{"seconds": "-5"}', NULL, 'jobdeck', false, 1);
SQL
)
t_match "a temporary job_types table does not let an invalid job through" "seconds must be from 0 to 86400" "$out"
out=$(PGUSER=alice psql -X -q -At -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE TEMP TABLE settings (name text, value bigint);
INSERT INTO pg_temp.settings VALUES ('input_max_bytes', 1000000000000);
UPDATE jobdeck.settings SET value = 0;
SQL
)
t_match "nor may a user change the settings" "permission denied" "$out"
sql "UPDATE jobdeck.settings SET value = 10 WHERE name = 'input_max_bytes'" >/dev/null
rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('R-1', 'A record') RETURNING id")
out=$(PGUSER=alice psql -X -q -At -v ON_ERROR_STOP=1 2>&1 <<SQL
CREATE TEMP TABLE settings (name text, value bigint);
INSERT INTO pg_temp.settings VALUES ('input_max_bytes', 1000000000000);
BEGIN;
SELECT jobdeck.job_input_append(jobdeck.job_submit('csv-import', 'x', '{"file": "a.csv"}', $rec, 'jobdeck', false, 1),
                                'identifier,title'::bytea);
COMMIT;
SQL
)
t_match "a temporary settings table does not lift the input limit" "larger than the limit of 10 bytes" "$out"
sql "UPDATE jobdeck.settings SET value = 64 * 1024 * 1024 WHERE name = 'input_max_bytes'" >/dev/null
