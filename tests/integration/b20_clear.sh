#!/usr/bin/env bash
# Clearing: only the caller's inactive jobs (and, for administrators, inactive CLI jobs).
. "$(dirname "$0")/../lib.sh"
jd_db b20 || exit 1

jd_job alice Completed "a-done" >/dev/null
jd_job alice Error "a-failed" >/dev/null
a_run=$(jd_job alice Running "a-running")
jd_job bob Completed "b-done" >/dev/null
jd_job admin Error "adm-failed" >/dev/null
jd_job "" Completed "cli-done" >/dev/null
cli_run=$(jd_job "" Running "cli-running")
count() { sql "SELECT count(*) FROM jobdeck.jobs WHERE name = '$1'"; }

t_exit "clear without a terminal and without --yes refuses (usage)" 2 as alice jd clear </dev/null
t_eq "…and removes nothing" "7" "$(sql 'SELECT count(*) FROM jobdeck.jobs')"

out=$(as alice jd clear --yes)
t_eq "alice's clear reports two jobs" "Cleared 2 jobs." "$out"
t_eq "alice's completed job is gone" "0" "$(count a-done)"
t_eq "alice's failed job is gone" "0" "$(count a-failed)"
t_eq "alice's running job stays" "1" "$(count a-running)"
t_eq "bob's job stays" "1" "$(count b-done)"
t_eq "the command-line job stays after alice's clear" "1" "$(count cli-done)"

out=$(as admin jd clear --yes)
t_eq "the administrator clears own and command-line inactive jobs" "Cleared 2 jobs." "$out"
t_eq "the administrator's failed job is gone" "0" "$(count adm-failed)"
t_eq "the inactive command-line job is gone" "0" "$(count cli-done)"
t_eq "the running command-line job stays" "1" "$(count cli-running)"
t_eq "alice's running job still stays" "1" "$(count a-running)"
t_eq "bob's job still stays after the administrator's clear" "1" "$(count b-done)"

out=$(as alice jd clear --yes)
t_eq "a second clear removes nothing" "Cleared 0 jobs." "$out"

# Counters follow: the tab counts come from them, never from COUNT(*).
t_eq "counters match the table after clears" \
	"$(sql "SELECT status || ':' || count(*) FROM jobdeck.jobs GROUP BY status ORDER BY status")" \
	"$(sql "SELECT status || ':' || sum(n) FROM jobdeck.job_counts GROUP BY status HAVING sum(n) <> 0 ORDER BY status")"

# The interactive question, on a real terminal (script gives it one).
jd_job alice Completed "a-done-2" >/dev/null
if command -v script >/dev/null; then
	out=$(printf 'n\n' | PGUSER=alice script -qec "$JD_BIN clear" /dev/null 2>&1)
	t_match "on a terminal clear asks with the count and what stays" "Clear 1 inactive job\? Running jobs and other users' jobs stay" "$out"
	t_eq "answering no removes nothing" "1" "$(count a-done-2)"
	out=$(printf 'y\n' | PGUSER=alice script -qec "$JD_BIN clear" /dev/null 2>&1)
	t_match "answering yes clears" "Cleared 1 job\." "$out"
	t_eq "…and the job is gone" "0" "$(count a-done-2)"
fi

# Files a job produced go with it; files elsewhere are never touched.
mkdir -p "$JOBDECK_DOWNLOADS"
outside=$(jd_tmp)/keep.csv
echo keep >"$outside"
with_file=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, completed_at)
                 VALUES ('with-file', 'csv-export', 'Completed', 'alice', now()) RETURNING id")
report=$JOBDECK_DOWNLOADS/report-$with_file.csv
echo data >"$report"
sql "UPDATE jobdeck.jobs SET download_path = '$report' WHERE id = $with_file;
     INSERT INTO jobdeck.jobs (name, type, status, username, completed_at, download_path)
     VALUES ('outside', 'csv-export', 'Completed', 'alice', now(), '$outside')" >/dev/null
as alice jd clear --yes >/dev/null
t_fails "the download of a cleared job is removed" test -e "$report"
t_ok "a path outside the downloads folder is left alone" test -e "$outside"

# Plain SQL cannot clear a running job either.
sql_as alice "DELETE FROM jobdeck.jobs WHERE id = $a_run" >/dev/null 2>&1
t_eq "alice's DELETE of her running job through psql removes nothing" "1" "$(count a-running)"
sql_as admin "DELETE FROM jobdeck.jobs WHERE id = $cli_run" >/dev/null 2>&1
t_eq "the administrator cannot delete a running command-line job" "1" "$(count cli-running)"
