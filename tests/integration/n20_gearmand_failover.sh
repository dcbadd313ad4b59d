# Two gearmand hosts, gm1 and gm2, in JOBDECK_GEARMAN for the submitting client and the
# workers. gm1 is killed (-9) while 5,000 jobs are being submitted: every job still completes,
# exactly once, on one attempt. gm1 started again rejoins: with gm2 gone, jobs go through it.
source "$(dirname "$0")/n_common.bash"
n_hosts db gm1 gm2 w1 w2 admin
N_GEARMAN="$(host_ip gm1):4730,$(host_ip gm2):4730"
n_db
n_gm_start gm1 && n_gm_start gm2 || exit 1

n_worker w1 w1 --concurrency 2
n_worker w2 w2 --concurrency 2
t_poll "the workers are registered with gm1" 15 n_gm_workers_is gm1 jobdeck:sleep 4
t_poll "and with gm2" 15 n_gm_workers_is gm2 jobdeck:sleep 4

# ---- 5,000 jobs, gm1 killed when a fifth are recorded
N=${N20_JOBS:-5000}
n_jd alice submit sleep --param seconds=0 --param lines=1 --count $N >"$N_LOG/submit.out" 2>"$N_LOG/submit.err" &
submit=$!
t_poll "the submission is under way" 60 bash -c "(( \$(PGUSER=postgres psql -X -At -c 'SELECT count(*) FROM jobdeck.jobs WHERE queued_at IS NOT NULL') >= $N / 5 ))"
n_gm_kill gm1 KILL
echo "  (gm1 killed with $(n_count "true") of $N jobs recorded, $(n_count "queued_at IS NOT NULL") handed to gearmand, $(n_count "status = 'Completed'") completed)"
wait "$submit"; rc=$?
t_eq "the submission finishes without error" 0 "$rc"
[[ $rc == 0 ]] || head -n 5 "$N_LOG/submit.err"
t_eq "every job is recorded" $N "$(n_count "true")"
t_poll "all $N complete" 240 n_count_is "status = 'Completed'" $N
t_eq "each on one attempt" "$N|1|1" "$(sql "SELECT count(*), min(attempts), max(attempts) FROM jobdeck.jobs")"
t_eq "each printed its one line once" $N "$(n_count "output_bytes = length('line 1 of 1') + 1")"
runs=$(cat "$N_LOG"/w1.log "$N_LOG"/w2.log | grep -oE 'job [0-9]+ \(sleep' | sort)
t_eq "the workers' logs name each job once" $N "$(uniq <<<"$runs" | wc -l)"
t_eq "and none twice" 0 "$(uniq -d <<<"$runs" | wc -l)"
t_eq "no job is left Running" 0 "$(n_count "status = 'Running'")"

# ---- gm1 comes back and is used again
n_gm_start gm1 || exit 1
t_poll "the workers register with gm1 again" 30 n_gm_workers_is gm1 jobdeck:sleep 4
n_gm_kill gm2 TERM
before=$(sql "SELECT max(id) FROM jobdeck.jobs")
rc=0; n_on admin alice timeout 60 "$JD_BIN" submit sleep --param seconds=0 --count 20 >/dev/null 2>"$N_LOG/submit2.err" || rc=$?
t_eq "with gm2 stopped, 20 jobs are submitted through gm1" 0 "$rc"
[[ $rc == 0 ]] || head -n 5 "$N_LOG/submit2.err"
t_poll "and complete" 30 n_count_is "id > $before AND status = 'Completed'" 20
