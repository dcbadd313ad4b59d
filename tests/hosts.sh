# tests/hosts.sh — simulated machines for tests, sourced: each host a Linux network namespace
# with one address on a private /24, all joined by a bridge that lives in a namespace of its
# own, so nothing is added to the root namespace (no link, no route, no address).
#
#   hosts_init [DIR]          start a run: a run id, a folder (DIR or a new one under /tmp),
#                             a trap that calls hosts_cleanup on exit, INT and TERM
#   host_add NAME             a host: namespace, link into the bridge, address, loopback up
#   host_ip NAME              its address
#   host_exec NAME cmd...     runs cmd on the host: its network, and a mount namespace in
#                             which the other hosts' folders (host_dir) look empty
#   host_dir NAME             the host's own folder, seen only by processes on that host
#   host_partition A [B]      A loses its link (one name), or A and B stop hearing each other
#                             (two names; packets dropped silently both ways)
#   host_heal                 every partition undone
#   host_delay NAME 1ms       the host's link delays each frame, each way (host_delay NAME 0: no
#                             more): tc netem, or where the kernel has no netem a relay
#                             (tests/netdelay.py) through a TAP device that takes the address
#   hosts_cleanup             stops every process on the hosts, removes every namespace and
#                             link of this run
#
# Namespaces are named jdn<pid>x<random>-NAME, pid being the shell that ran hosts_init: a run
# killed with SIGKILL cannot clean up after itself, so hosts_init removes those of runs whose
# shell is gone (hosts_sweep does only that).

HOSTS_PREFIX=jdn

hosts_init() {
	[[ $(id -u) -eq 0 ]] || { echo "hosts: network namespaces need root" >&2; return 1; }
	hosts_sweep
	HOSTS_RUN=$HOSTS_PREFIX$$x$(printf '%04x' $((RANDOM)))
	HOSTS_NET=$((1 + RANDOM % 250))         # 10.231.$HOSTS_NET.0/24, private to this run
	if [[ -n ${1:-} ]]; then HOSTS_DIR=$1; mkdir -p "$HOSTS_DIR"; else HOSTS_DIR=$(mktemp -d /tmp/jobdeck-hosts.XXXXXX); fi
	chmod 755 "$HOSTS_DIR"
	: >"$HOSTS_DIR/hosts"
	HOSTS_BR=$HOSTS_RUN-net
	ip netns add "$HOSTS_BR" || return 1
	ip -n "$HOSTS_BR" link set lo up
	ip -n "$HOSTS_BR" link add br0 type bridge
	ip -n "$HOSTS_BR" link set br0 up
	export HOSTS_RUN HOSTS_NET HOSTS_DIR HOSTS_BR
	trap hosts_cleanup EXIT
	trap 'exit 130' INT TERM
}

_hosts_ns() { echo "$HOSTS_RUN-$1"; }

host_add() {
	local name=$1 ns n
	[[ $name =~ ^[a-z0-9]{1,12}$ ]] || { echo "hosts: bad host name '$name'" >&2; return 1; }
	ns=$(_hosts_ns "$name")
	n=$((10 + $(wc -l <"$HOSTS_DIR/hosts")))
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	# made in the bridge's namespace with its peer straight in the host's: never in ours
	ip -n "$HOSTS_BR" link add "v-$name" type veth peer name eth0 netns "$ns" || return 1
	ip -n "$HOSTS_BR" link set "v-$name" master br0 up
	ip -n "$ns" addr add "10.231.$HOSTS_NET.$n/24" dev eth0
	ip -n "$ns" link set eth0 up
	mkdir -p "$HOSTS_DIR/$name"
	chmod 755 "$HOSTS_DIR/$name"
	echo "$name 10.231.$HOSTS_NET.$n" >>"$HOSTS_DIR/hosts"
}

host_ip() { awk -v h="$1" '$1 == h { print $2 }' "$HOSTS_DIR/hosts"; }
host_dir() { echo "$HOSTS_DIR/$1"; }

