#!/usr/bin/env bash
# Live updates: LISTEN/NOTIFY reaches the screen quickly while auto refresh is on, the
# timer stays as a fallback, following live output, and auto refresh switched off.
. "$(dirname "$0")/lib.sh"

s_db jd_s02

s_start 120 40 admin --interval 30
s_see "--interval sets the period shown in the header" "Auto refresh ● ON 30s"

# a new job appears without any key, well before the 30 s timer
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('Live arrival', 'sleep', 'bob', '2026-03-01 09:25:00+00')" >/dev/null
t0=$SECONDS
s_see "a job inserted elsewhere appears by itself (NOTIFY)" "Live arrival" 3
t_ok "it appeared within a second" test $((SECONDS - t0)) -le 1
s_see "the tab counts follow" "1 All jobs (9)"

# a change to a visible job: Running -> Error
sql "UPDATE jobdeck.jobs SET status = 'Error', completed_at = '2026-03-01 09:29:00+00', info = '{\"Failed: worker lost\"}' WHERE name = 'Live arrival'" >/dev/null
s_see "a status change shows by itself" "Failed: worker lost" 3
s_see "and the failed count goes up" "3 Failed jobs (3)"

# the selection stays on the same job when rows arrive above it
s_see "the selection stayed on job 8 when a row arrived above it" "Job 8 "
s_keys j j
s_see "j j selects job 6" "Job 6 "
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('Newer still', 'sleep', 'bob', '2026-03-01 09:28:00+00')" >/dev/null
s_see "another job arrives" "Newer still"
s_see "the selection stays on job 6" "Job 6 " 1

# following live output
s_keys Enter f
s_see "f follows the output" "following ●"
s_append 6 "convert_to(E'Step 3 of 3\\n', 'UTF8')" >/dev/null
s_see "new output of the followed job shows by itself" "Step 3 of 3" 3
for i in $(seq 1 40); do s_append 6 "convert_to(E'line $i\\n', 'UTF8')" >/dev/null; done
s_see "following stays at the bottom as output streams" "line 40" 3
s_expect follow_120x40 "the detail pane following live output"
# the dashboard reads the output of the job it shows, not everyone's (db/057): when job 7
# writes, its backend stays idle. Auto refresh is off meanwhile (following still reads the
# shown job's output), so only the half-minute chore could fall in a window: tried 5 times.
s_keys a
s_see "auto refresh off while following" "Auto refresh ○ OFF"
dash_moved() { sql "SELECT coalesce(max(state_change)::text, '-') FROM pg_stat_activity WHERE usename = 'admin'"; }
quiet=0
for _ in 1 2 3 4 5; do
	before=$(dash_moved)
	for i in $(seq 1 10); do s_append 7 "convert_to(E'other $i\\n', 'UTF8')" >/dev/null; done
	sleep 0.5
	[[ $(dash_moved) == "$before" ]] && { quiet=1; break; }
done
t_eq "another job's output makes the dashboard read nothing" 1 "$quiet"
before=$(dash_moved)
s_append 6 "convert_to(E'line 41\\n', 'UTF8')" >/dev/null
s_see "while the shown job's output is read at once" "line 41" 3
t_ok "…by the dashboard's connection" test "$(dash_moved)" != "$before"
s_keys a
s_see "auto refresh back on" "Auto refresh ● ON 30s"
s_keys k
s_see "scrolling up stops following" "scrolled up"
s_keys G
s_keys Escape

# + and -
s_keys +
s_see "+ lengthens the interval" "Auto refresh every 31 s."
s_keys - -
s_see "- shortens it" "Auto refresh every 29 s."

# auto refresh off: changes wait for r
s_keys a
s_see "a switches auto refresh off, clearly" "Auto refresh ○ OFF"
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('Quiet arrival', 'sleep', 'bob', '2026-03-01 09:29:30+00')" >/dev/null
sleep 1
t_nomatch "with auto refresh off nothing moves by itself" "Quiet arrival" "$(s_screen)"
s_keys r
s_see "r refreshes now" "Quiet arrival"
s_keys a
s_see "a switches it back on" "Auto refresh ● ON 29s"
s_keys q

# the timer alone: notifications go nowhere when they are not sent (a change by a
# statement that fires no trigger is simulated by a 1 s interval against a rename)
s_start 120 40 admin --interval 1
sql "ALTER TABLE jobdeck.jobs DISABLE TRIGGER USER" >/dev/null
sql "UPDATE jobdeck.jobs SET name = 'Renamed quietly' WHERE id = 1" >/dev/null
sql "ALTER TABLE jobdeck.jobs ENABLE TRIGGER USER" >/dev/null
s_see "the timer refreshes even without a notification" "Renamed quietly" 4
s_keys q
