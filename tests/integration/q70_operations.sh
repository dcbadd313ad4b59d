#!/usr/bin/env bash
# Operating the machinery from the command line: workers that register and beat, gearmand's
# queues, pausing a job type, retrying failed jobs, acting on the jobs of a filter, pruning.
# Each administrator's command is tried by a user as well.
source "$(dirname "$0")/q_common.bash"
jd_db q70 || exit 1
chmod 755 "$Q_TMP"
export JOBDECK_DOWNLOADS=$Q_TMP/downloads
rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('P-1', 'Parent') RETURNING id")

# ==== workers register, beat and say what they do ====
q_worker w70 --types sleep,csv-import
w=$Q_PID
t_poll "the worker registers" 10 bash -c "[[ \$(PGUSER=admin '$JD_BIN' workers) == *w70* ]]"
out=$(as admin jd workers)
t_match "it is idle, with its types" "w70 .* idle .* sleep, csv-import" "$out"
t_match "the throughput shows" "Jobs ended per minute over the last hour" "$out"
long=$(as alice jd submit sleep --param seconds=3 2>/dev/null)
t_poll "a running job shows it busy, with the job" 10 bash -c "PGUSER=admin '$JD_BIN' workers | grep -E 'w70 .* busy .*running $long'"
t_poll "the job completes" 10 q_is "$long" Completed
t_poll "its count goes up with a beat" 15 bash -c "PGUSER=admin '$JD_BIN' workers | grep -E 'w70 .* idle +1 +1 +0 '"
t_exit "a user may not see the workers" 1 as alice jd workers
t_fails "nor read the table" sql_as alice "SELECT * FROM jobdeck.workers"
t_fails "nor beat as a worker" sql_as alice "SELECT jobdeck.worker_beat('fake', 'h', 1, 'jobdeck', '{sleep}', 1, 0, 0)"
t_fails "another role's worker row cannot be taken over" \
	sql_as admin "SELECT jobdeck.worker_beat('w70', 'h', 1, 'jobdeck', '{sleep}', 1, 0, 0)"

# ==== queues ====
out=$(as admin jd queues)
t_match "queues: gearmand answers" "gearmand $GM_HOST:$GM_PORT: reachable" "$out"
t_match "queues: a function of this namespace, with its worker" "jobdeck:sleep +0 +0 +1" "$out"
out=$(JOBDECK_GEARMAN=127.0.0.1:1 as admin jd queues 2>&1); rc=$?
t_eq "queues: no gearmand answers, exit 1" 1 "$rc"
t_match "queues: and says which and why" "gearmand 127.0.0.1:1: unreachable" "$out"

# ==== pause and resume ====
t_exit "a user may not pause" 1 as alice jd pause sleep
t_exit "an unknown type is a usage error" 2 as admin jd pause no-such-type
t_ok "the administrator pauses sleep" as admin jd pause sleep
t_poll "the worker stops serving it within a second or so" 3 bash -c "! gearadmin -h $GM_HOST -p $GM_PORT --status | grep -qE '^jobdeck:sleep\s+[0-9]+\s+[0-9]+\s+[1-9]'"
t_match "…and logs it" "paused: jobdeck:sleep" "$(cat "$Q_TMP/w70.log")"
held=$(as alice jd submit sleep --param seconds=0 2>"$Q_TMP/err")
t_match "a submission says it is paused" "Paused by admin" "$(cat "$Q_TMP/err")"
sleep 2
t_eq "the job waits, saying so" "Running|Paused by admin" "$(q_col "$held" "status || '|' || info[1]")"
t_match "it waits in gearmand, not lost" "jobdeck:sleep\s+1\s+0\s+0" "$(gearadmin -h "$GM_HOST" -p "$GM_PORT" --status)"
t_match "queues lists what is paused" "jobdeck:sleep, by admin" "$(as admin jd queues)"
t_ok "resume" as admin jd resume sleep
t_poll "the waiting job is picked up again" 10 q_is "$held" Completed
t_fails "a user cannot pause through psql either" sql_as alice "SELECT jobdeck.route_pause('jobdeck', 'sleep')"

# ==== retry ====
failed=$(as alice jd submit sleep --param seconds=0 --param fail=1 2>/dev/null)
t_poll "a job fails" 10 q_is "$failed" Error
bobs=$(as bob jd submit sleep --param seconds=0 --param fail=1 2>/dev/null)
t_poll "bob's too" 10 q_is "$bobs" Error
out=$(as alice jd retry "$failed")
t_match "alice retries her failed job" "job $failed: retried as job [0-9]+" "$out"
new=$(grep -oE '[0-9]+$' <<<"$out")
t_match "the new job says where it comes from" "Retry of job $failed" "$(q_col "$new" "array_to_string(info, '|')")"
t_eq "…is hers, with the same type and parameters" "alice|sleep|{\"fail\": \"1\", \"seconds\": \"0\"}" \
	"$(q_col "$new" "username || '|' || type || '|' || params::text")"
t_match "the old job says where it went" "Retried as job $new" "$(q_col "$failed" "array_to_string(info, ' ')")"
t_poll "the new job is handed to a worker and runs" 10 q_is "$new" Error
t_exit "alice may not retry bob's job" 1 as alice jd retry "$bobs"
t_match "…which she cannot see" "job $bobs not found" "$(as alice jd retry "$bobs" 2>&1)"
ok=$(as alice jd submit sleep --param seconds=0 2>/dev/null)
t_poll "a job completes" 10 q_is "$ok" Completed
t_exit "a job that did not fail is refused" 1 as alice jd retry "$ok"
t_match "…with the reason" "did not fail" "$(as alice jd retry "$ok" 2>&1)"
cli=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, completed_at) VALUES ('Nightly', 'cmdline', 'Error', NULL, now()) RETURNING id")
t_match "a command-line run is refused with a sentence that says so" "command-line run; no worker can run it again" \
	"$(as admin jd retry "$cli" 2>&1)"
