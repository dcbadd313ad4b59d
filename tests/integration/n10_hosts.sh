# jobdeck as deployed: PostgreSQL on db, gearmand on gm1, workers on w1 and w2, the command
# line on admin, each a host of its own (network namespaces). Jobs submitted on admin spread
# over both worker hosts; a CSV that exists only on admin is imported by a worker (it travels
# through the database); a file produced on w1 is stored in the database and downloaded on
# admin byte for byte.
source "$(dirname "$0")/n_common.bash"
n_hosts db gm1 w1 w2 admin
n_db
n_gm_start gm1 || exit 1
sql "INSERT INTO jobdeck.records (id, parent_id, identifier, title, level) VALUES
	(1, NULL, 'F-1', 'Harbour fonds', 'Fonds'),
	(2, 1, 'F-1-S1', 'Minutes', 'Series');
	SELECT setval('jobdeck.records_id_seq', 100)" >/dev/null

t_fails "the admin host has no PostgreSQL of its own" host_exec admin bash -c "exec 3<>/dev/tcp/127.0.0.1/5432"
t_ok "it reaches db by address" n_jd admin list

# w2 takes no csv-export, so the export below runs on w1
n_worker w1 w1 --concurrency 2
n_worker w2 w2 --concurrency 2 --types sleep,csv-import
t_poll "both worker hosts are registered with gm1" 15 n_gm_workers_is gm1 jobdeck:sleep 4

# ---- jobs spread over both worker hosts
first=$(sql "SELECT coalesce(max(id), 0) FROM jobdeck.jobs")
t_ok "alice submits 40 jobs from admin" n_jd alice submit sleep --param seconds=0.3 --param lines=1 --count 40
t_poll "all 40 complete" 60 n_count_is "id > $first AND status = 'Completed'" 40
spread=$(sql "SELECT string_agg(h || ':' || (n > 0)::text, ' ' ORDER BY h) FROM (SELECT split_part(worker, '/', 1) h, count(*) n FROM jobdeck.jobs WHERE id > $first GROUP BY 1) s")
t_eq "they ran on both worker hosts" "w1:true w2:true" "$spread"
t_eq "each once, with its one line" "40|1|1|40" "$(sql "SELECT count(*), min(attempts), max(attempts), count(*) FILTER (WHERE output_bytes = length('line 1 of 1') + 1) FROM jobdeck.jobs WHERE id > $first")"

# ---- a CSV on admin's disk only
csv=$(host_dir admin)/import.csv
printf 'identifier,title,level\nN-1,Imported from admin,File\nN-2,"Second, with comma",Item\n' >"$csv"
t_ok "the file is on admin" host_exec admin test -s "$csv"
t_fails "w1 cannot see it" host_exec w1 test -e "$csv"
t_fails "w2 cannot see it" host_exec w2 test -e "$csv"
t_ok "csv-import submitted on admin completes" n_jd alice submit csv-import --object 2 --param file="$csv" --wait
id=$(sql "SELECT max(id) FROM jobdeck.jobs WHERE type = 'csv-import'")
t_match "on a worker host" "^w[12]" "$(n_col "$id" worker)"
t_eq "its records are under the parent" "N-1|Imported from admin|2;N-2|Second, with comma|2" \
	"$(sql "SELECT string_agg(identifier || '|' || title || '|' || parent_id, ';' ORDER BY identifier) FROM jobdeck.records WHERE identifier LIKE 'N-%'")"

# ---- a file produced on w1, downloaded on admin
t_ok "csv-export submitted on admin completes" n_jd alice submit csv-export --object 1 --wait
id=$(sql "SELECT max(id) FROM jobdeck.jobs WHERE type = 'csv-export'")
t_match "it ran on w1" "^w1" "$(n_col "$id" worker)"
want=$(printf 'identifier,title,level,publication_status,parent_identifier\r\nF-1,Harbour fonds,Fonds,Draft,\r\nF-1-S1,Minutes,Series,Draft,F-1\r\nN-1,Imported from admin,File,Draft,F-1-S1\r\nN-2,"Second, with comma",Item,Draft,F-1-S1\r\n'; echo .)
t_eq "its file is stored in the database, whole" "$(n_col "$id" download_size)|$(n_col "$id" download_size)" \
	"$(n_col "$id" file_bytes)|$(sql "SELECT sum(length(data)) FROM jobdeck.job_file WHERE job_id = $id")"
t_eq "and not left in w1's scratch folder" "" "$(find "$(host_dir w1)/downloads" -type f)"
got=$(host_dir admin)/export.csv
t_ok "jobdeck download on admin writes it" n_jd alice download "$id" -o "$got"
t_eq "byte for byte the file w1 produced" "$want" "$(cat "$got"; echo .)"
t_eq "and the bytes stored" "$(sql "SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY seq)), 'hex') FROM jobdeck.job_file WHERE job_id = $id")" \
	"$(sha256sum <"$got" | cut -d' ' -f1)"
t_fails "w1 cannot download it (workers do not read files)" n_on w1 worker "$JD_BIN" download "$id" -o "$(host_dir w1)/x"
t_eq "no job is left Running" 0 "$(n_count "status = 'Running'")"
