#!/usr/bin/env bash
# Bugs a new user hits in the dashboard (issue 11), one check or more each; every one of
# them failed before its fix.
. "$(dirname "$0")/lib.sh"

s_db jd_s14
tmp=$(jd_tmp)

# Runs the dashboard in a fresh tmux server with a given TERM, after printing a marker line
# that must be on the screen again once it has quit.
s_start_term() { # TERM W H
	tmux_ kill-server 2>/dev/null
	S_RUN=$((S_RUN + 1))
	S_SOCK=jds$$-$S_RUN
	tmux_ -f /dev/null new-session -d -x "$2" -y "$3" \
		"echo shell-line-before; env PGUSER=admin JOBDECK_CLOCK=$S_CLOCK TERM=$1 $JD_BIN 2>&1; echo \"exit=\$?\"; sleep 600"
	tmux_ set-option -g status off >/dev/null
}

# ---- 2: a stray digit after "r refreshes."
s_start 80 24 admin
s_wait "Job 8 "
s_keys a
s_see "a says auto refresh is off" "Auto refresh off: r refreshes."
t_nomatch "and no stray digit follows it" "refreshes\.[0-9]" "$(s_screen)"

# ---- 3: "Refreshing…" stays until a key
s_keys r
s_gone "Refreshing… goes once the refresh has arrived, without a key" "Refreshing…" 3
s_keys q

# ---- 4: follow carries over to the next job, and refreshes the table with auto refresh off
s_start 120 40 admin --no-auto
s_wait "Job 8 "
s_keys j j
s_see "job 6 is selected" "Job 6 "
s_keys Enter f
s_see "f follows job 6" "following ●"
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('Sneaky arrival', 'sleep', 'bob', '2026-03-01 09:29:00+00')" >/dev/null
s_append 6 "convert_to(E'Step 3 of 3\\n', 'UTF8')" >/dev/null
s_see "the followed output grows by itself" "Step 3 of 3" 3
sleep 0.5
t_nomatch "with auto refresh off the table does not refresh with it" "Sneaky arrival" "$(s_screen)"
t_match "…nor its counts" "1 All jobs \(8\)" "$(s_screen)"
s_keys Escape j Enter
s_see "another job is selected" "Job 5 "
s_gone "following does not carry over to it" "following ●" 2
s_keys q
sql "DELETE FROM jobdeck.jobs WHERE name = 'Sneaky arrival'" >/dev/null

# ---- 8: the export message names the folder
s_start 80 24 admin
s_wait "Job 8 "
pushd "$tmp" >/dev/null || exit 1
s_keys q
s_start 80 24 admin
s_wait "Job 8 "
popd >/dev/null || exit 1
s_keys e C-u
s_keys -l "relative.csv"
s_keys Enter
s_see "the export message gives the full path" "Exported 8 jobs to $tmp/relative.csv"
t_ok "the file is there" test -s "$tmp/relative.csv"
s_keys q

# ---- 9: a clear question from before the database went away
s_start 80 24 admin
s_wait "Job 8 "
tests_services=$JD_TOP/tests/services.sh
"$tests_services" pg-stop "$JD_SERVICES" >/dev/null 2>&1
s_see "the database is away" "reconnecting…" 8
s_keys c
s_see "c says clearing waits for the database" "Not connected"
s_keys Escape
"$tests_services" pg-start "$JD_SERVICES" >/dev/null 2>&1
s_see "it reconnects" "● connected" 15
t_fails "no clear question pops up after it came back" s_wait "[y/N]" 3
s_keys q

# ---- 11: the clear question at 60x15 keeps its answer keys
s_start 60 15 alice
s_wait "Job 8 "
s_keys c
s_see "the question at 60 columns ends with its answer keys" "[y/N]"
s_keys n
s_keys q

# ---- a filter that does not parse
s_start 80 24 admin
s_wait "Job 8 "
s_keys /
s_keys -l "status:maybe"
s_keys Enter
s_see "a filter that does not parse says why" "Filter not changed"
t_match "and the table keeps its jobs" "Publish series" "$(s_screen)"
t_nomatch "and no filter is shown" "Filter: status" "$(s_screen)"
s_keys q

# ---- 1: new jobs never come into view (more jobs than rows on the screen)
s_start 60 15 admin
s_wait "Job 8 "
s_see "with no room for output lines, the header counts them" "Console output, 67 B ── 3 lines"
t_nomatch "…rather than an empty range" "lines [0-9]+–[0-9]+ of" "$(s_screen)"
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('Fresh arrival', 'sleep', 'bob', '2026-03-01 09:29:10+00')" >/dev/null
s_see "with the top row in view, a new job comes into view" "09:29 N/A         Fresh" 3
s_see "and the selection stays on its job" "Job 8 "
s_keys q
sql "DELETE FROM jobdeck.jobs WHERE name = 'Fresh arrival'" >/dev/null
s_start 60 15 admin
s_wait "Job 8 "
s_keys G
s_see "G goes to the oldest job" "Job 1 "
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('Fresh arrival', 'sleep', 'bob', '2026-03-01 09:29:10+00')" >/dev/null
s_see "with the top out of view, a marker counts the newer jobs" "↑ 1 newer" 3
s_keys g
s_see "g goes to them" "Fresh arrival"
s_gone "and the marker goes" "newer"
s_keys q
sql "DELETE FROM jobdeck.jobs WHERE name = 'Fresh arrival'" >/dev/null

# ---- 6: tab counts with a filter ("N/M" where "N of M" does not fit)
s_start 120 40 admin
s_wait "Job 8 "
s_keys /
s_keys -l "Import"
s_keys Enter
s_see "a filter's tab counts say how many of all" "1 All jobs (2 of 8)"
s_see "…for every tab" "2 Active jobs (0 of 2)"
tmux_ resize-window -x 80 -y 24
s_see "at 80 columns they are short, and the filter still shows" "3 Failed jobs (0/2)   Filter: Import"
s_keys q

# ---- 7: among equal names the newest comes first, either way
s_start 120 40 admin
s_wait "Job 8 "
s_keys s s
s_see "s s sorts by name" "Sorted by Job name, descending."
order_is() { [[ $(s_screen | grep "Import CSV" | grep -oE "0[89]:[0-9]{2} 2026" | tr '\n' ' ') == "$1" ]]; }
t_poll "descending: the newer Import CSV first" 5 order_is "09:20 2026 08:00 2026 "
s_keys S
s_see "S reverses" "Sorted by Job name, ascending."
t_poll "ascending: the newer Import CSV still first" 5 order_is "09:20 2026 08:00 2026 "
s_keys q

# ---- 10: terminals without cursor addressing; one without an alternate screen
s_start_term dumb 80 24
s_see "TERM=dumb says why the dashboard cannot run" "cannot move the cursor"
s_see "and exits 1" "exit=1"
s_start_term vt100 80 24
s_see "TERM=vt100 shows the dashboard" "Job 8 " 10
s_keys q
s_see "q ends it" "exit=0"
t_match "the screen from before is back" "shell-line-before" "$(s_screen)"
t_nomatch "no dashboard is left on the screen" "All jobs" "$(s_screen)"
s_stop
