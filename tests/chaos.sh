#!/usr/bin/env bash
# A chaos soak of jobdeck as deployed over simulated hosts (tests/hosts.sh): PostgreSQL on db,
# gearmand on gm1 and gm2, four workers on w1 and w2, clients on admin.
#
#   tests/chaos.sh               CHAOS_SECONDS (default 300) of faults; CHAOS_SEED to replay
#
# Clients submit all the while: sleep jobs that print known lines, batches of them, CSV
# imports of files only admin has, tasks of a task file, a `jobdeck run` now and then. At
# random moments a worker is killed (-9) and started again, a gearmand is killed and started
# again, PostgreSQL restarts, a worker host is cut off for a while, a running job is
# cancelled. Then everything is healed and let settle, and the books are checked: nothing lost,
# stuck or ended twice, the output of every Completed sleep job exactly its lines, the tabs'
# counters right, nothing left of cleared jobs. Needs root. As a test (under tests/run.sh) it
# records pass/fail lines; alone it prints the same and a summary line.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-build}
if [[ -z ${JD_RESULTS:-} ]]; then
	export JD_TMP; JD_TMP=$(mktemp -d /tmp/jobdeck-chaos.XXXXXX)
	chmod 755 "$JD_TMP"
	export JD_RESULTS=$JD_TMP/results
	: >"$JD_RESULTS"
	CHAOS_ALONE=1
	export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
fi
T_FILE=${T_FILE:-chaos.sh}
export JOBDECK_HEARTBEAT_TIMEOUT=${JOBDECK_HEARTBEAT_TIMEOUT:-3}
# shellcheck disable=SC1091
source "$top/tests/integration/n_common.bash"

SECONDS_WANTED=${CHAOS_SECONDS:-300}
SEED=${CHAOS_SEED:-$$}
RANDOM=$SEED
echo "== chaos: ${SECONDS_WANTED}s, seed $SEED"

