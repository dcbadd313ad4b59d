# Containers (db/061) and the report job type end to end: csv-import places records in
# containers and sets their dates; file and item lists, storage locations and box labels of a
# record and its descendants, as CSV (formulas neutralised) and as one printable HTML file
# that fetches nothing; nothing to report completes with a note; a cancel keeps no file.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q82 || exit 1

sql "INSERT INTO jobdeck.records (id, parent_id, identifier, title, level) VALUES
	(1, NULL, 'F-1', 'Harbour <fonds> & \"quay\"', 'Fonds'),
	(2, 1, 'F-1-S1', 'Minutes', 'Series'),
	(3, NULL, 'EMPTY', 'Nothing below', 'Fonds'),
	(4, NULL, 'BIG', 'Many files', 'Fonds');
	SELECT setval('jobdeck.records_id_seq', 100);
	INSERT INTO jobdeck.records (parent_id, identifier, title, level)
	     SELECT 4, 'BIG-' || n, 'File ' || n, 'File' FROM generate_series(1, 300000) n" >/dev/null

t_eq "users read containers" "0" "$(sql_as alice "SELECT count(*) FROM jobdeck.containers")"
t_fails "a user may not add one" sql_as alice "INSERT INTO jobdeck.containers (name) VALUES ('Box 9')"
t_fails "nor place a record in one" sql_as alice "UPDATE jobdeck.records SET dates = '1900' WHERE id = 1"

q_worker w1
t_poll "the worker is registered" 10 q_served jobdeck:report
submit() { as alice jd submit "$@" --wait >"$Q_TMP/out" 2>"$Q_TMP/err"; }
last() { sql "SELECT max(id) FROM jobdeck.jobs"; }

t_match "submit --help lists report" "report .*kind=file-list\|item-list\|storage-locations\|box-labels" "$(jd submit --help 2>&1)"

# ---- csv-import sets dates and containers
cat >"$Q_TMP/in.csv" <<'CSV'
identifier,title,level,parent_identifier,dates,container,container_type,container_location
F-1-S1-001,Minute book,File,F-1-S1,1890-1895,Box 1,Box,Strongroom A / shelf 3
F-1-S1-002,"=HYPERLINK(""http://x"")",File,F-1-S1,1896,Box 1,,
F-1-S1-002-1,Loose letter <script>,Item,F-1-S1-002,1896-03-02,Folder 7,Folder,Strongroom A / drawer 2
F-1-S1-003,Ledger,File,F-1-S1,,Box 2,Box,Strongroom B
F-1-S1-004,Unboxed plan,File,F-1-S1,c. 1900,,,
CSV
chmod 644 "$Q_TMP/in.csv"
t_ok "csv-import with dates and containers completes" submit csv-import --object 1 --param file="$Q_TMP/in.csv"
t_eq "containers are made once each" "Box 1|Box|Strongroom A / shelf 3;Box 2|Box|Strongroom B;Folder 7|Folder|Strongroom A / drawer 2" \
	"$(sql "SELECT string_agg(name || '|' || type || '|' || location, ';' ORDER BY name) FROM jobdeck.containers")"
t_eq "records are placed in them, with their dates" "F-1-S1-001|1890-1895|Box 1;F-1-S1-002|1896|Box 1;F-1-S1-002-1|1896-03-02|Folder 7;F-1-S1-003||Box 2;F-1-S1-004|c. 1900|" \
	"$(sql "SELECT string_agg(r.identifier || '|' || r.dates || '|' || coalesce(c.name, ''), ';' ORDER BY r.identifier) FROM jobdeck.records r LEFT JOIN jobdeck.containers c ON c.id = r.container_id WHERE r.identifier LIKE 'F-1-S1-%'")"
printf 'identifier,title,container_location\nX-1,No box,Shelf 9\n' >"$Q_TMP/bad.csv"
t_exit "a location without a container is an Error" 1 submit csv-import --object 1 --param file="$Q_TMP/bad.csv"
t_match "that says so" "Line 2: container_type and container_location need a container" "$(q_col "$(last)" info)"

# ---- file list, CSV
t_ok "a file list as CSV completes" submit report --object 1 --param kind=file-list --param format=csv
id=$(last)
t_eq "its file is named for the job" "file-list-$id.csv" "$(q_col "$id" download_path)"
t_match "Info counts the records" "File list of F-1 \(4 records\): file-list-$id.csv \(" "$(q_col "$id" info)"
csv=$(q_file "$id")
csv_id=$id
expected=$(cat <<'CSV'
Reference code,Title,Dates,Container,Container type,Location
F-1-S1-001,Minute book,1890-1895,Box 1,Box,Strongroom A / shelf 3
F-1-S1-002,"'=HYPERLINK(""http://x"")",1896,Box 1,Box,Strongroom A / shelf 3
F-1-S1-003,Ledger,,Box 2,Box,Strongroom B
F-1-S1-004,Unboxed plan,c. 1900,,,
CSV
)
t_eq "it lists the files, parents first, with dates and containers; formulas neutralised" "$expected" "$(tr -d '\r' <"$csv")"
t_eq "lines end in CRLF" 5 "$(grep -c $'\r$' "$csv")"