host_exec() {
	local name=$1; shift
	# every other host's folder is covered by an empty read-only tmpfs, in a mount namespace
	# of this process's own
	ip netns exec "$(_hosts_ns "$name")" unshare -m --propagation private -- bash -c '
		dir=$1 me=$2; shift 2
		for d in "$dir"/*/; do
			d=${d%/}
			[[ $d == "$dir/$me" ]] || mount -t tmpfs -o ro,size=4k,mode=0555 none "$d" || exit 125
		done
		exec "$@"' hosts "$HOSTS_DIR" "$name" "$@"
}

host_partition() {
	local a=$1 b=${2:-}
	if [[ -z $b ]]; then
		ip -n "$HOSTS_BR" link set "v-$a" down
		ip -n "$HOSTS_BR" link set "d-$a" down 2>/dev/null
		echo "down $a" >>"$HOSTS_DIR/partitions"
		return
	fi
	# each side drops what comes from the other on arrival (ingress, so the egress qdisc stays
	# host_delay's). Kernels without act_gact have no "drop" action: what is to be dropped is
	# redirected into a veth whose peer is down, which discards it.
	local x y ns
	for x in "$a" "$b"; do
		y=$b; [[ $x == "$b" ]] && y=$a
		ns=$(_hosts_ns "$x")
		if ! ip -n "$ns" link show sink0 >/dev/null 2>&1; then
			ip -n "$ns" link add sink0 type veth peer name sink1 && ip -n "$ns" link set sink0 up || return 1
		fi
		tc -n "$ns" qdisc add dev "$(_hosts_dev "$x")" handle ffff: ingress 2>/dev/null
		tc -n "$ns" filter add dev "$(_hosts_dev "$x")" parent ffff: protocol ip prio 1 u32 \
			match ip src "$(host_ip "$y")/32" action mirred egress redirect dev sink0 || return 1
	done
	echo "pair $a $b" >>"$HOSTS_DIR/partitions"
}

host_heal() {
	[[ -s $HOSTS_DIR/partitions ]] || return 0
	local kind a b
	while read -r kind a b; do
		if [[ $kind == down ]]; then
			if [[ -s $HOSTS_DIR/delay-$a.pid ]]; then
				ip -n "$HOSTS_BR" link set "d-$a" up
			else
				ip -n "$HOSTS_BR" link set "v-$a" up
			fi
		else
			tc -n "$(_hosts_ns "$a")" qdisc del dev "$(_hosts_dev "$a")" ingress 2>/dev/null
			tc -n "$(_hosts_ns "$b")" qdisc del dev "$(_hosts_dev "$b")" ingress 2>/dev/null
		fi
	done <"$HOSTS_DIR/partitions"
	: >"$HOSTS_DIR/partitions"
}

# host_rtt FROM TO: the median of 21 TCP connection attempts from host FROM to host TO's
# address (a refused connect is a round trip too), in ms with two decimals.
host_rtt() { host_exec "$1" python3 -c "
import socket, time
ts = []
for i in range(21):
    s = socket.socket(); t = time.perf_counter()
    try: s.connect(('$(host_ip "$2")', 9))
    except OSError: pass
    ts.append(time.perf_counter() - t); s.close()
print('%.2f' % (sorted(ts)[10] * 1000))"; }

host_delay() {
	local name=$1 d=$2
	_hosts_undelay "$name"
	[[ $d == 0 || $d == 0ms ]] && return 0
	if [[ -z ${HOSTS_NETEM:-} ]]; then
		# the kernel may lack sch_netem: try it once on the bridge's loopback
		if tc -n "$HOSTS_BR" qdisc add dev lo root netem delay 1ms 2>/dev/null; then
			tc -n "$HOSTS_BR" qdisc del dev lo root; HOSTS_NETEM=yes
		else
			HOSTS_NETEM=no
		fi
		export HOSTS_NETEM
	fi
	if [[ $HOSTS_NETEM == yes ]]; then
		tc -n "$(_hosts_ns "$name")" qdisc add dev eth0 root netem delay "$d" limit 100000 &&
			tc -n "$HOSTS_BR" qdisc add dev "v-$name" root netem delay "$d" limit 100000
		return
	fi
	_hosts_relay "$name" "$d"
}

# Without netem, the host's address moves from its veth to a TAP device, and tests/netdelay.py
# carries frames between that TAP and a new port of the bridge, each one late by the delay.
# The address and the MAC stay, so open connections go on.
_hosts_relay() {
	local name=$1 d=$2 ns ip mac ms
	ns=$(_hosts_ns "$name") ip=$(host_ip "$name")
	case $d in
	*ms) ms=${d%ms} ;;
	*us) ms=$(awk -v u="${d%us}" 'BEGIN { print u / 1000 }') ;;
	*) echo "hosts: delay '$d': give it in ms or us" >&2; return 1 ;;
	esac
	mac=$(ip -n "$ns" -o link show eth0 | grep -oE 'link/ether [0-9a-f:]+' | cut -d' ' -f2)
	ip -n "$HOSTS_BR" link add "d-$name" type veth peer name "e-$name" || return 1
	ip -n "$HOSTS_BR" link set "d-$name" master br0 up
	ip -n "$HOSTS_BR" link set "e-$name" promisc on up
	ip -n "$ns" tuntap add dev tap0 mode tap || return 1
	ip -n "$ns" link set tap0 address "$mac"
	# started from a subshell: not a job of the caller's, whose `wait` would wait for it
	(python3 "$(dirname "${BASH_SOURCE[0]}")/netdelay.py" "$ns" tap0 "$HOSTS_BR" "e-$name" "$ms" \
		</dev/null >/dev/null 2>"$HOSTS_DIR/delay-$name.err" & echo $! >"$HOSTS_DIR/delay-$name.pid")
	local _
	for _ in $(seq 50); do
		ip -n "$ns" link show tap0 | grep -q LOWER_UP && break
		sleep 0.05
	done
	ip -n "$ns" addr del "$ip/24" dev eth0
	ip -n "$ns" link set eth0 down
	ip -n "$HOSTS_BR" link set "v-$name" down
	ip -n "$ns" addr add "$ip/24" dev tap0
	ip -n "$ns" link set tap0 up
}

_hosts_undelay() {
	local name=$1 ns f=$HOSTS_DIR/delay-$1.pid
	ns=$(_hosts_ns "$name")
	if [[ -s $f ]]; then
		kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
		ip -n "$ns" link del tap0 2>/dev/null
		ip -n "$HOSTS_BR" link del "d-$name" 2>/dev/null
		ip -n "$ns" addr add "$(host_ip "$name")/24" dev eth0
		ip -n "$ns" link set eth0 up
		ip -n "$HOSTS_BR" link set "v-$name" up
		return 0
	fi
	tc -n "$ns" qdisc del dev eth0 root 2>/dev/null
	tc -n "$HOSTS_BR" qdisc del dev "v-$name" root 2>/dev/null
	return 0
}

# The device that holds a host's address: eth0, or tap0 while a relay delays it.
_hosts_dev() { if [[ -s $HOSTS_DIR/delay-$1.pid ]]; then echo tap0; else echo eth0; fi; }

# Stops every process in the given namespaces (TERM, then KILL after 5 s) and removes them.
_hosts_remove() {
	local ns pids end
	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[[ -n $pids ]] && kill -TERM $pids 2>/dev/null
	done
	end=$((SECONDS + 5))
	for ns in "$@"; do
		while [[ -n $(ip netns pids "$ns" 2>/dev/null) ]] && ((SECONDS < end)); do sleep 0.1; done
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[[ -n $pids ]] && kill -KILL $pids 2>/dev/null
	done
	for ns in "$@"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			[[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break
			sleep 0.1
		done
		ip netns del "$ns" 2>/dev/null
	done
}

hosts_cleanup() {
	[[ -n ${HOSTS_RUN:-} ]] || return 0
	local list
	list=$(ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^$HOSTS_RUN-")
	# the hosts first, the bridge last
	# shellcheck disable=SC2086
	_hosts_remove $(grep -v -- "-net\$" <<<"$list") $(grep -- "-net\$" <<<"$list")
	[[ -n ${HOSTS_DIR:-} && $HOSTS_DIR == /tmp/jobdeck-hosts.* ]] && rm -rf "$HOSTS_DIR"
	HOSTS_RUN=
	return 0
}

# Namespaces of runs whose shell is gone (killed with SIGKILL): removed.
hosts_sweep() {
	local ns pid stale=()
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		[[ $ns =~ ^$HOSTS_PREFIX([0-9]+)x[0-9a-f]{4}- ]] || continue
		pid=${BASH_REMATCH[1]}
		[[ -d /proc/$pid ]] || stale+=("$ns")
	done
	((${#stale[@]})) && _hosts_remove "${stale[@]}"
	return 0
}