n_hosts db gm1 gm2 w1 w2 admin
CLIENTS=()
chaos_exit() {
	touch "$N_LOG/stop"
	((${#CLIENTS[@]})) && kill "${CLIENTS[@]}" 2>/dev/null
	hosts_cleanup
	[[ -n ${CHAOS_ALONE:-} ]] && rm -rf "$JD_TMP"
}
trap chaos_exit EXIT
N_GEARMAN="$(host_ip gm1):4730,$(host_ip gm2):4730"
n_db
n_gm_start gm1 && n_gm_start gm2 || exit 1
sql "INSERT INTO jobdeck.records (id, parent_id, identifier, title, level) VALUES
	(1, NULL, 'F-1', 'Chaos fonds', 'Fonds'), (2, 1, 'F-1-S1', 'Imports', 'Series');
	SELECT setval('jobdeck.records_id_seq', 100)" >/dev/null

# The task file, on every host that submits or runs tasks: three known lines.
for h in admin w1 w2; do
	d=$(host_dir "$h")
	printf '#!/bin/sh\necho "task line 1"\nsleep 0.2\necho "task line 2"\nsleep 0.2\necho "task line 3"\n' >"$d/say"
	chmod 755 "$d/say"
	printf '[task say]\ncommand = %s/say\n' "$d" >"$d/tasks.conf"
done
n_tasks() { echo "JOBDECK_CONFIG=$(host_dir "$1")/tasks.conf"; }

# ---- four workers on two hosts
WORKERS=(w1a w1b w2a w2b)
declare -A WPID
start_worker() { # id
	local id=$1 h=${1:0:2}
	n_on "$h" worker env "$(n_tasks "$h")" "$JD_BIN" worker --id "$id" >>"$N_LOG/$id.log" 2>&1 &
	WPID[$id]=$!
}
for w in "${WORKERS[@]}"; do start_worker "$w"; done
t_poll "the four workers are registered" 20 n_gm_workers_is gm2 jobdeck:sleep 4

# ---- clients on admin, each a loop until the stop file appears; each logs the ids it got
STOP=$N_LOG/stop
client_sleep() {
	local i=0 s l
	local secs=(0 0 0.5 1 2 3)
	while [[ ! -e $STOP ]]; do
		s=${secs[RANDOM % ${#secs[@]}]} l=$((RANDOM % 6))
		n_jd alice submit sleep --param seconds="$s" --param lines="$l" >>"$N_LOG/ids.sleep" 2>>"$N_LOG/client.err" ||
			echo "sleep $((++i))" >>"$N_LOG/refused"
		sleep 0.$((5 + RANDOM % 5))
	done
}
client_batch() {
	while [[ ! -e $STOP ]]; do
		n_jd bob submit sleep --param seconds=0 --param lines=2 --count 25 >>"$N_LOG/ids.batch" 2>>"$N_LOG/client.err" ||
			echo "batch" >>"$N_LOG/refused"
		sleep $((2 + RANDOM % 3))
	done
}
client_import() {
	local i=0 f
	while [[ ! -e $STOP ]]; do
		i=$((i + 1))
		f=$(host_dir admin)/import-$i.csv
		printf 'identifier,title\nC-%d-1,First of %d\nC-%d-2,Second of %d\n' $i $i $i $i >"$f"
		n_jd alice submit csv-import --object 2 --param file="$f" >>"$N_LOG/ids.import" 2>>"$N_LOG/client.err" ||
			echo "import" >>"$N_LOG/refused"
		sleep $((1 + RANDOM % 3))
	done
}
client_export() {
	while [[ ! -e $STOP ]]; do
		n_jd alice submit csv-export --object 1 >>"$N_LOG/ids.export" 2>>"$N_LOG/client.err" ||
			echo "export" >>"$N_LOG/refused"
		sleep $((3 + RANDOM % 4))
	done
}
client_task() {
	while [[ ! -e $STOP ]]; do
		n_on admin alice env "$(n_tasks admin)" "$JD_BIN" submit say >>"$N_LOG/ids.task" 2>>"$N_LOG/client.err" ||
			echo "task" >>"$N_LOG/refused"
		sleep $((1 + RANDOM % 2))
	done
}
client_run() {
	while [[ ! -e $STOP ]]; do
		n_jd admin run --name chaos-run -- sh -c 'echo run line 1; sleep 1; echo run line 2' >/dev/null 2>>"$N_LOG/client.err" ||
			echo "run" >>"$N_LOG/run.failed"
		sleep $((5 + RANDOM % 6))
	done
}
for c in client_sleep client_sleep client_batch client_import client_export client_task client_run; do
	RANDOM=$((SEED + ${#CLIENTS[@]})) $c &
	CLIENTS+=($!)
done

# ---- faults
declare -A FAULTS=([worker-kill]=0 [gearmand-kill]=0 [pg-restart]=0 [partition]=0 [cancel]=0)
fault() {
	case $((RANDOM % 5)) in
	0)
		local w=${WORKERS[RANDOM % 4]}
		kill -9 "${WPID[$w]}" 2>/dev/null
		wait "${WPID[$w]}" 2>/dev/null
		sleep $((1 + RANDOM % 3))
		start_worker "$w"
		FAULTS[worker-kill]=$((FAULTS[worker-kill] + 1)) ;;
	1)
		local g=gm$((1 + RANDOM % 2))
		n_gm_kill "$g" KILL
		sleep $((2 + RANDOM % 4))
		n_gm_start "$g" >/dev/null
		FAULTS[gearmand-kill]=$((FAULTS[gearmand-kill] + 1)) ;;
	2)
		n_pg_restart fast >/dev/null 2>&1
		FAULTS[pg-restart]=$((FAULTS[pg-restart] + 1)) ;;
	3)
		local h=w$((1 + RANDOM % 2))
		host_partition "$h"
		sleep $((4 + RANDOM % 6))
		host_heal
		FAULTS[partition]=$((FAULTS[partition] + 1)) ;;
	4)
		local id
		id=$(sql "SELECT id FROM jobdeck.jobs WHERE status = 'Running' AND worker IS NOT NULL ORDER BY random() LIMIT 1" 2>/dev/null)
		[[ -n $id ]] && n_jd admin cancel "$id" >/dev/null 2>&1 && FAULTS[cancel]=$((FAULTS[cancel] + 1)) ;;
	esac
}
end=$((SECONDS + SECONDS_WANTED))
while ((SECONDS < end)); do
	sleep $((2 + RANDOM % 4))
	fault
done

# ---- heal, stop the clients, let it settle
touch "$STOP"
wait "${CLIENTS[@]}" 2>/dev/null
host_heal
n_pg_start >/dev/null 2>&1
n_gm_start gm1 >/dev/null; n_gm_start gm2 >/dev/null
for w in "${WORKERS[@]}"; do kill -0 "${WPID[$w]}" 2>/dev/null || start_worker "$w"; done
# Jobs gearmand lost are handed over again after 30 s (the sweep), lost workers' after 3 s;
# the backlog left when the clients stop drains meanwhile. Settled: nothing Running; given up
# when the count has not gone down for 90 s.
backlog=$(n_count "status = 'Running'")
settle_from=$SECONDS last=$backlog last_at=$SECONDS
while :; do
	now=$(n_count "status = 'Running'" 2>/dev/null) || now=$last
	((now == 0)) && break
	((now < last)) && last=$now last_at=$SECONDS
	((SECONDS - last_at >= 90)) && break
	sleep 1
done
settle=$((SECONDS - settle_from))
t_eq "everything settles: no job Running (backlog at the end: $backlog, ${settle}s)" 0 "$(n_count "status = 'Running'")"

# ---- the books
acked=$(cat "$N_LOG"/ids.* 2>/dev/null | grep -cE '^[0-9]+$')
jobs=$(n_count "true")
lost=$(cat "$N_LOG"/ids.* 2>/dev/null | grep -E '^[0-9]+$' | sort | comm -23 - <(sql "SELECT id FROM jobdeck.jobs" | sort) | wc -l)
stuck=$(n_count "status = 'Running'")
# a job ended twice: two workers say they ended it Completed, and not that the end was dropped
ends=$(cat "$N_LOG"/w[12][ab].log | grep -oE 'job [0-9]+ \([^,]+, attempt [0-9]+\) Completed' | grep -oE '^job [0-9]+' | sort | uniq -c | awk '$1 > 1 { print $3 }')
dropped=$(cat "$N_LOG"/w[12][ab].log | grep -oE 'job [0-9]+ (\([^)]*\) )?was handed to another worker' | grep -oE '^job [0-9]+' | awk '{ print $2 }' | sort -u)
duplicated=$(comm -23 <(sort -u <<<"$ends" | sed '/^$/d') <(sed '/^$/d' <<<"$dropped") | wc -l)
# the output of a Completed sleep job: its lines, in order, once, after the last note of a
# lost attempt (what came before belongs to attempts that were lost)
wrong=$(sql "WITH o AS (SELECT j.id, (j.params->>'lines')::int AS n,
	        convert_from(coalesce((SELECT string_agg(data, ''::bytea ORDER BY offset_) FROM jobdeck.job_output WHERE job_id = j.id), ''), 'UTF8') AS t
	      FROM jobdeck.jobs j WHERE j.type = 'sleep' AND j.status = 'Completed'),
	   l AS (SELECT id, n, regexp_replace(t, '^.*Attempt [0-9]+ of [0-9]+ lost[^\n]*\n', '', 's') AS t FROM o)
	SELECT count(*) FROM l
	 WHERE t <> coalesce((SELECT string_agg(format('line %s of %s', g, n) || E'\n', '' ORDER BY g) FROM generate_series(1, n) g), '')")
wrong_ids=$(sql "WITH o AS (SELECT j.id, (j.params->>'lines')::int AS n,
	        convert_from(coalesce((SELECT string_agg(data, ''::bytea ORDER BY offset_) FROM jobdeck.job_output WHERE job_id = j.id), ''), 'UTF8') AS t
	      FROM jobdeck.jobs j WHERE j.type = 'sleep' AND j.status = 'Completed'),
	   l AS (SELECT id, n, regexp_replace(t, '^.*Attempt [0-9]+ of [0-9]+ lost[^\n]*\n', '', 's') AS t FROM o)
	SELECT string_agg(id::text, ' ') FROM (SELECT id FROM l
	 WHERE t <> coalesce((SELECT string_agg(format('line %s of %s', g, n) || E'\n', '' ORDER BY g) FROM generate_series(1, n) g), '') LIMIT 10) s")
imports_bad=$(sql "SELECT count(*) FROM jobdeck.jobs j WHERE type = 'csv-import' AND status = 'Completed'
	AND (SELECT count(*) FROM jobdeck.records r WHERE r.identifier LIKE 'C-' || split_part(split_part(j.params->>'file', 'import-', 2), '.', 1) || '-%') <> 2")
tasks_bad=$(sql "SELECT count(*) FROM jobdeck.jobs j WHERE type = 'command' AND status = 'Completed'
	AND convert_from(coalesce((SELECT string_agg(data, ''::bytea ORDER BY offset_) FROM jobdeck.job_output WHERE job_id = j.id), ''), 'UTF8')
	    !~ '(^|\n)task line 1\ntask line 2\ntask line 3\n$'")
counts=$(sql "SELECT count(*) FROM (SELECT coalesce(username, '') u, status, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) a
	FULL JOIN (SELECT coalesce(username, '') u, status, n FROM jobdeck.job_counts WHERE n <> 0) c USING (u, status)
	WHERE a.n IS DISTINCT FROM c.n")
over=$(sql "SELECT count(*) FROM jobdeck.jobs WHERE attempts > max_attempts")
summary=$(sql "SELECT string_agg(type || ' ' || status || ' ' || n, ', ' ORDER BY type, status) FROM (SELECT type, status, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) s")
retried=$(n_count "attempts > 1")
causes=$(sql "SELECT string_agg(n || ' ' || c, '; ' ORDER BY n DESC) FROM (SELECT regexp_replace(regexp_replace(info[array_upper(info, 1)], '[0-9]+', 'N', 'g'), '(Cancelled by|lost) .*', '\\1 …') c, count(*) n FROM jobdeck.jobs WHERE status = 'Error' GROUP BY 1) s")
details=
for id in $wrong_ids; do
	details+="$(sql "SELECT format('   job %s: %s, attempts %s, worker %s, info %s, started %s, ended %s', id, params, attempts, worker, info, started_at, completed_at) FROM jobdeck.jobs WHERE id = $id")
$(sql "SELECT format('      %s %s', to_char(at, 'HH24:MI:SS.MS'), replace(encode(data, 'escape'), E'\n', '\n')) FROM jobdeck.job_output WHERE job_id = $id ORDER BY offset_" | head -n 30)
"
done
[[ -n ${CHAOS_KEEP:-} ]] && mkdir -p "$CHAOS_KEEP" && cp "$N_LOG"/*.log "$CHAOS_KEEP"/

# clear everything that ended: no stored input, no produced file may stay behind
for u in alice bob admin; do n_jd "$u" clear --yes >>"$N_LOG/clear.out" 2>&1; done
exports_bad=$(n_count "type = 'csv-export' AND status = 'Completed' AND (file_bytes IS NULL OR file_bytes <> download_size
	OR file_bytes <> (SELECT sum(length(data)) FROM jobdeck.job_file f WHERE f.job_id = jobs.id))")
orphans() { sql "SELECT (SELECT count(*) FROM jobdeck.job_input i WHERE NOT EXISTS (SELECT 1 FROM jobdeck.jobs j WHERE j.id = i.job_id))
	|| ' ' || (SELECT count(DISTINCT job_id) FROM jobdeck.job_file f WHERE NOT EXISTS (SELECT 1 FROM jobdeck.jobs j WHERE j.id = f.job_id))
	|| ' ' || (SELECT count(DISTINCT job_id) FROM jobdeck.job_output o WHERE NOT EXISTS (SELECT 1 FROM jobdeck.jobs j WHERE j.id = o.job_id))"; }
# a clear leaves the output and files of what it removed to be purged after it, in the background
t_poll "the output and files of cleared jobs are purged" 60 bash -c "[[ \$(PGUSER=postgres psql -X -At -c \"SELECT count(*) FROM jobdeck.job_output_purge\") == 0 ]]"
read -r inputs_left files_left output_left <<<"$(orphans)"
scratch_left=$(find "$(host_dir w1)/downloads" "$(host_dir w2)/downloads" -type f 2>/dev/null | wc -l)
left=$(n_count "status <> 'Running'")

refused=$(cat "$N_LOG/refused" 2>/dev/null | wc -l)
faults=$(for k in worker-kill gearmand-kill pg-restart partition cancel; do printf '%s %s, ' "$k" "${FAULTS[$k]}"; done)
echo
echo "== chaos figures (${SECONDS_WANTED}s, seed $SEED)"
echo "   jobs            $jobs recorded, $acked acknowledged to clients, $refused submissions refused, $retried retried"
echo "   by type         $summary"
echo "   errors          ${causes:-none}"
echo "   faults          ${faults%, }"
echo "   settling        $backlog jobs Running when the clients stopped; ${settle}s to settle"
[[ $stuck != 0 ]] && echo "   stuck by type   $(sql "SELECT string_agg(type || ' ' || n || ' (' || w || ' claimed)', ', ') FROM (SELECT type, count(*) n, count(worker) w FROM jobdeck.jobs WHERE status = 'Running' GROUP BY 1) s")"
echo "   lost            $lost"
echo "   duplicated      $duplicated"
echo "   stuck           $stuck"
echo "   wrong output    $wrong${wrong_ids:+ (jobs $wrong_ids)}"
echo "   imports wrong   $imports_bad, exports wrong $exports_bad, tasks wrong $tasks_bad, attempts over max $over"
echo "   counters wrong  $counts"
echo "   after clear     $left ended jobs left; of cleared jobs: $inputs_left inputs, $files_left stored files, $output_left outputs left; $scratch_left files in the workers' scratch folders"
[[ -n $details ]] && printf '   wrong output, the first of them:\n%s' "$details"
echo

t_eq "no job lost" 0 "$lost"
t_eq "no job ended twice" 0 "$duplicated"
t_eq "no job stuck" 0 "$stuck"
t_eq "every Completed sleep job has exactly its lines" 0 "$wrong"
t_eq "every Completed import imported its two records" 0 "$imports_bad"
t_eq "every Completed task printed its three lines" 0 "$tasks_bad"
t_eq "no job ran more attempts than allowed" 0 "$over"
t_eq "the tabs' counters equal COUNT(*)" 0 "$counts"
t_eq "the clears left no ended job" 0 "$left"
t_eq "nor stored input" 0 "$inputs_left"
t_eq "nor stored file" 0 "$files_left"
t_eq "nor console output" 0 "$output_left"
t_eq "nor file in a worker's scratch folder" 0 "$scratch_left"
t_eq "every Completed export stored its whole file" 0 "$exports_bad"
t_ok "some jobs completed" test "$(grep -c 'Completed' <<<"$summary")" -gt 0

if [[ -n ${CHAOS_ALONE:-} ]]; then
	passed=$(grep -c '^pass ' "$JD_RESULTS"); failed=$(grep -c '^fail ' "$JD_RESULTS")
	echo "$passed passed, $failed failed"
	((failed == 0))
fi
