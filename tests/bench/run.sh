#!/usr/bin/env bash
# make bench: jobdeck at a million jobs, measured next to psql and bare gearman in one run.
#
# Builds a private PostgreSQL + gearmand (tests/services.sh) in a temporary folder, loads
# the benchmark data (tests/bench/gen.sql), measures, prints one table and saves it to
# tests/bench/RESULTS.md. Figures are printed, never asserted: a slow machine does not fail.
#
# Settings (environment):
#   BENCH_JOBS=1000000     jobs to generate (BENCH_JOBS=100000 for a quick run)
#   BENCH_CHUNKS=9         output lines per job; the big-output job gets BENCH_JOBS + 9 lines,
#                          so output rows total (BENCH_CHUNKS + 1) * BENCH_JOBS: 10,000,000
#   BENCH_ITERS=30         timed runs per page query (slow ones stop after about 3 s)
#   BENCH_GEARMAN_JOBS=20000   jobs for the throughput figure
#   BENCH_CONCURRENCY=1    the --concurrency of each jobdeck worker process for it (2 and 4
#                          processes; tests/bench/throughput.sh: that figure alone)
#   BENCH_NETEM_JOBS=5000  jobs for figure 5b (tests/bench/netem.sh: that figure alone)
#   BENCH_FILTER_RARE, BENCH_FILTER_COMMON   the two text filters
#   BENCH_STREAM=1         figure 8, hundreds of streaming jobs (tests/bench/stream.sh, a few
#                          minutes; BENCH_STREAM_JOBS, _RATE, _SECONDS there): 0 leaves it out
#   BENCH_KEEP=1           leave the services and data in place (the folder is printed)
#   BENCH_RESULTS=FILE     where the table goes (default tests/bench/RESULTS.md)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$top/$BUILD/jobdeck
bench=$top/$BUILD/bench
JOBS=${BENCH_JOBS:-1000000}
CHUNKS=${BENCH_CHUNKS:-9}
BIG=${BENCH_BIG:-$((JOBS + CHUNKS))}
ITERS=${BENCH_ITERS:-30}
GM_JOBS=${BENCH_GEARMAN_JOBS:-20000}
GM_CONC=${BENCH_CONCURRENCY:-1}
FILTER_RARE=${BENCH_FILTER_RARE:-ACC-04217}
FILTER_COMMON=${BENCH_FILTER_COMMON:-import}
RESULTS=${BENCH_RESULTS:-$top/tests/bench/RESULTS.md}
DEPTH=$((JOBS * 9 / 10))       # 900,000 rows deep at a million
PAGE=50                        # rows per page, as jdbench fetches

