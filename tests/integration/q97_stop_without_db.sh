# A worker asked to stop while the database is away stops: it finishes its running job, and
# the output and the end it cannot write wait 10 s, then go (the job stays Running, and is handed over after the heartbeat
# timeout once the database is back). Before, it waited for the database without end.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q97 || exit 1
trap 'tests/services.sh pg-start "$JD_SERVICES" >/dev/null 2>&1; q_cleanup' EXIT

q_worker lonely
t_poll "the worker is registered" 10 q_served jobdeck:sleep
id=$(as alice jd submit sleep --param seconds=3)
t_poll "its job runs" 10 test "$(q_col "$id" worker)" = lonely
tests/services.sh pg-stop "$JD_SERVICES"
sleep 1
kill -TERM "$Q_PID"
t0=$SECONDS
stopped() { ! kill -0 "$Q_PID" 2>/dev/null; }
t_poll "asked to stop with the database away, the worker stops" 30 stopped
t_ok "…after giving the database 10 s or so" test $((SECONDS - t0)) -ge 8
t_match "it says what it could not write" "database unreachable" "$(cat "$Q_TMP/lonely.log")"
t_eq "and says once that it cannot register, not at every beat" 1 "$(grep -c 'cannot register' "$Q_TMP/lonely.log")"
tests/services.sh pg-start "$JD_SERVICES" >/dev/null
t_eq "the job is still Running, for the sweep to hand over" "Running" "$(q_col "$id" status)"
