#!/usr/bin/env bash
# make bench-stream: hundreds of jobs writing console output at once, and a dashboard
# following one of them.
#
# In a private PostgreSQL + gearmand (tests/services.sh), two `jobdeck worker` processes with
# enough --concurrency for every job run BENCH_STREAM_JOBS jobs of a task that prints
# BENCH_STREAM_RATE lines a second for BENCH_STREAM_SECONDS seconds (tests/bench/ticker.c:
# every line known in advance). Measured, and printed as one table:
#   - every job's stored output against what it printed: lines lost, reordered, duplicated;
#   - worker and database CPU per 1,000 lines (/proc: utime + stime of the processes and of
#     the children they reaped), next to psql writing the same lines;
#   - the dashboard following one job, as admin in a tmux pane: its CPU in % of a core, and
#     key to screen (tests/bench/ptytime.c), with the load and after it.
# Figures are printed, never asserted.
#
# Settings (environment):
#   BENCH_STREAM_JOBS=200 BENCH_STREAM_RATE=20 BENCH_STREAM_SECONDS=60
#   BENCH_STREAM_DASH=30       seconds the dashboard's CPU is measured (at most half the run)
#   BENCH_STREAM_BASE=20       seconds each psql baseline writes
#   BENCH_STREAM_NOTIFY=10     seconds of each pgbench NOTIFY run (0: none)
#   BENCH_STREAM_SQL=SQL       run as postgres after the migrations, to try a change: e.g.
#                              'ALTER TABLE jobdeck.job_output DISABLE TRIGGER output_notify'
#   BENCH_STREAM_ROWS=FILE     also write the rows there, "figure|jobdeck|baseline|ratio|target"
#                              (tests/bench/run.sh reads them into its table)
#   BENCH_KEEP=1               leave the services and data in place (the folder is printed)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$top/$BUILD/jobdeck
bench=$top/$BUILD/bench
JOBS=${BENCH_STREAM_JOBS:-200}
RATE=${BENCH_STREAM_RATE:-20}
SECS=${BENCH_STREAM_SECONDS:-60}
DASH=${BENCH_STREAM_DASH:-30}
BASE=${BENCH_STREAM_BASE:-20}
NOTIFY=${BENCH_STREAM_NOTIFY:-10}
ROWS_FILE=${BENCH_STREAM_ROWS:-}
WORKERS=2
CONC=$(( (JOBS + WORKERS - 1) / WORKERS ))
LINES=$((JOBS * RATE * SECS))
(( DASH > SECS / 2 )) && DASH=$((SECS / 2))
(( DASH < 1 )) && DASH=1
cpu=$top/tests/bench/proccpu.py

for b in "$bin" "$bench/ticker" "$bench/ptytime"; do
	[[ -x $b ]] || { echo "stream: $b is missing (make all $BUILD/bench/ticker $BUILD/bench/ptytime)" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/jobdeck-stream.XXXXXX)
chmod 755 "$tmp"
services=$tmp/services
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	tmux -L "jdstream-$$" kill-server 2>/dev/null
	if [[ -n ${BENCH_KEEP:-} ]]; then
		echo "stream: services and data kept in $tmp (tests/services.sh stop $services)"
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