for b in "$bin" "$bench/jdbench" "$bench/runrss" "$bench/gmbare" "$bench/jdsubmit"; do
	[[ -x $b ]] || { echo "bench: $b is missing (run make bench)" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
chmod 755 "$tmp"
services=$tmp/services
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	tmux -L "jdbench-$$" kill-server 2>/dev/null
	if [[ -n ${BENCH_KEEP:-} ]]; then
		echo "bench: services and data kept in $tmp (tests/services.sh stop $services)"
		return
	fi
	tests/services.sh stop "$services" >/dev/null 2>&1
	local pg; pg=$(readlink -f "$services/pg" 2>/dev/null)
	[[ -n $pg && $pg == /tmp/jobdeck-pg.* ]] && rm -rf "$pg"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ==== helpers ====

rows=()                       # figure|jobdeck|baseline|ratio|target
row() { rows+=("$1|$2|$3|$4|$5"); printf '  %-44s %-22s %-22s %-8s %s\n' "$1" "$2" "$3" "$4" "$5"; }
kv() { # kv KEY "k=v k=v ..." -> v
	local w
	for w in $2; do [[ ${w%%=*} == "$1" ]] && { echo "${w#*=}"; return; }; done
	echo ""
}
ratio() { # ratio A B -> A/B to 2 places, or n/a
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2fx", a / b }'
}
ms() { awk -v v="$1" 'BEGIN { if (v == "") print "n/a"; else if (v >= 100) printf "%.0f ms", v; else printf "%.2f ms", v }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
psu() { local u=$1; shift; PGUSER=$u psql -X -q -v ON_ERROR_STOP=1 "$@"; }
sqlsu() { PGUSER=postgres psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# psql_time ROLE FILE RUNS: median over RUNS runs of the statements in FILE (one a line,
# each ending in ";") of the sum of psql's own \timing for them, in ms. One warm-up run
# first, as jdbench does.
psql_time() {
	local role=$1 file=$2 runs=$3 script=$tmp/psql-run.sql k
	k=$(grep -c ';$' "$file")
	{ echo '\timing on'; echo '\o /dev/null'
	  for ((i = 0; i <= runs; i++)); do cat "$file"; done; } >"$script"
	psu "$role" -f "$script" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' |
		awk -v k="$k" '{ s += $1 } NR % k == 0 { print s; s = 0 }' | tail -n +2 | median
}

# Runs for a psql baseline: as many as jobdeck had, but about 3 s at most (3 at least).
runs_for() { awk -v m="$1" -v n="$ITERS" 'BEGIN { r = (m > 0) ? int(3000 / m) : n; if (r > n) r = n; if (r < 3) r = 3; print r }'; }

machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1),"
machine+=" $(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM"
machine+=", PostgreSQL $(psql --version | awk '{ print $3 }'), gearmand $(gearmand --version 2>/dev/null | awk 'NF { print $2; exit }')"

echo "== jobdeck benchmarks: $JOBS jobs, $(( (CHUNKS + 1) * JOBS )) output rows"
echo "   $machine"
tests/services.sh start "$services" || { echo "bench: could not start PostgreSQL and gearmand" >&2; exit 1; }
# shellcheck disable=SC1091
. "$services/env"
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8 JOBDECK_DOWNLOADS=$tmp/downloads
mkdir -p "$JOBDECK_DOWNLOADS"
pglog=$(readlink -f "$services/pg")/server.log

# ==== data ====

PGUSER=postgres "$bin" migrate >/dev/null || exit 1
t0=$(now_ms)
psu postgres -v jobs="$JOBS" -v chunks="$CHUNKS" -v big="$BIG" -f tests/bench/gen.sql >/dev/null || exit 1
t1=$(now_ms)
counts_ok=$(sqlsu "SELECT count(*) = 0 FROM (SELECT username, status, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) t
	FULL JOIN jobdeck.job_counts c ON c.username IS NOT DISTINCT FROM t.username AND c.status = t.status
	WHERE c.n IS DISTINCT FROM t.n")
outrows=$(sqlsu "SELECT count(*) FROM jobdeck.job_output")
echo "   data: $JOBS jobs, $outrows output rows in $(( (t1 - t0) / 1000 )) s; counters match the table: $counts_ok"
echo
printf '  %-44s %-22s %-22s %-8s %s\n' figure jobdeck baseline ratio target
row "load: $JOBS jobs + $outrows output rows" "$(( (t1 - t0) / 1000 )) s" "" "" "(setup)"

# ==== 1. page fetch: jobdeck's jobs_page vs psql running the same SQL ====

# The SQL jobdeck sends is taken from the server log (one call per scenario after a marker
# statement), with its parameters, so psql replays exactly what the product ran.
# Field filters (user:, type:, status:, since:, negation) are pages like the others.
scen=(first deep failed user filter-rare filter-common f-user f-type f-status-user f-since f-not f-alice)
declare -A srole=([first]=admin [deep]=admin [failed]=admin [user]=alice [filter-rare]=admin [filter-common]=admin
	[f-user]=admin [f-type]=admin [f-status-user]=admin [f-since]=admin [f-not]=admin [f-alice]=alice)
declare -A sname=([first]=first [deep]=deep [failed]=failed [user]=first [filter-rare]=filter [filter-common]=filter
	[f-user]=filter [f-type]=filter [f-status-user]=filter [f-since]=filter [f-not]=filter [f-alice]=filter)
declare -A sarg=([deep]=$DEPTH [filter-rare]=$FILTER_RARE [filter-common]=$FILTER_COMMON
	[f-user]="user:carol" [f-type]="type:export_csv" [f-status-user]="status:error user:bob"
	[f-since]="since:1h" [f-not]="-user:alice $FILTER_COMMON" [f-alice]="status:error $FILTER_RARE")
sqlsu "ALTER SYSTEM SET log_min_duration_statement = 0" && sqlsu "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
mark=$(wc -c <"$pglog")
for s in "${scen[@]}"; do
	PGUSER=${srole[$s]} "$bench/jdbench" page "${sname[$s]}" 0 "${sarg[$s]:-}" >/dev/null || exit 1
	# the log shows the role's marker: keep them apart by scenario name
	sqlsu "SELECT 'bench-scenario-done:$s'" >/dev/null
done
sqlsu "ALTER SYSTEM RESET log_min_duration_statement" && sqlsu "SELECT pg_reload_conf()" >/dev/null
mkdir -p "$tmp/sql"
tail -c +"$((mark + 1))" "$pglog" | python3 tests/bench/capture.py "$tmp/sql" "${scen[@]}" || exit 1

# At well under a millisecond a figure moves with whatever else the machine does, so jobdeck
# and psql take turns, three rounds each, and each side reports the median of its rounds.
declare -A jd_ms
for s in "${scen[@]}"; do
	jds=() bases=()
	for _ in 1 2 3; do
		out=$(PGUSER=${srole[$s]} "$bench/jdbench" page "${sname[$s]}" "$ITERS" "${sarg[$s]:-}") || exit 1
		jds+=("$(kv median_ms "$out")")
		bases+=("$(psql_time "${srole[$s]}" "$tmp/sql/$s.sql" "$(runs_for "${jds[-1]}")")")
	done
	jd_ms[$s]=$(printf '%s\n' "${jds[@]}" | median)
	base=$(printf '%s\n' "${bases[@]}" | median)
	label="1. page: $s"
	case $s in
	first) label="1. page: first (admin, All jobs)" ;;
	deep) label="1. page: $DEPTH rows deep (keyset)" ;;
	failed) label="1. page: Failed tab" ;;
	user) label="1. page: non-admin (alice)" ;;
	filter-rare) label="1. page: filter '$FILTER_RARE' ($(kv rows "$out") hits)" ;;
	filter-common) label="1. page: filter '$FILTER_COMMON'" ;;
	f-*) label="1. page: filter '${sarg[$s]}'" ;;
	esac
	[[ $s == f-* && ${srole[$s]} != admin ]] && label+=" (${srole[$s]})"
	row "$label" "$(ms "${jd_ms[$s]}")" "$(ms "$base") psql" "$(ratio "${jd_ms[$s]}" "$base")" "<= 1.5x psql"
