#!/usr/bin/env bash
# Every change to a job is announced, so dashboards update live.
. "$(dirname "$0")/../lib.sh"
jd_db b60 || exit 1

id=$(jd_job alice Running "watched")
out=$(PGUSER=postgres psql -X -q <<SQL 2>&1
LISTEN jobdeck_jobs;
LISTEN jobdeck_output;
INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($id, 0, 'some output');
UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = $id;
INSERT INTO jobdeck.jobs (name, type, username) VALUES ('new one', 'sleep', 'bob');
DELETE FROM jobdeck.jobs WHERE id = $id;
INSERT INTO jobdeck.jobs (name, type, username) SELECT 'bulk ' || n, 'sleep', 'bob' FROM generate_series(1, 500) n;
SQL
)
jobs_lines=$(grep 'jobdeck_jobs' <<<"$out")
t_eq "a status change, a new job, a clear and a bulk insert each notify once" 4 "$(grep -c . <<<"$jobs_lines")"
t_nomatch "…with no payload: listeners learn that jobs changed, not which (RLS does not cover NOTIFY)" \
	"with payload" "$jobs_lines"
output_lines=$(grep 'jobdeck_output' <<<"$out")
t_eq "new output notifies on jobdeck_output" 1 "$(grep -c . <<<"$output_lines")"
t_nomatch "…without naming the job either" "with payload" "$output_lines"
