# External commands: configured tasks (arguments and environment, never a shell), their exit
# status, 50 MB of output in bounded memory, hostile bytes kept intact; and `jobdeck run`.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q30 || exit 1
chmod 755 "$Q_TMP"

cat >"$Q_TMP/show-args" <<'SH'
#!/bin/sh
for a in "$@"; do printf 'arg=[%s]\n' "$a"; done
printf 'env=[%s]\n' "$JOBDECK_PARAM_SCOPE" "$MODE" "$JOBDECK_TASK"
printf 'db=[%s]\n' "${PGDATABASE:-}"
echo "to stderr" >&2
echo "a report" >"$JOBDECK_OUTPUT"
SH
cat >"$Q_TMP/fail" <<'SH'
#!/bin/sh
echo "about to fail"
exit 3
SH
cat >"$Q_TMP/big" <<'SH'
#!/bin/sh
# 50 MiB of output, then a marker
yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01 | head -c 52428800
echo END-OF-OUTPUT
SH
cat >"$Q_TMP/hostile" <<'SH'
#!/bin/sh
printf 'nul[\000] bad[\377\376] esc[\033[31mred\033[0m] title[\033]0;pwned\007] bidi[\342\200\256]\n'
SH
cat >"$Q_TMP/slow" <<'SH'
#!/bin/sh
echo "first line"
sleep 3
echo "last line"
SH
chmod 755 "$Q_TMP"/show-args "$Q_TMP"/fail "$Q_TMP"/big "$Q_TMP"/hostile "$Q_TMP"/slow
cat >"$Q_TMP/tasks.conf" <<CONF
# test tasks
[task show-args]
description = Show the arguments
command = $Q_TMP/show-args
args = --scope {scope} "two words" {job}
env = MODE=m-{scope}
params = scope

[task fail]
command = $Q_TMP/fail

[task big]
command = $Q_TMP/big

[task hostile]
command = $Q_TMP/hostile

[task slow]
command = $Q_TMP/slow
CONF
export JOBDECK_CONFIG=$Q_TMP/tasks.conf

t_exit "a task parameter it does not accept is a usage error" 2 as alice jd submit show-args --param colour=red
t_exit "command without a task is a usage error" 2 as alice jd submit command
t_exit "command with an unknown task is a usage error" 2 as alice jd submit command --param task=nope
printf '[task x]\nshell = yes\n' >"$Q_TMP/broken.conf"
rc=0; err=$(JOBDECK_CONFIG=$Q_TMP/broken.conf as alice jd submit sleep 2>&1) || rc=$?
t_eq "a broken task file is refused" 1 "$rc"
t_match "naming the line" "broken.conf:2: unknown setting 'shell'" "$err"

# (under AddressSanitizer, freed memory sits in a quarantine that would look like growth)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 q_worker w1
t_poll "the worker serves the tasks" 10 q_served jobdeck:command:show-args

evil='$(touch '"$Q_TMP"'/pwned); rm -rf x; `id` "q'"'"'uote'
t_ok "a task completes" as alice jd submit show-args --param scope="$evil" --wait
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
out=$(q_output "$id")
t_eq "parameters arrive as whole arguments, never through a shell" \
"arg=[--scope]
arg=[$evil]
arg=[two words]
arg=[$id]
env=[$evil]
env=[m-$evil]
env=[show-args]
db=[]
to stderr" "$out"
t_fails "nothing the parameter said was run" test -e "$Q_TMP/pwned"
t_eq "the job is a command job for that task" 'command|{"task": "show-args", "scope": "'"${evil//\"/\\\"}"'"}' "$(q_col "$id" "type, params")"
t_eq "named after the task's description" "Show the arguments" "$(q_col "$id" name)"
t_match "the file the command wrote is its download" "Task show-args completed; wrote show-args-$id.out \(9 B\)" "$(q_col "$id" info)"

t_exit "a failing command ends as Error" 1 as alice jd submit command --param task=fail --wait
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "with its exit status in Info" '{"Task fail exited with status 3"}' "$(q_col "$id" info)"
t_eq "and its output kept" "about to fail" "$(q_output "$id")"

