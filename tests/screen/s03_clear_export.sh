#!/usr/bin/env bash
# Clearing and exporting from the dashboard, end to end against the real database.
. "$(dirname "$0")/lib.sh"

s_db jd_s03
tmp=$(jd_tmp)

# ---- clear, as alice: her two inactive jobs go, running and others' jobs stay
s_start 80 24 alice
s_keys c
s_see "c asks how many go and what stays" "Clear 3 inactive jobs? Running jobs and other users' jobs stay. [y/N]"
s_expect clear_question_80x24 "the clear question"
s_keys n
s_see "n keeps everything" "Nothing cleared."
t_eq "nothing was removed" 3 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE username = 'alice'")"
s_keys c
s_wait "[y/N]"
s_keys y
s_see "y clears and says how many went" "Cleared 3 jobs."
t_eq "alice's inactive jobs are gone" 0 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE username = 'alice'")"
t_eq "everyone else's jobs stay" 5 "$(sql "SELECT count(*) FROM jobdeck.jobs")"
s_see "the emptied table says so" "There are no jobs to report on."
s_keys c
s_see "with nothing left to clear, c says so" "You have no inactive jobs to clear."
s_keys q

# ---- clear, as the administrator: own and command-line inactive jobs, never bob's
s_start 80 24 admin
s_keys c
s_see "the administrator's question names command-line jobs" "Clear 2 inactive jobs (yours and command-line jobs)?"
s_keys y
s_see "the administrator's clear reports its count" "Cleared 2 jobs."
t_eq "bob's failed job stays" 1 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE username = 'bob'")"
t_eq "running jobs stay" 2 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE status = 'Running'")"
s_keys q

# ---- export the Failed tab with a filter; compare with `jobdeck export`
s_db jd_s03
s_start 80 24 admin
s_keys 3
s_see "the failed tab is shown" "Failed: disk fu"
s_keys e
s_see "e asks for a path, naming the tab" "Export Failed jobs as CSV to:"
s_see "a default file name is offered" "jobdeck-job-history-$(date +%F).csv"

s_keys C-u
s_keys -l "$tmp/failed.csv"
s_keys Enter
s_see "the export reports rows and path" "Exported 2 jobs to $tmp/failed.csv"
as admin jd export --failed -o "$tmp/cli.csv" >/dev/null
t_ok "the file is what 'jobdeck export --failed' writes" cmp "$tmp/failed.csv" "$tmp/cli.csv"
t_eq "the header is AtoM's" "startDate,endDate,jobName,jobStatus,jobInfo,jobUser" "$(head -n1 "$tmp/failed.csv" | tr -d '\r')"

s_keys e C-u
s_keys -l "$tmp/failed.csv"
s_keys Enter
s_see "an existing file is never replaced without asking" "failed.csv already exists. Overwrite it? [y/N]"
s_keys n
s_see "n leaves it" "Export cancelled."
s_keys /
s_keys -l "disk"
s_keys Enter
s_keys e C-u
s_keys -l "$tmp/failed.csv"
s_keys Enter y
s_see "y overwrites it, with the filter applied" "Exported 1 job to $tmp/failed.csv"
t_eq "the filtered file has the header and one row" 2 "$(wc -l <"$tmp/failed.csv")"
s_keys e C-u
s_keys -l "$tmp/no/such/dir/x.csv"
s_keys Enter
s_see "a path that cannot be written is one clear line" "Export failed: cannot write"
s_keys e Escape
s_see "Esc cancels the export" "Export cancelled."
s_keys q

# ---- d saves the selected job's file from the database (db/054), as `jobdeck download`
s_db jd_s03
export JOBDECK_EXPORT_DIR=$tmp
s_start 120 40 admin
s_keys d
s_see "d on a job that made no file says so" "Job 8 made no file."
t_nomatch "…and the footer does not offer d there" "d download" "$(s_screen | tail -n 1)"
s_keys j j j j
s_see "on a job with a file the footer offers d" "d download"
s_keys d
s_see "d asks where, naming the job" "Save the file of job 4 to:"
s_see "…offering its name in the export folder" "$tmp/F-002.rtf"
s_keys Enter
s_see "a file from before files were stored says so" "Download failed: job 4's file was not stored in the database"
# job 4's file as a worker stores it now: its name, its size, its chunks; bytes no screen should see
printf 'rtf\000\377{\\rtf1}\033[2J end' >"$tmp/stored.rtf"
sql "UPDATE jobdeck.jobs SET download_path = 'finding-aid-4.rtf', download_size = $(stat -c %s "$tmp/stored.rtf"),
            file_bytes = $(stat -c %s "$tmp/stored.rtf") WHERE id = 4;
     INSERT INTO jobdeck.job_file (job_id, seq, data) VALUES (4, 0, decode('$(od -An -tx1 -v "$tmp/stored.rtf" | tr -d ' \n')', 'hex'))" >/dev/null
size=$(stat -c %s "$tmp/stored.rtf")
s_keys r
s_wait "Download ($size B)"
s_keys d
s_see "the stored name is offered" "$tmp/finding-aid-4.rtf"
s_keys Enter
s_see "the status line says how much went where" "Saved $size bytes to $tmp/finding-aid-4.rtf"
t_ok "…byte for byte" cmp "$tmp/stored.rtf" "$tmp/finding-aid-4.rtf"
s_keys d Enter
s_see "an existing file is never replaced without asking" "finding-aid-4.rtf already exists. Overwrite it? [y/N]"
s_keys n
s_see "n leaves it" "Nothing saved."
s_keys d C-u
s_keys -l "$tmp/no/such/dir/x.rtf"
s_keys Enter
s_see "a path that cannot be written is one clear line" "Download failed: cannot write"
s_keys q
s_start 120 40 bob
s_keys d
s_see "bob's dashboard does not show admin's job, so nothing of it to save" "Job 2 made no file."
t_eq "and bob reads none of its chunks" 0 "$(sql_as bob "SELECT count(*) FROM jobdeck.job_file")"
s_keys q