done
# the deep page against what OFFSET paging costs, and against the first page
sed "s/ LIMIT $PAGE;\$/ LIMIT $PAGE OFFSET $DEPTH;/" "$tmp/sql/first.sql" >"$tmp/sql/offset.sql"
base=$(psql_time admin "$tmp/sql/offset.sql" 3)
row "1. page: $DEPTH deep vs psql OFFSET" "$(ms "${jd_ms[deep]}")" "$(ms "$base") OFFSET" "$(ratio "${jd_ms[deep]}" "$base")" "keyset << OFFSET"
row "1. page: $DEPTH deep vs first page" "$(ms "${jd_ms[deep]}")" "$(ms "${jd_ms[first]}") first" "$(ratio "${jd_ms[deep]}" "${jd_ms[first]}")" "~1x"

# ==== 2. dashboard ====

out=$(PGUSER=admin "$bench/jdbench" refresh "$ITERS") || exit 1
row "2. refresh queries (page + counters)" "$(ms "$(kv median_ms "$out")")" "" "" "(part of < 20 ms)"

dash_ready=1
not_built() { grep -q "not built yet" <<<"$("$bin" "$@" 2>&1)"; }
not_built dashboard --help && dash_ready=0
tm() { tmux -L "jdbench-$$" "$@"; }
# wait_screen PATTERN SECONDS: polls the dashboard's screen; prints the ms it took
wait_screen() {
	local start=$(now_ms) end=$(( $(now_ms) + $2 * 1000 ))
	while (( $(now_ms) < end )); do
		tm capture-pane -p -t dash 2>/dev/null | grep -qE -- "$1" && { echo $(( $(now_ms) - start )); return 0; }
	done
	return 1
}
dash_rss=""
if ((dash_ready)); then
	# start to first screen and key to screen: the real dashboard on a pseudo-terminal, each
	# byte timestamped as it arrives (ptytime), median and p95 of 10 runs, next to the same
	# measure of a curses program that does nothing else (the floor). The key is "r" after a
	# rename made with triggers off, so only the refresh can show it.
	rename="PGUSER=postgres psql -X -q -c \"SET session_replication_role = replica\" -c \"UPDATE jobdeck.jobs SET name = '%s' WHERE id = $JOBS\" >/dev/null"
	# shellcheck disable=SC2059
	if pt=$(PGUSER=admin "$bench/ptytime" -n 10 -m 'Bench marker' -k r -r 'QXZW-JKVYT#%' \
		-p "$(printf "$rename" 'QXZW-JKVYT#%')" -a "$(printf "$rename" 'Bench marker')" -- "$bin") &&
	   fl=$("$bench/ptytime" -n 10 -m 'Bench marker' -k r -r 'QXZW-JKVYT#%' -- "$bench/ncfloor"); then
		row "2. dashboard start to first screen p50/p95" "$(kv start_p50_ms "$pt") / $(kv start_p95_ms "$pt") ms" \
			"curses floor: $(kv start_p50_ms "$fl") / $(kv start_p95_ms "$fl") ms" "" "< 150 ms"
		row "2. refresh cycle, key to screen p50/p95" "$(kv key_p50_ms "$pt") / $(kv key_p95_ms "$pt") ms" \
			"curses floor: $(kv key_p50_ms "$fl") / $(kv key_p95_ms "$fl") ms" "" "< 20 ms"
	else
		row "2. dashboard start to first screen" "not measured: $pt" "" "" "< 150 ms"
	fi
	# memory and the live update: the dashboard in tmux
	tm new-session -d -s dash -x 120 -y 40 "exec env PGUSER=admin TERM=xterm-256color '$bin'"
	if wait_screen 'Bench marker' 10 >/dev/null; then
		dpid=$(tm list-panes -t dash -F '#{pane_pid}')
		dash_rss=$(rss_kb "$dpid")
		psu postgres -c "SET session_replication_role = replica" \
			-c "UPDATE jobdeck.jobs SET name = 'Bench refresh' WHERE id = $JOBS" >/dev/null
		tm send-keys -t dash r
		wait_screen 'Bench refresh' 5 >/dev/null
		# live update: a status change made in the database, seen through LISTEN/NOTIFY
		sqlsu "UPDATE jobdeck.jobs SET status = 'Error', completed_at = now() WHERE id = $JOBS" >/dev/null
		if ms6=$(wait_screen 'Bench refresh.*Error' 15); then
			row "6. live update, database to screen" "$ms6 ms" "AtoM: up to 10 s" "" "< 200 ms"
		else
			row "6. live update, database to screen" "not seen in 15 s" "AtoM: up to 10 s" "" "< 200 ms"
		fi
		# the big-output job is the second row: open its console output, go to the end
		tm send-keys -t dash Down Enter G
		sleep 2
		r2=$(rss_kb "$dpid")
		[[ -n $r2 && $r2 -gt ${dash_rss:-0} ]] && dash_rss=$r2
		row "3. dashboard resident memory, $outrows output rows" "$((dash_rss / 1024)) MB" "" "" "< 16 MB"
	else
		row "3. dashboard resident memory" "no screen in 10 s" "" "" "< 16 MB"
	fi
	tm kill-session -t dash 2>/dev/null
	sqlsu "UPDATE jobdeck.jobs SET name = 'Bench marker', status = 'Running', completed_at = NULL
		WHERE id = $JOBS" >/dev/null
