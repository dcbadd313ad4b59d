#!/usr/bin/env bash
# The operations' database functions (db/051, db/052), tried with plain psql by users and
# workers with their own accounts: other users' ids, other workers' rows, NULLs, and
# temporary tables named like ours. Every attempt is checked twice: what the database
# answers, and that nothing changed.
. "$(dirname "$0")/../lib.sh"
jd_db a60 || exit 1

b_err=$(jd_job bob Error "Bob failed" "1 hour")
b_done=$(jd_job bob Completed "Bob done" "1 hour")
a_err=$(jd_job alice Error "Alice failed" "1 hour")
c_done=$(jd_job "" Completed "Nightly" "1 hour")
jobs_total() { sql "SELECT count(*) FROM jobdeck.jobs"; }
n0=$(jobs_total)

# ==== job_retry: only one's own failed jobs ====
t_eq "alice retrying bob's failed job is told it is missing" "$b_err||missing" \
	"$(sql_as alice "SELECT concat_ws('|', old_id, coalesce(new_id::text, ''), outcome) FROM jobdeck.job_retry(ARRAY[$b_err])")"
t_eq "…and no job was made" "$n0" "$(jobs_total)"
t_eq "…and bob's job has no 'Retried as' note" "Bob failed|" \
	"$(sql "SELECT name || '|' || coalesce((SELECT n FROM unnest(info) n WHERE n LIKE 'Retried%'), '') FROM jobdeck.jobs WHERE id = $b_err")"
t_eq "a NULL array retries nothing" "" "$(sql_as alice "SELECT * FROM jobdeck.job_retry(NULL)")"
t_eq "an array of NULLs retries nothing" "" "$(sql_as alice "SELECT * FROM jobdeck.job_retry(ARRAY[NULL, NULL]::bigint[])")"
t_eq "…and no job was made by either" "$n0" "$(jobs_total)"
t_fails "the worker role may not retry" sql_as worker "SELECT * FROM jobdeck.job_retry(ARRAY[$a_err])"
out=$(sql_as alice "SELECT concat_ws('|', old_id, outcome) FROM jobdeck.job_retry(ARRAY[$a_err, $a_err])")
t_eq "her own, named twice, is retried once" "$a_err|retried" "$out"
t_eq "…owned by her" "alice" "$(sql "SELECT username FROM jobdeck.jobs WHERE id = (SELECT max(id) FROM jobdeck.jobs)")"
n1=$(jobs_total)

# ==== jobs_clear_ids: only one's own inactive jobs ====
t_eq "alice clearing bob's and the command-line job by id removes nothing" "0" \
	"$(sql_as alice "SELECT removed FROM jobdeck.jobs_clear_ids(ARRAY[$b_done, $b_err, $c_done])")"
t_eq "…they are all still there" "3" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id IN ($b_done, $b_err, $c_done)")"
t_eq "a NULL array clears nothing" "0" "$(sql_as alice "SELECT removed FROM jobdeck.jobs_clear_ids(NULL)")"
t_eq "an array of NULLs clears nothing" "0" "$(sql_as alice "SELECT removed FROM jobdeck.jobs_clear_ids(ARRAY[NULL]::bigint[])")"
t_eq "…nothing went" "$n1" "$(jobs_total)"
t_fails "the worker role may not clear by id" sql_as worker "SELECT * FROM jobdeck.jobs_clear_ids(ARRAY[$b_done])"
t_eq "a temporary jobs table does not stand in for ours" "1|2" \
	"$(PGUSER=bob psql -X -q -At -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE jobs (id bigint, status text, username text, download_path text);
INSERT INTO jobs VALUES ($b_done, 'Completed', 'bob', NULL);
SELECT (SELECT removed FROM jobdeck.jobs_clear_ids(ARRAY[$b_done])) || '|' || (SELECT count(*) FROM pg_temp.jobs) + 1;
SQL
)"
t_eq "…it removed bob's real job" "0" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id = $b_done")"

# ==== pausing and pruning are administrators' ====
for call in "route_pause('jobdeck', 'sleep')" "route_resume('jobdeck', 'sleep')" \
	    "jobs_prune(now(), NULL, 1000)" "jobs_prune_count(now(), NULL)"; do
	t_fails "alice may not call $call" sql_as alice "SELECT jobdeck.$call"