rows=()
row() {
	rows+=("$1|$2|$3|$4|$5")
	printf '  %-50s %-24s %-30s %-8s %s\n' "$1" "$2" "$3" "$4" "$5"
}
kv() { local w; for w in $2; do [[ ${w%%=*} == "$1" ]] && { echo "${w#*=}"; return; }; done; echo ""; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2fx", a / b }'; }
sqlsu() { PGUSER=postgres psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
now_ms() { date +%s%3N; }
tm() { tmux -L "jdstream-$$" "$@"; }
# per1k SECONDS LINES: CPU ms per 1,000 lines
per1k() { awk -v s="$1" -v n="$2" 'BEGIN { if (s == "" || n + 0 == 0) print "n/a"; else printf "%.1f", s * 1e6 / n }'; }
# pct SECONDS WALL: in % of one core
pct() { awk -v s="$1" -v w="$2" 'BEGIN { if (s == "" || w + 0 == 0) print "n/a"; else printf "%.1f", 100 * s / w }'; }
lines_stored() { sqlsu "SELECT coalesce(sum(output_lines), 0) FROM jobdeck.jobs WHERE id > $first"; }
# snap NAME [FILE:PID]: the CPU of the workers' and of PostgreSQL's processes so far (and of
# PID's, into FILE), and the lines stored
snap() {
	local w; w=$(IFS=,; echo "${wpids[*]}")
	python3 "$cpu" snap "$tmp/w-$1.json:$w" "$tmp/pg-$1.json:$pgpid" ${2:+"$2"}
	lines_stored >"$tmp/lines-$1"
}
wdiff() { python3 "$cpu" diff "$tmp/w-$1.json" "$tmp/w-$2.json"; }
pgdiff() { python3 "$cpu" diff "$tmp/pg-$1.json" "$tmp/pg-$2.json" "$tmp/backends"; }
lines_between() { echo $(( $(cat "$tmp/lines-$2") - $(cat "$tmp/lines-$1") )); }
# backends: which PostgreSQL process serves whom, for pgdiff (added to: those gone stay named)
label_backends() {
	sqlsu "SELECT pid, translate(CASE usename WHEN 'worker' THEN 'workers' WHEN 'admin' THEN 'dashboard'
		ELSE coalesce(usename, backend_type) END, ' =', '--') FROM pg_stat_activity" | tr '|' ' ' >>"$tmp/backends"
}
# sum of groups matching a pattern in a diff line
group_s() { tr ' ' '\n' <<<"$2" | awk -F= -v g="$1" '$1 ~ g { s += $2 } END { printf "%.3f", s }'; }

machine="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
machine+=", PostgreSQL $(psql --version | awk '{ print $3 }')"
echo "== jobdeck streaming benchmark: $JOBS jobs x $RATE lines/s x $SECS s = $LINES lines" \
	"($((JOBS * RATE)) lines/s), $WORKERS workers x --concurrency $CONC"
echo "   $machine; load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"

tests/services.sh start "$services" >/dev/null || { echo "stream: cannot start services" >&2; exit 1; }
# shellcheck disable=SC1091
. "$services/env"
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8 JOBDECK_DOWNLOADS=$tmp/downloads XDG_CONFIG_HOME=$tmp/config
mkdir -p "$JOBDECK_DOWNLOADS" "$XDG_CONFIG_HOME"
# each worker process holds two connections (its own and its output writer's): the cluster's
# 200 are too few for 200 slots
need=$(( 2 * WORKERS * CONC + 50 ))
if (( need > $(sqlsu "SHOW max_connections") )); then
	sqlsu "ALTER SYSTEM SET max_connections = $need" >/dev/null &&
		tests/services.sh pg-restart "$services" >/dev/null || { echo "stream: cannot restart PostgreSQL" >&2; exit 1; }
fi
pgdata=$(readlink -f "$services/pg")/data
pgpid=$(head -n 1 "$pgdata/postmaster.pid")
PGUSER=postgres "$bin" migrate >/dev/null || exit 1
sqlsu "CREATE ROLE admin LOGIN IN ROLE jobdeck_admin; CREATE ROLE worker LOGIN IN ROLE jobdeck_worker" >/dev/null || exit 1
if [[ -n ${BENCH_STREAM_SQL:-} ]]; then
	echo "   setup: $BENCH_STREAM_SQL"
	sqlsu "$BENCH_STREAM_SQL" >/dev/null || exit 1
fi
cat >"$tmp/tasks.conf" <<CONF
[task stream]
description = Stream job
command = $bench/ticker
args = {job} {rate} {seconds}
params = rate, seconds
CONF
export JOBDECK_CONFIG=$tmp/tasks.conf

# ==== the run ====

first=$(sqlsu "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
wpids=()
for ((w = 1; w <= WORKERS; w++)); do
	PGUSER=worker "$bin" worker --types stream --concurrency "$CONC" --id "stream-w$w" \
		>"$tmp/worker$w.log" 2>&1 &
	wpids+=($!)
done
pids=("${wpids[@]}")
gm_host=${JOBDECK_GEARMAN%%:*} gm_port=${JOBDECK_GEARMAN##*:}
served() { gearadmin -h "$gm_host" -p "$gm_port" --status 2>/dev/null | awk -F'\t' '$1 ~ /:stream$/ { print $4 }'; }
for _ in $(seq 600); do n=$(served); (( ${n:-0} >= WORKERS * CONC )) && break; sleep 0.2; done
echo "   $(served) worker processes registered; $(sqlsu "SELECT count(*) FROM pg_stat_activity WHERE usename = 'worker'") worker connections"
sleep 2
label_backends
snap idle0
sleep 5
snap idle1

snap a
t_submit=$(now_ms)
PGUSER=admin "$bin" submit stream --param rate="$RATE" --param seconds="$SECS" --count "$JOBS" \
	>"$tmp/submit.out" 2>&1 || { echo "stream: submit failed: $(tail -n 3 "$tmp/submit.out")" >&2; exit 1; }
for _ in $(seq 600); do
	n=$(sqlsu "SELECT count(*) FROM jobdeck.jobs WHERE id > $first AND status = 'Running' AND output_lines > 0")
	(( n >= JOBS )) && break
	sleep 0.2
done
t_streaming=$(now_ms)
echo "   $n jobs streaming $(( t_streaming - t_submit )) ms after the submit"
label_backends
snap b

# a finished job above the streaming ones, selected when the dashboard starts: key to screen
# is j, the next job (a streaming one) and its details, read from the database. (A change
# shown by r, as run.sh times it, cannot be timed here: the dashboard reads its page again
# by itself several times a second while the workers run; see the notifications below.)
sqlsu "INSERT INTO jobdeck.jobs (name, type, status, username, created_at, queued_at, started_at,
	completed_at) VALUES ('Bench marker', 'sleep', 'Completed', 'admin', now(), now(), now(), now())" >/dev/null
ptytime() { # RUNS
	PGUSER=admin "$bench/ptytime" -n "$1" -m 'Bench marker' -k j -r 'stream-w' -- "$bin" 2>&1
}
left_ms() { echo $(( t_submit + SECS * 1000 - $(now_ms) )); }
# notifications on jobdeck_jobs ("jobs changed": every dashboard reads its page again)
listen_jobs() { # SECONDS FILE
	printf 'LISTEN jobdeck_jobs;\nSELECT pg_sleep(%s);\nSELECT 1;\n' "$1" | PGUSER=postgres psql -X -q >"$2" 2>&1
}
count_notes() { grep -c 'Asynchronous notification "jobdeck_jobs"' "$1"; }
# key to screen under the load, first, then the dashboard's CPU:
# a third of what is left (a run takes a second or so), the rest for the CPU window
pt_runs=$(( $(left_ms) / 3000 ))
(( pt_runs > 10 )) && pt_runs=10
(( pt_runs < 3 )) && pt_runs=3
pt_load=$(ptytime "$pt_runs")
pt_load_late=$(( $(left_ms) < 0 ))

# the dashboard, as admin, on the newest streaming job (the second row): its details
# (Enter), following (f)
dash_start() {
	tm -f /dev/null new-session -d -s dash -x 120 -y 40 "exec env PGUSER=admin TERM=xterm-256color '$bin'"
	tm set-option -g status off >/dev/null
}
wait_screen() { # TEXT SECONDS
	local end=$(( $(now_ms) + $2 * 1000 ))
	while (( $(now_ms) < end )); do
		tm capture-pane -p -t dash 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
# dash_follow [no]: select the job, open it, follow it (not when it has ended); prints its
# id, or why not
dash_follow() {
	wait_screen "Stream job" 10 || { echo "no job list in 10 s"; return; }
	tm send-keys -t dash Home Down Enter
	wait_screen "Console output" 5 || { echo "no job opened"; return; }
	if [[ ${1:-} != no ]]; then
		tm send-keys -t dash f
		wait_screen "following" 5 || { echo "not following"; return; }
	fi
	tm capture-pane -p -t dash | sed -n 's/^ Job \([0-9]*\) .*/\1/p' | head -n 1
}
dash_start
follow=$(dash_follow)
why=""
[[ $follow =~ ^[0-9]+$ ]] || { why=$follow; follow=$(sqlsu "SELECT max(id) FROM jobdeck.jobs WHERE id > $first AND type <> 'sleep'"); }
dpid=$(tm list-panes -t dash -F '#{pane_pid}')
sleep 1
# the CPU window ends before the first job does
label_backends
snap c0 "$tmp/d0.json:$dpid"
# the CPU window ends before the first job can (a snapshot takes seconds when the machine
# is saturated)
left=$(( $(left_ms) / 1000 - 6 ))
(( DASH > left )) && DASH=$left
(( DASH < 1 )) && DASH=1
note_s=$(( DASH > 3 ? DASH - 2 : 1 ))
listen_jobs "$note_s" "$tmp/notes-load" &
lpid=$!
sleep "$DASH"
snap c1 "$tmp/d1.json:$dpid"
wait "$lpid"
tm capture-pane -p -t dash >"$tmp/dash-load.txt"
tm kill-server 2>/dev/null
running_c1=$(sqlsu "SELECT count(*) FROM jobdeck.jobs WHERE id > $first AND status = 'Running'")

for _ in $(seq $((SECS * 10 + 600))); do
	n=$(sqlsu "SELECT count(*) FROM jobdeck.jobs WHERE id > $first AND status = 'Running'")
	(( n == 0 )) && break
	sleep 0.1
done
snap e
t_end=$(now_ms)
sleep 2
snap i0
listen_jobs 10 "$tmp/notes-idle"
snap i1

# ==== every line checked ====

# expected: line N of job J is "job J line N/TOTAL " then 0123456789... up to 63 bytes
check=$(sqlsu "SELECT j.id, j.status, j.output_lines, l.n, l.line
	FROM jobdeck.jobs j
	CROSS JOIN LATERAL (SELECT convert_from(coalesce(string_agg(o.data, ''::bytea ORDER BY o.offset_), ''), 'UTF8') AS t
	                      FROM jobdeck.job_output o WHERE o.job_id = j.id) a
	CROSS JOIN LATERAL regexp_split_to_table(a.t, E'\\n') WITH ORDINALITY AS l(line, n)
	WHERE j.id > $first AND j.type = 'command' ORDER BY j.id, l.n" |
	awk -F'|' -v total=$((RATE * SECS)) -v jobs="$JOBS" '
	BEGIN { pad = "0123456789012345678901234567890123456789012345678901234567890123" }
	$1 != job { job = $1; njobs++; if ($2 != "Completed") notdone++; stored += $3; max = 0; delete seen }
	$5 == "" { next }   # after the last newline
	{
		seenlines++
		if (match($5, /^job [0-9]+ line [0-9]+\/[0-9]+ /) == 0) { garbled++; next }
		split($5, w, /[ \/]/)
		n = w[4] + 0; head = "job " w[2] " line " n "/" total " "
		if (w[2] != job || w[5] != total || n < 1 || n > total ||
		    $5 != head substr(pad, 1, 63 - length(head))) { garbled++; next }
		if (n in seen) { dup++; next }
		seen[n] = 1; good++
		if (n < max) reordered++; else max = n
	}
	END {
		printf "jobs=%d not_completed=%d lines=%d good=%d lost=%d dup=%d reordered=%d garbled=%d output_lines=%d\n",
			njobs, notdone + (jobs - njobs), seenlines, good, jobs * total - good, dup + 0, reordered + 0, garbled + 0, stored
	}')
# chunks: each starts where the one before ended
chunks=$(sqlsu "SELECT count(*), count(*) FILTER (WHERE offset_ <> coalesce(prev_end, 0)),
		round(avg(length(data))), round(avg(jobdeck.output_newlines(data)), 1)
	FROM (SELECT offset_, data, lag(offset_ + length(data)) OVER (PARTITION BY job_id ORDER BY offset_) prev_end
	        FROM jobdeck.job_output WHERE job_id > $first) c")
IFS='|' read -r nchunks badchunks chunk_bytes chunk_lines <<<"$chunks"
# the followed job through `jobdeck show --raw`, against the SQL
raw_ok=no
want=$(sqlsu "SELECT md5(string_agg(data, ''::bytea ORDER BY offset_)) FROM jobdeck.job_output WHERE job_id = $follow")
# (after the job's details and a line "Console output (N bytes):")
PGUSER=admin "$bin" show --raw "$follow" 2>/dev/null | sed '1,/^Console output (/d' >"$tmp/raw.out" &&
	[[ $(md5sum <"$tmp/raw.out") == "$want  -" ]] && raw_ok=yes
[[ $(wc -l <"$tmp/raw.out") == $((RATE * SECS)) ]] || raw_ok="no ($(wc -l <"$tmp/raw.out") lines)"
errors=$(grep -hciE 'error|fail|lost|could not' "$tmp"/worker*.log | awk '{ s += $1 } END { print s + 0 }')

# ==== without the load: the workers stopped ====

for p in "${wpids[@]}"; do kill "$p" 2>/dev/null; done
for p in "${wpids[@]}"; do wait "$p" 2>/dev/null; done
pids=()
sleep 1
dash_start
why_idle=$(dash_follow no)
[[ $why_idle =~ ^[0-9]+$ ]] && why_idle=""
dpid=$(tm list-panes -t dash -F '#{pane_pid}')
sleep 1
label_backends
python3 "$cpu" snap "$tmp/d2.json:$dpid" "$tmp/pg-q0.json:$pgpid"
sleep "$DASH"
python3 "$cpu" snap "$tmp/d3.json:$dpid" "$tmp/pg-q1.json:$pgpid"
tm capture-pane -p -t dash >"$tmp/dash-idle.txt"
tm kill-server 2>/dev/null
pt_idle=$(ptytime 10)

# ==== psql baselines: the same lines, chunked as the workers wrote them ====

# one chunk per job every 250 ms (the workers' flush), as one INSERT of all jobs' chunks, and
# as one INSERT per chunk, into a table of job_output's shape without its triggers and rules
sqlsu "CREATE TABLE public.base_output (LIKE jobdeck.job_output INCLUDING DEFAULTS INCLUDING INDEXES)" >/dev/null
per=$(( RATE / 4 > 0 ? RATE / 4 : 1 ))     # lines per chunk
rounds=$(( BASE * 4 ))
chunk=$(printf 'job 1 line 1/1200 012345678901234567890123456789012345678901234567\\n%.0s' $(seq "$per"))
{
	echo "\\set QUIET on"
	for ((r = 0; r < rounds; r++)); do
		echo "INSERT INTO public.base_output (job_id, offset_, data, line_at)"
		echo "  SELECT j, $((r * per * 64)), convert_to(E'$chunk', 'UTF8'), $((r * per)) FROM generate_series(1, $JOBS) j;"
		echo "SELECT pg_sleep(0.25);"
	done
} >"$tmp/base-batch.sql"
{
	echo "\\set QUIET on"
	for ((r = 0; r < rounds; r++)); do
		for ((j = 1; j <= JOBS; j++)); do
			echo "INSERT INTO public.base_output (job_id, offset_, data, line_at) VALUES ($j, $(( (rounds + r) * per * 64)), convert_to(E'$chunk', 'UTF8'), $((r * per)));"
		done
		echo "SELECT pg_sleep(0.25);"
	done
} >"$tmp/base-each.sql"
base_run() { # FILE -> "cpu_s wall_s lines"
	local n0 n1
	n0=$(sqlsu "SELECT count(*) FROM public.base_output")
	python3 "$cpu" snap "$tmp/pg-x0.json" "$pgpid"
	PGUSER=postgres psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -f "$1" >/dev/null || return
	python3 "$cpu" snap "$tmp/pg-x1.json" "$pgpid"
	n1=$(sqlsu "SELECT count(*) FROM public.base_output")
	local d; d=$(python3 "$cpu" diff "$tmp/pg-x0.json" "$tmp/pg-x1.json")
	echo "$(kv total "$d") $(kv wall "$d") $(( (n1 - n0) * per ))"
}
read -r b1_s b1_w b1_n <<<"$(base_run "$tmp/base-batch.sql")"
read -r b2_s b2_w b2_n <<<"$(base_run "$tmp/base-each.sql")"

# ==== PostgreSQL alone: NOTIFY with idle listeners ====

# Each output chunk is announced (db/057) and every worker slot's writer connection LISTENs
# (jobdeck_cancel, jobdeck_pause). PostgreSQL signals every listening backend of the database
# on each commit that notified, whatever its channels. pgbench, the run's rate of
# notifications on a channel nobody listens to, with as many idle listeners as the run had
# slots, and with none.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
nrate=$(( nchunks / SECS > 0 ? nchunks / SECS : 1 ))
listeners=$((WORKERS * CONC))
notify_run() { # -> "cpu_s wall_s tps"
	python3 "$cpu" snap "$tmp/pg-n0.json" "$pgpid"
	local out d
	out=$(PGUSER=postgres "$pgbin/pgbench" -n -R "$nrate" -T "$NOTIFY" -f "$tmp/notify.sql" 2>&1)
	python3 "$cpu" snap "$tmp/pg-n1.json" "$pgpid"
	d=$(python3 "$cpu" diff "$tmp/pg-n0.json" "$tmp/pg-n1.json")
	echo "$(kv total "$d") $(kv wall "$d") $(sed -n 's/^tps = \([0-9]*\).*/\1/p' <<<"$out")"
}
if (( NOTIFY > 0 )) && [[ -x $pgbin/pgbench ]]; then
	echo "SELECT pg_notify('jobdeck_output_bench', '');" >"$tmp/notify.sql"
	printf 'LISTEN jobdeck_cancel;\n\\sleep %d s\n' $((NOTIFY + 20)) >"$tmp/listen.sql"
	read -r n0_s n0_w n0_tps <<<"$(notify_run)"
	# pgbench's \sleep is the client's: the listeners' backends wait idle, as the workers' do
	PGUSER=postgres "$pgbin/pgbench" -n -c "$listeners" -j 1 -t 1 -f "$tmp/listen.sql" >/dev/null 2>&1 &
	lpid=$!
	pids+=("$lpid")
	for _ in $(seq 200); do
		n=$(sqlsu "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND state = 'idle'")
		(( n >= listeners )) && break
		sleep 0.1
	done
	read -r n1_s n1_w n1_tps <<<"$(notify_run)"
	sqlsu "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'" >/dev/null
	wait "$lpid" 2>/dev/null
	pids=()
fi

# ==== the table ====

wl=$(wdiff c0 c1); pl=$(pgdiff c0 c1); nl=$(lines_between c0 c1)
wa=$(wdiff a e); pa=$(pgdiff a e); na=$(lines_between a e)
wi=$(wdiff i0 i1); pi=$(pgdiff i0 i1)
wi0=$(wdiff idle0 idle1); pi0=$(pgdiff idle0 idle1)
dl=$(python3 "$cpu" diff "$tmp/d0.json" "$tmp/d1.json"); di=$(python3 "$cpu" diff "$tmp/d2.json" "$tmp/d3.json")
pdl=$(pgdiff c0 c1); pdi=$(python3 "$cpu" diff "$tmp/pg-q0.json" "$tmp/pg-q1.json" "$tmp/backends")
ww=$(kv wall "$wl")
jd_w=$(group_s '^jobdeck$' "$wl")
tk_w=$(group_s '^ticker$' "$wl")

echo
echo "   steady window: $(kv wall "$wl") s, $nl lines ($(awk -v n="$nl" -v w="$ww" 'BEGIN { printf "%.0f", n / w }') lines/s);" \
	"whole run: $(( (t_end - t_submit) / 1000 )) s, $na lines"
echo "   workers, steady: $wl"
echo "   postgres, steady: $pl"
echo "   dashboard under load: $dl; its backend: $(group_s '^dashboard' "$pdl") s"
[[ -n $why ]] && echo "   dashboard under load: $why"
(( running_c1 < JOBS )) && echo "   note: $((JOBS - running_c1)) jobs had ended before the steady window closed"
(( pt_load_late )) && echo "   note: the last key-to-screen runs under load came after the jobs ended"
echo
printf '  %-50s %-24s %-30s %-8s %s\n' figure jobdeck baseline ratio target
row "8. stream: $JOBS jobs x $RATE lines/s x $SECS s, lines checked" "$(kv lines "$check") stored" "$LINES printed" "" "all"
row "8. stream: lines lost / reordered / duplicated" "$(kv lost "$check") / $(kv reordered "$check") / $(kv dup "$check")" "" "" "0 / 0 / 0"
row "8. stream: lines garbled; jobs not Completed" "$(kv garbled "$check"); $(kv not_completed "$check")" "" "" "0; 0"
row "8. stream: chunks out of place (offset gaps)" "$badchunks of $nchunks" "$chunk_bytes B, $chunk_lines lines a chunk" "" "0"
row "8. stream: output_lines counter vs lines stored" "$(kv output_lines "$check")" "$(kv good "$check")" "" "equal"
row "8. stream: show --raw of the followed job = SQL" "$raw_ok" "" "" "yes"
b1=$(per1k "$b1_s" "$b1_n"); b2=$(per1k "$b2_s" "$b2_n")
row "8. stream: DB CPU per 1,000 lines, steady" "$(per1k "$(kv total "$pl")" "$nl") ms" "$b1 ms psql batches" "$(ratio "$(per1k "$(kv total "$pl")" "$nl")" "$b1")" ""
row "8. stream: DB CPU per 1,000 lines, steady (2)" "" "$b2 ms psql INSERT per chunk" "$(ratio "$(per1k "$(kv total "$pl")" "$nl")" "$b2")" ""
row "8. stream: DB CPU, steady, % of a core" "$(pct "$(kv total "$pl")" "$ww")%" \
	"$(pct "$b1_s" "$b1_w")% / $(pct "$b2_s" "$b2_w")% psql" "" ""
row "8. stream:   of it the workers' connections" "$(pct "$(group_s '^workers' "$pl")" "$ww")%" "" "" ""
row "8. stream: worker CPU per 1,000 lines, steady" "$(per1k "$jd_w" "$nl") ms" "$(per1k "$tk_w" "$nl") ms the ticker jobs" "" ""
row "8. stream: worker CPU, steady, % of a core" "$(pct "$jd_w" "$ww")%" "" "" ""
row "8. stream: whole run, worker / DB CPU per 1,000 lines" "$(per1k "$(kv total "$wa")" "$na") / $(per1k "$(kv total "$pa")" "$na") ms" "" "" "(submit to last end)"
row "8. stream: $((WORKERS * CONC)) idle worker slots, worker / DB CPU" \
	"$(pct "$(kv total "$wi")" "$(kv wall "$wi")")% / $(pct "$(kv total "$pi")" "$(kv wall "$pi")")%" \
	"before the run: $(pct "$(kv total "$wi0")" "$(kv wall "$wi0")")% / $(pct "$(kv total "$pi0")" "$(kv wall "$pi0")")%" "" "(% of a core)"
row "8. stream: dashboard following one job, CPU" "$(pct "$(kv total "$dl")" "$(kv wall "$dl")")%" \
	"idle: $(pct "$(kv total "$di")" "$(kv wall "$di")")%" "" "< 5%"
row "8. stream: its database backend, CPU" "$(pct "$(group_s '^dashboard' "$pdl")" "$(kv wall "$pdl")")%" \
	"idle: $(pct "$(group_s '^dashboard' "$pdi")" "$(kv wall "$pdi")")%" "" ""
row "8. stream: jobs-changed notifications a second" "$(awk -v n="$(count_notes "$tmp/notes-load")" -v s="$note_s" 'BEGIN { printf "%.1f", n / s }')" \
	"$(awk -v n="$(count_notes "$tmp/notes-idle")" 'BEGIN { printf "%.1f", n / 10 }') with the slots idle" "" "0 (no job changed)"
row "8. stream: key to screen p50/p95 (j, $pt_runs runs)" "$(kv key_p50_ms "$pt_load") / $(kv key_p95_ms "$pt_load") ms" \
	"idle: $(kv key_p50_ms "$pt_idle") / $(kv key_p95_ms "$pt_idle") ms" "" "< 20 ms"
row "8. stream: start to first screen p50/p95" "$(kv start_p50_ms "$pt_load") / $(kv start_p95_ms "$pt_load") ms" \
	"idle: $(kv start_p50_ms "$pt_idle") / $(kv start_p95_ms "$pt_idle") ms" "" "< 150 ms"
row "8. stream: worker log lines with error/fail/lost" "$errors" "" "" "0"
if (( NOTIFY > 0 )) && [[ -n ${n1_s:-} ]]; then
	row "8. stream: NOTIFY alone, $nrate/s, $listeners idle listeners" "$(pct "$n1_s" "$n1_w")% DB, $n1_tps/s done" \
		"$(pct "$n0_s" "$n0_w")% DB, $n0_tps/s done, none" "" "(pgbench, % of a core)"
fi

[[ $pt_load == *key_p50* ]] || echo "   key to screen under load: $pt_load"
[[ $pt_idle == *key_p50* ]] || echo "   key to screen idle: $pt_idle"
[[ -n $why_idle ]] && echo "   idle dashboard: $why_idle"
if [[ -n $ROWS_FILE ]]; then printf '%s\n' "${rows[@]}" >"$ROWS_FILE"; fi
exit 0