else
	row "2. dashboard start to first screen" "n/a (needs dashboard)" "" "" "< 150 ms"
	row "2. refresh cycle (query + redraw)" "n/a (needs dashboard)" "" "" "< 20 ms"
	row "3. dashboard resident memory" "n/a (needs dashboard)" "" "" "< 16 MB"
	row "6. live update, database to screen" "n/a (needs dashboard)" "AtoM: up to 10 s" "" "< 200 ms"
fi

# ==== 3. console output: the selected job's tail, with 10 million output rows stored ====

out=$(PGUSER=admin "$bench/jdbench" tail "$((JOBS - 1))" 65536 "$ITERS") || exit 1
row "3. output tail, 64 KB of a $(( $(kv total "$out") / 1048576 )) MB output" "$(ms "$(kv median_ms "$out")")" "" "" "(dashboard detail)"
row "3. memory reading that tail" "$(( $(kv peak_rss_kb "$out") / 1024 )) MB" "" "" "< 16 MB"

# ==== 4. CSV export vs psql \copy of the same columns ====

"$bench/runrss" "$tmp/rss-jd" env PGUSER=admin "$bench/jdbench" export "$tmp/jobdeck.csv" >"$tmp/export.out" || exit 1
jd=$(cat "$tmp/rss-jd")
copy="\\copy (SELECT created_at, completed_at, name, status, array_to_string(info, ' | '),"
copy+=" coalesce(username, 'Command line') FROM jobdeck.jobs ORDER BY created_at DESC, id DESC)"
copy+=" TO '$tmp/psql.csv' WITH (FORMAT csv, HEADER)"
"$bench/runrss" "$tmp/rss-psql" env PGUSER=admin psql -X -q -v ON_ERROR_STOP=1 -c "$copy" || exit 1
ps=$(cat "$tmp/rss-psql")
row "4. CSV export, $(kv rows "$(cat "$tmp/export.out")") rows" "$(kv seconds "$jd") s" "$(kv seconds "$ps") s psql \\copy" \
	"$(ratio "$(kv seconds "$jd")" "$(kv seconds "$ps")")" "<= 1.3x"
