# One job type does not starve another: with a backlog of one type, a job of another type
# that a worker also serves starts long before the backlog drains (gearmand hands work
# round-robin over a worker's functions, --round-robin; without it, the first function with
# work always wins and the other waits for the whole backlog).
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q95 || exit 1

printf '#!/bin/sh\necho task ran\n' >"$Q_TMP/hello"
chmod 755 "$Q_TMP/hello"
printf '[task hello]\ncommand = %s\n' "$Q_TMP/hello" >"$Q_TMP/tasks.conf"
export JOBDECK_CONFIG=$Q_TMP/tasks.conf

q_worker fair --types sleep,command
t_poll "the worker serves both functions" 10 q_served jobdeck:command:hello
as alice jd submit sleep --param seconds=0.1 --count 40 >/dev/null
t_poll "the backlog is being worked through" 10 test "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE started_at IS NOT NULL")" -gt 0
task=$(as alice jd submit hello)
done_task() { [[ $(q_col "$task" status) == Completed ]]; }
t_poll "the task's job completes" 20 done_task
t_ok "…while most of the backlog still waits" test \
	"$(sql "SELECT count(*) FROM jobdeck.jobs WHERE type = 'sleep' AND (started_at IS NULL OR started_at > (SELECT started_at FROM jobdeck.jobs WHERE id = $task))")" -ge 20
