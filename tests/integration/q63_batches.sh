#!/usr/bin/env bash
# Workers take the jobs gearmand has ready in batches: one claim for the batch, ends written
# together; a batch that runs long gives back the jobs it has not started, which another
# worker then runs; batches and a bulk submit running side by side never deadlock.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q63 || exit 1

done_after() { [[ $(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $1 AND status = 'Running'") == 0 ]]; }

# 300 quick jobs waiting, then one worker: they are claimed in a handful of statements (each
# claim stamps its batch with one heartbeat time), yet each runs once and its times add up
before=$(sql "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
as alice jd submit sleep --param seconds=0 --count 300 >/dev/null 2>&1
q_worker w1
w1=$Q_PID
t_poll "300 waiting jobs complete" 30 done_after "$before"
t_eq "each Completed once, on its first attempt, by w1" "300|1|1|1" \
	"$(sql "SELECT count(*) FILTER (WHERE status = 'Completed'), min(attempts), max(attempts), count(DISTINCT worker)
		FROM jobdeck.jobs WHERE id > $before")"
claims=$(sql "SELECT count(DISTINCT heartbeat_at) FROM jobdeck.jobs WHERE id > $before")
t_ok "they were claimed in batches ($claims claims for 300 jobs)" test "$claims" -lt 60
t_eq "each starts after its claim and ends after it starts" 0 \
	"$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $before
		AND NOT (started_at >= heartbeat_at AND completed_at >= started_at)")"
t_eq "each has its closing note alone" 300 \
	"$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $before AND info = ARRAY['Slept 0s']")"

# w1 paused while a long job and five quick ones queue up: it takes all six at once, starts
# the long one, and gives the other five back; w2 runs them while the long one still runs
kill -STOP "$w1"
long=$(as alice jd submit sleep --param seconds=4 2>/dev/null)
quick=$(as alice jd submit sleep --param seconds=0 --count 5 2>/dev/null | tr '\n' ',')
quick=${quick%,}
kill -CONT "$w1"
t_poll "w1 starts the long job" 10 q_running_on "$long"
gave_back() { grep -q "gave back 5 jobs that had not started" "$Q_TMP/w1.log"; }
t_poll "w1 gives back the five it has not started" 10 gave_back
q_worker w2
w2=$Q_PID
quick_done() { [[ $(sql "SELECT count(*) FROM jobdeck.jobs WHERE id IN ($quick) AND status = 'Completed'") == 5 ]]; }
t_poll "w2 runs the five" 10 quick_done
t_eq "while the long job still runs" Running "$(q_col "$long" status)"
t_eq "the five ran on w2, on their first attempt" "w2|1|1" \
	"$(sql "SELECT string_agg(DISTINCT worker, ','), min(attempts), max(attempts) FROM jobdeck.jobs WHERE id IN ($quick)")"
t_poll "the long job completes on w1" 10 q_is "$long" Completed
t_eq "on its first attempt" "w1|1" "$(q_col "$long" "worker || '|' || attempts")"

# two workers taking batches while a bulk submit records and queues 3,000 jobs
before=$(sql "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
rc=0; as alice jd submit sleep --param seconds=0 --count 3000 >/dev/null 2>"$Q_TMP/bulk.err" || rc=$?
t_eq "a bulk submit while workers run exits 0" 0 "$rc"
t_poll "all 3,000 complete" 60 done_after "$before"
t_eq "each once, on its first attempt" "3000|1|1" \
	"$(sql "SELECT count(*) FILTER (WHERE status = 'Completed'), min(attempts), max(attempts)
		FROM jobdeck.jobs WHERE id > $before")"
t_nomatch "no statement deadlocked" "deadlock" "$(cat "$Q_TMP"/*.log "$Q_TMP/bulk.err")"
t_eq "the counters match the table" 0 \
	"$(sql "SELECT count(*) FROM (SELECT username, status, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) t
		FULL JOIN jobdeck.job_counts c ON c.username IS NOT DISTINCT FROM t.username AND c.status = t.status
		WHERE coalesce(c.n, 0) <> coalesce(t.n, 0)")"

# ends travel as array literals: a note with quotes, backslashes, commas and braces arrives whole
odd='x"y\z,{a} NULL'
rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('Q63-1', 'A record') RETURNING id")
id=$(as alice jd submit move --object "$rec" --param "parent=$odd" 2>/dev/null)
t_poll "a job whose note has awkward characters ends" 10 q_is "$id" Error
t_eq "its note arrives byte for byte" "The new parent $odd does not exist" "$(q_col "$id" "info[1]")"

# jobs are acknowledged to gearmand when taken: a worker that dies after taking jobs and
# before claiming them (here: the database is down, so its claim waits) loses nothing; the
# jobs still wait in the database, and another worker's sweep hands them over again
kill "$w1" "$w2" 2>/dev/null
wait "$w1" "$w2" 2>/dev/null
before=$(sql "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
as alice jd submit sleep --param seconds=0 --count 3 >/dev/null 2>&1
tests/services.sh pg-stop "$JD_SERVICES"
q_worker w5
w5=$Q_PID
gm_queued() { gearadmin -h "$GM_HOST" -p "$GM_PORT" --status | awk -F'\t' '$1 == "jobdeck:sleep" { print $2 }'; }
# (a worker that has just started takes one job at a time)
taken() { [[ $(gm_queued) == 2 ]]; }
t_poll "a worker takes a job from gearmand and cannot claim it" 15 taken
kill -9 "$w5"
tests/services.sh pg-start "$JD_SERVICES"
t_eq "gearmand holds only the two it did not take" 2 "$(gm_queued)"
t_eq "the database still has them waiting" 3 \
	"$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $before AND status = 'Running' AND worker IS NULL")"
q_worker w6
done3() { [[ $(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $before AND status = 'Completed'") == 3 ]]; }
t_poll "another worker runs those two, its sweep hands the third over again, and all complete" 40 done3
t_eq "each on its first attempt" "1|1" \
	"$(sql "SELECT min(attempts), max(attempts) FROM jobdeck.jobs WHERE id > $before")"