row "4. CSV export peak memory" "$(( $(kv maxrss_kb "$jd") / 1024 )) MB" "$(( $(kv maxrss_kb "$ps") / 1024 )) MB psql" \
	"$(ratio "$(kv maxrss_kb "$jd")" "$(kv maxrss_kb "$ps")")" "flat"
rm -f "$tmp/jobdeck.csv" "$tmp/psql.csv"

# ==== 5. throughput through gearmand: bare libgearman vs jobdeck end to end ====

# tests/bench/throughput.sh on these services: jobdeck and bare gearman (pipelined
# submissions, libgearman at its fastest; as many workers) take turns, 3 rounds each, and the
# medians are compared; then one job on an idle system. One submit per round trip, as
# `jobdeck submit` does, is shown beside them.
bare1=$("$bench/gmbare" "$JOBDECK_GEARMAN" "$GM_JOBS" 2 1) || bare1=""
jd5_ready=1
not_built worker --help && jd5_ready=0
"$bench/jdsubmit" --check 2>/dev/null || jd5_ready=0
if ((jd5_ready)); then
	tput=$(BENCH_GEARMAN_JOBS=$GM_JOBS BENCH_CONCURRENCY=$GM_CONC BUILD=$BUILD tests/bench/throughput.sh --here) || tput=""
	grep -v '^result ' <<<"$tput" | sed 's/^/   /'
	for c in 2w 4w 2g; do
		r=$(grep "^result config=$c " <<<"$tput")
		case $c in
		2w) label="2 x $GM_CONC worker processes" ;;
		4w) label="4 x $GM_CONC worker processes" ;;
		2g) label="2 worker processes, two gearmands" ;;
		esac
		if [[ -z $r ]]; then
			row "5. throughput, $label" "not measured" "" "" ">= 0.5x"
			continue
		fi
		row "5. throughput, $GM_JOBS jobs x 3 rounds, $label" "$(kv jd "$r") jobs/s" "$(kv bare "$r") jobs/s bare" \
			"$(kv ratio "$r")x ($(kv lo "$r")-$(kv hi "$r")x)" ">= 0.5x"
		[[ $c == 2w ]] && row "5. submit-to-complete p50 / p99 (2 workers)" "$(kv p50 "$r") / $(kv p99 "$r") ms" "" "" ""
		[[ $c == 2w ]] && row "3. worker RSS after $(kv rss1_at "$r") / $(kv jobs "$r") jobs" \
			"$(( $(kv rss1_kb "$r") / 1024 )) / $(( $(kv rss2_kb "$r") / 1024 )) MB" "" "" "flat"
	done
	r=$(grep "^result onejob " <<<"$tput")
	row "5. created -> started p50/p95, one job on an idle system" "$(kv jd_p50_ms "$r") / $(kv jd_p95_ms "$r") ms" \
		"$(kv bare_p50_ms "$r") / $(kv bare_p95_ms "$r") ms bare" "" "p50 < 5 ms"
	row "5. submit command start -> started p50/p95" "$(kv cmd_p50_ms "$r") / $(kv cmd_p95_ms "$r") ms" "" "" "(whole command)"
