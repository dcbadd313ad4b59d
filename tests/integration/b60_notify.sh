#!/usr/bin/env bash
# Every change to a job is announced, so dashboards update live.
. "$(dirname "$0")/../lib.sh"
jd_db b60 || exit 1

id=$(jd_job alice Running "watched")
out=$(PGUSER=postgres psql -X -q <<SQL 2>&1
LISTEN jobdeck_jobs;
LISTEN jobdeck_output;
UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = $id;
INSERT INTO jobdeck.jobs (name, type, username) VALUES ('new one', 'sleep', 'bob');
DELETE FROM jobdeck.jobs WHERE id = $id;
INSERT INTO jobdeck.jobs (name, type, username) SELECT 'bulk ' || n, 'sleep', 'bob' FROM generate_series(1, 500) n;
SQL
)
t_match "a status change notifies with the job id" "\"jobdeck_jobs\" with payload \"$id\"" "$out"
t_match "a new job notifies with its id" "\"jobdeck_jobs\" with payload \"$((id + 1))\"" "$out"
t_match "a clear notifies once as 'clear'" "\"jobdeck_jobs\" with payload \"clear\"" "$out"
t_match "a bulk insert notifies once as 'bulk'" "\"jobdeck_jobs\" with payload \"bulk\"" "$out"
t_eq "…rather than 500 times" "4" "$(grep -c 'jobdeck_jobs' <<<"$out")"
