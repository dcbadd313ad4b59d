#!/usr/bin/env bash
# The units under a real systemd: a copy of this machine (an overlay on /, changes in memory)
# boots in systemd-nspawn with a private network; the package goes in, and its units run
# workers with their hardening, run jobs, stop as they promise and refuse to restart after a
# usage error. Nothing reaches this machine: the container's PostgreSQL and gearmand are its
# own, and so is everything it writes.
#
# Needs root, systemd-nspawn (systemd-container) and overlayfs; where they are missing the
# test says so and records one failure, so a run where it cannot boot is not taken for a pass.
source "$(dirname "$0")/../lib.sh"

T=$(jd_tmp)
root=$T/root
nspawn=
cleanup() {
	if [[ -n $nspawn ]] && kill -0 "$nspawn" 2>/dev/null; then
		kill "$nspawn"
		for ((i = 0; i < 30; i++)); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$nspawn" 2>/dev/null
	fi
	mountpoint -q "$root" && umount "$root"
	mountpoint -q "$T/mem" && umount "$T/mem"
	rmdir /run/systemd/nspawn/locks /run/systemd/nspawn/propagate /run/systemd/nspawn 2>/dev/null
	return 0
}
trap cleanup EXIT

if [[ $(id -u) != 0 ]] || ! command -v systemd-nspawn >/dev/null; then
	_t_record fail "a container can be booted (needs root and systemd-nspawn: make deps)"
	exit 0
fi

version=$(sed -n 's/^VERSION *:= *//p' "$JD_TOP/Makefile")
deb=$JD_TOP/$BUILD/jobdeck_${version}_$(dpkg --print-architecture).deb
make -C "$JD_TOP" --no-print-directory BUILD="$BUILD" deb >/dev/null 2>&1
t_ok "make deb makes the package" test -f "$deb"

mkdir -p "$T/mem" "$root"
mount -t tmpfs tmpfs "$T/mem" && mkdir -p "$T/mem/up" "$T/mem/work" &&
	mount -t overlay overlay -o "lowerdir=/,upperdir=$T/mem/up,workdir=$T/mem/work" "$root"
t_ok "an overlay of this machine is mounted" mountpoint -q "$root"
mountpoint -q "$root" || exit 0
mkdir -p "$root/opt/jobdeck-test" && cp "$deb" "$root/opt/jobdeck-test/jobdeck.deb"
rm -f "$root/etc/systemd/system/multi-user.target.wants/jobdeck-"* 2>/dev/null

setsid systemd-nspawn -q -D "$root" -b --register=no --keep-unit --link-journal=no \
	--private-network --console=passive -M jobdeck-p30 >"$T/nspawn.log" 2>&1 </dev/null &
nspawn=$!
init=
for ((i = 0; i < 100; i++)); do
	sleep 0.2
	init=$(pgrep -P "$nspawn" -x systemd | head -n1)
	[[ -n $init ]] && break