else
	row "5. throughput, $GM_JOBS sleep jobs" "n/a (needs jobdeck worker)" "" "" ">= 0.5x"
	row "3. worker memory over 10,000 jobs" "n/a (needs jobdeck worker)" "" "" "flat"
fi
row "5. bare gearman, one submit per round trip" "" "$(kv rate "$bare1") jobs/s, p50 $(kv p50_ms "$bare1") / p99 $(kv p99_ms "$bare1") ms" "" "(reference)"
row "5. load average during figure 5" "$(cut -d' ' -f1-3 /proc/loadavg)" "" "" "(2 cores, shared)"

# ==== 5b. the same end to end, workers on a host 1 ms away (network namespaces; root) ====

if [[ $(id -u) -eq 0 ]] && [[ -x $bench/jdsubmit ]]; then
	BENCH_WORKERS=2 BENCH_CONCURRENCY=$GM_CONC tests/bench/netem.sh >"$tmp/netem.out" 2>&1
	ne=$(grep '^netem: ' "$tmp/netem.out" | tail -n 1)
	if [[ -n $ne ]]; then
		row "5b. throughput, workers' host 1 ms away ($(kv jobs "$ne") jobs)" "$(kv rate1 "$ne") jobs/s" \
			"$(kv rate0 "$ne") jobs/s no delay" "$(kv ratio "$ne")x" ">= 0.5x"
	else
		row "5b. throughput, workers' host 1 ms away" "n/a ($(tail -n 1 "$tmp/netem.out"))" "" "" ">= 0.5x"
	fi
else
	row "5b. throughput, workers' host 1 ms away" "n/a (needs root)" "" "" ">= 0.5x"
fi

# ==== 7. clearing a user's inactive jobs while the dashboard's queries keep running ====

out=$(PGUSER=carol "$bench/jdbench" clear "user=admin") || exit 1
row "7. clear $(kv removed "$out") inactive jobs" "$(kv seconds "$out") s" "" "" "< 2 s"
row "7. then purging their output (background)" "$(kv purge_seconds "$out") s" "" "" ""
row "7. page+counters during the clear (p99/max)" "$(ms "$(kv probe_p99_ms "$out")") / $(ms "$(kv probe_max_ms "$out")")" \
	"$(ms "$(kv probe_median_ms "$out")") median" "" "responsive"

# ==== 8. hundreds of jobs streaming output, a dashboard following one ====

# stream.sh runs in services of its own: a fresh database, with the workers it needs
if [[ ${BENCH_STREAM:-1} != 0 ]]; then
	if BUILD=$BUILD BENCH_STREAM_ROWS=$tmp/stream.rows tests/bench/stream.sh >"$tmp/stream.log" 2>&1 &&
	   [[ -s $tmp/stream.rows ]]; then
		grep '^   ' "$tmp/stream.log"
		while IFS='|' read -r f j b r t; do row "$f" "$j" "$b" "$r" "$t"; done <"$tmp/stream.rows"
	else
		tail -n 5 "$tmp/stream.log" >&2
		row "8. stream: hundreds of jobs streaming" "not measured (tests/bench/stream.sh failed)" "" "" ""
	fi
fi

# ==== the table ====

{
	echo "# jobdeck benchmark results"
	echo
	echo "Machine: $machine."
	echo "Data: $JOBS jobs, $outrows console-output rows (tests/bench/gen.sql). Run: $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "| figure | jobdeck | baseline | ratio | target |"
	echo "| --- | --- | --- | --- | --- |"
	for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
} >"$RESULTS"
echo
echo "   table saved to ${RESULTS#"$top"/}"
