# A worker whose gearmand is down waits quietly: one log line when it loses the server and one
# when it is back, almost no CPU and a few connection attempts meanwhile (libgearman alone
# spun at a whole core, reconnecting thousands of times a second), and it serves again within
# a few seconds of gearmand's return.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q93 || exit 1

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # user + system, in clock ticks
hz=$(getconf CLK_TCK)

q_worker w1; w=$Q_PID
t_poll "the worker serves" 10 q_served jobdeck:sleep
t_ok "a job runs" as alice jd submit sleep --param seconds=0 --wait

tests/services.sh gm-kill "$JD_SERVICES"
t_poll "the worker says it lost gearmand" 10 grep -q "gearmand $GM_HOST:$GM_PORT lost" "$Q_TMP/w1.log"
sleep 1
t0=$(ticks "$w"); sleep 4; t1=$(ticks "$w")
echo "  (CPU over 4 s with gearmand down: $((t1 - t0)) ticks of 1/$hz s)"
t_ok "it uses almost no CPU meanwhile (under 2% of a core)" test $((t1 - t0)) -le $((hz * 4 / 50))
if command -v strace >/dev/null; then
	n=$(timeout 3 strace -f -e trace=connect -p "$w" 2>&1 | grep -c "connect(")
	echo "  (connection attempts in 3 s: $n)"
	t_ok "and tries to connect a few times a second at most" test "$n" -le 15
fi
t_eq "it said so once" 1 "$(grep -c "gearmand $GM_HOST:$GM_PORT lost" "$Q_TMP/w1.log")"
t_ok "the worker is still there" kill -0 "$w"

tests/services.sh gm-start "$JD_SERVICES"
start=$SECONDS
t_ok "a job submitted once gearmand is back runs" as alice jd submit sleep --param seconds=0 --wait
echo "  (served again $((SECONDS - start)) s after gearmand came back)"
t_ok "within a few seconds" test $((SECONDS - start)) -le 5
t_eq "it said once that gearmand is back" 1 "$(grep -c "gearmand $GM_HOST:$GM_PORT reachable again" "$Q_TMP/w1.log")"
t_eq "and lost it only once" 1 "$(grep -c "lost" "$Q_TMP/w1.log")"
