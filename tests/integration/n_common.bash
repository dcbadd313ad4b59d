# n_common.bash — sourced by the n*.sh tests: jobdeck deployed over simulated hosts
# (tests/hosts.sh): PostgreSQL on `db`, gearmand on `gm1` (and `gm2`), workers on `w1`, `w2`,
# the command line on `admin`. Each host reaches the others by address only; each sees only
# its own folder (host_dir), so a file on admin is not on a worker.
#
# The test itself stands outside (root namespace) and looks at the database through its Unix
# socket: sql, sql_as and the t_* helpers of tests/lib.sh work as in the other tests.
# shellcheck disable=SC1091
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$JD_TOP/tests/hosts.sh"

if [[ $(id -u) -ne 0 ]]; then
	_t_record fail "these tests need root (network namespaces); run them as root"
	exit 1
fi

N_PGBIN=/usr/lib/postgresql/15/bin
[[ -x $N_PGBIN/postgres ]] || N_PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
N_GEARMAND=$(command -v gearmand || echo /usr/sbin/gearmand)
N_DB=jobdeck
export JOBDECK_HEARTBEAT_TIMEOUT=${JOBDECK_HEARTBEAT_TIMEOUT:-3}

# n_hosts NAME...: the run and its hosts. Everything started on them stops with the test.
n_hosts() {
	local t; t=$(jd_tmp); chmod 755 "$t"   # the postgres user reaches db's folder
	hosts_init "$t/hosts" || { _t_record fail "could not make network namespaces"; exit 1; }
	local h
	for h in "$@"; do host_add "$h" || { _t_record fail "could not add host $h"; exit 1; }; done
	N_LOG=$(jd_tmp)
	chmod 755 "$N_LOG"
	: "${N_GEARMAN:=$(host_ip gm1):4730}"
}

# The environment a program on a host gets: the database by address, gearmand, its folder.
n_env() { # host user
	echo PGHOST="$(host_ip db)" PGPORT=5432 PGDATABASE="$N_DB" PGUSER="$2" \
		JOBDECK_GEARMAN="$N_GEARMAN" JOBDECK_DOWNLOADS="$(host_dir "$1")/downloads" \
		JOBDECK_HEARTBEAT_TIMEOUT="$JOBDECK_HEARTBEAT_TIMEOUT" HOME="$(host_dir "$1")"
}

# n_on HOST USER cmd...: cmd on HOST as database role USER.
n_on() {
	local h=$1 u=$2; shift 2
	# shellcheck disable=SC2046
	host_exec "$h" env $(n_env "$h" "$u") "$@"
}
# jobdeck on the admin host: n_jd USER args...
n_jd() { local u=$1; shift; n_on admin "$u" "$JD_BIN" "$@"; }

# ---- PostgreSQL on `db`, listening on its address, trusting the hosts' subnet
N_PG=
n_pg_start() {
	N_PG=$(host_dir db)/pg
	if [[ ! -s $N_PG/data/PG_VERSION ]]; then
		mkdir -p "$N_PG" && chown postgres: "$N_PG" && chmod 700 "$N_PG"
		runuser -u postgres -- "$N_PGBIN/initdb" -D "$N_PG/data" -U postgres -A trust -E UTF8 \
			--locale=C.UTF-8 >"$N_PG/initdb.log" 2>&1 || { cat "$N_PG/initdb.log"; return 1; }
		{ "$JD_TOP/tests/services.sh" pg-conf "$(host_ip db)" "$N_PG"; echo "port = 5432"; } >>"$N_PG/data/postgresql.conf"
		echo "host all all 10.231.$HOSTS_NET.0/24 trust" >>"$N_PG/data/pg_hba.conf"
	fi
	host_exec db runuser -u postgres -- "$N_PGBIN/pg_ctl" -D "$N_PG/data" -l "$N_PG/server.log" \
		-w -t 60 start >/dev/null || { tail -n 20 "$N_PG/server.log"; return 1; }
	export PGHOST=$N_PG PGPORT=5432 PGDATABASE=$N_DB PGUSER=postgres
}
n_pg_stop() { host_exec db runuser -u postgres -- "$N_PGBIN/pg_ctl" -D "$N_PG/data" -m "${1:-fast}" -w stop >/dev/null 2>&1; }
n_pg_restart() { n_pg_stop "$@"; n_pg_start; }

# The database as the tests make it (jd_db): created, migrated from the admin host, the demo
# users loaded.
n_db() {
	n_pg_start || { _t_record fail "PostgreSQL did not start on db"; exit 1; }
	PGUSER=postgres createdb "$N_DB" || exit 1
	n_jd postgres migrate >/dev/null || { _t_record fail "jobdeck migrate from admin failed"; exit 1; }
	PGUSER=postgres psql -X -q -v ON_ERROR_STOP=1 -f "$JD_TOP/db/demo_users.sql" >/dev/null
}

# ---- gearmand
n_gm_start() { # host
	local d; d=$(host_dir "$1")
	host_exec "$1" "$N_GEARMAND" --listen="$(host_ip "$1")" --port=4730 --round-robin --pid-file="$d/gearmand.pid" \
		--log-file="$d/gearmand.log" --verbose=ERROR -d
	local _
	for _ in $(seq 100); do
		n_gm_up "$1" && return 0
		sleep 0.05
	done
	_t_record fail "gearmand did not start on $1"
	return 1
}
n_gm_up() { host_exec "$1" bash -c "exec 3<>/dev/tcp/$(host_ip "$1")/4730" 2>/dev/null; }
n_gm_kill() { # host [signal]
	local f; f=$(host_dir "$1")/gearmand.pid
	[[ -s $f ]] || return 0
	local pid; pid=$(cat "$f")
	kill "-${2:-KILL}" "$pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	rm -f "$f"
}
# gearadmin --status of a host's gearmand
n_gm_status() { host_exec "$1" gearadmin -h "$(host_ip "$1")" -p 4730 --status 2>/dev/null; }
# how many workers gearmand on host $1 has for function $2
n_gm_workers() { n_gm_status "$1" | awk -F'\t' -v f="$2" '$1 == f { print $4 }'; }
n_served() { local n; n=$(n_gm_workers "$1" "$2"); [[ -n $n && $n -gt 0 ]]; }

# ---- workers: n_worker HOST ID [options...]; pid in N_PID, log in $N_LOG/ID.log
n_worker() {
	local h=$1 id=$2; shift 2
	mkdir -p "$(host_dir "$h")/downloads"
	n_on "$h" worker "$JD_BIN" worker --id "$id" "$@" >>"$N_LOG/$id.log" 2>&1 &
	N_PID=$!
	echo "$id $N_PID $h" >>"$N_LOG/workers"
}

# ---- looking at jobs
n_col() { sql "SELECT $2 FROM jobdeck.jobs WHERE id = $1"; }
n_is() { [[ $(n_col "$1" status) == "$2" ]]; }
n_count() { sql "SELECT count(*) FROM jobdeck.jobs WHERE $1"; }
n_count_is() { [[ $(n_count "$1") == "$2" ]]; }
n_output() { sql "SELECT convert_from(coalesce(string_agg(data, ''::bytea ORDER BY offset_), ''), 'UTF8') FROM jobdeck.job_output WHERE job_id = $1"; }
n_gm_workers_is() { [[ $(n_gm_workers "$1" "$2") == "$3" ]]; }
