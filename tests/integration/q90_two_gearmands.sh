# Two gearmand servers (JOBDECK_GEARMAN=A,B): submit hands each job to one of them (its home
# server by id, the other when that one fails); workers take jobs from both and go on serving
# one while the other is down. gearmand B killed with -9 in the middle of 5,000 submitted
# jobs loses none and doubles none: each is Completed once, on its first attempt. Back, B
# rejoins: the workers take from it again. A is tests/services.sh's; B is started here.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q90 || exit 1

P1=$GM_PORT
P2=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=127.0.0.1:$P2
g2_up() { timeout 2 gearadmin -h 127.0.0.1 -p "$P2" --server-version >/dev/null 2>&1; }
g2_start() {
	gearmand --listen=127.0.0.1 --port="$P2" --round-robin --pid-file="$Q_TMP/g2.pid" --log-file="$Q_TMP/g2.log" --verbose=ERROR -d
	t_poll "gearmand B answers" 10 g2_up
}
g2_kill() { kill -9 "$(cat "$Q_TMP/g2.pid")"; rm -f "$Q_TMP/g2.pid"; }
trap '[[ -s $Q_TMP/g2.pid ]] && kill -9 "$(cat "$Q_TMP/g2.pid")" 2>/dev/null; q_cleanup' EXIT
g2_start
export JOBDECK_GEARMAN=127.0.0.1:$P1,$B

gm_col() { gearadmin -h 127.0.0.1 -p "$1" --status 2>/dev/null | awk -F'\t' -v c="$2" '$1 == "jobdeck:sleep" { n = $c } END { print n + 0 }'; }
held() { gm_col "$1" 2; }
listeners_on() { [[ $(gm_col "$1" 4) == "$2" ]]; }
count() { sql "SELECT count(*) FROM jobdeck.jobs WHERE $1"; }
count_is() { [[ $(count "$1") == "$2" ]]; }

# ---- submit: each job to one server, the other when that one fails
t_eq "submit --count 10 with both up" 10 "$(as alice jd submit sleep --param seconds=0 --count 10 2>/dev/null | grep -c .)"
t_eq "each server holds half of them (their home by id)" "5|5" "$(held "$P1")|$(held "$P2")"
g2_kill
rc=0; n=$(as alice jd submit sleep --param seconds=0 --count 20 2>"$Q_TMP/err" | grep -c .) || rc=$?
t_eq "with B killed, submit --count 20 exits 0" "0|20" "$rc|$n"
t_eq "A took them all" 25 "$(held "$P1")"
t_ok "a single submit goes to A as well" as alice jd submit sleep --param seconds=0
t_eq "A holds it" 26 "$(held "$P1")"
t_eq "none failed" 0 "$(count "status = 'Error'")"

# ---- a worker with B down serves A, and takes from B once it is back
q_worker w1
t_poll "with B down, the worker serves A's 26 jobs" 20 count_is "status = 'Completed'" 26
t_poll "it says once that B is lost" 10 grep -q "gearmand $B lost" "$Q_TMP/w1.log"
g2_start
t_poll "it registers with B once B is back" 10 listeners_on "$P2" 1
t_eq "and says so once" 1 "$(grep -c "gearmand $B reachable again" "$Q_TMP/w1.log")"
t_ok "a job handed to B alone runs" env JOBDECK_GEARMAN="$B" PGUSER=alice "$JD_BIN" submit sleep --param seconds=0 --wait
t_poll "the 5 that died with B ran too (the sweep hands them over again)" 20 count_is "status = 'Running'" 0
t_eq "all 32 once, on their first attempt" "32|1|1" "$(sql "SELECT count(*), min(attempts), max(attempts) FROM jobdeck.jobs WHERE status = 'Completed'")"

# ---- 5,000 jobs; B killed with -9 in the middle of the submit
q_worker w2 --concurrency 2
t_poll "three worker processes listen on A" 10 listeners_on "$P1" 3
t_poll "and on B" 10 listeners_on "$P2" 3
N=5000
before=$(sql "SELECT max(id) FROM jobdeck.jobs")
as alice "$JD_BIN" submit sleep --param seconds=0 --param lines=1 --count $N >"$Q_TMP/ids" 2>"$Q_TMP/err" &
sub=$!
for _ in $(seq 500); do
	[[ $(wc -l <"$Q_TMP/ids") -ge 1000 ]] || ! kill -0 "$sub" 2>/dev/null && break
	sleep 0.01
done
at=$(wc -l <"$Q_TMP/ids")
mid=no; kill -0 "$sub" 2>/dev/null && mid=yes
g2_kill
rc=0; wait "$sub" || rc=$?
echo "  (B killed with $at of $N ids printed)"
t_eq "B was killed while submit was still handing jobs over" yes "$mid"
t_eq "submit exits 0" 0 "$rc"
t_eq "it prints $N distinct ids" $N "$(sort -u "$Q_TMP/ids" | grep -cE '^[0-9]+$')"
start=$SECONDS
t_poll "all $N complete" 120 count_is "id > $before AND status = 'Completed'" $N
echo "  (ran in $((SECONDS - start)) s; $(cat "$Q_TMP"/w1.log "$Q_TMP"/w2.log | grep -o 'sweep: handed [0-9]* waiting' | awk '{ n += $3 } END { print n + 0 }') re-handed by the sweep)"
t_eq "each Completed once, on its first attempt, attempts adding up to $N, one line of output" \
	"$N|1|1|$N|$N" \
	"$(sql "SELECT count(*) FILTER (WHERE status = 'Completed'), min(attempts), max(attempts), sum(attempts),
		count(*) FILTER (WHERE output_bytes = 12) FROM jobdeck.jobs WHERE id > $before")"
t_eq "no job has output from two runs" 0 \
	"$(sql "SELECT count(*) FROM (SELECT job_id FROM jobdeck.job_output WHERE job_id > $before GROUP BY 1 HAVING count(*) <> 1) x")"
logs() { cat "$Q_TMP"/w1.log "$Q_TMP"/w2.log | grep -oE 'job [0-9]+ \(sleep' | awk -v b="$before" '$2 > b'; }
t_eq "the worker logs name each job once" $N "$(logs | sort -u | wc -l)"
t_eq "and no job twice" 0 "$(logs | sort | uniq -d | wc -l)"
t_eq "A holds none of them any more" 0 "$(held "$P1")"
for p in w1 w2/1 w2/2; do
	t_eq "worker $p said once that B was lost this time" 1 \
		"$(cat "$Q_TMP"/w1.log "$Q_TMP"/w2.log | grep "worker $p: gearmand $B lost" | wc -l | awk -v w=$p '{ print (w == "w1") ? $1 - 1 : $1 }')"
done

# ---- B back: it rejoins
g2_start
t_poll "the three processes register with B again" 15 listeners_on "$P2" 3
before=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "20 jobs handed to B alone" 20 "$(JOBDECK_GEARMAN=$B as alice "$JD_BIN" submit sleep --param seconds=0 --count 20 2>/dev/null | grep -c .)"
t_poll "run" 15 count_is "id > $before AND status = 'Completed'" 20
t_eq "B holds none of them" 0 "$(held "$P2")"
