#!/usr/bin/env bash
# Private PostgreSQL cluster and gearmand on loopback, for the demo and the tests.
#
#   tests/services.sh start DIR    start both (idempotent), write DIR/env
#   tests/services.sh stop DIR     stop both
#   tests/services.sh status DIR   exit 0 when both answer (pg_isready; gearmand's "version")
#   tests/services.sh pg-restart DIR | gm-restart DIR | gm-kill DIR | gm-start DIR | pg-stop DIR | pg-start DIR
#
# As root, PostgreSQL runs as the `postgres` system user. Nothing listens beyond 127.0.0.1.
set -euo pipefail

# The test cluster's settings, listening on ADDR with its socket in SOCKDIR (also used by
# the simulated hosts of tests/integration/n_common.bash: `services.sh pg-conf ADDR SOCKDIR`).
pg_conf() {
	cat <<CONF
listen_addresses = '$1'
unix_socket_directories = '$2'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 200
log_min_messages = warning
CONF
}
[[ ${1:-} == pg-conf ]] && { pg_conf "$2" "$3"; exit 0; }

cmd=${1:-}; dir=${2:-}
[[ -n $cmd && -n $dir ]] || { echo "usage: $0 start|stop|status|pg-restart|pg-stop|pg-start|gm-restart|gm-kill|gm-start DIR" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $pgbin/postgres ]] || { echo "services: PostgreSQL server binaries not found (run make deps)" >&2; exit 1; }
command -v gearmand >/dev/null || [[ -x /usr/sbin/gearmand ]] || { echo "services: gearmand not found (run make deps)" >&2; exit 1; }
gearmand=$(command -v gearmand || echo /usr/sbin/gearmand)

# The cluster lives where the postgres user can reach it: DIR itself when it can, else a
# private folder under /tmp linked from DIR.
pgdir_of() {
	# its folder under /tmp is gone (a reboot clears /tmp): start a new cluster
	[[ -L $dir/pg && ! -e $dir/pg ]] && rm -f "$dir/pg"
	if [[ -L $dir/pg || -d $dir/pg ]]; then readlink -f "$dir/pg"; return; fi
	if [[ $(id -u) -ne 0 ]] || runuser -u postgres -- test -w "$dir" 2>/dev/null; then
		mkdir -p "$dir/pg"
	else
		local t; t=$(mktemp -d /tmp/jobdeck-pg.XXXXXX)
		ln -s "$t" "$dir/pg"
	fi
	readlink -f "$dir/pg"
}

as_pg() {
	if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
	python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

port_file() { # name -> port, chosen once and remembered
	local f=$dir/$1.port
	[[ -s $f ]] || free_port >"$f"
	cat "$f"
}

pg_start() {
	local pg; pg=$(pgdir_of)
	if [[ $(id -u) -eq 0 ]]; then chown postgres: "$pg"; chmod 700 "$pg"; fi
	local port; port=$(port_file pg)
	if [[ ! -s $pg/data/PG_VERSION ]]; then
		as_pg "$pgbin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pg/initdb.log" 2>&1 ||
			{ cat "$pg/initdb.log" >&2; exit 1; }
		pg_conf 127.0.0.1 "$pg" >>"$pg/data/postgresql.conf"
	fi
	if ! pg_up "$port"; then
		# pg_ctl clears a dead server's postmaster.pid itself; one that runs but does not
		# answer yet (recovering after a crash) is waited for
		if ! as_pg "$pgbin/pg_ctl" -D "$pg/data" status >/dev/null 2>&1; then
			as_pg "$pgbin/pg_ctl" -D "$pg/data" -o "-p $port" -l "$pg/server.log" -w -t 60 start >/dev/null ||
				{ tail -n 20 "$pg/server.log" >&2; exit 1; }
		fi
		for _ in $(seq 600); do pg_up "$port" && break; sleep 0.1; done
		pg_up "$port" || { echo "services: PostgreSQL does not answer on 127.0.0.1:$port" >&2; tail -n 20 "$pg/server.log" >&2; exit 1; }
	fi
	as_pg "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc \
		"SELECT 1 FROM pg_database WHERE datname='jobdeck'" | grep -q 1 ||
		as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres jobdeck
}

pg_stop() {
	local pg; pg=$(pgdir_of)
	[[ -d $pg/data ]] || return 0
	as_pg "$pgbin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Up means answering: PostgreSQL to pg_isready, gearmand to an admin "version" request. A
# process id says nothing (a gearmand killed with -9 is still there for a moment, a zombie
# for longer, and its number may go to another process).
pg_up() { "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$1" -t 2 >/dev/null 2>&1; }
gm_up() {
	timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "version\n" >&3 && read -r line <&3 &&
		[[ $line == OK* ]]' _ "$1" 2>/dev/null
}

# The gearmand of the pid file, when that process is still ours (not a zombie, started on
# our port); nothing otherwise.
gm_pid() {
	[[ -s $dir/gearmand.pid ]] || return 0
	local pid; pid=$(cat "$dir/gearmand.pid")
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	[[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) =~ ^[^ZX]$ ]] || return 0
	local args; args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
	[[ $args == *" --port=$(port_file gearmand) "* ]] && echo "$pid"
	return 0
}

gm_start() {
	local port; port=$(port_file gearmand)
	gm_up "$port" && return
	# one that does not answer (stopped, wedged, half dead) is ended first
	gm_stop KILL
	local try
	for try in 1 2 3 4 5; do
		"$gearmand" --listen=127.0.0.1 --port="$port" --round-robin --pid-file="$dir/gearmand.pid" \
			--log-file="$dir/gearmand.log" --verbose=ERROR -d || true
		for _ in $(seq 60); do
			gm_up "$port" && return
			# it may have died on a port still held by the one just killed: start it again
			[[ -n $(gm_pid) ]] || break
			sleep 0.05
		done
		sleep 0.2
	done
	echo "services: gearmand does not answer on 127.0.0.1:$port" >&2; exit 1
}

gm_stop() { # $1: signal
	local pid; pid=$(gm_pid)
	if [[ -n $pid ]]; then
		kill "-$1" "$pid" 2>/dev/null || true
		for _ in $(seq 100); do [[ -n $(gm_pid) ]] || break; sleep 0.05; done
	fi
	rm -f "$dir/gearmand.pid"
}

write_env() {
	cat >"$dir/env" <<ENV
export PGHOST=127.0.0.1
export PGPORT=$(port_file pg)
export PGDATABASE=jobdeck
export PGUSER=postgres
export JOBDECK_GEARMAN=127.0.0.1:$(port_file gearmand)
ENV
}

case $cmd in
start) pg_start; gm_start; write_env ;;
stop) gm_stop TERM; pg_stop ;;
status) pg_up "$(port_file pg)" && gm_up "$(port_file gearmand)" ;;
pg-stop) pg_stop ;;
pg-start) pg_start ;;
pg-restart) pg_stop; pg_start ;;
gm-kill) gm_stop KILL ;;
gm-start) gm_start ;;
gm-restart) gm_stop TERM; gm_start ;;
*) echo "services: unknown command $cmd" >&2; exit 2 ;;
esac