out=$(as admin jd retry "$bobs")
t_match "an administrator retries anyone's" "retried as job" "$out"
t_eq "…and owns the retry" "admin" "$(q_col "$(grep -oE '[0-9]+$' <<<"$out")" username)"
# a csv-import retried takes its file along: the worker reads it from the database again
printf 'identifier,title\nR-1,Once\nR-1,Twice\n' >"$Q_TMP/dup.csv"
imp=$(as alice jd submit csv-import --object "$rec" --param file="$Q_TMP/dup.csv" 2>/dev/null)
t_poll "an import runs" 10 q_is "$imp" Completed
sql "UPDATE jobdeck.jobs SET status = 'Error' WHERE id = $imp" >/dev/null   # as if it had failed
again=$(as alice jd retry "$imp" | grep -oE '[0-9]+$')
t_eq "the retried import has the same file, byte for byte" \
	"$(sql "SELECT encode(string_agg(data, ''::bytea ORDER BY seq), 'hex') FROM jobdeck.job_input WHERE job_id = $imp")" \
	"$(sql "SELECT encode(string_agg(data, ''::bytea ORDER BY seq), 'hex') FROM jobdeck.job_input WHERE job_id = $again")"
t_poll "…and runs from it" 10 q_is "$again" Completed

# ==== acting on the jobs of a filter ====
sql "DELETE FROM jobdeck.jobs" >/dev/null
for i in 1 2 3; do jd_job alice Error "Batch import $i" >/dev/null; done
jd_job alice Completed "Batch import ok" >/dev/null
jd_job bob Error "Batch import bob" >/dev/null
t_exit "a filter without a terminal needs --yes" 2 as alice jd retry --failed --filter "Batch import" </dev/null
as admin jd pause sleep >/dev/null   # the retries wait, to be cancelled
t_poll "(sleep is paused again)" 5 bash -c "! gearadmin -h $GM_HOST -p $GM_PORT --status | grep -qE '^jobdeck:sleep\s+[0-9]+\s+[0-9]+\s+[1-9]'"
out=$(as alice jd retry --failed --filter "Batch import" --yes)
t_match "retry --failed --filter retries hers" "Retried 3 jobs" "$out"
out=$(as admin jd cancel --active --filter "Batch import" --yes)
t_match "cancel by filter cancels the waiting retries" "Cancelled 3 jobs" "$out"
out=$(as admin jd clear --filter "Batch import" --yes)
t_match "an administrator's clear by filter skips what is not theirs, saying why" "Nothing to clear: .*someone else's" "$out"
out=$(as alice jd clear --failed --filter "Batch import" --yes)
t_match "alice clears her failed ones of the filter" "Cleared 6 jobs" "$out"
t_eq "her completed one stays, and bob's" "Batch import bob,Batch import ok" \
	"$(sql "SELECT string_agg(name, ',' ORDER BY name) FROM jobdeck.jobs WHERE name LIKE 'Batch import%'")"
t_exit "a filter that does not parse is a usage error" 2 as alice jd clear --filter "status:maybe" --yes
as admin jd resume sleep >/dev/null

# ==== prune ====
sql "DELETE FROM jobdeck.jobs" >/dev/null
old1=$(jd_job alice Completed "old" "100 days"); old2=$(jd_job bob Error "old bob" "100 days")
sql "UPDATE jobdeck.jobs SET completed_at = created_at WHERE id IN ($old1, $old2)" >/dev/null
jd_job "" Completed "old cli" "100 days" >/dev/null
sql "UPDATE jobdeck.jobs SET completed_at = created_at WHERE name = 'old cli'" >/dev/null
run=$(jd_job alice Running "still running" "100 days")
recent=$(jd_job alice Completed "recent")
t_exit "a user may not prune" 1 as alice jd prune --older-than 90d
t_exit "prune needs a span" 2 as admin jd prune
t_match "--dry-run says how many" "^3 jobs would be removed" "$(as admin jd prune --older-than 90d --dry-run)"
t_match "--failed counts the failed ones" "^1 failed job would be removed" "$(as admin jd prune --older-than 90d --failed --dry-run)"
t_eq "a dry run removes nothing" "5" "$(sql "SELECT count(*) FROM jobdeck.jobs")"
t_match "prune removes every user's old inactive jobs" "Removed 3 jobs" "$(as admin jd prune --older-than 90d)"
t_eq "running and recent jobs stay" "$run,$recent" "$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM jobdeck.jobs")"

# retention: the workers' sweep prunes by itself
gone=$(jd_job bob Completed "expired" "3 hours")
sql "UPDATE jobdeck.jobs SET completed_at = created_at WHERE id = $gone" >/dev/null
kill "$w" 2>/dev/null
JOBDECK_RETENTION=2h q_worker w71 --types sleep
t_poll "JOBDECK_RETENTION=2h: the sweep removes a job that ended 3 hours ago" 20 \
	bash -c "[[ \$(PGUSER=postgres psql -X -At -c 'SELECT count(*) FROM jobdeck.jobs WHERE id = $gone') == 0 ]]"
t_eq "…and keeps the recent one" "1" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id = $recent")"
t_exit "a retention that is no span stops the worker with a usage error" 2 env JOBDECK_RETENTION=forever PGUSER=worker "$JD_BIN" worker