done
t_eq "…nothing paused, nothing pruned" "0|$((n1 - 1))" \
	"$(sql "SELECT (SELECT count(*) FROM jobdeck.paused) || '|' || (SELECT count(*) FROM jobdeck.jobs)")"
for call in "route_pause(NULL, 'sleep')" "route_pause('jobdeck', NULL)" "route_pause('jobdeck', 'a b; drop')"; do
	t_fails "an administrator's $call is refused" sql_as admin "SELECT jobdeck.$call"
done
t_eq "a temporary paused table does not stand in for ours" "1" \
	"$(PGUSER=admin psql -X -q -At -v ON_ERROR_STOP=1 <<SQL >/dev/null; sql "SELECT count(*) FROM jobdeck.paused WHERE route = 'sleep'"
CREATE TEMP TABLE paused (namespace text, route text, paused_by text, paused_at timestamptz);
SELECT jobdeck.route_pause('jobdeck', 'sleep');
SQL
)"
t_eq "…and it names who paused" "admin" "$(sql "SELECT paused_by FROM jobdeck.paused WHERE route = 'sleep'")"

# ==== a worker's row is its role's ====
sql "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'worker2') THEN
	CREATE ROLE worker2 LOGIN; END IF; GRANT jobdeck_worker TO worker2; END \$\$" >/dev/null
sql_as worker "SELECT jobdeck.worker_beat('w60', 'h1', 10, 'jobdeck', '{sleep}', 1, 5, 0)" >/dev/null
t_fails "another worker role cannot take the row over" \
	sql_as worker2 "SELECT jobdeck.worker_beat('w60', 'evil', 66, 'jobdeck', '{sleep}', 1, 0, 0)"
sql_as worker2 "SELECT jobdeck.worker_stop('w60')" >/dev/null
t_eq "…nor stop it; the row is as its worker left it" "worker|h1|10|5|t" \
	"$(sql "SELECT concat_ws('|', role, host, pid, jobs_completed, stopped_at IS NULL) FROM jobdeck.workers WHERE id = 'w60'")"
for call in "worker_beat(NULL, 'h', 1, 'jobdeck', '{sleep}', 1, 0, 0)" "worker_beat('w61', NULL, 1, 'jobdeck', '{sleep}', 1, 0, 0)" \
	    "worker_beat('w61', 'h', 1, 'jobdeck', NULL, 1, 0, 0)" "worker_beat('w61', 'h', 1, 'jobdeck', '{sleep}', NULL, 0, 0)"; do
	t_fails "NULLs: $call is refused" sql_as worker "SELECT jobdeck.$call"
done
t_eq "…and left no row" "0" "$(sql "SELECT count(*) FROM jobdeck.workers WHERE id = 'w61'")"
sql_as worker "SELECT jobdeck.worker_stop(NULL)" >/dev/null
t_eq "worker_stop(NULL) stops nothing" "t" "$(sql "SELECT stopped_at IS NULL FROM jobdeck.workers WHERE id = 'w60'")"
t_fails "a user may not beat" sql_as bob "SELECT jobdeck.worker_beat('w62', 'h', 1, 'jobdeck', '{sleep}', 1, 0, 0)"

# ==== output_lines_before counts only output the caller may read ====
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($b_err, 0, E'one\ntwo\nthree\n'::bytea)" >/dev/null
t_eq "an administrator counts bob's lines" "3" "$(sql_as admin "SELECT jobdeck.output_lines_before($b_err, 1000)")"
t_eq "bob counts his own" "3" "$(sql_as bob "SELECT jobdeck.output_lines_before($b_err, 1000)")"
t_eq "alice learns nothing of bob's output" "0" "$(sql_as alice "SELECT jobdeck.output_lines_before($b_err, 1000)")"
t_eq "NULLs count nothing" "0|0" \
	"$(sql_as bob "SELECT jobdeck.output_lines_before(NULL, 1000) || '|' || jobdeck.output_lines_before($b_err, NULL)")"

