# A job handed to gearmand again while its worker is alive and running it (a re-dispatch after
# a gearmand restart, a partition that heals, the same id submitted twice) is refused by the
# claim: the second worker takes it from gearmand and does not run it, the first finishes it,
# once. The hand-over here is the stock gearman client's, as anyone's could be.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q91 || exit 1

gm_col() { gearadmin -h "$GM_HOST" -p "$GM_PORT" --status | awk -F'\t' -v c="$1" '$1 == "jobdeck:sleep" { print $c }'; }
drained() { [[ $(gm_col 2) == 0 ]]; }
listeners() { [[ $(gm_col 4) == "$1" ]]; }
hand_again() { printf '%s' "$1" | gearman -h "$GM_HOST" -p "$GM_PORT" -f jobdeck:sleep -b -u "$2"; }

q_worker wa
t_poll "worker A serves" 10 q_served jobdeck:sleep
id=$(as alice jd submit sleep --param seconds=6 --param lines=3 2>/dev/null)
t_poll "the job runs on A" 10 q_running_on "$id"
t_eq "held by A, first attempt" "wa|1" "$(q_col "$id" "worker, attempts")"

q_worker wb
t_poll "worker B listens too" 10 listeners 2
sleep 0.5
hand_again "$id" "$id"
t_poll "gearmand hands the duplicate out (to B: A is busy)" 10 drained
sleep 1
t_eq "the job still is A's, on its first attempt" "Running|wa|1" "$(q_col "$id" "status, worker, attempts")"
t_nomatch "B did not run it" "job $id " "$(cat "$Q_TMP/wb.log")"

# and the same id twice more while A still runs it
hand_again "$id" "$id-x"
hand_again "$id" "$id-y"
t_poll "gearmand hands those out too" 10 drained

t_poll "A finishes it" 15 q_is "$id" Completed
t_eq "by A, on its first attempt" "wa|1" "$(q_col "$id" "worker, attempts")"
t_eq "its output is one run's" "line 1 of 3
line 2 of 3
line 3 of 3" "$(q_output "$id")"
t_eq "its Info is that run's" '{"Slept 6s and printed 3 lines"}' "$(q_col "$id" info)"
t_eq "the worker logs name it once" 1 "$(cat "$Q_TMP"/wa.log "$Q_TMP"/wb.log | grep -c "job $id (sleep")"

# once it has ended, a late duplicate is refused as well
hand_again "$id" "$id-z"
t_poll "a late duplicate is taken from gearmand" 10 drained
sleep 1
t_eq "and changes nothing" "Completed|wa|1|36" "$(q_col "$id" "status, worker, attempts, output_bytes")"