# ---- item list, HTML (the default)
t_ok "an item list as HTML completes" submit report --object 1 --param kind=item-list
t_match "an .html file" "^item-list-[0-9]+\.html$" "$(q_col "$(last)" download_path)"
html=$(q_file "$(last)")
body=$(cat "$html")
t_match "it is one HTML document" "^<!doctype html>" "$body"
t_match "with the item, its dates and container" "<td>F-1-S1-002-1</td><td>Loose letter &lt;script&gt;</td><td>1896-03-02</td><td>Folder 7</td><td>Folder</td><td>Strongroom A / drawer 2</td>" "$body"
t_match "the record's title is escaped" "Harbour &lt;fonds&gt; &amp; &quot;quay&quot;" "$body"
t_nomatch "no script, no link, nothing fetched" "<script|<link|src=|href=|url\(|@import" "$body"
t_nomatch "and no file is listed as an item" "F-1-S1-001" "$body"

# ---- storage locations and box labels
t_ok "storage locations as CSV complete" submit report --object 1 --param kind=storage-locations --param format=csv
t_eq "each container with its location, count and range" \
	"$(printf 'Location,Container,Container type,Records,First,Last\r\nStrongroom A / drawer 2,Folder 7,Folder,1,F-1-S1-002-1,F-1-S1-002-1\r\nStrongroom A / shelf 3,Box 1,Box,2,F-1-S1-001,F-1-S1-002\r\nStrongroom B,Box 2,Box,1,F-1-S1-003,F-1-S1-003\r\n')" \
	"$(cat "$(q_file "$(last)")")"
t_ok "box labels as HTML complete" submit report --object 2 --param kind=box-labels
labels=$(cat "$(q_file "$(last)")")
t_eq "one label per container" 3 "$(grep -c '<div class="label">' <<<"$labels")"
t_match "naming the box" '<div class="box">Box 1</div>' "$labels"
t_match "and the record the report is of" '<div class="fonds">F-1-S1 — Minutes</div>' "$labels"
t_match "the range of reference codes" "F-1-S1-001 to F-1-S1-002 \(2 records\)" "$labels"
t_match "its type and location" '<div class="where">Box · Strongroom A / shelf 3</div>' "$labels"

# ---- nothing to report
t_ok "a report over a record with nothing at that level completes" submit report --object 3 --param kind=file-list
t_eq "with a note saying so" '{"No records at the level File under EMPTY (Nothing below): nothing to report, no file was written"}' "$(q_col "$(last)" info)"
t_eq "and no file" "" "$(q_col "$(last)" "coalesce(download_path, '')")"
t_ok "box labels where nothing is boxed complete too" submit report --object 3 --param kind=box-labels --param format=csv
t_match "saying so" "No records in a container under EMPTY" "$(q_col "$(last)" info)"

# ---- refused at submit
t_exit "a kind that is not offered is refused at submit" 2 as alice jd submit report --object 1 --param kind=shelf-list
t_exit "kind is required" 2 as alice jd submit report --object 1
t_exit "a format that is not offered is refused" 2 as alice jd submit report --object 1 --param kind=file-list --param format=pdf
t_exit "a record that does not exist is refused at submit" 1 as alice jd submit report --object 99999999 --param kind=file-list

# ---- a cancel part way keeps no file
id=$(as alice jd submit report --object 4 --param kind=file-list --param format=html)
t_poll "the large report is running" 20 q_running_on "$id"
t_ok "alice cancels it" as alice jd cancel "$id"
t_poll "it ends" 20 q_is "$id" Error
t_match "as cancelled, keeping no file" "Cancelled by alice.*no file was kept" "$(q_col "$id" info)"
t_eq "nothing is left for it" "" "$(ls "$JOBDECK_DOWNLOADS" | grep -- "-$id\.")"

# ---- who may submit it
t_ok "bob may submit it" as bob jd submit report --object 1 --param kind=file-list --wait
t_fails "the worker role may not submit jobs" as worker jd submit report --object 1 --param kind=file-list
t_ok "alice clears her jobs" as alice jd clear --yes
t_eq "and her reports go with them" 0 "$(sql "SELECT count(*) FROM jobdeck.job_file WHERE job_id = $csv_id")"
