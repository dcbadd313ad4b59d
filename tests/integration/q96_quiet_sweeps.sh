# An idle worker's sweeps announce nothing: a sweep that finds nothing to do changes no job,
# so listeners (every dashboard) are not woken to re-read. One that hands a job over does.
source "$(dirname "$0")/q_common.bash"
export JOBDECK_HEARTBEAT_TIMEOUT=2     # a sweep every second
jd_db jobdeck_q96 || exit 1

q_worker quiet --concurrency 2
t_poll "the worker is registered" 10 q_served jobdeck:sleep
listen_for() { # SECONDS: the jobdeck_jobs notifications that came meanwhile
	PGUSER=postgres psql -X -q -c "LISTEN jobdeck_jobs" -c "SELECT pg_sleep($1)" -c "SELECT 1" 2>&1 |
		grep -c 'jobdeck_jobs'
}
t_eq "four seconds of sweeps with nothing to sweep announce nothing" 0 "$(listen_for 4)"
id=$(sql "INSERT INTO jobdeck.jobs (name, type, username, worker, attempts, started_at, heartbeat_at, queued_at)
          VALUES ('left behind', 'sleep', 'alice', 'gone', 1, now() - interval '1 min', now() - interval '1 min', now() - interval '1 min')
          RETURNING id")
t_ok "a sweep that hands a job over announces it" test "$(listen_for 4)" -ge 1
t_poll "and the job it handed over completes" 15 test "$(q_col "$id" status)" = Completed
