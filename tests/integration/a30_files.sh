#!/usr/bin/env bash
# Files and the trust boundary. A file a job reads is read by the submitting client with its
# user's rights and travels through the database; the worker never opens a path a user names.
# A file a job produced is removed by a clear only when its own worker could have made it.
source "$(dirname "$0")/q_common.bash"
jd_db a30 || exit 1
chmod 755 "$Q_TMP"
export JOBDECK_DOWNLOADS=$Q_TMP/downloads   # its own: it leaves a file behind on purpose
rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('P-1', 'Parent') RETURNING id")
q_worker a30w --types csv-import
t_poll "the worker serves csv-import" 10 q_served jobdeck:csv-import
jobs_total() { sql "SELECT count(*) FROM jobdeck.jobs"; }

# A file only root may read: the submitting user cannot read it, so cannot submit it.
secret=$Q_TMP/secret.csv
printf 'identifier,title\nS-1,TOP-SECRET-MARKER\n' >"$secret"
chmod 600 "$secret"
n0=$(jobs_total)
rc=0; err=$(runuser -u nobody -- env PGUSER=alice "$JD_BIN" submit csv-import --object "$rec" \
	--param file="$secret" 2>&1 >/dev/null) || rc=$?
t_eq "a user who cannot read a file cannot submit it" "1" "$rc"
t_match "…and is told why" "cannot read $secret: Permission denied" "$err"
t_eq "…and nothing was recorded" "$n0" "$(jobs_total)"

# Readable by the user: it goes into the database, and the worker imports it from there.
good=$Q_TMP/good.csv
printf 'identifier,title\nG-1,First\nG-2,Second\n' >"$good"
chmod 644 "$good"
id=$(runuser -u nobody -- env PGUSER=alice "$JD_BIN" submit csv-import --object "$rec" --param file="$good" 2>/dev/null)
t_eq "the file is stored with the job, byte for byte" "$(od -An -tx1 "$good" | tr -d ' \n')" \
	"$(sql "SELECT encode(string_agg(data, ''::bytea ORDER BY seq), 'hex') FROM jobdeck.job_input WHERE job_id = $id")"
rm -f "$good"
t_poll "the worker imports it with the file gone from disk" 15 q_is "$id" Completed
t_eq "both records are there" "2" "$(sql "SELECT count(*) FROM jobdeck.records WHERE identifier IN ('G-1', 'G-2')")"
t_eq "users cannot read stored inputs" "" "$(sql_as alice "SELECT count(*) FROM jobdeck.job_input" 2>/dev/null)"

# Through psql: a csv-import without its file is refused, whatever path it names.
n0=$(jobs_total)
out=$(PGUSER=alice psql -X -q -At -v ON_ERROR_STOP=1 2>&1 <<SQL
BEGIN;
SELECT jobdeck.job_submit('csv-import', 'x', '{"file": "$secret"}', $rec, 'jobdeck', false, 1);
COMMIT;
SQL
)
t_match "a csv-import recorded without its file is refused at commit" "needs its input file" "$out"
t_eq "…and nothing was recorded" "$n0" "$(jobs_total)"
# Input can only be added by the job's owner, in the transaction that recorded it.
mine=$(sql_as alice "SELECT jobdeck.job_submit('sleep', 'x', '{}', NULL, 'jobdeck', false, 1)")
t_fails "not later, by its owner" sql_as alice "SELECT jobdeck.job_input_append($mine, 'late')"
t_fails "nor by anyone else" sql_as bob "SELECT jobdeck.job_input_append($mine, 'late')"
t_fails "nor directly" sql_as alice "INSERT INTO jobdeck.job_input (job_id, seq, data) VALUES ($mine, 0, 'x')"
sql "UPDATE jobdeck.settings SET value = 20 WHERE name = 'input_max_bytes'" >/dev/null
big=$Q_TMP/big.csv
printf 'identifier,title\nB-1,%040d\n' 0 >"$big"
n0=$(jobs_total)
rc=0; err=$(as alice jd submit csv-import --object "$rec" --param file="$big" 2>&1 >/dev/null) || rc=$?
t_eq "a file over the site's limit is refused" "1" "$rc"
t_match "…saying the limit" "input files may have up to 20" "$err"
t_eq "…and nothing was recorded" "$n0" "$(jobs_total)"
sql "UPDATE jobdeck.settings SET value = 64 * 1024 * 1024 WHERE name = 'input_max_bytes'" >/dev/null

# A job recorded before inputs went through the database, naming a path: the worker refuses
# it without opening anything. The path is a FIFO with no writer: opening it would hang.
mkfifo "$Q_TMP/trap"
# (recorded, then given the path: as the schema stands, no insert may name a file without one)
legacy_job() {
	local id; id=$(sql "INSERT INTO jobdeck.jobs (name, type, username, object_id) VALUES ('legacy', 'csv-import', 'alice', $rec) RETURNING id")
	sql "UPDATE jobdeck.jobs SET params = jsonb_build_object('file', '$1') WHERE id = $id" >/dev/null
	echo "$id"
}
legacy=$(legacy_job "$Q_TMP/trap")
legacy2=$(legacy_job "$secret")
gearman -h "$GM_HOST" -p "$GM_PORT" -f jobdeck:csv-import -b -u "$legacy" -- "$legacy" 2>/dev/null
gearman -h "$GM_HOST" -p "$GM_PORT" -f jobdeck:csv-import -b -u "$legacy2" -- "$legacy2" 2>/dev/null
t_poll "a job naming a path and no stored file ends as Error" 15 q_is "$legacy" Error
t_poll "…the other too" 15 q_is "$legacy2" Error
t_match "…saying the worker never reads a path" "No file was stored with this job" "$(q_col "$legacy" "array_to_string(info, ' ')")"
t_nomatch "nothing of the secret file reaches its Info or output" "TOP-SECRET|S-1" \
	"$(q_col "$legacy2" "array_to_string(info, ' ')") $(q_output "$legacy2")"
t_eq "…and no record came from it" "0" "$(sql "SELECT count(*) FROM jobdeck.records WHERE identifier = 'S-1'")"

# ==== downloads from before files were stored (a path, no job_file): a clear removes a
# job's own file only (stored files: a35_downloads.sh) ====
mkdir -p "$JOBDECK_DOWNLOADS"
bob_file=$JOBDECK_DOWNLOADS/csv-export-424242.csv
echo "bob's export" >"$bob_file"
forged=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, completed_at, download_path)
              VALUES ('forged', 'csv-export', 'Completed', 'alice', now(), '$bob_file') RETURNING id")
own=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, completed_at)
           VALUES ('own', 'csv-export', 'Completed', 'alice', now()) RETURNING id")
own_file=$JOBDECK_DOWNLOADS/csv-export-$own.csv
echo "alice's export" >"$own_file"
sql "UPDATE jobdeck.jobs SET download_path = '$own_file' WHERE id = $own" >/dev/null
t_fails "alice cannot point her download at bob's file herself" \
	sql_as alice "UPDATE jobdeck.jobs SET download_path = '$bob_file' WHERE id = $own"
as alice jd clear --yes >/dev/null
t_eq "both of alice's jobs are cleared" "0" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id IN ($forged, $own)")"
t_ok "a path naming another job's file is left alone, even when recorded" test -e "$bob_file"
t_fails "the job's own file is removed" test -e "$own_file"