# console output is visible while the command runs
id=$(as alice jd submit slow 2>/dev/null)
t_poll "a slow command starts" 10 q_running_on "$id"
has_output() { [[ $(q_col "$1" output_bytes) -gt 0 ]]; }
t_poll "its first line is stored while it runs" 2 has_output "$id"
t_eq "while the job still runs" Running "$(q_col "$id" status)"
t_poll "it completes" 10 q_is "$id" Completed
ms=$(sql "SELECT round(extract(epoch FROM min(o.at) - j.started_at) * 1000) FROM jobdeck.job_output o JOIN jobdeck.jobs j ON j.id = o.job_id WHERE j.id = $id GROUP BY j.started_at")
t_ok "the first line was stored within half a second of the start (${ms} ms)" test "$ms" -lt 500

# 50 MiB of output: stored in chunks, the worker's memory does not follow it
hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
before=$(hwm "$Q_PID")
id=$(as alice jd submit big 2>/dev/null)
t_poll "a command printing 50 MiB completes" 120 q_is "$id" Completed
after=$(hwm "$Q_PID")
t_eq "every byte is stored" $((52428800 + 14)) "$(q_col "$id" output_bytes)"
t_eq "the stored chunks add up" $((52428800 + 14)) "$(sql "SELECT sum(length(data)) FROM jobdeck.job_output WHERE job_id = $id")"
t_ok "no chunk is larger than 128 KiB" test "$(sql "SELECT max(length(data)) FROM jobdeck.job_output WHERE job_id = $id")" -le 131072
t_ok "the worker's peak memory grew by less than 16 MiB (${before} kB -> ${after} kB)" test $((after - before)) -lt 16384
t_match "the tail reads back" '^0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXEND-OF-OUTPUT$' "$(as admin jd show "$id" | tail -c 200)"
t_eq "the last line is the marker" "END-OF-OUTPUT" "$(sql "SELECT convert_from(substring(data FROM length(data) - 13 FOR 13), 'UTF8') FROM jobdeck.job_output WHERE job_id = $id ORDER BY offset_ DESC LIMIT 1")"

# hostile bytes: stored and returned intact, shown safely
rc=0; as alice jd submit hostile --wait >/dev/null 2>&1 || rc=$?
t_eq "a command printing hostile bytes completes" 0 "$rc"
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
want=$(sh "$Q_TMP/hostile" | od -An -tx1 | tr -d ' \n')
t_eq "its output is stored byte for byte" "$want" "$(q_output_hex "$id")"
t_eq "show --raw returns it byte for byte" "$want" "$(as alice jd show --raw "$id" | sed -n '/^Console output/,$p' | tail -n +2 | od -An -tx1 | tr -d ' \n')"
shown=$(as alice jd show "$id")
t_nomatch "show never writes a raw escape or NUL" $'\033|\x07' "$shown"
t_match "but shows placeholders" 'nul\[\^@\] bad\[\\xFF\\xFE\] esc\[\^\[\[31mred' "$shown"

# jobdeck run: command-line jobs, no user
t_exit "run -- false exits 1" 1 as admin jd run -- false
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "and ends as Error with no user" "Error||cmdline" "$(q_col "$id" "status, username, type")"
t_eq "saying why" '{"Command exited with status 1"}' "$(q_col "$id" info)"
t_exit "run -- true exits 0" 0 as admin jd run -- true
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "and ends as Completed with no user" "Completed|" "$(q_col "$id" "status, username")"
out=$(as admin jd run --name "Say hello" -- sh -c 'echo hello; echo oops >&2; exit 4' 2>&1); rc=$?
t_eq "run exits with the command's status" 4 "$rc"
t_match "its output reaches the terminal" $'hello\noops' "$out"
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "and the console output" $'hello\noops' "$(q_output "$id")"
t_eq "under the given name" "Say hello" "$(q_col "$id" name)"
t_exit "an unknown command exits 127" 127 as admin jd run -- /no/such/program
t_eq "and is recorded as Error" '{"Command not found: /no/such/program"}' "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
t_nomatch "users do not see command-line jobs" "Say hello" "$(as alice jd list)"
t_match "administrators do" "Say hello +Error +Command line" "$(as admin jd list)"
