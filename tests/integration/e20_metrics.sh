#!/usr/bin/env bash
# jobdeck metrics: parsed with the Prometheus client's own parser, every value checked against
# the database; what a user sees; gearmand up or down; a failing database writes nothing.
source "$(dirname "$0")/q_common.bash"
jd_db e20 || exit 1
dir=$(jd_tmp)
cd "$dir" || exit 1

# The samples as "name{label=value,...} value", one a line, from the Prometheus parser (the
# Debian package python3-prometheus-client, for the system's python3).
cat >parse.py <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
for fam in text_string_to_metric_families(sys.stdin.read()):
    for s in fam.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        print("%s%s %s" % (s.name, "{" + labels + "}" if labels else "", repr(float(s.value)).removesuffix(".0")))
    print("family %s %s" % (fam.name, fam.type))
PY
metrics() { as "$1" jd metrics | /usr/bin/python3 parse.py; }
val() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }

# jobs: ended a few seconds ago with known durations, ended long ago, running, waiting
sql "INSERT INTO jobdeck.jobs (name, type, status, username, created_at, started_at, completed_at)
     SELECT 'd' || s, 'sleep', CASE WHEN s % 2 = 0 THEN 'Completed' ELSE 'Error' END::jobdeck.job_status,
            CASE WHEN s < 100 THEN 'alice' ELSE 'bob' END,
            now() - interval '1 hour', e - s * interval '1 second', e
       FROM unnest(ARRAY[0.5, 3, 7, 20, 45, 90, 200, 400, 1000, 2000, 3000]) s,
            LATERAL (SELECT now() - CASE WHEN s < 10 THEN 5 ELSE 300 END * interval '1 second' AS e) e;
     INSERT INTO jobdeck.jobs (name, type, status, username, created_at, started_at, completed_at) VALUES
       ('old', 'sleep', 'Completed', 'alice', now() - interval '3 days', now() - interval '3 days', now() - interval '2 days'),
       ('long', 'sleep', 'Completed', NULL, now() - interval '3 hours', now() - interval '3 hours', now() - interval '10 minutes'),
       ('runs', 'csv-import', 'Running', 'bob', now() - interval '5 minutes', now() - interval '5 minutes', NULL),
       ('waits', 'csv-import', 'Running', 'bob', now() - interval '100 seconds', NULL, NULL),
       ('waits too', 'csv-import', 'Running', 'alice', now() - interval '40 seconds', NULL, NULL)" >/dev/null

t_ok "metrics runs for an administrator" as admin jd metrics
m=$(metrics admin)
t_match "the Prometheus parser reads it: a histogram" "^family jobdeck_job_duration_seconds histogram$" "$m"
t_match "…and gauges, each with HELP and TYPE" "^family jobdeck_jobs gauge$" "$m"
t_eq "every metric has HELP and TYPE" "$(as admin jd metrics | grep -c '^# TYPE')" "$(as admin jd metrics | grep -c '^# HELP')"
t_eq "every name is prefixed jobdeck_" "" "$(as admin jd metrics | grep -v '^#' | grep -v '^jobdeck_')"
t_eq "an administrator's scope is every job" "1" "$(val jobdeck_scope_all "$m")"

for st in Running Completed Error; do
	t_eq "jobs with status $st, as job_counts has them" \
		"$(sql "SELECT coalesce(sum(n), 0) FROM jobdeck.job_counts WHERE status = '$st'")" \
		"$(val "jobdeck_jobs{status=$st}" "$m")"
done
for st in Completed Error; do
	t_eq "$st jobs ended in the last minute, as the table has them" \
		"$(sql "SELECT count(*) FROM jobdeck.jobs WHERE status = '$st' AND completed_at > now() - interval '1 minute'")" \
		"$(val "jobdeck_jobs_ended_last_minute{status=$st}" "$m")"
done
for le in 1 5 15 30 60 120 300 600 1800 3600; do
	t_eq "the duration histogram's bucket le=$le, as the table has it" \
		"$(sql "SELECT count(*) FROM jobdeck.jobs WHERE completed_at > now() - interval '1 hour'
		        AND completed_at - started_at <= $le * interval '1 second'")" \
		"$(val "jobdeck_job_duration_seconds_bucket{le=$le}" "$m")"
