# The update triggers: counters stay exact whatever an UPDATE changes, and move once per
# statement (db/066); every UPDATE statement is announced once, without saying which jobs it
# changed.
source "$(dirname "$0")/../lib.sh"
jd_db jobdeck_q61 || exit 1

counts_off() {
	sql "SELECT count(*) FROM (SELECT username, status, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) t
		FULL JOIN jobdeck.job_counts c ON c.username IS NOT DISTINCT FROM t.username AND c.status = t.status
		WHERE coalesce(c.n, 0) <> coalesce(t.n, 0)"
}
a=$(jd_job alice Running "one")
b=$(jd_job bob Running "two")
sql "INSERT INTO jobdeck.jobs (name, type, username) SELECT 'many ' || n, 'sleep', 'alice' FROM generate_series(1, 150) n" >/dev/null
t_eq "counters match after the inserts" 0 "$(counts_off)"
sql "UPDATE jobdeck.jobs SET worker = 'w', heartbeat_at = now() WHERE id = $a" >/dev/null
t_eq "an update that changes no status leaves the counters" "151|0" \
	"$(sql "SELECT n, (SELECT count(*) FROM jobdeck.job_counts WHERE status <> 'Running' AND n <> 0) FROM jobdeck.job_counts WHERE username = 'alice' AND status = 'Running'")"
sql "UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = $a" >/dev/null
sql "UPDATE jobdeck.jobs SET status = 'Error' WHERE id = $a" >/dev/null
sql "UPDATE jobdeck.jobs SET username = 'alice' WHERE id = $b" >/dev/null
sql "UPDATE jobdeck.jobs SET username = NULL, status = 'Error', completed_at = now() WHERE name = 'many 7'" >/dev/null
t_eq "counters match after status and owner changes" 0 "$(counts_off)"
t_eq "alice's counters are right" "Running 150|Error 1" \
	"$(sql "SELECT string_agg(status || ' ' || n, '|' ORDER BY status) FROM jobdeck.job_counts WHERE username = 'alice' AND n <> 0")"

out=$(PGUSER=postgres psql -X -q <<SQL 2>&1
LISTEN jobdeck_jobs;
UPDATE jobdeck.jobs SET worker = 'w2' WHERE id = $b;
UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE name LIKE 'many %' AND status = 'Running';
SQL
)
t_eq "a single update and a 149-row update are announced once each" 2 "$(grep -c 'jobdeck_jobs' <<<"$out")"
t_nomatch "neither names a job" "with payload" "$out"
t_eq "counters match after the bulk update" 0 "$(counts_off)"
# once per statement (db/066): 149 jobs from Completed to Error write two counter rows, once each
writes=$(PGUSER=postgres psql -X -q -At -c "BEGIN" \
	-c "UPDATE jobdeck.jobs SET status = 'Error' WHERE name LIKE 'many %' AND status = 'Completed'" \
	-c "SELECT n_tup_ins + n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'jobdeck.job_counts'::regclass" -c "COMMIT")
t_eq "a 149-row status change writes each counter it moves once" 2 "$writes"
t_eq "counters match after it" 0 "$(counts_off)"
t_eq "one transaction of several updates is announced once" 1 \
	"$(PGUSER=postgres psql -X -q -c "LISTEN jobdeck_jobs" -c "BEGIN; UPDATE jobdeck.jobs SET worker = 'w3' WHERE id = $a;
		UPDATE jobdeck.jobs SET worker = 'w3' WHERE id = $b; COMMIT" 2>&1 | grep -c "jobdeck_jobs")"
