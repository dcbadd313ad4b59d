#!/usr/bin/env bash
# The trust boundary, tried with plain psql by users with their own accounts: no direct
# writes, no ids of one's own choosing, no rewriting of counters or of one's own jobs, and
# workers that change only what running a job changes. Every attempt is checked twice: the
# database refuses it, and nothing changed.
. "$(dirname "$0")/../lib.sh"
jd_db a10 || exit 1

a_done=$(jd_job alice Completed "Alice done" "2 hours")
a_run=$(jd_job alice Running "Alice running" "1 hour")
b_done=$(jd_job bob Completed "Bob done" "1 hour")
c_done=$(jd_job "" Completed "Nightly" "1 hour")
sql "UPDATE jobdeck.jobs SET worker = 'w1', started_at = now(), heartbeat_at = now() WHERE id = $a_run" >/dev/null

row() { sql "SELECT concat_ws('|', status, worker, array_to_string(info, ';'), download_path, username, name) FROM jobdeck.jobs WHERE id = $1"; }
before_a_run=$(row "$a_run")
before_a_done=$(row "$a_done")
jobs_total() { sql "SELECT count(*) FROM jobdeck.jobs"; }
n0=$(jobs_total)

# ==== no direct writes on jobs, output, counters or the sequence, for users or admins ====
for u in alice admin; do
	t_fails "$u cannot INSERT a job" sql_as $u "INSERT INTO jobdeck.jobs (name, type, username) VALUES ('x', 'sleep', '$u')"
	t_fails "$u cannot INSERT a job with an id of her choosing" \
		sql_as $u "INSERT INTO jobdeck.jobs (id, name, type, username) VALUES (999999, 'x', 'sleep', '$u')"
	t_fails "$u cannot end her own running job" \
		sql_as $u "UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = $a_run"
	t_fails "$u cannot forge a worker and a note" \
		sql_as $u "UPDATE jobdeck.jobs SET worker = 'prod-worker-1', info = '{Completed}' WHERE id = $a_done"
	t_fails "$u cannot point a download at another file" \
		sql_as $u "UPDATE jobdeck.jobs SET download_path = '/etc/passwd' WHERE id = $a_done"
	t_fails "$u cannot DELETE even her own finished job" sql_as $u "DELETE FROM jobdeck.jobs WHERE id = $a_done"
	t_fails "$u cannot write console output" \
		sql_as $u "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($a_run, 0, 'forged')"
	t_fails "$u cannot take ids from the sequence" sql_as $u "SELECT nextval('jobdeck.jobs_id_seq')"
	t_fails "$u cannot move the sequence" sql_as $u "SELECT setval('jobdeck.jobs_id_seq', 1000000)"
	t_fails "$u cannot write the counters" sql_as $u "UPDATE jobdeck.job_counts SET n = -1"
	t_fails "$u cannot add counter rows" \
		sql_as $u "INSERT INTO jobdeck.job_counts (username, status, n) VALUES ('admin', 'Running', 1000000)"
	t_fails "$u cannot call counts_add" \
		sql_as $u "SELECT jobdeck.counts_add('[{\"u\": \"admin\", \"s\": \"Running\", \"n\": 1000000}]')"
	t_fails "$u cannot TRUNCATE jobs" sql_as $u "TRUNCATE jobdeck.jobs"
done
t_eq "alice's running job is as it was" "$before_a_run" "$(row "$a_run")"
t_eq "alice's finished job is as it was" "$before_a_done" "$(row "$a_done")"
t_eq "no job was added or removed" "$n0" "$(jobs_total)"
t_eq "the counters still add up to the jobs" "$n0" "$(sql "SELECT sum(n) FROM jobdeck.job_counts")"
t_eq "no counter went negative" "0" "$(sql "SELECT count(*) FROM jobdeck.job_counts WHERE n < 0")"
t_eq "the administrator's tabs count what there is" "All jobs ($n0)" \
	"$(sql_as admin "SELECT 'All jobs (' || sum(n) || ')' FROM jobdeck.job_counts")"

# ==== counters ====
t_eq "bob's counters are his own" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE username = 'bob'")" \
	"$(sql_as bob "SELECT coalesce(sum(n), 0) FROM jobdeck.job_counts")"