done
hour="FROM jobdeck.jobs WHERE completed_at > now() - interval '1 hour' AND started_at IS NOT NULL"
t_eq "…+Inf and _count: every job that ended in the last hour" "$(sql "SELECT count(*) $hour") $(sql "SELECT count(*) $hour")" \
	"$(val "jobdeck_job_duration_seconds_bucket{le=+Inf}" "$m") $(val jobdeck_job_duration_seconds_count "$m")"
t_eq "…and the sum of their durations" "$(sql "SELECT round(sum(extract(epoch FROM completed_at - started_at)), 3) $hour")" \
	"$(printf '%.3f' "$(val jobdeck_job_duration_seconds_sum "$m")")"
t_eq "the job that ended ten minutes ago after three hours is in +Inf only" "11 12" \
	"$(val "jobdeck_job_duration_seconds_bucket{le=3600}" "$m") $(val "jobdeck_job_duration_seconds_bucket{le=+Inf}" "$m")"
age=$(val jobdeck_oldest_waiting_job_age_seconds "$m")
t_ok "the oldest waiting job is about 100 seconds old ($age)" python3 -c "import sys; sys.exit(not 99 <= $age < 130)"
q_worker e20w --types sleep
t_poll "a worker registers" 10 bash -c "[[ \$(PGUSER=admin '$JD_BIN' workers) == *e20w* ]]"
t_poll "gearmand knows it" 10 q_served jobdeck:sleep

m=$(metrics admin)
t_eq "workers by state: the one registered is idle" "1 0 0" \
	"$(val 'jobdeck_workers{state=idle}' "$m") $(val 'jobdeck_workers{state=busy}' "$m") $(val 'jobdeck_workers{state=lost}' "$m")"
t_eq "…as the workers table has it" "$(sql "SELECT count(*) FROM jobdeck.workers WHERE stopped_at IS NULL")" \
	"$(val 'jobdeck_workers{state=idle}' "$m")"
t_eq "gearmand answered" "1" "$(val "jobdeck_gearmand_up{server=$JOBDECK_GEARMAN}" "$m")"
t_eq "gearmand's function: no job queued or running, one worker" "0 0 1" \
	"$(val 'jobdeck_queue_queued{function=jobdeck:sleep}' "$m") $(val 'jobdeck_queue_running{function=jobdeck:sleep}' "$m") $(val 'jobdeck_queue_workers{function=jobdeck:sleep}' "$m")"
t_nomatch "another namespace's functions are left out" "function=other:" "$m"

# a user: their own jobs only, no workers
m=$(metrics alice)
t_eq "a user's scope is their own jobs" "0" "$(val jobdeck_scope_all "$m")"
for st in Running Completed Error; do
	t_eq "alice's jobs with status $st" \
		"$(sql "SELECT coalesce(sum(n), 0) FROM jobdeck.job_counts WHERE status = '$st' AND username = 'alice'")" \
		"$(val "jobdeck_jobs{status=$st}" "$m")"
done
t_eq "…her jobs that ended in the last hour" "$(sql "SELECT count(*) $hour AND username = 'alice'")" \
	"$(val jobdeck_job_duration_seconds_count "$m")"
age=$(val jobdeck_oldest_waiting_job_age_seconds "$m")
t_ok "…her oldest waiting job, not bob's older one ($age)" python3 -c "import sys; sys.exit(not 39 <= $age < 70)"
t_nomatch "…and no workers" "jobdeck_workers" "$m"
t_eq "a worker's scope is every job" "1" "$(val jobdeck_scope_all "$(metrics worker)")"

# gearmand down is a value, not a failure; the database down is a failure with nothing written
out=$(JOBDECK_GEARMAN=127.0.0.1:1 as admin jd metrics); rc=$?
t_eq "gearmand down: exit 0" "0" "$rc"
t_eq "…jobdeck_gearmand_up 0" "0" "$(val 'jobdeck_gearmand_up{server=127.0.0.1:1}' "$(/usr/bin/python3 parse.py <<<"$out")")"
out=$(as admin jd --db "host=127.0.0.1 port=1 dbname=e20" metrics 2>err); rc=$?
t_eq "the database down: exit 1, nothing on standard output" "1 " "$rc $out"
t_eq "…and one line on standard error" "1" "$(wc -l <err)"
