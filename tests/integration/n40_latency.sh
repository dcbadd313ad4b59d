# The worker hosts' links delay every frame by 1 ms each way (tc netem, or tests/netdelay.py
# where the kernel has none): jobs still complete, once each, with all their output. How long
# they took is printed, never asserted.
source "$(dirname "$0")/n_common.bash"
n_hosts db gm1 w1 w2 admin
n_db
n_gm_start gm1 || exit 1
host_delay w1 1ms && host_delay w2 1ms || { _t_record fail "could not delay the worker hosts' links"; exit 1; }

r=$(host_rtt w1 db)
t_ok "a round trip from w1 to db takes 2 ms or more ($r ms)" awk -v r="$r" 'BEGIN { exit !(r >= 1.9) }'

n_worker w1 w1 --concurrency 2
n_worker w2 w2 --concurrency 2
t_poll "both worker hosts are registered" 20 n_gm_workers_is gm1 jobdeck:sleep 4
start=$SECONDS
t_ok "alice submits 300 jobs from admin" n_jd alice submit sleep --param seconds=0 --param lines=3 --count 300
t_poll "all 300 complete" 120 n_count_is "status = 'Completed'" 300
echo "  (300 jobs in $((SECONDS - start)) s with 1 ms each way to the worker hosts)"
t_eq "each once" "300|1|1" "$(sql "SELECT count(*), min(attempts), max(attempts) FROM jobdeck.jobs")"
t_eq "on both hosts" "2" "$(sql "SELECT count(DISTINCT split_part(worker, '/', 1)) FROM jobdeck.jobs")"
t_eq "each with its three lines" 300 "$(n_count "output_bytes = 3 * length(E'line 1 of 3\n')")"
csv=$(host_dir admin)/import.csv
printf 'identifier,title\nL-1,Over a slow link\n' >"$csv"
sql "INSERT INTO jobdeck.records (id, identifier, title) VALUES (1, 'F-1', 'Fonds'); SELECT setval('jobdeck.records_id_seq', 100)" >/dev/null
t_ok "a csv-import from admin completes" n_jd alice submit csv-import --object 1 --param file="$csv" --wait
t_ok "a job that runs 3 s while printing completes" n_jd alice submit sleep --param seconds=3 --param lines=30 --wait
t_eq "with its 30 lines in order" "$(printf 'line %d of 30\n' $(seq 30))" "$(n_output "$(sql "SELECT max(id) FROM jobdeck.jobs")")"
host_delay w1 0
t_ok "without the delay, w1 reaches db at once again" awk -v r="$(host_rtt w1 db)" 'BEGIN { exit !(r < 1) }'
