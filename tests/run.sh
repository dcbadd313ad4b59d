#!/usr/bin/env bash
# Runs every test: unit programs, then integration and screen scripts, against a private
# PostgreSQL and gearmand on loopback that this script starts and stops.
#
#   tests/run.sh [PATTERN]    only the tests whose file name contains PATTERN
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export BUILD=${BUILD:-build}
pattern=${1:-}

export JD_TMP; JD_TMP=$(mktemp -d /tmp/jobdeck-tests.XXXXXX)
chmod 755 "$JD_TMP"
export JD_RESULTS=$JD_TMP/results
: >"$JD_RESULTS"
export JD_SERVICES=$JD_TMP/services

cleanup() {
	tests/services.sh stop "$JD_SERVICES" >/dev/null 2>&1
	pkill -f "$JD_TMP" 2>/dev/null
	# anything else this run started (dashboards left by a killed tmux, a sanitizer's leak
	# check stuck at exit) carries JD_TMP in its environment: none may outlive the run
	local p
	for p in /proc/[0-9]*; do
		[[ ${p#/proc/} != "$$" ]] && grep -qsz "^JD_TMP=$JD_TMP\$" "$p/environ" && kill -9 "${p#/proc/}" 2>/dev/null
	done
	local pg; pg=$(readlink -f "$JD_SERVICES/pg" 2>/dev/null)
	[[ -n $pg && $pg == /tmp/jobdeck-pg.* ]] && rm -rf "$pg"
	rm -rf "$JD_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== services"
if ! tests/services.sh start "$JD_SERVICES"; then
	echo "could not start PostgreSQL and gearmand"
	echo "0 passed, 1 failed"
	exit 1
fi
# shellcheck disable=SC1091
. "$JD_SERVICES/env"
export JOBDECK_DOWNLOADS=$JD_TMP/downloads
# the dashboard's settings file: none unless a test writes one, whatever the user has
export XDG_CONFIG_HOME=$JD_TMP/config
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
# Under `make sanitize`, every report lands in a file, and any report fails the run.
mkdir -p "$JD_TMP/san"
export ASAN_OPTIONS="log_path=$JD_TMP/san/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$JD_TMP/san/ubsan:print_stacktrace=1:halt_on_error=1"

for t in "$BUILD"/tests/*; do
	[[ -x $t && -f $t ]] || continue
	[[ -z $pattern || $t == *"$pattern"* ]] || continue
	echo "== unit: $(basename "$t")"
	T_FILE=$(basename "$t") "$t" || { rc=$?; echo "fail $(basename "$t"): exited with status $rc" >>"$JD_RESULTS"; }
done

for t in tests/integration/*.sh tests/screen/*.sh; do
	[[ -f $t ]] || continue
	[[ -z $pattern || $t == *"$pattern"* ]] || continue
	echo "== $t"
	T_FILE=$(basename "$t") bash "$t" || { rc=$?; echo "fail $(basename "$t"): exited with status $rc" >>"$JD_RESULTS"; }
	# every test file leaves the services up for the next
	tests/services.sh start "$JD_SERVICES" >/dev/null 2>&1
done

for f in "$JD_TMP"/san/*; do
	[[ -f $f ]] || continue
	echo "fail sanitizer: $(basename "$f"): $(grep -m1 -E 'ERROR|runtime error' "$f")" >>"$JD_RESULTS"
	echo "== sanitizer report $(basename "$f")"; head -n 40 "$f"
done

passed=$(grep -c '^pass ' "$JD_RESULTS")
failed=$(grep -c '^fail ' "$JD_RESULTS")
if ((failed)); then
	echo
	echo "failures:"
	grep '^fail ' "$JD_RESULTS" | sed 's/^fail /  /'
fi
echo
echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
