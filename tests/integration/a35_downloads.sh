#!/usr/bin/env bash
# Files a job produced travel through the database (db/054): the worker stores them when the
# job ends and keeps no copy; `jobdeck download` gets them on any machine, byte for byte, for
# whoever may read the job and nobody else; only the worker holding a running job stores one;
# a clear or prune removes them.
source "$(dirname "$0")/q_common.bash"
jd_db a35 || exit 1
chmod 755 "$Q_TMP"
export JOBDECK_DOWNLOADS=$Q_TMP/downloads   # its own: the test looks into it
mkdir -p "$JOBDECK_DOWNLOADS"

# Two files with every awkward byte: a small one, and one of several stored chunks (256 KiB).
printf 'nul[\000] ff[\377\376] esc[\033[31m] cr[\r]\nend' >"$Q_TMP/small.bin"
{ printf '\000\377'; head -c 700000 /dev/urandom; printf '\377\000'; } >"$Q_TMP/big.bin"
cat >"$Q_TMP/emit" <<'SH'
#!/bin/sh
cat "$(dirname "$0")/$1.bin" >"$JOBDECK_OUTPUT"
SH
chmod 755 "$Q_TMP/emit"
cat >"$Q_TMP/tasks.conf" <<CONF
[task small]
command = $Q_TMP/emit
args = small

[task big]
command = $Q_TMP/emit
args = big
CONF
export JOBDECK_CONFIG=$Q_TMP/tasks.conf
q_worker a35w --types small,big
t_poll "the worker serves both tasks" 10 q_served jobdeck:command:big

hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }
stored_hex() { sql "SELECT encode(coalesce(string_agg(data, ''::bytea ORDER BY seq), ''), 'hex') FROM jobdeck.job_file WHERE job_id = $1"; }
chunks() { sql "SELECT count(*) FROM jobdeck.job_file WHERE job_id IN ($1)"; }
left_for() { ls -A "$JOBDECK_DOWNLOADS" | grep -- "-$1\." || true; }

small=$(as alice jd submit small)
big=$(as alice jd submit big)
t_poll "alice's small job completes" 15 q_is "$small" Completed
t_poll "…and her big one" 15 q_is "$big" Completed

# ==== stored, byte for byte, and no copy left behind ====
t_eq "the file is stored byte for byte" "$(hex "$Q_TMP/small.bin")" "$(stored_hex "$small")"
t_eq "a big one too" "$(hex "$Q_TMP/big.bin")" "$(stored_hex "$big")"
t_ok "in more than one chunk" test "$(chunks "$big")" -ge 3
t_eq "the job names its file and its size" "small-$small.out|$(stat -c %s "$Q_TMP/small.bin")|$(stat -c %s "$Q_TMP/small.bin")" \
	"$(q_col "$small" "concat_ws('|', download_path, download_size, file_bytes)")"
t_match "its Info names the file, not a folder of the worker's" "^\{\"Task small completed; wrote small-$small.out \(" \
	"$(q_col "$small" info)"
t_eq "the worker's copy is gone" "" "$(left_for "$small")$(left_for "$big")"

# ==== jobdeck download ====
dl=$(jd_tmp)
out=$(cd "$dl" && as alice jd download "$small")
t_eq "download saves it under its stored name and says so" \
	"Saved $(stat -c %s "$Q_TMP/small.bin") bytes to small-$small.out" "$out"
t_ok "…byte for byte" cmp "$Q_TMP/small.bin" "$dl/small-$small.out"
t_ok "-o FILE saves the big one anywhere, byte for byte" as alice jd download "$big" -o "$dl/copy.bin"
t_ok "…(compared)" cmp "$Q_TMP/big.bin" "$dl/copy.bin"
t_ok "-o - to a pipe writes the exact bytes" bash -c "PGUSER=alice '$JD_BIN' download $big -o - | cmp - '$Q_TMP/big.bin'"
if command -v script >/dev/null; then
	out=$(PGUSER=alice script -qec "$JD_BIN download $small -o -; echo rc=\$?" /dev/null 2>&1)
	t_match "-o - to a terminal is a usage error" "^jobdeck download: -o - writes the file's exact bytes" "$out"
	t_match "…exit 2" "rc=2" "$out"
	t_nomatch "…and none of the file reaches it" "nul|ff\[" "$out"
