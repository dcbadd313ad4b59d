#!/usr/bin/env bash
# The workers view (w, administrators) with a real worker registered: gearmand reachable,
# the namespace's function with its worker, the worker's row, the throughput; p pauses the
# selected function after a question (the worker's function leaves gearmand's status) and
# resumes it; R retries a failed job (a new job appears); a user pressing w is told no.
. "$(dirname "$0")/lib.sh"

s_db jd_s11
export JOBDECK_HEARTBEAT_TIMEOUT=3
GM_HOST=${JOBDECK_GEARMAN%%:*}
GM_PORT=${JOBDECK_GEARMAN##*:}
W_TMP=$(jd_tmp)
PGUSER=worker "$JD_BIN" worker --id s11-worker --types sleep >"$W_TMP/worker.log" 2>&1 &
W_PID=$!
trap 'kill -9 $W_PID 2>/dev/null; s_stop' EXIT

# true when gearmand has a worker registered for function $1
served() {
	local n
	n=$(gearadmin -h "$GM_HOST" -p "$GM_PORT" --status 2>/dev/null | awk -F'\t' -v f="$1" '$1 == f { print $4 }')
	[[ -n $n && $n -gt 0 ]]
}
unserved() { ! served "$1"; }
# a check that polls the screen for an extended regular expression
s_see_re() {
	local title=$1 re=$2 end=$((SECONDS + ${3:-5}))
	while ((SECONDS < end)); do
		s_screen | grep -qE -- "$re" && { _t_record pass "$title"; return; }
		sleep 0.1
	done
	_t_record fail "$title" "no /$re/ on:
$(s_screen)"
}
t_poll "the worker registers with gearmand" 10 served jobdeck:sleep

# ---- a user pressing w
s_start 80 24 alice
s_see "alice's table" "Job 8 "
s_keys w
s_see "a user is told that only administrators see the workers" "Only administrators see the workers."
t_nomatch "and stays in the jobs table" "Workers — Esc returns" "$(s_screen)"
s_keys q

# ---- the administrator's workers view at 120x40
s_start 120 40 admin
s_see "the table" "Job 8 "
s_keys w
s_see "w opens the workers view" "Workers — Esc returns to the jobs"
s_see "gearmand answers" "gearmand $JOBDECK_GEARMAN: reachable"
s_see_re "the namespace's function, with its worker" "jobdeck:sleep +0 +0 +1"
s_see_re "the worker's row: id, host, pid, state" "s11-worker +[^ ]+ +$W_PID +idle"
s_see "the throughput over the last hour" "Jobs ended per minute over the last hour"
s_see "Completed and Error apart" "Error          0 |"
s_see "the queue wait" "No job started in the last 15 minutes."
s_see "the footer offers p" "p pause/resume"
s_see "and Esc" "Esc back"

# gearmand may know other functions of the namespace (sorted, one selected): j walks down
# the list, p asks about the selected one, n leaves it alone
for _ in $(seq 1 30); do
	s_keys p
	s_wait "[y/N]" 3
	s_has "Pause jobdeck:sleep?" && break
	s_keys n
	s_wait "Nothing changed." 3    # the question is gone before the next one is looked for
	s_keys j
done
s_see "p asks before pausing" "Pause jobdeck:sleep? Workers stop taking it. [y/N]"
s_keys n
s_see "n changes nothing" "Nothing changed."
t_ok "the worker still serves the function" served jobdeck:sleep
s_keys p
s_wait "[y/N]"
s_keys y
s_see "y pauses and says so" "Paused jobdeck:sleep: workers stop taking it within a second; 0 jobs wait."
t_poll "the worker's function leaves gearmand's status" 5 unserved jobdeck:sleep
s_see "the view shows it paused, and by whom" "jobdeck:sleep  paused by admin"
s_see_re "the worker is paused" "s11-worker +[^ ]+ +$W_PID +paused" 8
s_keys p
s_see "p on a paused function asks to resume it" "Resume jobdeck:sleep? Workers take it again. [y/N]"
s_keys y
s_see "y resumes" "Resumed jobdeck:sleep: workers take it again"
t_poll "the worker serves the function again" 5 served jobdeck:sleep
s_keys Escape
s_gone "Esc returns to the jobs" "Workers — Esc returns"
s_see "the jobs table again" "Job 8 "
s_keys q

# ---- R on a failed job: a new job is recorded and handed to the worker
failed=$(PGUSER=admin "$JD_BIN" submit sleep --param seconds=0 --param fail=1 2>/dev/null)
t_poll "a job fails" 10 bash -c "[[ \$(PGUSER=postgres psql -X -At -c 'SELECT status FROM jobdeck.jobs WHERE id = $failed') == Error ]]"
s_start 120 40 admin
s_keys 2
s_see "the Active tab" "Job 7 "
s_wait "? help"
t_nomatch "R is not offered for a running job" "R retry" "$(s_screen | tail -n1)"
s_keys R
s_see "R on a job that did not fail says so" "Job 7 did not fail: only failed jobs are retried."
s_keys 3
s_see "the failed job is selected" "Job $failed "
s_see "R is offered for it" "R retry"
s_keys R
s_see "R asks" "Retry job $failed "
s_keys n
s_see "n retries nothing" "Nothing retried."
s_keys Enter
s_see "R is offered in the detail pane too" "R retry"
s_keys R
s_wait "[y/N]"
s_keys y
s_see_re "y retries it as a new job" "Retried job $failed as job [0-9]+\."
new=$(sql "SELECT id FROM jobdeck.jobs WHERE 'Retry of job $failed' = ANY(info)")
t_match "the new job is recorded" '^[0-9]+$' "$new"
t_poll "the worker runs it" 10 bash -c "[[ \$(PGUSER=postgres psql -X -At -c 'SELECT started_at IS NOT NULL FROM jobdeck.jobs WHERE id = ${new:-0}') == t ]]"
s_keys Escape 1
s_see "the new job appears in the table" "Job $new "
s_keys q

# ---- --readonly: no pausing, no retrying
s_start 80 24 admin --readonly
s_see "read-only table" "Job "
s_keys 3
s_see "the failed tab, the retry on top" "Retry of job $failed"
s_wait "? help"
t_nomatch "--readonly keeps R out of the footer" "R retry" "$(s_screen | tail -n1)"
s_keys R
s_see "--readonly refuses R" "Read-only: retrying is switched off (--readonly)."
s_keys w
s_see "the workers view, read-only" "Workers — Esc returns to the jobs"
s_see "its function" "jobdeck:sleep"
t_nomatch "--readonly keeps p out of the footer" "pause" "$(s_screen | tail -n1)"
s_keys p
s_see "--readonly refuses p" "Read-only: pausing is switched off (--readonly)."
s_keys q
