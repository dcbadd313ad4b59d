#!/usr/bin/env bash
# A command-line run that died without a word (its heartbeat silent for over a minute) is
# ended as lost when the dashboard opens, even with no worker to sweep it; a live run stays.
. "$(dirname "$0")/lib.sh"

s_db jd_s07
cmdline_run() { # NAME, heartbeat age: prints the new job's id
	sql "INSERT INTO jobdeck.jobs (name, type, username, worker, started_at, heartbeat_at, created_at)
	     VALUES ('$1', 'cmdline', NULL, 'run@elsewhere:42', now() - interval '10 minutes',
	             now() - interval '$2', '2026-03-01 09:29:00+00') RETURNING id"
}
lost=$(cmdline_run "Silent run" "3 minutes")
live=$(cmdline_run "Live run" "2 seconds")

s_start 120 30 admin
status() { sql "SELECT status FROM jobdeck.jobs WHERE id = $1"; }
ended() { [[ $(status "$lost") == Error ]]; }
t_poll "opening the dashboard ends the silent run" 5 ended
t_match "as lost, naming where it ran" "The command-line run on run@elsewhere:42 was lost" \
	"$(sql "SELECT info[1] FROM jobdeck.jobs WHERE id = $lost")"
s_see "the table shows it ended, with its reason" "The command-line run on run@"
t_eq "the live run is left alone" Running "$(status "$live")"
s_stop
