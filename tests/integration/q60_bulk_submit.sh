# submit --count: N identical jobs recorded in batches, each run once; gearmand down ends all
# of them as Error; no worker: they wait and say so.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q60 || exit 1

t_exit "--count 0 is a usage error" 2 as alice jd submit sleep --count 0
t_exit "--count must be a number" 2 as alice jd submit sleep --count many
t_exit "--count cannot go with --wait" 2 as alice jd submit sleep --count 3 --wait
t_eq "nothing was recorded for them" 0 "$(sql "SELECT count(*) FROM jobdeck.jobs")"

# gearmand down: every job recorded ends as Error with the reason
tests/services.sh gm-kill "$JD_SERVICES"
rc=0; out=$(as alice jd submit sleep --param seconds=0 --count 7 2>"$Q_TMP/err") || rc=$?
t_eq "submit --count with gearmand down exits 1" 1 "$rc"
t_eq "it prints the 7 ids" 7 "$(grep -cE '^[0-9]+$' <<<"$out")"
t_match "and says which server and why" "7 jobs \([0-9]+ to [0-9]+\): Could not queue the job: gearmand 127\.0\.0\.1:$GM_PORT is unreachable: Connection refused" "$(cat "$Q_TMP/err")"
t_eq "all 7 ended as Error with that Info, none queued" \
	"7|7|0|{\"Could not queue the job: gearmand 127.0.0.1:$GM_PORT is unreachable: Connection refused\"}" \
	"$(sql "SELECT count(*), count(*) FILTER (WHERE status = 'Error' AND username = 'alice'), count(queued_at), min(info::text) FROM jobdeck.jobs")"
tests/services.sh gm-start "$JD_SERVICES"

# no worker: all recorded and queued, waiting, and submit says so once
N=1203
before=$(sql "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
rc=0; as alice jd submit sleep --param seconds=0 --param lines=1 --count $N >"$Q_TMP/ids" 2>"$Q_TMP/err" || rc=$?
t_eq "submit --count $N with no worker exits 0" 0 "$rc"
t_eq "it prints $N distinct ids" $N "$(sort -u "$Q_TMP/ids" | grep -cE '^[0-9]+$')"
t_eq "they are the jobs recorded" "$N|t" "$(sql "SELECT count(*), bool_and(id::text = ANY(string_to_array('$(tr '\n' ' ' <"$Q_TMP/ids")', ' '))) FROM jobdeck.jobs WHERE id > $before")"
t_match "standard error says no worker is connected" "$N jobs: Waiting for a worker: none is connected for sleep" "$(cat "$Q_TMP/err")"
t_eq "each is Running, queued, waiting, alice's, with its parameters" \
	"$N|$N|$N|$N|$N" \
	"$(sql "SELECT count(*), count(*) FILTER (WHERE status = 'Running' AND worker IS NULL), count(queued_at),
		count(*) FILTER (WHERE info = ARRAY['Waiting for a worker: none is connected for sleep'] AND username = 'alice'),
		count(*) FILTER (WHERE params = '{\"seconds\": \"0\", \"lines\": \"1\"}' AND type = 'sleep' AND name = 'Sleep')
		FROM jobdeck.jobs WHERE id > $before")"
gm_total() { gearadmin -h "$GM_HOST" -p "$GM_PORT" --status | awk -F'\t' '$1 == "jobdeck:sleep" { print $2 }'; }
t_eq "gearmand holds all $N" $N "$(gm_total)"

# two workers run them, each exactly once
q_worker w1
q_worker w2
all_done() { [[ $(sql "SELECT count(*) FROM jobdeck.jobs WHERE id > $before AND status = 'Running'") == 0 ]]; }
t_poll "all $N complete" 60 all_done
t_eq "each Completed once, on the first attempt, with one line of output" "$N|1|1|$N" \
	"$(sql "SELECT count(*) FILTER (WHERE status = 'Completed'), min(attempts), max(attempts),
		count(*) FILTER (WHERE output_bytes = 12) FROM jobdeck.jobs WHERE id > $before")"
t_eq "no job has output from two runs" 0 \
	"$(sql "SELECT count(*) FROM (SELECT job_id FROM jobdeck.job_output o JOIN jobdeck.jobs j ON j.id = o.job_id
		WHERE j.id > $before GROUP BY 1 HAVING count(*) <> 1) x")"
t_eq "both workers took part" 2 "$(sql "SELECT count(DISTINCT worker) FROM jobdeck.jobs WHERE id > $before")"
t_eq "the counters match the table" 0 \
	"$(sql "SELECT count(*) FROM (SELECT username, status, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) t
		FULL JOIN jobdeck.job_counts c ON c.username IS NOT DISTINCT FROM t.username AND c.status = t.status
		WHERE coalesce(c.n, 0) <> coalesce(t.n, 0)")"
t_eq "gearmand holds none of them any more" 0 "$(gm_total)"
