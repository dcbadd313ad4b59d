#!/usr/bin/env bash
# Every parameter is checked at submit by its job type's rules, by jobdeck and by the database
# alike, so nothing invalid is recorded; and a job runs only as what it was checked and routed
# as.
source "$(dirname "$0")/q_common.bash"
jd_db a40 || exit 1
chmod 755 "$Q_TMP"
rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('P-1', 'Parent') RETURNING id")
jobs_total() { sql "SELECT count(*) FROM jobdeck.jobs"; }
n0=$(jobs_total)

# ==== jobdeck submit: usage errors, nothing recorded ====
bad() { # title expected-message args...
	local title=$1 want=$2; shift 2
	local rc=0 err
	err=$(as alice jd submit "$@" 2>&1 >/dev/null) || rc=$?
	t_eq "$title: a usage error" "2" "$rc"
	t_match "$title: says why" "$want" "$err"
}
bad "a negative number of seconds" "seconds must be from 0 to 86400, not '-5'" sleep --param seconds=-5
bad "seconds that are not a number" "seconds must be a number, not 'soon'" sleep --param seconds=soon
bad "a fraction of a line" "lines must be a whole number, not '1.5'" sleep --param lines=1.5
bad "a flag that is no flag" "fail must be 1 or 0" sleep --param fail=maybe
bad "a status that is not one" "status must be Published or Draft, not 'Public'" \
	publication-status --object "$rec" --param status=Public
bad "an empty parent" "parent must not be empty" move --object "$rec" --param parent=
bad "a parameter name with spaces" "parameter name 'a b' must be" sleep --param "a b=1"
bad "a type that needs a record, without one" "csv-export needs --object ID" csv-export
t_eq "none of them recorded anything" "$n0" "$(jobs_total)"

# ==== psql: the database holds job_submit to the same rules ====
refused() { # title expected-message type params object
	local out
	out=$(sql_as alice "SELECT jobdeck.job_submit('$3', 'x', '$4', $5, 'jobdeck', false, 1)" 2>&1)
	t_match "psql: $1 is refused" "$2" "$out"
}
refused "a negative number of seconds" "seconds must be from 0 to 86400" sleep '{"seconds": "-5"}' NULL
refused "seconds that are not a number" "is not a valid number for seconds" sleep '{"seconds": "1e3"}' NULL
refused "a number given as JSON rather than text" "parameter seconds must be a string" sleep '{"seconds": 5}' NULL
refused "a parameter the type does not take" "sleep does not take the parameter \"colour\"" sleep '{"colour": "red"}' NULL
refused "a missing required parameter" "publication-status needs the parameter status" publication-status '{}' "$rec"
refused "a status that is not one" "is not a valid choice for status" publication-status '{"status": "Public"}' "$rec"
refused "an unknown type" "unknown job type \"rm-rf\"" rm-rf '{}' NULL
refused "a type without its record" "a csv-export job needs a record" csv-export '{}' NULL
refused "parameters that are not an object" "parameters must be a JSON object" sleep '[1, 2]' NULL
refused "a task name that is no name" "is not a valid name for task" command '{"task": "../../bin/sh"}' NULL
refused "an odd parameter name" "parameter name \"a;b\" must be" command '{"task": "x", "a;b": "1"}' NULL
out=$(sql_as alice "SELECT jobdeck.job_submit('sleep', repeat('n', 1001), '{}', NULL, 'jobdeck', false, 1)" 2>&1)
t_match "psql: a job name of a thousand and one characters is refused" "1 to 1000 characters" "$out"
out=$(sql_as alice "SELECT jobdeck.job_submit('sleep', 'x', '{}', NULL, 'no space', false, 1)" 2>&1)
t_match "psql: a namespace that is no name is refused" "a namespace is" "$out"
out=$(sql_as alice "SELECT jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, 100000)" 2>&1)
t_match "psql: a hundred thousand jobs in one call are refused" "1 to 10000 jobs" "$out"
t_eq "none of them recorded anything" "$n0" "$(jobs_total)"
t_eq "what jobdeck accepts, the database accepts" "1" \
	"$(sql_as alice "SELECT count(*) FROM jobdeck.job_submit('sleep', 'ok', '{\"seconds\": \"0.5\", \"lines\": \"2\", \"fail\": \"no\"}', NULL, 'jobdeck', false, 1)")"
t_eq "the job is alice's, waiting, with the note the database wrote" "alice|Running|Waiting for a worker" \
	"$(sql "SELECT username || '|' || status || '|' || array_to_string(info, ';') FROM jobdeck.jobs ORDER BY id DESC LIMIT 1")"
# count 0 (db/065): checked as any submission, nothing recorded, no id taken, nothing counted
out=$(sql_as alice "SELECT jobdeck.job_submit('sleep', 'x', '{\"seconds\": \"-5\"}', NULL, 'jobdeck', false, 0)" 2>&1)
t_match "psql: count 0 is checked like any submission" "seconds must be from 0 to 86400" "$out"
last=$(sql "SELECT max(id) FROM jobdeck.jobs")
counted=$(sql "SELECT sum(n) FROM jobdeck.job_counts")
t_eq "psql: count 0 returns no id" "0" "$(sql_as alice "SELECT count(*) FROM jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, 0)")"
t_eq "and records nothing and counts nothing" "$last|$counted" "$(sql "SELECT max(id) FROM jobdeck.jobs")|$(sql "SELECT sum(n) FROM jobdeck.job_counts")"
t_eq "nor takes an id: the next job gets the next one" "$((last + 1))" \
	"$(sql_as alice "SELECT * FROM jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, 1)")"

# ==== task routing: a job runs only as the task it was checked and routed as ====
cat >"$Q_TMP/echo" <<'SH'
#!/bin/sh
echo "echo ran"
SH
cat >"$Q_TMP/writeout" <<SH
#!/bin/sh
touch "$Q_TMP/writeout-ran"
SH
chmod 755 "$Q_TMP/echo" "$Q_TMP/writeout"
cat >"$Q_TMP/tasks.conf" <<CONF
[task echo]
command = $Q_TMP/echo

[task writeout]
command = $Q_TMP/writeout
CONF
export JOBDECK_CONFIG=$Q_TMP/tasks.conf
n0=$(jobs_total)
rc=0; err=$(as alice jd submit echo --param task=writeout 2>&1 >/dev/null) || rc=$?
t_eq "a task named by the type takes no task parameter" "2" "$rc"
t_match "…and says so" "echo is a task: --param task=... goes only with the command type" "$err"
t_eq "…and nothing was recorded" "$n0" "$(jobs_total)"

q_worker a40w --types echo
t_poll "a worker serves only the echo task" 10 q_served jobdeck:command:echo
sneaky=$(sql_as alice "SELECT jobdeck.job_submit('command', 'sneaky', '{\"task\": \"writeout\"}', NULL, 'jobdeck', false, 1)")
gearman -h "$GM_HOST" -p "$GM_PORT" -f jobdeck:command:echo -b -u "$sneaky" -- "$sneaky" 2>/dev/null
t_poll "a writeout job handed over as echo ends as Error" 15 q_is "$sneaky" Error
t_match "…saying it was not run" "Handed over as jobdeck:command:echo but recorded as command:writeout; not run" \
	"$(q_col "$sneaky" "array_to_string(info, ' ')")"
t_fails "…and writeout never ran" test -e "$Q_TMP/writeout-ran"
ok=$(as alice jd submit echo 2>/dev/null)
t_poll "the echo task itself runs" 15 q_is "$ok" Completed
t_match "…with its output" "echo ran" "$(q_output "$ok")"