done
# a command in the container, with none of this run's settings (PGHOST, PGPORT, ...)
c() { nsenter -t "$init" -m -u -i -n -p -C -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
booted() { [[ $(c systemctl is-system-running 2>/dev/null) =~ ^(running|degraded)$ ]]; }
if [[ -z $init ]]; then
	_t_record fail "the container boots" "$(tail -n 5 "$T/nspawn.log")"
	exit 0
fi
t_poll "the container boots" 60 booted
pg_up() { c runuser -u postgres -- psql -X -At -c 'SELECT 1' >/dev/null 2>&1; }
t_poll "its PostgreSQL answers" 30 pg_up

t_ok "dpkg -i installs the package in it" c dpkg -i /opt/jobdeck-test/jobdeck.deb
# the README's steps: the database, its schema, an administrator, the workers' role
pgc() { c runuser -u postgres -- "$@"; }
pgc dropdb --if-exists jobdeck >/dev/null 2>&1
t_ok "the database is made" pgc createdb jobdeck
t_ok "and migrated by the package's program" pgc jobdeck --db dbname=jobdeck migrate
c runuser -u postgres -- psql -X -q -d jobdeck -c "DROP ROLE IF EXISTS jobdeck" >/dev/null 2>&1
pgc jobdeck --db dbname=jobdeck user add alice --admin >/dev/null 2>&1
pgc psql -X -q -d jobdeck -c 'CREATE ROLE jobdeck LOGIN IN ROLE jobdeck_worker' \
	-c "INSERT INTO jobdeck.records (id, identifier, title, level) VALUES (1, 'F-1', 'Fonds', 'Fonds')" >/dev/null
c bash -c 'id alice >/dev/null 2>&1 || useradd alice'
A() { c runuser -u alice -- env PGDATABASE=jobdeck jobdeck "$@"; }

# two workers: @1 with the shipped settings, @2 with WORKER_ARGS of its own
c sh -c 'echo "WORKER_ARGS=\"--types sleep --concurrency 2\"" > /etc/jobdeck/worker-2.env'
t_ok "systemctl enable --now jobdeck-worker@1 jobdeck-worker@2" c systemctl enable --now jobdeck-worker@1 jobdeck-worker@2
active() { [[ $(c systemctl is-active jobdeck-worker@1 jobdeck-worker@2 | sort -u) == active ]]; }
t_poll "both are active" 10 active
serving() { c journalctl -u 'jobdeck-worker@*' | grep -q 'worker .*:2/2: serving jobdeck:sleep from gearmand'; }
t_poll "they log to the journal (journalctl -u 'jobdeck-worker@*')" 10 serving
pid=$(c systemctl show -p MainPID --value jobdeck-worker@2)
t_eq "they run as the jobdeck user" jobdeck "$(c ps -o user= -p "$pid" | tr -d ' ')"
t_match "WORKER_ARGS reaches the program as separate options" \
	"jobdeck worker --id [^ ]+:2 --types sleep --concurrency 2$" "$(c ps -o args= -p "$pid")"
t_eq "with its two processes" 3 "$(c pgrep -c -u jobdeck -f -- ':2 --types sleep')"

out=$(A submit csv-export --object 1 --wait 2>&1)
t_match "a job runs under the unit's hardening" "Completed: Exported" "$out"
id=${out%%$'\n'*}
t_match "the file it wrote in /var/lib/jobdeck/downloads is stored" "^identifier,.*F-1" \
	"$(A download "$id" -o - 2>&1 | head -n 2 | tr '\n' ' ')"
t_eq "and removed from there" "" "$(c ls -A /var/lib/jobdeck/downloads)"

# the target restarts them all, though only the instances were enabled
pid_of() { c systemctl show -p MainPID --value "jobdeck-worker@$1"; }
before1=$(pid_of 1) before2=$(pid_of 2)
t_ok "systemctl restart jobdeck-workers.target" c systemctl restart jobdeck-workers.target
restarted() {
	local p1 p2
	active || return 1
	p1=$(pid_of 1) p2=$(pid_of 2)
	[[ $p1 != 0 && $p2 != 0 && $p1 != "$before1" && $p2 != "$before2" ]]
}
t_poll "restarts both workers" 10 restarted

# stopping: the running job finishes, the units end well
id=$(A submit sleep --param seconds=3 2>/dev/null)
running() { [[ $(c runuser -u postgres -- psql -X -At -d jobdeck -c "SELECT status FROM jobdeck.jobs WHERE id = $id") == Running ]]; }
t_poll "a 3-second job starts" 10 running
start=$SECONDS
t_ok "systemctl stop 'jobdeck-worker@*'" c systemctl stop 'jobdeck-worker@*'
echo "  (the stop took $((SECONDS - start)) s)"
t_eq "the job finished first" Completed \
	"$(c runuser -u postgres -- psql -X -At -d jobdeck -c "SELECT status FROM jobdeck.jobs WHERE id = $id")"
t_eq "and both units stopped cleanly" "inactive success;inactive success" \
	"$(for u in 1 2; do echo "$(c systemctl show -p ActiveState --value jobdeck-worker@$u) $(c systemctl show -p Result --value jobdeck-worker@$u)"; done | paste -sd';')"

# a usage error is not restarted
c sh -c 'echo "WORKER_ARGS=--concurrency 0" > /etc/jobdeck/worker-3.env'
c systemctl start jobdeck-worker@3 >/dev/null 2>&1
failed() { [[ $(c systemctl is-failed jobdeck-worker@3) == failed ]]; }
t_poll "a worker with a usage error fails" 10 failed
sleep 6   # past RestartSec
t_eq "exit status 2, and no restart" "2 0" \
	"$(c systemctl show -p ExecMainStatus --value jobdeck-worker@3) $(c systemctl show -p NRestarts --value jobdeck-worker@3)"

t_ok "dpkg --purge removes it, under systemd too" c dpkg --purge jobdeck
t_eq "and leaves no unit behind" "" "$(c systemctl list-units --all --plain --no-legend 'jobdeck-worker*')"
