#!/usr/bin/env bash
# The systemd units `make install` puts in place: systemd-analyze verify finds nothing wrong
# with them where they were installed, they stop a worker the way the worker is made to be
# stopped (SIGTERM to the main process alone: its processes end in order and the running
# task's command is let finish), and the settings file documents every setting.
#
# systemd does not run here (no PID 1 of its own), so the units are verified, not started;
# verify does not look the User= up, so the jobdeck user is not needed (p20 has it).
source "$(dirname "$0")/q_common.bash"

# Installed under a scratch prefix with no DESTDIR, so that what the units name exists.
r=$Q_TMP/root
rc=0; out=$(make -C "$JD_TOP" --no-print-directory install BUILD="$BUILD" PREFIX="$r/usr" \
	SYSCONFDIR="$r/etc" UNITDIR="$r/lib/systemd/system" 2>&1) || rc=$?
t_eq "make install into a scratch prefix succeeds" 0 "$rc"
[[ $rc == 0 ]] || printf '%s\n' "$out" | tail -n 5
unit=$r/lib/systemd/system/jobdeck-worker@.service
target=$r/lib/systemd/system/jobdeck-workers.target
t_ok "the worker unit is installed" test -f "$unit"
t_ok "the workers' target is installed" test -f "$target"
t_ok "the settings file is installed" test -f "$r/etc/jobdeck/jobdeck.env"
t_ok "the example task file is installed" test -f "$r/usr/share/doc/jobdeck/examples/tasks.conf"
t_match "the unit runs the installed program" "^ExecStart=$r/usr/bin/jobdeck worker --id %l:%i \\\$WORKER_ARGS\$" "$(cat "$unit")"
t_match "the unit reads the installed settings file" "^EnvironmentFile=$r/etc/jobdeck/jobdeck.env\$" "$(cat "$unit")"

verify() { MANPATH=$r/usr/share/man systemd-analyze verify "$@" 2>&1; }
rc=0; out=$(verify "$unit" "$target") || rc=$?
t_eq "systemd-analyze verify passes on both units, with nothing to say" "0:" "$rc:$out"

# verify has teeth: a program that is not there, or a misspelt setting, does not pass
bad=$Q_TMP/bad; mkdir -p "$bad"
sed "s|^ExecStart=$r/usr/bin/jobdeck|ExecStart=$r/usr/bin/nothing|" "$unit" >"$bad/jobdeck-worker@.service"
t_fails "verify refuses a unit whose program is missing" verify "$bad/jobdeck-worker@.service"
sed 's/^KillMode=mixed/KillMode=mixd/' "$unit" >"$bad/jobdeck-worker@.service"
t_match "verify reports a misspelt value" "kill mode" "$(verify "$bad/jobdeck-worker@.service")"

# what the unit promises
key() { sed -n "s/^$1=//p" "$unit"; }
t_eq "KillMode=mixed: SIGTERM to the main process alone" mixed "$(key KillMode)"
t_eq "restarted on failure" on-failure "$(key Restart)"
t_eq "as the jobdeck user" jobdeck "$(key User)"
stop_us=$(systemd-analyze timespan "$(key TimeoutStopSec)" | awk '/μs:/ { print $2 }')
grace_us=$(sed -n 's/^#define STOP_GRACE (\([0-9]*\) \* 1000 \* 1000).*/\1000000/p' "$JD_TOP/src/jobtypes/command.c")
t_match "the cancel grace is read from the source" "^[0-9]+$" "$grace_us"
t_ok "TimeoutStopSec ($((stop_us / 1000000)) s) is longer than a cancelled command's grace ($((grace_us / 1000000)) s)" \
	test "$stop_us" -gt "$((grace_us + 5000000))"
exposure=$(systemd-analyze security --offline=true "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')
echo "  (systemd-analyze security: $exposure)"

# every setting the program reads is in the settings file, and every setting line is one
env=$r/etc/jobdeck/jobdeck.env
for v in $(jd --help | sed -n '/^Environment:/,$p' | grep -E '^  [A-Z_]+$'); do
	t_match "the settings file documents $v" "^#? ?$v[= ]" "$(cat "$env")"
done
t_eq "every line of the settings file is a comment, blank, or NAME=VALUE" "" \
	"$(grep -vE '^(#.*|[A-Z][A-Z0-9_]*=.*|)$' "$env")"
# (a worker reads the task file before it looks at --types: a file that does not parse stops it first)
tasks_parse() { JOBDECK_CONFIG=$1 "$r/usr/bin/jobdeck" worker --types no-such-type-x 2>&1 | grep -q "unknown job type"; }
t_ok "the example task file is a valid task file" tasks_parse "$r/usr/share/doc/jobdeck/examples/tasks.conf"
printf '[task x]\ncommand = relative\n' >"$Q_TMP/broken.conf"
t_fails "(a broken one is told apart)" tasks_parse "$Q_TMP/broken.conf"

# The stop the unit makes, done by hand: SIGTERM to the main process of a --concurrency 2
# worker named as the unit names it, while one process runs a task's command.
jd_db jobdeck_p10 || exit 1
cat >"$Q_TMP/slow" <<'EOF'
#!/bin/sh
trap 'echo "slow: got SIGTERM"; exit 9' TERM
echo "slow: started"
sleep 2
echo "slow: finished"
EOF
chmod +x "$Q_TMP/slow"
printf '[task slow]\ncommand = %s\n' "$Q_TMP/slow" >"$Q_TMP/tasks.conf"
export JOBDECK_CONFIG=$Q_TMP/tasks.conf
name="$(hostname -s):1"
(export PGUSER=worker
 exec "$r/usr/bin/jobdeck" worker --id "$name" --concurrency 2 >>"$Q_TMP/unit.log" 2>&1) &
main=$!
Q_PIDS+=("$main")
id=$(as alice jd submit slow 2>/dev/null)
started() { [[ $(q_output "$id") == *started* ]]; }
t_poll "the task's command runs" 15 started
t_match "on a process named HOST:INSTANCE/K" "^$name/[12]\$" "$(q_col "$id" worker)"
start=$SECONDS
kill -TERM "$main"
t_poll "after SIGTERM to the main process alone, the worker exits" 20 bash -c "! kill -0 $main 2>/dev/null"
wait "$main"; rc=$?
t_eq "with status 0 (no restart by Restart=on-failure)" 0 "$rc"
echo "  (stopped in $((SECONDS - start)) s, a 2 s command running)"
t_eq "the running job finished" Completed "$(q_col "$id" status)"
t_nomatch "its command was not signalled" "got SIGTERM" "$(q_output "$id")"
t_match "and ran to its end" "slow: finished" "$(q_output "$id")"
t_eq "both processes said they stopped" 2 "$(grep -c 'stopping after' "$Q_TMP/unit.log")"
t_eq "no process of the worker is left" "" "$(pgrep -f "$r/usr/bin/jobdeck" || true)"
