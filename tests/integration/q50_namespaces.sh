# Two installations sharing one gearmand (namespaces alpha and beta) never take each other's
# jobs; a namespace with no worker of its own waits and says so.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q50 || exit 1

JOBDECK_NAMESPACE=alpha q_worker wa
t_poll "the alpha worker is registered" 10 q_served alpha:sleep
ids_b=()
for _ in 1 2 3; do ids_b+=("$(JOBDECK_NAMESPACE=beta as alice jd submit sleep --param seconds=0 2>"$Q_TMP/err")"); done
t_match "a beta job finds no beta worker, though alpha has one" "none is connected for sleep" "$(cat "$Q_TMP/err")"
ids_a=()
for _ in 1 2 3; do ids_a+=("$(JOBDECK_NAMESPACE=alpha as alice jd submit sleep --param seconds=0 2>/dev/null)"); done
all_done() { local i; for i in "$@"; do q_is "$i" Completed || return 1; done; }
t_poll "the alpha jobs complete" 10 all_done "${ids_a[@]}"
sleep 4   # two sweeps of the alpha worker
t_eq "the beta jobs still wait, untouched by alpha" "3|0" "$(sql "SELECT count(*) FILTER (WHERE status = 'Running' AND worker IS NULL), count(*) FILTER (WHERE attempts > 0) FROM jobdeck.jobs WHERE namespace = 'beta'")"
JOBDECK_NAMESPACE=beta q_worker wb
t_poll "they complete once a beta worker starts" 15 all_done "${ids_b[@]}"
t_eq "each namespace's jobs ran on its own worker" "alpha|wa|3;beta|wb|3" "$(sql "SELECT string_agg(namespace || '|' || worker || '|' || n, ';' ORDER BY namespace) FROM (SELECT namespace, worker, count(*) n FROM jobdeck.jobs GROUP BY 1, 2) x")"
t_exit "a namespace that is not a plain name is refused" 2 env JOBDECK_NAMESPACE='a b:c' PGUSER=alice "$JD_BIN" submit sleep