# ==== the functions refuse what is not the caller's ====
t_eq "alice's cancel of bob's job answers as for a missing one" "missing" \
	"$(sql_as alice "SELECT jobdeck.job_cancel($b_done)")"
t_eq "alice cannot fail bob's job as unqueued" "0" \
	"$(sql_as alice "SELECT jobdeck.job_fail_unqueued(ARRAY[$b_done], 'x')")"
b_wait=$(sql_as bob "SELECT jobdeck.job_submit('sleep', 'waiting', '{}', NULL, 'jobdeck', false, 1)")
t_eq "…not even one that waits for a worker" "0" "$(sql_as alice "SELECT jobdeck.job_fail_unqueued(ARRAY[$b_wait], 'x')")"
t_eq "bob's waiting job still waits" "Running" "$(sql "SELECT status FROM jobdeck.jobs WHERE id = $b_wait")"
t_fails "a user cannot record a command-line job" \
	sql_as alice "SELECT jobdeck.run_start('x', '{}', NULL, 'jobdeck', 'run@x')"
t_fails "nor call the runs' functions" sql_as alice "SELECT jobdeck.run_end($a_run, 'Completed', 'forged')"
t_eq "alice's clear does not touch bob's or command-line jobs" "2" \
	"$(sql_as alice "SELECT jobdeck.jobs_clear()" >/dev/null; sql "SELECT count(*) FROM jobdeck.jobs WHERE id IN ($b_done, $c_done)")"
t_eq "nor her running job" "Running" "$(sql "SELECT status FROM jobdeck.jobs WHERE id = $a_run")"

# NULLs where the functions expect values change nothing and leave no NULL behind
a_wait=$(sql_as alice "SELECT jobdeck.job_submit('sleep', 'waiting', '{}', NULL, 'jobdeck', false, 1)")
for call in "job_submit(NULL, 'x', '{}', NULL, 'jobdeck', false, 1)" "job_submit('sleep', NULL, '{}', NULL, 'jobdeck', false, 1)" \
	    "job_submit('sleep', 'x', NULL, NULL, 'jobdeck', false, 1)" "job_submit('sleep', 'x', '{}', NULL, NULL, false, 1)" \
	    "job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, NULL)" "job_input_append($a_wait, NULL)" \
	    "job_input_append(NULL, 'x')"; do
	t_fails "NULLs: $call is refused" sql_as alice "SELECT jobdeck.$call"
done
t_eq "NULLs: a NULL reason still says why" "1|Could not queue the job: no reason given" \
	"$(sql_as alice "SELECT jobdeck.job_fail_unqueued(ARRAY[$a_wait], NULL)")|$(sql "SELECT info[1] FROM jobdeck.jobs WHERE id = $a_wait")"
t_eq "NULLs: no job has a NULL note" "0" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE array_position(info, NULL) IS NOT NULL")"
t_eq "NULLs: a NULL job is not found to cancel" "missing" "$(sql_as alice "SELECT jobdeck.job_cancel(NULL)")"

# one administrator's run is reported only by the role that started it
sql "DROP ROLE IF EXISTS admin2" >/dev/null
as admin jd user add admin2 --admin >/dev/null
run=$(sql_as admin "SELECT jobdeck.run_start('admin''s run', '{}', NULL, 'jobdeck', 'run@host:7')")
t_eq "another administrator cannot end it" "f" "$(sql_as admin2 "SELECT jobdeck.run_end($run, 'Completed', 'forged')")"
t_eq "…nor write its output" "" "$(sql_as admin2 "SELECT jobdeck.run_output($run, 'forged')")"
t_eq "…nor beat its heartbeat" "0" "$(sql_as admin2 "SELECT count(*) FROM jobdeck.run_heartbeat($run)")"
t_eq "nor can a worker" "f" "$(sql_as worker "SELECT jobdeck.run_end($run, 'Completed', 'forged')")"
t_eq "the run is untouched" "Running|0" "$(sql "SELECT status || '|' || output_bytes FROM jobdeck.jobs WHERE id = $run")"
t_eq "no output from NULL" "" "$(sql_as admin "SELECT jobdeck.run_output($run, NULL)")"
t_eq "its own role writes its output" "0" "$(sql_as admin "SELECT jobdeck.run_output($run, 'hello')")"
t_eq "and ends it" "t" "$(sql_as admin "SELECT jobdeck.run_end($run, 'Completed', 'done')")"
t_eq "once ended, it stays ended" "f" "$(sql_as admin "SELECT jobdeck.run_end($run, 'Error', 'again')")"
t_eq "and takes no more output" "" "$(sql_as admin "SELECT jobdeck.run_output($run, 'late')")"
sql "DROP ROLE admin2" >/dev/null

