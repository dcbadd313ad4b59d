# tests/services.sh decides that a service is up by asking it (pg_isready; gearmand's admin
# "version"), never by a pid: after kill -9 of gearmand, start brings it back every time, a
# stopped (SIGSTOP) gearmand is replaced, and a pid file naming another process neither
# fools it nor gets that process killed.
source "$(dirname "$0")/../lib.sh"

svc() { "$JD_TOP/tests/services.sh" "$@" "$JD_SERVICES"; }
port=$(cat "$JD_SERVICES/gearmand.port")
answers() { timeout 3 gearadmin -h 127.0.0.1 -p "$port" --server-version >/dev/null 2>&1; }

t_ok "status says both services answer" svc status
back=0 fast=0
for i in $(seq 10); do
	kill -9 "$(cat "$JD_SERVICES/gearmand.pid")"
	svc start >/dev/null 2>&1 && answers && back=$((back + 1))
	svc status && fast=$((fast + 1))
done
t_eq "kill -9 then start, ten times: gearmand answers after each start" 10 "$back"
t_eq "and status says so each time" 10 "$fast"

kill -9 "$(cat "$JD_SERVICES/gearmand.pid")"
sleep 0.2
t_fails "status fails once gearmand is killed" svc status

svc start >/dev/null 2>&1
old=$(cat "$JD_SERVICES/gearmand.pid")
kill -STOP "$old"
t_fails "a stopped gearmand does not count as up" svc status
t_ok "start replaces it" svc start
t_ok "gearmand answers" answers
t_ok "the stopped one is gone" bash -c "! kill -0 $old 2>/dev/null || [[ \$(awk '{ print \$3 }' /proc/$old/stat) == Z ]]"

sleep 300 &
other=$!
kill -9 "$(cat "$JD_SERVICES/gearmand.pid")"
sleep 0.2
echo "$other" >"$JD_SERVICES/gearmand.pid"
t_fails "a pid file naming a live process that is not gearmand does not count" svc status
t_ok "start starts gearmand all the same" svc start
t_ok "gearmand answers" answers
t_ok "and the other process was left alone" kill -0 "$other"
kill "$other"

PGPORT=$(cat "$JD_SERVICES/pg.port")
t_ok "PostgreSQL is up when pg_isready says so" pg_isready -q -h 127.0.0.1 -p "$PGPORT"
