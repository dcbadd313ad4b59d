#!/usr/bin/env bash
# Who sees what: row-level security, through jobdeck and through plain SQL.
. "$(dirname "$0")/../lib.sh"
jd_db b10 || exit 1

a1=$(jd_job alice Completed "Alice import" "3 hours")
a2=$(jd_job alice Running "Alice export" "2 hours")
b1=$(jd_job bob Error "Bob move" "1 hour")
c1=$(jd_job "" Completed "Nightly rebuild" "30 minutes")

out=$(as alice jd list --limit 0)
t_match "alice sees her completed job" "Alice import" "$out"
t_match "alice sees her running job" "Alice export" "$out"
t_nomatch "alice does not see bob's job" "Bob move" "$out"
t_nomatch "alice does not see command-line jobs" "Nightly rebuild|Command line" "$out"

out=$(as admin jd list --limit 0)
t_match "the administrator sees alice's jobs" "Alice import" "$out"
t_match "the administrator sees bob's jobs" "Bob move" "$out"
t_match "the administrator sees command-line jobs as 'Command line'" "Nightly rebuild .*Completed +Command line" "$out"

out=$(as bob jd list --limit 0)
t_eq "bob sees exactly his one job" "1" "$(grep -c 'Bob move' <<<"$out")"
t_nomatch "bob sees nothing of alice" "Alice" "$out"

t_exit "alice's show of bob's job answers as not found" 1 as alice jd show "$b1"
t_match "…with the same words as a job that does not exist" "job $b1 not found" "$(as alice jd show "$b1" 2>&1)"
t_match "a job that does not exist says not found" "job 999999 not found" "$(as alice jd show 999999 2>&1)"
t_ok "alice may show her own job" as alice jd show "$a1"
t_match "show prints the details" "Status: +Completed" "$(as alice jd show "$a1")"

# Plain SQL as bob: the database itself refuses.
t_eq "bob's SELECT of alice's job returns no row" "" "$(sql_as bob "SELECT id FROM jobdeck.jobs WHERE id = $a1")"
sql_as bob "DELETE FROM jobdeck.jobs WHERE id = $a1" >/dev/null 2>&1
t_eq "bob's DELETE of alice's job leaves it in place" "1" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id = $a1")"
sql_as bob "UPDATE jobdeck.jobs SET status = 'Error', completed_at = now() WHERE id = $a2" >/dev/null 2>&1
t_eq "bob's UPDATE of alice's job changes nothing" "Running" "$(sql "SELECT status FROM jobdeck.jobs WHERE id = $a2")"
t_fails "bob cannot record a job in alice's name" sql_as bob "INSERT INTO jobdeck.jobs (name, type, username) VALUES ('x', 'sleep', 'alice')"
t_fails "bob cannot record a command-line job" sql_as bob "INSERT INTO jobdeck.jobs (name, type, username) VALUES ('x', 'sleep', NULL)"
t_eq "bob reads none of alice's console output" "0" "$(sql_as bob "SELECT count(*) FROM jobdeck.job_output WHERE job_id = $a1")"
t_eq "bob's counters show only his own jobs" "1" "$(sql_as bob "SELECT sum(n) FROM jobdeck.job_counts")"

# Adding users: administrators only, enforced by the database.
t_ok "an administrator adds a user" as admin jd user add carol
t_eq "carol is a jobdeck user" "t" "$(sql "SELECT pg_has_role('carol', 'jobdeck_user', 'MEMBER')")"
t_ok "an administrator adds an administrator" as admin jd user add dora --admin
t_eq "dora is an administrator" "t" "$(sql "SELECT pg_has_role('dora', 'jobdeck_admin', 'MEMBER')")"
t_exit "alice may not add users" 1 as alice jd user add mallory
t_match "…and is told why in one line" "^jobdeck: permission denied" "$(as alice jd user add mallory 2>&1)"
t_eq "no role mallory was created" "0" "$(sql "SELECT count(*) FROM pg_roles WHERE rolname = 'mallory'")"
t_fails "alice cannot call the function from psql either" sql_as alice "SELECT jobdeck.user_add('mallory', true)"
sql "DROP ROLE IF EXISTS carol; DROP ROLE IF EXISTS dora" >/dev/null
