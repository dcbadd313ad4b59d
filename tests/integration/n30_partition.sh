# A worker host cut off from the database while it runs long jobs: after the heartbeat timeout
# (3 s) the jobs are handed over and finish on the other worker host. When the partition
# heals, the stale worker learns that the jobs are no longer its own and stops them: nothing
# it prints after the handover reaches their output, which comes only from the attempt that
# owns them.
source "$(dirname "$0")/n_common.bash"
n_hosts db gm1 w1 w2 admin
n_db
n_gm_start gm1 || exit 1

# Only w1 at first, so the jobs start there. A line every half second: the stale worker has
# plenty to say after the partition heals.
n_worker w1 w1 --concurrency 3
t_poll "w1 is registered" 15 n_gm_workers_is gm1 jobdeck:sleep 3
ids=$(n_jd alice submit sleep --param seconds=40 --param lines=80 --count 3)
ids=$(tr '\n' ',' <<<"$ids"); ids=${ids%,}
t_poll "the three jobs run on w1" 20 n_count_is "id IN ($ids) AND worker LIKE 'w1%' AND started_at IS NOT NULL" 3
n_worker w2 w2 --concurrency 3
t_poll "w2 is registered" 15 n_gm_workers_is gm1 jobdeck:sleep 6
sleep 1

host_partition w1 db
cut=$(sql "SELECT now()")
t_poll "after the heartbeat timeout they are handed over to w2" 30 n_count_is "id IN ($ids) AND worker LIKE 'w2%' AND attempts = 2" 3
sleep 3
host_heal
healed=$(sql "SELECT now()")
echo "  (cut at $cut, healed at $healed)"

# the stale attempts would run 30 s more: stopped, w1 says so for each well before that
stopped() { [[ $(grep -E 'handed to another worker' "$N_LOG/w1.log" | grep -oE 'job [0-9]+' | sort -u | wc -l) -ge 3 ]]; }
t_poll "w1 learns that the jobs are no longer its own and stops them" 20 stopped
t_poll "all three complete" 60 n_count_is "id IN ($ids) AND status = 'Completed'" 3
t_eq "on w2, on their second attempt" "3|2|2" "$(sql "SELECT count(*), min(attempts), max(attempts) FROM jobdeck.jobs WHERE id IN ($ids) AND worker LIKE 'w2%'")"
want=$(printf 'line %d of 80\n' $(seq 80))
for id in ${ids//,/ }; do
	out=$(n_output "$id")
	if [[ -n ${N_KEEP:-} ]]; then printf "%s\n" "$out" >"$N_KEEP/job$id.out"; fi
	t_match "job $id: its output tells of the lost attempt" "Attempt 1 of 3 lost: worker w1[^ ]* stopped responding" "$out"
	# everything after that note is the second attempt's, once, in order
	t_eq "job $id: after it, the 80 lines of the owning attempt and nothing else" "$want" "$(sed -n '/^Attempt 1 of 3 lost/,$p' <<<"$out" | sed 1d)"
	t_eq "job $id: no output is written after its end" 0 \
		"$(sql "SELECT count(*) FROM jobdeck.job_output o JOIN jobdeck.jobs j ON j.id = o.job_id WHERE j.id = $id AND o.at > j.completed_at")"
done
t_nomatch "w1 completed none of them" "job (${ids//,/|}) \(.*\) Completed" "$(grep -E 'job [0-9]+' "$N_LOG/w1.log")"
t_eq "no job is left Running" 0 "$(n_count "status = 'Running'")"
if [[ -n ${N_KEEP:-} ]]; then cp "$N_LOG"/*.log "$N_KEEP"/; fi