fi
echo "mine" >"$dl/taken"
rc=0; err=$(as alice jd download "$small" -o "$dl/taken" 2>&1) || rc=$?
t_eq "an existing file is not overwritten" "1|jobdeck: download: $dl/taken already exists (use --force to overwrite)" "$rc|$err"
t_eq "…and stays as it was" "mine" "$(cat "$dl/taken")"
rc=0; (cd "$dl" && as alice jd download "$small" >/dev/null 2>&1) || rc=$?
t_eq "nor under the default name" "1" "$rc"
t_ok "--force replaces it" as alice jd download "$small" -o "$dl/taken" --force
t_ok "…with the file" cmp "$Q_TMP/small.bin" "$dl/taken"
t_eq "no partial file is left beside them" "" "$(ls -A "$dl" | grep partial || true)"

# ==== who may read it ====
rc=0; bob_err=$(as bob jd download "$small" -o "$dl/bob" 2>&1) || rc=$?
rc2=0; none_err=$(as bob jd download 99999999 -o "$dl/bob" 2>&1) || rc2=$?
t_eq "bob cannot download alice's file" "1|jobdeck: download: job $small not found" "$rc|$bob_err"
t_eq "…told exactly as for a job that does not exist" "1|$bob_err" "$rc2|${none_err//99999999/$small}"
t_fails "…and nothing was written" test -e "$dl/bob"
t_eq "bob reads none of its chunks with psql" "0" "$(sql_as bob "SELECT count(*) FROM jobdeck.job_file WHERE job_id = $small")"
t_ok "alice reads hers with psql" test "$(sql_as alice "SELECT count(*) FROM jobdeck.job_file WHERE job_id = $small")" -ge 1
t_ok "an administrator can download it" as admin jd download "$small" -o "$dl/admin"
t_ok "…byte for byte" cmp "$Q_TMP/small.bin" "$dl/admin"
t_fails "a worker cannot read stored files" sql_as worker "SELECT count(*) FROM jobdeck.job_file"

nofile=$(jd_job alice Completed "no file")
rc=0; err=$(as alice jd download "$nofile" 2>&1) || rc=$?
t_eq "a job that made no file says so" "1|jobdeck: download: job $nofile made no file" "$rc|$err"
legacy=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, completed_at, download_path, download_size)
              VALUES ('legacy', 'csv-export', 'Completed', 'alice', now(), '/srv/old/csv-export-1.csv', 10) RETURNING id")
rc=0; err=$(as alice jd download "$legacy" 2>&1) || rc=$?
t_match "a file from before files were stored says so" "^jobdeck: download: job $legacy's file was not stored in the database" "$err"
t_eq "…exit 1" "1" "$rc"
t_exit "an ID that is not one is a usage error" 2 as alice jd download abc

# ==== only the worker holding a running job stores its file ====
sql "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'worker2') THEN
       CREATE ROLE worker2 LOGIN IN ROLE jobdeck_worker; END IF; END \$\$" >/dev/null
