#!/usr/bin/env bash
# Cancelling: a waiting job ends at once and never runs; a running job's worker stops it
# (a built-in type at its next check, a command with SIGTERM) and it ends as Error naming who
# cancelled it; only the owner or an administrator may; a `jobdeck run` stops too.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q64 || exit 1
chmod 755 "$Q_TMP"

cat >"$Q_TMP/forever" <<SH
#!/bin/sh
echo \$\$ >"$Q_TMP/forever.pid"
echo "started"
exec sleep 300
SH
chmod 755 "$Q_TMP/forever"
printf '[task forever]\ncommand = %s\n' "$Q_TMP/forever" >"$Q_TMP/tasks.conf"
export JOBDECK_CONFIG=$Q_TMP/tasks.conf

t_exit "cancel needs a job ID" 2 as alice jd cancel
t_exit "cancel takes only job IDs" 2 as alice jd cancel 12x

# no worker yet: the job waits, and a cancel ends it at once
id=$(as alice jd submit sleep --param seconds=1 2>/dev/null)
out=$(as alice jd cancel "$id")
t_match "a waiting job is cancelled at once" "job $id: cancelled before it started" "$out"
t_eq "it ended as Error, saying who cancelled it" "Error|{\"Cancelled by alice before it started\"}" \
	"$(q_col "$id" "status || '|' || info::text")"
rc=0; err=$(as alice jd cancel "$id" 2>&1) || rc=$?
t_eq "cancelling it again exits 1" 1 "$rc"
t_match "saying it has already ended" "job $id has already ended" "$err"

q_worker w1
w1_pid=$Q_PID
t_poll "the worker serves sleep jobs" 10 q_served jobdeck:sleep
probe=$(as alice jd submit sleep --param seconds=0 2>/dev/null)
t_poll "a later job runs" 10 q_is "$probe" Completed
t_eq "the cancelled one never ran" "0|0|Error" "$(q_col "$id" "attempts || '|' || output_bytes || '|' || status")"

# a running built-in job stops at its next check
id=$(as alice jd submit sleep --param seconds=60 --param lines=60 2>/dev/null)
t_poll "a long job runs" 10 q_running_on "$id"
rc=0; err=$(as bob jd cancel "$id" 2>&1) || rc=$?
t_eq "bob may not cancel alice's job" 1 "$rc"
t_match "it is not found, as for any job he may not see" "job $id not found" "$err"
sleep 1
t_eq "and it still runs" Running "$(q_col "$id" status)"
out=$(as alice jd cancel "$id")
t_match "alice asks its worker to stop it" "job $id: its worker was asked to stop it" "$out"
t_poll "it stops" 5 q_is "$id" Error
t_eq "its Info says who cancelled it" "{\"Cancelled by alice\"}" "$(q_col "$id" "info::text")"
t_match "its output shows it was stopped" "Cancelled by alice" "$(q_output "$id")"
probe=$(as alice jd submit sleep --param seconds=0 2>/dev/null)
t_poll "the worker goes on with other jobs" 10 q_is "$probe" Completed

# a running command: SIGTERM to its process group
q_worker w2 --types forever
t_poll "the worker serves the task" 10 q_served jobdeck:command:forever
id=$(as alice jd submit forever 2>/dev/null)
t_poll "the command runs" 10 test -s "$Q_TMP/forever.pid"
pid=$(cat "$Q_TMP/forever.pid")
t_ok "its process is alive" kill -0 "$pid"
t_match "an administrator may cancel anyone's job" "its worker was asked to stop it" "$(as admin jd cancel "$id")"
t_poll "it ends" 10 q_is "$id" Error
t_eq "naming the administrator" "{\"Cancelled by admin\"}" "$(q_col "$id" "info::text")"
gone() { ! kill -0 "$pid" 2>/dev/null; }
t_poll "its process is gone" 5 gone

# a command-line run
as admin "$JD_BIN" run --name "long run" -- sleep 300 >"$Q_TMP/run.out" 2>"$Q_TMP/run.err" &
runpid=$!
Q_PIDS+=("$runpid")
run_id() { sql "SELECT id FROM jobdeck.jobs WHERE name = 'long run' AND worker IS NOT NULL"; }
run_started() { [[ -n $(run_id "$@") ]]; }
t_poll "a command-line run starts" 10 run_started
rid=$(run_id)
rc=0; as alice jd cancel "$rid" >/dev/null 2>&1 || rc=$?
t_eq "a user may not cancel a command-line job" 1 "$rc"
t_match "cancelling a command-line run says its run was asked, not a worker" \
	"job $rid: its command-line run was asked to stop it" "$(as admin jd cancel "$rid")"
rc=0; wait "$runpid" || rc=$?
t_eq "jobdeck run exits as its command was stopped (SIGTERM)" 143 "$rc"
t_match "and says it was cancelled" "cancelled by admin" "$(cat "$Q_TMP/run.err")"
t_eq "the job ended as Error naming who" "Error|{\"Cancelled by admin\"}" "$(q_col "$rid" "status || '|' || info::text")"
t_eq "its output starts with the line that says so, not an empty line" "jobdeck: cancelled by admin; stopping the command" \
	"$(q_output "$rid" | head -n 1)"

# the worker of a cancelled job stops responding: the sweep ends the job rather than retry it
q_worker w3 --types sleep
w3=$Q_PID
kill -STOP "$w1_pid" 2>/dev/null
id=$(as alice jd submit sleep --param seconds=60 2>/dev/null)
t_poll "a job runs on w3" 10 q_running_on "$id"
kill -STOP "$w3"
kill -CONT "$w1_pid" 2>/dev/null
as alice jd cancel "$id" >/dev/null
t_match "show says a cancel is pending while it waits for its worker" "Cancel: +requested by alice" \
	"$(as alice jd show "$id")"
t_poll "the sweep ends it once w3 is silent" 20 q_is "$id" Error
t_nomatch "show no longer says so once it ended" "Cancel:" "$(as alice jd show "$id")"
t_match "as cancelled, naming the lost worker" "Cancelled by alice; its worker w[13] was lost" "$(q_col "$id" "info::text")"
t_eq "it was not run again" 1 "$(q_col "$id" attempts)"
kill -CONT "$w3"

# a download of a large tree stops part way and keeps no file
big=$(sql "INSERT INTO jobdeck.records (parent_id, identifier, title) VALUES (NULL, 'BIG', 'A large fonds') RETURNING id")
sql "INSERT INTO jobdeck.records (parent_id, identifier, title)
     SELECT $big, 'BIG-' || g, 'Item ' || g FROM generate_series(1, 400000) g" >/dev/null
q_worker w4 --types csv-export
t_poll "a worker serves csv-export" 10 q_served jobdeck:csv-export
id=$(as alice jd submit csv-export --object "$big" 2>/dev/null)
t_poll "the export runs" 10 q_running_on "$id"
as alice jd cancel "$id" >/dev/null
t_poll "it stops" 20 q_is "$id" Error
t_match "part way, saying so" "Cancelled by alice after [0-9]+ records?; no file was kept" "$(q_col "$id" "info[1]")"
t_eq "and no file or part of one is left" "" "$(ls "$JOBDECK_DOWNLOADS" | grep -- "-$id\." || true)"
