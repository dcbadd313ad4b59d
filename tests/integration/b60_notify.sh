#!/usr/bin/env bash
# Every change to a job is announced, so dashboards update live.
. "$(dirname "$0")/../lib.sh"
jd_db b60 || exit 1

id=$(jd_job alice Running "watched")
other=$(jd_job alice Running "not watched")
chan=$(sql_as alice "SELECT jobdeck.output_channel($id)")
t_match "alice learns the output channel of her job" '^jobdeck_output_[0-9a-f]{32}$' "$chan"
t_eq "an administrator learns the same name" "$chan" "$(sql_as admin "SELECT jobdeck.output_channel($id)")"
t_eq "bob learns nothing of alice's job: NULL, as for a job that does not exist" "t|t" \
	"$(sql_as bob "SELECT jobdeck.output_channel($id) IS NULL, jobdeck.output_channel(999999) IS NULL")"
t_fails "nobody may ask the channel of any id directly" sql_as bob "SELECT jobdeck.output_channel_of($id)"
t_fails "nor read the secret it is made from" sql_as admin "SELECT * FROM jobdeck.channel_secret"
t_nomatch "each job has a channel of its own" "$chan" "$(sql_as alice "SELECT jobdeck.output_channel($other)")"
out=$(PGUSER=postgres psql -X -q <<SQL 2>&1
LISTEN jobdeck_jobs;
LISTEN jobdeck_output;
LISTEN $chan;
INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($other, 0, 'not watched');
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
t_eq "new output of the watched job notifies on its channel alone (another job's output does not)" \
	"\"$chan\"" "$(grep -o '"jobdeck_output[^"]*"' <<<"$output_lines")"
t_nomatch "…without naming the job in a payload" "with payload" "$output_lines"

# heartbeats and output counters change nothing a listener shows: no jobdeck_jobs for them
run=$(jd_job bob Running "beating")
out=$(PGUSER=postgres psql -X -q <<SQL 2>&1
LISTEN jobdeck_jobs;
UPDATE jobdeck.jobs SET heartbeat_at = now() WHERE id = $run;
UPDATE jobdeck.jobs SET output_bytes = output_bytes + 5, output_lines = output_lines + 1 WHERE id = $run;
SELECT 1;
SQL
)
t_nomatch "a heartbeat or an output count announces nothing on jobdeck_jobs" "jobdeck_jobs" "$out"
t_eq "every other column of jobs is watched by the trigger that announces changes" "" \
	"$(sql "SELECT string_agg(a.attname, ' ') FROM pg_attribute a
	         WHERE a.attrelid = 'jobdeck.jobs'::regclass AND a.attnum > 0 AND NOT a.attisdropped
	           AND a.attname NOT IN ('id', 'heartbeat_at', 'output_bytes', 'output_lines')
	           AND a.attnum <> ALL ((SELECT tgattr FROM pg_trigger
	                                 WHERE tgname = 'jobs_notify' AND tgrelid = 'jobdeck.jobs'::regclass)::int2[])")"
