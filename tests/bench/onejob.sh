#!/usr/bin/env bash
# One job on an idle system: N single `jobdeck submit sleep --param seconds=0`, one at a
# time, each once the one before has ended, run by one worker process; next to bare gearman
# (gmbare ... lat: submit to the worker's start, one job at a time). Run by run.sh and
# throughput.sh against their services (PG*, JOBDECK_GEARMAN set; roles admin and worker).
#
#   onejob.sh BIN BENCHDIR TMPDIR [N]   prints one line of key=value:
#     jd_p50_ms jd_p95_ms       created_at -> started_at (the jobs' own timestamps)
#     cmd_p50_ms cmd_p95_ms     the submit command's start -> started_at (the whole command:
#                               process start, connection, recording, hand-over)
#     bare_p50_ms bare_p95_ms   bare gearman, submit -> the worker's start
set -uo pipefail
bin=$1 bench=$2 tmp=$3 N=${4:-40}
sqlsu() { PGUSER=postgres psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

first=$(sqlsu "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
# a long heartbeat timeout: jobs other benchmarks generated as Running are not swept
PGUSER=worker JOBDECK_HEARTBEAT_TIMEOUT=999999 "$bin" worker --types sleep --id onejob-w1 >"$tmp/onejob-worker.log" 2>&1 &
wpid=$!
trap 'kill $wpid 2>/dev/null; wait $wpid 2>/dev/null' EXIT
sleep 1
: >"$tmp/onejob.starts"
for ((i = 0; i < N; i++)); do
	t=$(date +%s.%N)
	id=$(PGUSER=admin "$bin" submit sleep --param seconds=0) || { echo "onejob: submit failed" >&2; exit 1; }
	echo "($id, $t)" >>"$tmp/onejob.starts"
	# the next once this one has ended (and the worker waits idle again)
	for _ in $(seq 200); do
		[[ $(sqlsu "SELECT status <> 'Running' FROM jobdeck.jobs WHERE id = $id") == t ]] && break
		sleep 0.01
	done
	sleep 0.05
done
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null
values=$(paste -sd, "$tmp/onejob.starts")
q() { echo "round((1000 * extract(epoch FROM percentile_disc($1) WITHIN GROUP (ORDER BY $2)))::numeric, 2)"; }
IFS='|' read -r n a b c d <<<"$(sqlsu "SELECT count(*), $(q 0.5 'j.started_at - j.created_at'), $(q 0.95 'j.started_at - j.created_at'),
	$(q 0.5 'j.started_at - to_timestamp(s.t)'), $(q 0.95 'j.started_at - to_timestamp(s.t)')
	FROM jobdeck.jobs j JOIN (VALUES $values) s(id, t) ON s.id = j.id WHERE j.id > $first AND j.started_at IS NOT NULL")"
bare=$("$bench/gmbare" "$JOBDECK_GEARMAN" "$N" 1 lat) || bare=""
kv() { local w; for w in $2; do [[ ${w%%=*} == "$1" ]] && { echo "${w#*=}"; return; }; done; }
echo "jobs=$n jd_p50_ms=$a jd_p95_ms=$b cmd_p50_ms=$c cmd_p95_ms=$d bare_p50_ms=$(kv p50_ms "$bare") bare_p95_ms=$(kv p95_ms "$bare")"
