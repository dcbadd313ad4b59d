# db/057 (per-job output channels) and db/065 (a count-0 submission) tried with psql by
# users who should get nothing from them: other users' ids, NULLs, temporary tables named
# like ours, a secret of their own.
. "$(dirname "$0")/../lib.sh"
jd_db a70 || exit 1

a=$(jd_job alice Running "owned by alice")
b=$(jd_job bob Running "owned by bob")
cl=$(jd_job "" Running "command line")
chan_a=$(sql_as alice "SELECT jobdeck.output_channel($a)")

t_eq "output_channel(NULL) is NULL" "t" "$(sql_as bob "SELECT jobdeck.output_channel(NULL) IS NULL")"
t_eq "bob learns nothing of a command-line job" "t" "$(sql_as bob "SELECT jobdeck.output_channel($cl) IS NULL")"
t_match "an administrator does" '^jobdeck_output_[0-9a-f]{32}$' "$(sql_as admin "SELECT jobdeck.output_channel($cl)")"
t_eq "a temporary jobs table saying alice's job is bob's does not stand in for ours" "t" \
	"$(sql_as bob "CREATE TEMP TABLE jobs (LIKE jobdeck.jobs INCLUDING DEFAULTS); INSERT INTO jobs (id, name, type, username) VALUES ($a, 'x', 'sleep', 'bob');
	               SET search_path = pg_temp, jobdeck; SELECT jobdeck.output_channel($a) IS NULL" 2>&1)"
chan_b=$(sql_as admin "SELECT jobdeck.output_channel($b)")
t_match "alice's channel is known to her" '^jobdeck_output_[0-9a-f]{32}$' "$chan_a"
t_eq "a temporary channel_secret first in bob's path changes nothing of his job's channel" "$chan_b" \
	"$(sql_as bob "CREATE TEMP TABLE channel_secret (secret text); INSERT INTO channel_secret VALUES ('known');
	               SET search_path = pg_temp, jobdeck; SELECT jobdeck.output_channel($b)")"
t_nomatch "nor can bob compute a channel from a secret he chose" \
	"$(sql_as bob "SELECT 'jobdeck_output_' || md5('known' || $b)")" "$(sql_as bob "SELECT jobdeck.output_channel($b)")"
t_fails "bob cannot run the trigger function that announces output" sql_as bob "SELECT jobdeck.output_notify()"
t_fails "nor read whether a secret exists" sql_as bob "SELECT count(*) FROM jobdeck.channel_secret"

# a count-0 submission records nothing, whatever the caller tries around it
before=$(sql "SELECT count(*), coalesce(max(id), 0), (SELECT coalesce(sum(n), 0) FROM jobdeck.job_counts) FROM jobdeck.jobs")
t_fails "a negative count is refused" sql_as bob "SELECT jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, -1)"
t_eq "a NULL count records nothing" "0" \
	"$(sql_as bob "SELECT count(*) FROM jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, NULL)" 2>/dev/null || echo 0)"
t_eq "count 0 with a temporary jobs table first in bob's path records nothing in ours, nor in his" "0|0" \
	"$(sql_as bob "CREATE TEMP TABLE jobs (LIKE jobdeck.jobs INCLUDING DEFAULTS); SET search_path = pg_temp, jobdeck;
	               SELECT count(*) FROM jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, 0);
	               SELECT count(*) FROM pg_temp.jobs" | paste -sd'|')"
t_eq "jobs, the highest id and the counters are as they were" "$before" \
	"$(sql "SELECT count(*), coalesce(max(id), 0), (SELECT coalesce(sum(n), 0) FROM jobdeck.job_counts) FROM jobdeck.jobs")"
next=$(sql_as bob "SELECT * FROM jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, 1)" 2>&1)
t_ok "and the next real submission takes the next id ($next)" test "$next" -gt "$b"
