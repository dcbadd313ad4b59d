#!/usr/bin/env bash
# A `jobdeck run` killed without a word leaves its job Running with a silent heartbeat. With
# no worker about to sweep it, the next `jobdeck run` (or a dashboard, s07) ends it as lost,
# and leaves runs that are alive alone.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q65 || exit 1

run_id() { sql "SELECT id FROM jobdeck.jobs WHERE name = '$1' AND worker IS NOT NULL"; }

as admin "$JD_BIN" run --name "doomed" -- sleep 300 >/dev/null 2>&1 &
doomed_pid=$!
Q_PIDS+=("$doomed_pid")
run_started() { [[ -n $(run_id "$1") ]]; }
t_poll "a command-line run starts" 10 run_started doomed
doomed=$(run_id doomed)
as admin "$JD_BIN" run --name "alive" -- sleep 300 >/dev/null 2>&1 &
Q_PIDS+=("$!")
t_poll "another one starts" 10 run_started alive
alive=$(run_id alive)

kill -9 "$doomed_pid"
wait "$doomed_pid" 2>/dev/null
t_eq "killed with SIGKILL, its job still says Running" Running "$(q_col "$doomed" status)"
# a minute of silence, without waiting a minute
sql "UPDATE jobdeck.jobs SET heartbeat_at = now() - interval '2 minutes' WHERE id = $doomed" >/dev/null

t_ok "the next jobdeck run works" as admin "$JD_BIN" run --name "next" -- true
t_eq "and ended the silent one as Error" Error "$(q_col "$doomed" status)"
t_match "saying the run was lost and when it was last heard from" \
	"The command-line run on run@[^ ]+ was lost \(last heard from [0-9-]+ [0-9:]+ UTC\)" "$(q_col "$doomed" "info[1]")"
t_eq "the run that is alive still runs" Running "$(q_col "$alive" status)"
t_eq "a user may call the check too, and it ends nothing more" 0 "$(sql_as alice "SELECT jobdeck.end_lost_runs()")"