# ==== workers change only what running a job changes, and only while it runs ====
a_hist=$(jd_job alice Completed "Alice history" "1 hour")
before_a_hist=$(row "$a_hist")
t_fails "a worker cannot record a job" \
	sql_as worker "INSERT INTO jobdeck.jobs (name, type, username) VALUES ('x', 'sleep', 'alice')"
t_fails "a worker cannot give a job to another user" \
	sql_as worker "UPDATE jobdeck.jobs SET username = 'bob' WHERE id = $a_run"
t_fails "a worker cannot change what a job runs" \
	sql_as worker "UPDATE jobdeck.jobs SET params = '{\"task\": \"other\"}', type = 'command' WHERE id = $a_run"
t_fails "a worker cannot mark a cancel" \
	sql_as worker "UPDATE jobdeck.jobs SET cancel_requested_by = 'alice' WHERE id = $a_run"
t_fails "a worker cannot delete jobs" sql_as worker "DELETE FROM jobdeck.jobs WHERE id = $a_hist"
sql_as worker "UPDATE jobdeck.jobs SET info = '{forged}', worker = 'prod-worker-1' WHERE id = $a_hist" >/dev/null 2>&1
t_eq "a worker cannot rewrite a job that has ended" "$before_a_hist" "$(row "$a_hist")"
t_fails "nor add output to it" \
	sql_as worker "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($a_hist, 0, 'late')"
t_eq "a worker may still end a running job" "1" \
	"$(sql_as worker "WITH u AS (UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = $a_run RETURNING 1) SELECT count(*) FROM u")"

# ==== id squatting: a cleared job's output stays unreadable whatever anyone creates ====
b_out=$(jd_job bob Completed "Bob secret report" "30 minutes")
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($b_out, 0, convert_to('TOP-SECRET', 'UTF8'));
     UPDATE jobdeck.jobs SET output_bytes = 10 WHERE id = $b_out" >/dev/null
t_eq "bob clears through the schema's function" "t" \
	"$(sql_as bob "SELECT removed >= 1 FROM jobdeck.jobs_clear() LIMIT 1")"
t_eq "his output waits for the purge" "1" "$(sql "SELECT count(*) FROM jobdeck.job_output WHERE job_id = $b_out")"
t_fails "alice cannot record a job with bob's old id" \
	sql_as alice "INSERT INTO jobdeck.jobs (id, name, type, username) VALUES ($b_out, 'squat', 'sleep', 'alice')"
# every way of creating jobs takes new ids: users', administrators' runs, and many at once
ids=$(sql_as alice "SELECT jobdeck.job_submit('sleep', 'squat', '{}', NULL, 'jobdeck', false, 50)")
ids+=" $(sql_as admin "SELECT jobdeck.run_start('squat run', '{}', NULL, 'jobdeck', 'run@test:1')")"
ids+=" $(sql_as worker "SELECT jobdeck.run_start('squat run', '{}', NULL, 'jobdeck', 'run@test:2')")"
lowest=$(tr ' ' '\n' <<<"$ids" | grep -v '^$' | sort -n | head -n 1)
t_ok "every new id is above the cleared one" test "$lowest" -gt "$b_out"
for u in alice admin worker bob; do
	t_eq "$u reads none of the cleared job's output" "0" \
		"$(sql_as $u "SELECT count(*) FROM jobdeck.job_output WHERE job_id = $b_out")"
done
t_ok "and bob's next submission is not blocked" as bob jd submit sleep --param seconds=0
