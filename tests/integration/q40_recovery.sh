# Nothing stuck, nothing lost: a worker killed mid-job, attempts spent, 500 jobs through a
# gearmand crash, PostgreSQL and gearmand restarts under a worker, a job recorded but never
# handed over. Heartbeat timeout: 3 s.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q40 || exit 1

count() { sql "SELECT count(*) FROM jobdeck.jobs WHERE $1"; }
count_is() { [[ $(count "$1") == "$2" ]]; }

# ---- kill -9 a worker mid-job: another finishes it
q_worker w1; p1=$Q_PID
q_worker w2; p2=$Q_PID
t_poll "two workers are registered" 10 bash -c "gearadmin -h $GM_HOST -p $GM_PORT --status | awk -F'\t' '\$1 == \"jobdeck:sleep\" && \$4 == 2' | grep -q ."
id=$(as alice jd submit sleep --param seconds=3 --param lines=3 2>/dev/null)
t_poll "the job starts" 10 q_running_on "$id"
holder=$(q_col "$id" worker)
if [[ $holder == w1 ]]; then victim=$p1; other=w2; else victim=$p2; other=w1; fi
kill -9 "$victim"
start=$SECONDS
t_poll "the job completes on the other worker" 25 q_is "$id" Completed
t_eq "run by $other on its second attempt" "$other|2" "$(q_col "$id" "worker, attempts")"
t_match "its console output tells of the lost attempt" "Attempt 1 of 3 lost: worker $holder stopped responding \(last heard from [0-9-]+ [0-9:]+ UTC\); trying again" "$(q_output "$id")"
t_eq "its Info is the outcome" '{"Slept 3s and printed 3 lines"}' "$(q_col "$id" info)"
echo "  (recovered in $((SECONDS - start)) s)"

# ---- attempts spent: Error naming the worker and when it was last heard from
q_worker sweeper --types move   # runs no sleep job, but sweeps like every worker
id=$(as alice jd submit sleep --param seconds=30 2>/dev/null)
sql "UPDATE jobdeck.jobs SET max_attempts = 1 WHERE id = $id" >/dev/null
t_poll "a long job starts" 10 q_running_on "$id"
holder=$(q_col "$id" worker)
if [[ $holder == w1 ]]; then kill -9 "$p1"; else kill -9 "$p2"; fi
t_poll "with its attempts spent it ends as Error within the timeout" 15 q_is "$id" Error
t_match "Info names the lost worker and when it was last heard from" "^\{\"Worker $holder was lost \(last heard from [0-9-]+ [0-9:]+ UTC\); gave up after 1 attempt\"\}$" "$(q_col "$id" info)"
t_eq "no job is left Running" 0 "$(count "status = 'Running'")"
q_cleanup; Q_PIDS=()
last=$(sql "SELECT max(id) FROM jobdeck.jobs")

# ---- 500 jobs, no worker; gearmand killed and restarted; then workers: all complete once
for i in $(seq 500); do echo "sleep"; done | while read -r _; do
	as alice "$JD_BIN" submit sleep --param seconds=0 --param lines=1 >/dev/null 2>&1
done
t_eq "500 jobs wait" 500 "$(count "status = 'Running' AND queued_at IS NOT NULL AND id > $last")"
held=$(gearadmin -h "$GM_HOST" -p "$GM_PORT" --status | awk -F'\t' '$1 == "jobdeck:sleep" { print $2 }')
t_ok "gearmand holds them (and the dead job it re-queued: $held)" test "$held" -ge 500
tests/services.sh gm-kill "$JD_SERVICES"
tests/services.sh gm-start "$JD_SERVICES"
held=$(gearadmin -h "$GM_HOST" -p "$GM_PORT" --status | awk -F'\t' '$1 == "jobdeck:sleep" { print $2 }')
t_eq "after the crash gearmand holds none" "" "$held"
start=$SECONDS
q_worker w3 --concurrency 2
q_worker w4
t_poll "all 500 complete" 90 count_is "status = 'Completed' AND id > $last" 500
echo "  (recovered and ran in $((SECONDS - start)) s)"
t_eq "each ran once" "500|1|1" "$(sql "SELECT count(*), min(attempts), max(attempts) FROM jobdeck.jobs WHERE type = 'sleep' AND status = 'Completed' AND id > $last")"
t_eq "each printed its one line once" 500 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $last AND output_bytes = length('line 1 of 1') + 1")"
t_eq "the worker logs name each job once" 500 "$(cat "$Q_TMP"/w3.log "$Q_TMP"/w4.log | grep -oE 'job [0-9]+ \(sleep' | sort | uniq | wc -l)"
t_eq "and no job twice" 0 "$(cat "$Q_TMP"/w3.log "$Q_TMP"/w4.log | grep -oE 'job [0-9]+ \(sleep' | sort | uniq -d | wc -l)"
t_poll "the workers' gearmand queue is empty" 10 bash -c "gearadmin -h $GM_HOST -p $GM_PORT --status | awk -F'\t' '\$1 == \"jobdeck:sleep\" && \$2 == 0' | grep -q ."

# ---- a job recorded but never handed to gearmand is handed over by the sweep
lost=$(sql "INSERT INTO jobdeck.jobs (name, type, username, info, created_at)
            VALUES ('Sleep', 'sleep', 'alice', '{\"Waiting for a worker\"}', now() - interval '1 minute') RETURNING id")
t_poll "a job never handed over completes" 20 q_is "$lost" Completed

# ---- PostgreSQL restarts under a running job: output and result are kept
id=$(as alice jd submit sleep --param seconds=3 --param lines=6 2>/dev/null)
t_poll "a job starts" 10 q_running_on "$id"
sleep 0.5
tests/services.sh pg-restart "$JD_SERVICES" >/dev/null
t_poll "it completes after PostgreSQL restarts" 30 q_is "$id" Completed
t_eq "with every line of its output, in order" "$(printf 'line %d of 6\n' 1 2 3 4 5 6)" "$(q_output "$id")"
t_ok "the workers still run jobs" as alice jd submit sleep --param seconds=0 --wait

# ---- gearmand restarts under connected workers: they reconnect
tests/services.sh gm-restart "$JD_SERVICES"
t_poll "the workers register again" 15 q_served jobdeck:sleep
t_ok "a job submitted after the restart completes" timeout 20 env PGUSER=alice "$JD_BIN" submit sleep --param seconds=0 --wait
t_eq "no job is left Running" 0 "$(count "status = 'Running'")"
