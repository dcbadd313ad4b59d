# Simulated hosts leave nothing behind (a delayed link included): a scenario interrupted mid-way (SIGTERM) removes its
# namespaces, links and processes from its trap; one killed outright (SIGKILL, no trap) is
# swept by the next run. The root namespace gains no link or route meanwhile.
source "$(dirname "$0")/../lib.sh"
if [[ $(id -u) -ne 0 ]]; then
	_t_record fail "this test needs root (network namespaces); run it as root"
	exit 1
fi
d=$(jd_tmp)
netns() { ip netns list | awk '{ print $1 }' | sort; }
links() { ip -o link | awk -F': ' '{ print $2 }' | sort; }
routes() { ip route; ip -6 route; }
before_ns=$(netns) before_links=$(links) before_routes=$(routes)

# A scenario on two hosts that stops half-way, waiting: prints its run id when its hosts are up.
cat >"$d/scenario.sh" <<'SH'
source "$1/tests/hosts.sh"
hosts_init "$3" || exit 1
host_add a && host_add b && host_delay a 1ms || exit 1
host_exec a sleep 300 &
host_exec b bash -c "exec 3<>/dev/tcp/$(host_ip a)/9" 2>/dev/null
echo "$HOSTS_RUN" >"$2"
wait
SH
mine() { ip netns list | awk '{ print $1 }' | grep -c "^$1-"; }
running() { [[ -s $1 ]]; }

for sig in TERM KILL; do
	: >"$d/run"
	bash "$d/scenario.sh" "$JD_TOP" "$d/run" "$d/hosts-$sig" &
	pid=$!
	t_poll "[$sig] the scenario's hosts come up" 20 running "$d/run"
	run=$(cat "$d/run")
	t_eq "[$sig] three namespaces: a, b and the bridge's" 3 "$(mine "$run")"
	t_eq "[$sig] the root namespace has no new link" "$before_links" "$(links)"
	t_eq "[$sig] nor route" "$before_routes" "$(routes)"
	sleeper=$(ip netns pids "$run-a" | head -n 1)
	kill "-$sig" "$pid"
	wait "$pid" 2>/dev/null
	if [[ $sig == KILL ]]; then
		t_eq "[KILL] with no trap run, its namespaces outlive it" 3 "$(mine "$run")"
		bash -c "source '$JD_TOP/tests/hosts.sh' && hosts_sweep"
	fi
	t_eq "[$sig] afterwards none of its namespaces is left" 0 "$(mine "$run")"
	t_fails "[$sig] nor the process it ran on a host" kill -0 "$sleeper"
	t_eq "[$sig] ip netns list is as it was" "$before_ns" "$(netns)"
	t_eq "[$sig] ip link is as it was" "$before_links" "$(links)"
done
