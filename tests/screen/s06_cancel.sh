#!/usr/bin/env bash
# Cancelling the selected job: x asks first, n and Esc keep the job, y ends a waiting job or
# asks a running job's worker to stop it; x is offered only for a running job and never under
# --readonly. No worker runs here: the seed's job 6 names a worker that is not connected.
. "$(dirname "$0")/lib.sh"

s_db jd_s06

status() { sql "SELECT status FROM jobdeck.jobs WHERE id = $1"; }
footer_has_cancel() { s_screen | tail -n1 | grep -qF 'x cancel'; }
# A job of USER (or a command-line job for "") waiting for a worker; prints its id.
waiting_job() {
	local u="'$1'"; [[ -z $1 ]] && u=NULL
	sql "INSERT INTO jobdeck.jobs (name, type, username, created_at)
	     VALUES ('$2', 'sleep', $u, '2026-03-01 09:25:00+00') RETURNING id"
}

# ---- --readonly: the waiting job 7 is selected, yet x is neither offered nor obeyed
s_start 80 24 admin --readonly
s_keys 2
s_see "the Active tab shows the waiting job 7" "Job 7 "
s_wait "s sort"
t_fails "--readonly keeps x out of the footer" footer_has_cancel
s_keys x
s_see "--readonly refuses x" "Read-only: cancelling is switched off (--readonly)."
t_nomatch "and asks nothing" '\[y/N\]' "$(s_screen)"
s_keys y '?'
s_wait "Keys — Esc or ? closes"
t_eq "a y after it changes nothing" Running "$(status 7)"
t_nomatch "--readonly keeps x out of the help" "Cancel the selected job" "$(s_screen)"
s_keys q

# ---- as the administrator, auto refresh off: the view is read again after a cancel anyway
s_start 80 24 admin --no-auto
s_keys 2
s_see "the waiting job 7 is selected" "Job 7 "
s_see "x is offered for a running job" "x cancel"
s_keys x
s_see "x asks about the selected job by id and name" 'Cancel job 7 "Publish series"? [y/N]'
s_keys n
s_see "n cancels nothing" "Nothing cancelled."
t_eq "the job still runs" Running "$(status 7)"
s_keys Enter
s_see "x is offered in the detail pane too" "x cancel"
s_keys x
s_see "and asks there too" 'Cancel job 7 "Publish series"? [y/N]'
s_keys Escape
s_see "Esc cancels nothing" "Nothing cancelled."
t_eq "the job still runs after Esc" Running "$(status 7)"
s_keys x
s_wait "[y/N]"
s_keys y
s_see "y on a waiting job ends it and says so" "Cancelled job 7 (it had not started)."
t_eq "it ended as Error, naming who cancelled it" 'Error|{"Cancelled by admin before it started"}' \
	"$(sql "SELECT status || '|' || info::text FROM jobdeck.jobs WHERE id = 7")"
s_see "the view is read again: one active job left" "2 Active jobs (1)"
s_see "the selection moves to the job that followed" "Job 6 "

s_keys Escape x
s_see "x on the running job 6 asks" 'Cancel job 6 "Rebuild search index"? [y/N]'
s_keys y
s_see "y on a running job asks its worker to stop it" "Asked the worker to stop job 6."
t_eq "the job is marked for its worker and still runs" "Running|admin" \
	"$(sql "SELECT status || '|' || cancel_requested_by FROM jobdeck.jobs WHERE id = 6")"
s_keys Enter
s_see "its detail pane says a cancel was asked for" "Cancel requested by admin"
s_keys Escape

# the screen may be a moment behind: the database has the last word
sql "UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = 6" >/dev/null
s_keys x
s_see "the screen still shows job 6 running, so x asks" 'Cancel job 6 "Rebuild search index"? [y/N]'
s_keys y
s_see "a job that ended meanwhile is reported as ended" "Job 6 has already ended."
t_eq "and stays Completed" Completed "$(status 6)"
s_see "the view is read again: no active job left" "2 Active jobs (0)"

gone=$(waiting_job "" "Short-lived")
s_keys r
s_see "a new waiting job shows after a refresh" "Job $gone "
sql "DELETE FROM jobdeck.jobs WHERE id = $gone" >/dev/null
s_keys x
s_wait "[y/N]"
s_keys y
s_see "a job that is gone may not be cancelled" "You may not cancel job $gone."
s_keys q

# ---- as alice, auto refresh on: her own waiting job; ended jobs offer no x
id=$(waiting_job alice "Nightly import")
s_start 80 24 alice
s_see "alice's waiting job is the newest, selected" "Job $id "
s_see "x is offered for it" "x cancel"
s_keys x
s_see "x asks" "Cancel job $id \"Nightly import\"? [y/N]"
s_keys y
s_see "y ends it and says so" "Cancelled job $id (it had not started)."
t_eq "it ended as Error, naming alice" "Error|{\"Cancelled by alice before it started\"}" \
	"$(sql "SELECT status || '|' || info::text FROM jobdeck.jobs WHERE id = $id")"
s_see "its new status shows" "Status Error"

s_keys z
s_see "with the message gone the footer is back" "c clear"
t_fails "x is not offered for a job in Error" footer_has_cancel
s_keys x
s_see "x on it only says there is nothing to cancel" "Job $id is not running: there is nothing to cancel."
t_nomatch "and asks nothing" '\[y/N\]' "$(s_screen)"
s_keys j
s_see "j selects her completed job 8" "Job 8 "
s_wait "c clear"
t_fails "x is not offered for a Completed job" footer_has_cancel
s_keys x
s_see "x on it asks nothing" "Job 8 is not running: there is nothing to cancel."
s_keys y
t_eq "and a y after it changes nothing" Completed "$(status 8)"

# a failure is one line
id=$(waiting_job alice "Weekly import")
sql "REVOKE EXECUTE ON FUNCTION jobdeck.job_cancel(bigint) FROM jobdeck_user" >/dev/null
s_see "a new waiting job arrives by itself" "Weekly import"
s_keys g
s_see "g selects it" "Job $id "
s_keys x
s_wait "[y/N]"
s_keys y
s_see "a failed cancel says why" "Could not cancel: "
t_eq "the job still waits" Running "$(status "$id")"
sql "GRANT EXECUTE ON FUNCTION jobdeck.job_cancel(bigint) TO jobdeck_user" >/dev/null
s_keys q
t_eq "q quits with status 0" 0 "$(s_exit_status)"
