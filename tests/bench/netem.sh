#!/usr/bin/env bash
# End-to-end throughput with the workers on a host of their own (tests/hosts.sh) whose link
# delays every frame by 1 ms each way (tc netem, or tests/netdelay.py where the kernel has no
# netem), next to the same run without the delay: N `sleep seconds=0` jobs submitted by
# jdsubmit on the admin host, PostgreSQL on db, gearmand on gm1. Printed, never asserted
# (target: the delayed run at least 0.5x the other). Needs root.
#
# Settings: BENCH_NETEM_JOBS=5000, BENCH_WORKERS=2 (processes), BENCH_CONCURRENCY=1,
# BENCH_NETEM_DELAY=1ms. The last line, "netem: k=v ...", is what tests/bench/run.sh reads.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export BUILD=${BUILD:-build}
N=${BENCH_NETEM_JOBS:-5000}
W=${BENCH_WORKERS:-2}
C=${BENCH_CONCURRENCY:-1}
DELAY=${BENCH_NETEM_DELAY:-1ms}
[[ $(id -u) -eq 0 ]] || { echo "netem: needs root (network namespaces)" >&2; exit 1; }
for b in "$top/$BUILD/jobdeck" "$top/$BUILD/bench/jdsubmit"; do
	[[ -x $b ]] || { echo "netem: $b is missing (make all $BUILD/bench/jdsubmit)" >&2; exit 1; }
done
export JD_TMP; JD_TMP=$(mktemp -d /tmp/jobdeck-netem.XXXXXX)
chmod 755 "$JD_TMP"
export JD_RESULTS=$JD_TMP/results TZ=UTC LC_ALL=C.UTF-8
export JOBDECK_HEARTBEAT_TIMEOUT=999999
# shellcheck disable=SC1091
source "$top/tests/integration/n_common.bash"
n_hosts db gm1 w1 admin
trap 'hosts_cleanup; rm -rf "$JD_TMP"' EXIT
n_db >/dev/null
n_gm_start gm1 || exit 1
now_ms() { date +%s%3N; }

# run LABEL: workers on w1, N jobs from admin; prints "rate p50 p99"
run() {
	local first w pids=() end left
	first=$(sql "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
	for ((w = 1; w <= W; w++)); do
		n_on w1 worker "$JD_BIN" worker --types sleep --concurrency "$C" --id "w1-$1-$w" >>"$N_LOG/w1-$1.log" 2>&1 &
		pids+=($!)
	done
	local _
	for _ in $(seq 100); do n_gm_workers_is gm1 jobdeck:sleep "$((W * C))" && break; sleep 0.1; done
	n_on admin admin "$top/$BUILD/bench/jdsubmit" "$N" >"$N_LOG/submit-$1.out" || { cat "$N_LOG/submit-$1.out" >&2; return 1; }
	end=$(( $(now_ms) + 600000 ))
	while (( $(now_ms) < end )); do
		left=$(sql "SELECT count(*) FILTER (WHERE status = 'Running'), count(*) FROM jobdeck.jobs WHERE id > $first")
		(( ${left%|*} == 0 && ${left#*|} >= N )) && break
		sleep 0.5
	done
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	sql "SELECT round((count(*) / extract(epoch FROM max(completed_at) - min(created_at)))::numeric),
		round((1000 * extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY completed_at - created_at)))::numeric, 2),
		round((1000 * extract(epoch FROM percentile_disc(0.99) WITHIN GROUP (ORDER BY completed_at - created_at)))::numeric, 2),
		count(*) FILTER (WHERE status = 'Completed')
		FROM jobdeck.jobs WHERE id > $first AND status <> 'Running'" | tr '|' ' '
}



rtt0=$(host_rtt w1 db)
read -r rate0 p50a p99a ok0 <<<"$(run plain)"
host_delay w1 "$DELAY" || exit 1
rtt1=$(host_rtt w1 db)
read -r rate1 p50b p99b ok1 <<<"$(run delayed)"
how=netem; [[ ${HOSTS_NETEM:-} == no ]] && how="tests/netdelay.py (no netem in this kernel)"
ratio=$(awk -v a="$rate1" -v b="$rate0" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }')
printf '%-34s %-26s %-26s\n' "$N sleep jobs, $W x $C worker processes on w1" "no delay" "$DELAY each way ($how)"
printf '%-34s %-26s %-26s\n' "round trip w1 -> db" "$rtt0 ms" "$rtt1 ms"
printf '%-34s %-26s %-26s\n' "throughput" "$rate0 jobs/s" "$rate1 jobs/s"
printf '%-34s %-26s %-26s\n' "submit to end p50 / p99" "$p50a / $p99a ms" "$p50b / $p99b ms"
printf '%-34s %-26s %-26s\n' "Completed" "$ok0" "$ok1"
printf '%-34s %s (target >= 0.5)\n' "ratio delayed / no delay" "$ratio"
echo "netem: rate0=$rate0 rate1=$rate1 ratio=$ratio rtt0=$rtt0 rtt1=$rtt1 jobs=$N how=${HOSTS_NETEM:-}"
