# Submitting jobs: unknown types, gearmand down, no worker yet, --wait, SIGTERM, --max-jobs.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q10 || exit 1

t_exit "an unknown type is a usage error" 2 as alice jd submit no-such-type
t_exit "a missing required parameter is a usage error" 2 as alice jd submit publication-status --object 1
t_exit "a parameter the type does not take is a usage error" 2 as alice jd submit sleep --param colour=red
t_eq "nothing was recorded for them" 0 "$(sql "SELECT count(*) FROM jobdeck.jobs")"

# gearmand down: the job is recorded, then ends as Error naming the server and the reason
tests/services.sh gm-kill "$JD_SERVICES"
rc=0; err=$(as alice jd submit sleep 2>&1 >/dev/null) || rc=$?
t_eq "submit with gearmand down exits 1" 1 "$rc"
t_match "and says which server and why" "127\.0\.0\.1:$GM_PORT is unreachable: Connection refused" "$err"
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "the job ended as Error" Error "$(q_col "$id" status)"
t_match "its Info names the server and the reason" "^\{\"Could not queue the job: gearmand 127\.0\.0\.1:$GM_PORT is unreachable: Connection refused\"\}$" "$(q_col "$id" info)"
t_eq "it belongs to the caller" alice "$(q_col "$id" username)"
tests/services.sh gm-start "$JD_SERVICES"

# no worker for the type: accepted, waits, says so, runs once a worker comes
out=$(as alice jd submit sleep --param seconds=0 --param lines=1 2>"$Q_TMP/err"); rc=$?
t_eq "submit with no worker connected exits 0" 0 "$rc"
t_match "and prints the job id" '^[0-9]+$' "$out"
t_match "standard error says no worker is connected" "job $out: Waiting for a worker: none is connected for sleep" "$(cat "$Q_TMP/err")"
t_eq "the Info says the same" "{\"Waiting for a worker: none is connected for sleep\"}" "$(q_col "$out" info)"
t_eq "the job is Running" Running "$(q_col "$out" status)"
t_eq "it was handed to gearmand" t "$(q_col "$out" "queued_at IS NOT NULL")"
q_worker w1
t_poll "it completes once a worker starts" 15 q_is "$out" Completed
t_eq "the waiting note is gone from its Info" "{\"Slept 0s and printed 1 line\"}" "$(q_col "$out" info)"
t_eq "start, worker and attempt are recorded" "t|w1|1" "$(q_col "$out" "started_at IS NOT NULL, worker, attempts")"
t_eq "its console output is there" "line 1 of 1" "$(q_output "$out")"

# --wait follows the job and exits with its outcome
t_poll "the worker is registered with gearmand" 10 q_served jobdeck:sleep
out=$(as alice jd submit sleep --param seconds=0.6 --param lines=3 --wait 2>"$Q_TMP/err"); rc=$?
t_eq "--wait exits 0 for a Completed job" 0 "$rc"
t_match "--wait streams the console output" $'line 1 of 3\nline 2 of 3\nline 3 of 3' "$out"
t_match "--wait tells the outcome" "Completed: Slept 0.6s and printed 3 lines" "$(cat "$Q_TMP/err")"
rc=0; as alice jd submit sleep --param seconds=0 --param fail=1 --wait >/dev/null 2>"$Q_TMP/err" || rc=$?
t_eq "--wait exits 1 for a failed job" 1 "$rc"
t_match "and tells why" "Error: Failed on request" "$(cat "$Q_TMP/err")"
none_running() { [[ $(sql "SELECT count(*) FROM jobdeck.jobs WHERE status = 'Running'") == 0 ]]; }
t_poll "no job is left Running" 5 none_running

# SIGTERM finishes the current job, then the worker exits
id=$(as alice jd submit sleep --param seconds=2 2>/dev/null)
t_poll "a 2-second job starts" 10 q_running_on "$id"
kill -TERM "$Q_PID"
t_poll "after SIGTERM the worker exits" 10 bash -c "! kill -0 $Q_PID 2>/dev/null"
t_eq "having finished its job" Completed "$(q_col "$id" status)"
t_match "and says so in its log" "stopping after [0-9]+ jobs" "$(cat "$Q_TMP/w1.log")"

# --max-jobs
for _ in 1 2 3; do as alice jd submit sleep --param seconds=0 >/dev/null 2>&1; done
q_worker w2 --max-jobs 2
t_poll "a --max-jobs 2 worker exits after two jobs" 15 bash -c "! kill -0 $Q_PID 2>/dev/null"
t_eq "two ran, one waits" "2|1" "$(sql "SELECT count(*) FILTER (WHERE worker = 'w2'), count(*) FILTER (WHERE status = 'Running') FROM jobdeck.jobs")"

# a user cannot pass a job off as someone else's or as a command-line job
t_fails "a user cannot record a command-line job" as alice jd run -- true
