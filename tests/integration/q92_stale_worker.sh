# A stale worker: stopped (SIGSTOP) past the heartbeat timeout while it runs a job, it loses
# the job to another worker's sweep, and the job runs again and finishes there. When it wakes
# (SIGCONT) it says the job moved, stops the job's command as a cancel would, and writes
# nothing more into the job: its output, its end and its result are refused, by its own
# statements and by the database (db/055), which is tried here with psql as the worker role.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q92 || exit 1
chmod 755 "$Q_TMP"

# a line every fifth of a second, naming the worker process that runs it: for 30 s the first
# time (so only a stop ends it soon), for 8 s after
cat >"$Q_TMP/ticks" <<SH
#!/bin/sh
echo \$\$ >"$Q_TMP/cmd.\$PPID"
n=40
[ -e "$Q_TMP/ran" ] || { n=150; : >"$Q_TMP/ran"; }
i=0
while [ \$i -lt \$n ]; do
	i=\$((i + 1))
	echo "w\$PPID tick \$i"
	sleep 0.2
done
SH
chmod 755 "$Q_TMP/ticks"
printf '[task ticks]\ncommand = %s\n' "$Q_TMP/ticks" >"$Q_TMP/tasks.conf"
export JOBDECK_CONFIG=$Q_TMP/tasks.conf

lines_of() { q_output "$id" | grep -c "^w$1 tick"; }
as_stale() { PGOPTIONS="-c jobdeck.worker=wa -c jobdeck.heartbeat_timeout=$JOBDECK_HEARTBEAT_TIMEOUT" sql_as worker "$1"; }
as_holder() { PGOPTIONS="-c jobdeck.worker=wb -c jobdeck.heartbeat_timeout=$JOBDECK_HEARTBEAT_TIMEOUT" sql_as worker "$1"; }

q_worker wa; a=$Q_PID
t_poll "worker A serves the task" 10 q_served jobdeck:command:ticks
id=$(as alice jd submit ticks 2>/dev/null)
t_poll "the job runs on A" 10 q_running_on "$id"
t_poll "A's command prints" 10 bash -c "[[ \$(grep -c '^w$a tick' <<<\"\$(PGUSER=postgres psql -X -At -c \"SELECT convert_from(string_agg(data, ''::bytea ORDER BY offset_), 'UTF8') FROM jobdeck.job_output WHERE job_id = $id\")\") -ge 3 ]]"
acmd=$(cat "$Q_TMP/cmd.$a")

q_worker wb; b=$Q_PID
t_poll "worker B serves too" 10 bash -c "[[ \$(gearadmin -h $GM_HOST -p $GM_PORT --status | awk -F'\t' '\$1 == \"jobdeck:command:ticks\" { print \$4 }') == 2 ]]"
kill -STOP "$a"
t_poll "past the heartbeat timeout, B's sweep hands the job over and B runs it" 20 \
	bash -c "[[ \$(PGUSER=postgres psql -X -At -c \"SELECT worker || '|' || attempts FROM jobdeck.jobs WHERE id = $id\") == 'wb|2' ]]"
t_poll "B's command prints" 10 test -s "$Q_TMP/cmd.$b"
sleep 0.5
n0=$(lines_of "$a")
echo "  ($n0 lines of A's attempt were written while A held the job)"
t_ok "A's command went on meanwhile (only A was stopped)" kill -0 "$acmd"

# the database refuses the stale worker, and lets the holder be
# (each write changes nothing, so that a database that allowed it would not spoil the rest)
t_eq "as A, psql cannot change the job B holds (its status, Info, worker...)" 0 \
	"$(as_stale "WITH u AS (UPDATE jobdeck.jobs SET status = status, info = info, worker = worker WHERE id = $id RETURNING 1) SELECT count(*) FROM u")"
t_eq "nor beat its heartbeat" 0 \
	"$(as_stale "WITH u AS (UPDATE jobdeck.jobs SET heartbeat_at = heartbeat_at WHERE id = $id RETURNING 1) SELECT count(*) FROM u")"
t_fails "nor add output to it" as_stale "BEGIN; INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($id, 1000000, 'late'); ROLLBACK"
t_eq "as B, the holder, psql may" 1 \
	"$(as_holder "WITH u AS (UPDATE jobdeck.jobs SET heartbeat_at = heartbeat_at WHERE id = $id RETURNING 1) SELECT count(*) FROM u")"

kill -CONT "$a"
t_poll "A says the job moved and that it stopped it" 10 \
	grep -q "job $id (command, attempt 1) was handed to another worker while this one was silent; stopped it" "$Q_TMP/wa.log"
t_poll "A's command is stopped (it had 20 s to go)" 10 bash -c "! kill -0 $acmd 2>/dev/null"
t_poll "A drops its end" 10 grep -q "job $id was handed to another worker while this one was silent; result dropped" "$Q_TMP/wa.log"
t_eq "the job is still B's meanwhile" "Running|wb|2" "$(q_col "$id" "status, worker, attempts")"

t_poll "B finishes it" 20 q_is "$id" Completed
t_eq "by B, on the second attempt" "wb|2" "$(q_col "$id" "worker, attempts")"
t_eq "A wrote no line after it lost the job" "$n0" "$(lines_of "$a")"
t_eq "B's run is all there" 40 "$(lines_of "$b")"
t_match "the output tells of the lost attempt" "Attempt 1 of 3 lost: worker wa stopped responding" "$(q_output "$id")"
t_nomatch "and has nothing of A's stop" "cancelled by|handed to another worker|late" "$(q_output "$id")"
t_nomatch "its Info is B's, not A's" "Cancelled|handed" "$(q_col "$id" info)"
t_eq "the output counters match the output" "$(sql "SELECT sum(length(data)) FROM jobdeck.job_output WHERE job_id = $id")" "$(q_col "$id" output_bytes)"
t_ok "A is still serving" kill -0 "$a"