# a worker name of role worker, in a namespace no worker of this test sweeps
sql_as worker "SELECT jobdeck.worker_beat('w-a35', 'h', 1, 'a35-other', '{}', 1, 0, 0)" >/dev/null
held=$(sql "INSERT INTO jobdeck.jobs (name, type, username, namespace, worker, started_at, heartbeat_at)
            VALUES ('held', 'sleep', 'alice', 'a35-other', 'w-a35', now(), now()) RETURNING id")
store() { # ROLE JOB WORKER: stores a one-chunk file, then undoes it (it must be able to work)
	PGUSER=$1 psql -X -q -At -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<SQL
BEGIN;
SELECT jobdeck.job_file_begin($2, '$3', 'x-$2.out', 3);
SELECT jobdeck.job_file_append($2, '$3', 'abc');
ROLLBACK;
SQL
}
t_ok "the role that registered the worker stores into the job it holds" store worker "$held" w-a35
t_fails "another worker role cannot, even naming that worker" store worker2 "$held" w-a35
t_fails "nor can a worker name that does not hold the job" store worker "$held" a35w
t_fails "users cannot store at all" store alice "$held" w-a35
t_fails "administrators neither" store admin "$held" w-a35
t_fails "nor insert chunks directly" sql_as worker "INSERT INTO jobdeck.job_file (job_id, seq, data) VALUES ($held, 0, 'x')"
t_fails "…nor may a user" sql_as alice "INSERT INTO jobdeck.job_file (job_id, seq, data) VALUES ($held, 0, 'x')"
t_fails "a chunk outside the transaction that began the file is refused" \
	sql_as worker "SELECT jobdeck.job_file_append($held, 'w-a35', 'abc')"
t_fails "a name that is a path is refused" sql_as worker "SELECT jobdeck.job_file_begin($held, 'w-a35', '../etc/passwd', 3)"
sql "UPDATE jobdeck.jobs SET status = 'Completed', completed_at = now() WHERE id = $held" >/dev/null
t_fails "nothing is stored into a job that ended" store worker "$held" w-a35
t_eq "none of these left a chunk" "0" "$(chunks "$held")"

# ==== over the limit: the job says so, nothing is stored ====
sql "UPDATE jobdeck.settings SET value = 1000 WHERE name = 'file_max_bytes'" >/dev/null
over=$(as alice jd submit big)
t_poll "a job whose file is over the limit ends as Error" 15 q_is "$over" Error
t_match "its Info says so, with the limit" "larger than the limit of .*1000 bytes, settings.file_max_bytes" "$(q_col "$over" info)"
t_match "…its output too" "larger than the limit of" "$(q_output "$over")"
t_eq "nothing of it is stored" "0|-|-" "$(chunks "$over")|$(q_col "$over" "coalesce(file_bytes::text, '-') || '|' || coalesce(download_path, '-')")"
t_eq "…and no copy is left" "" "$(left_for "$over")"
sql "UPDATE jobdeck.settings SET value = 256 * 1024 * 1024 WHERE name = 'file_max_bytes'" >/dev/null

# ==== clear and prune remove stored files ====
echo "not the job's" >"$JOBDECK_DOWNLOADS/small-$small.out"   # the worker's scratch: never the clear's
t_ok "before the clear, alice's chunks are there" test "$(chunks "$small,$big")" -gt 0
as alice jd clear --yes >/dev/null
t_eq "alice's clear removes her jobs' stored files" "0" "$(chunks "$small,$big")"
t_ok "…and leaves the downloads folder alone for them" test -e "$JOBDECK_DOWNLOADS/small-$small.out"
bobs=$(as bob jd submit small)
t_poll "bob's job completes" 15 q_is "$bobs" Completed
t_ok "its file is stored" test "$(chunks "$bobs")" -ge 1
sql "UPDATE jobdeck.jobs SET completed_at = now() - interval '3 days' WHERE id = $bobs" >/dev/null
as admin jd prune --older-than 2d >/dev/null
t_eq "a prune removes the job" "0" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id = $bobs")"
t_eq "…and its stored file" "0" "$(chunks "$bobs")"
t_eq "no stored file outlives its job" "0" \
	"$(sql "SELECT count(*) FROM jobdeck.job_file f WHERE NOT EXISTS (SELECT 1 FROM jobdeck.jobs j WHERE j.id = f.job_id)")"
