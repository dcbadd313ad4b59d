#!/usr/bin/env bash
# The one-command demo (make demo): local PostgreSQL and gearmand, the schema, demo data,
# two workers, a live mix of jobs, and the dashboard. Quitting stops what this started.
#
#   DEMO_USER=alice make demo     the view of a user who is not an administrator
#   DEMO_ARGS="--interval 2"      extra options for the dashboard
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$top/$BUILD/jobdeck
user=${DEMO_USER:-admin}
run=$top/.run
log=$run/demo.log
[[ -x $bin ]] || { echo "demo: $bin is missing; run 'make demo' (it builds first)" >&2; exit 1; }
mkdir -p "$run"
: >"$log"

say() { printf '  %s\n' "$*"; }

pids=()
started_services=0
cleanup() {
	local p
	exec 2>/dev/null # no "Killed" job notices on the way out
	# Workers finish their current job on SIGTERM; the demo's long job would hold the exit
	# for a minute, so after a short grace they are killed. A job cut off that way is
	# recovered by the next workers' sweep, as after any crash.
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for _ in $(seq 30); do
		local alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		((alive)) || break
		sleep 0.1
	done
	for p in "${pids[@]}"; do pkill -KILL -P "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	if ((started_services)); then
		tests/services.sh stop "$run" >/dev/null 2>&1 && say "stopped PostgreSQL and gearmand"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "jobdeck demo"
if tests/services.sh status "$run" >/dev/null 2>&1; then
	say "PostgreSQL and gearmand already running under .run (left running afterwards)"
else
	tests/services.sh start "$run" >>"$log" 2>&1 || { echo "demo: could not start the services; see $log" >&2; exit 1; }
	started_services=1
	say "started PostgreSQL and gearmand under .run"
fi
# shellcheck disable=SC1091
. "$run/env"
export JOBDECK_DOWNLOADS=$run/downloads
mkdir -p "$JOBDECK_DOWNLOADS"
chmod 1777 "$JOBDECK_DOWNLOADS" 2>/dev/null

PGUSER=postgres "$bin" migrate >>"$log" 2>&1 || { echo "demo: migrate failed; see $log" >&2; exit 1; }
PGUSER=postgres "$bin" demo-seed >>"$log" 2>&1 || { echo "demo: loading the demo data failed; see $log" >&2; exit 1; }
say "database migrated and seeded (users admin, alice, bob, worker)"

# Two workers. Without them (a build without the Gearman side) the dashboard still opens
# on the seeded jobs.
workers=0
for w in 1 2; do
	PGUSER=worker "$bin" worker --id "demo-w$w" --concurrency 2 >>"$run/worker$w.log" 2>&1 &
	pids+=($!)
done
sleep 0.5
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && workers=$((workers + 1)); done
if ((workers)); then
	say "started $workers workers (logs in .run/worker*.log)"
else
	say "workers did not start ($(tail -n1 "$run/worker1.log" 2>/dev/null)); showing the seeded jobs"
fi

# A live mix: quick successes, failures, and one long job streaming output for a minute.
submitted=0 failed=0
submit() { # USER TYPE ARGS...
	local u=$1; shift
	if PGUSER=$u "$bin" submit "$@" >>"$log" 2>&1; then submitted=$((submitted + 1)); else failed=$((failed + 1)); fi
}
if ((workers)); then
	submit admin sleep --param seconds=60 --param lines=120 --description "Rebuild search index (streams for a minute)"
	# An import with two identifiers that already exist (reported as skipped), and one with
	# a malformed row (fails naming the line).
	csv=$run/demo-import.csv bad=$run/demo-import-bad.csv
	printf 'identifier,title,level\nF-001-S1-101,Harbour master letters 1901,File\nF-001-S1-001,Already there,File\nF-001-S1-102,"Quay survey, east side",File\nF-001-S1-002,Also there,File\n' >"$csv"
	printf 'identifier,title\nF-001-S1-201,Fine\nF-001-S1-202,"Unterminated\n' >"$bad"
	chmod 644 "$csv" "$bad"
	submit alice csv-import --object 3 --param file="$csv" --description "Import CSV into F-001-S1"
	submit alice csv-import --object 3 --param file="$bad" --description "Import CSV (malformed)"
	submit bob csv-export --object 1 --description "Export CSV of F-001 and its descendants"
	submit admin finding-aid --object 1 --description "Generate finding aid for F-001"
	submit admin finding-aid --object 1 --param format=pdf --description "Generate PDF finding aid for F-001"
	submit alice report --object 1 --param kind=file-list --description "File list of F-001"
	submit bob rights-inherit --object 1 --param mode=add --description "Pass F-001's rights down"
	submit alice publication-status --object 2 --param status=Published --description "Publish F-002"
	submit bob sleep --param seconds=3 --param fail=1 --description "Nightly check (fails)"
	submit alice move --object 4 --param parent=2 --description "Move description under F-002"
	submit admin sleep --param seconds=20 --param lines=20 --description "Reindex thumbnails"
	submit bob sleep --param seconds=8 --param fail=1 --param lines=8 --description "Fetch remote records (fails)"
	(
		# a trickle of new jobs while the dashboard is open
		for i in 1 2 3 4 5 6; do
			sleep 10
			PGUSER=alice "$bin" submit sleep --param seconds=$((2 + i)) --param lines=$((3 + i)) \
				--description "Periodic import $i" >>"$log" 2>&1 || break
		done
	) &
	pids+=($!)
fi
if ((submitted)); then
	note=""
	((failed)) && note=" ($failed refused; see .run/demo.log)"
	say "submitted $submitted live jobs$note"
elif ((workers)); then
	say "submitting jobs failed ($(tail -n1 "$log")); showing the seeded jobs"
fi

say "opening the dashboard as $user — press ? for keys, q to quit"
sleep 1
# shellcheck disable=SC2086
PGUSER=$user "$bin" ${DEMO_ARGS:-}
rc=$?
exit $rc
