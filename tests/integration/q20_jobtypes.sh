# The record job types end to end: csv-import (skips, malformed rows), csv-export,
# finding-aid, publication-status, move (cycles refused); produced files go with a clear.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q20 || exit 1

sql "INSERT INTO jobdeck.records (id, parent_id, identifier, title, level) VALUES
	(1, NULL, 'F-1', 'Harbour fonds', 'Fonds'),
	(2, 1, 'F-1-S1', 'Minutes', 'Series'),
	(3, 2, 'F-1-S1-001', 'Minute book, 1890', 'File'),
	(4, NULL, 'F-2', 'Lévesque {family} fonds \\ 🚢', 'Fonds');
	SELECT setval('jobdeck.records_id_seq', 100)" >/dev/null
q_worker w1
t_poll "the worker is registered" 10 q_served jobdeck:csv-import

submit() { as alice jd submit "$@" --wait >"$Q_TMP/out" 2>"$Q_TMP/err"; }

# ---- csv-import
printf 'identifier,title,level\nI-1,"First, with comma",File\nF-1-S1,Duplicate of a series,Series\nI-2,Second,Item\nI-1,Again,File\n' >"$Q_TMP/ok.csv"
chmod 644 "$Q_TMP/ok.csv"
t_ok "csv-import completes" submit csv-import --object 2 --param file="$Q_TMP/ok.csv"
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "its Info counts imports and skips" "{\"Imported 2 records under F-1-S1; skipped 2 that already existed\"}" "$(q_col "$id" info)"
out=$(q_output "$id")
t_match "each skip is in the console output (line 3)" "Line 3: skipped F-1-S1: a record with this identifier already exists" "$out"
t_match "each skip is in the console output (line 5)" "Line 5: skipped I-1: a record with this identifier already exists" "$out"
t_eq "the records are under the parent" "I-1|First, with comma|2|File;I-2|Second|2|Item" \
	"$(sql "SELECT string_agg(identifier || '|' || title || '|' || parent_id || '|' || level, ';' ORDER BY identifier) FROM jobdeck.records WHERE identifier LIKE 'I-%'")"
t_eq "the related record is the parent" 2 "$(q_col "$id" object_id)"

printf 'identifier,title\nM-1,Fine\nM-2,Too,many,fields\nM-3,Fine too\n' >"$Q_TMP/bad.csv"
t_exit "a malformed row ends csv-import as Error" 1 submit csv-import --object 2 --param file="$Q_TMP/bad.csv"
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
t_eq "naming the line" "{\"Line 3: expected 2 fields, found 4; nothing was imported\"}" "$(q_col "$id" info)"
t_eq "and nothing of that file is imported" 0 "$(sql "SELECT count(*) FROM jobdeck.records WHERE identifier LIKE 'M-%'")"
printf 'identifier,title\nQ-1,Fine\nQ-2,"unterminated\n' >"$Q_TMP/quote.csv"
t_exit "an unterminated quote ends csv-import as Error" 1 submit csv-import --object 2 --param file="$Q_TMP/quote.csv"
t_match "naming the line" "Line 3: malformed CSV" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
printf 'identifier,name\nX,Y\n' >"$Q_TMP/head.csv"
t_exit "a header without title is an Error" 1 submit csv-import --object 2 --param file="$Q_TMP/head.csv"
t_match "that names line 1" "Line 1: unknown column 'name'" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
n0=$(sql "SELECT count(*) FROM jobdeck.jobs")
t_exit "a missing file is refused at submit" 1 submit csv-import --object 2 --param file="$Q_TMP/none.csv"
t_match "that says why" "cannot read .*none.csv: No such file or directory" "$(cat "$Q_TMP/err")"
t_eq "and records nothing" "$n0" "$(sql "SELECT count(*) FROM jobdeck.jobs")"
t_exit "a parent that does not exist is refused at submit" 1 as alice jd submit csv-import --object 999 --param file=x
t_exit "--object is required" 2 as alice jd submit csv-import --param file=x

# ---- csv-export
t_ok "csv-export completes" submit csv-export --object 1
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
path=$(q_file "$id")
t_ok "its file is stored" test -f "$path"
t_eq "download_size is the file's size" "$(stat -c %s "$path")" "$(q_col "$id" download_size)"
t_match "Info shows the file and its size" "Exported 5 records to export-$id.csv \([0-9.]+ [kB]" "$(q_col "$id" info)"
t_eq "the file holds the tree, parents first" "$(printf 'identifier,title,level,publication_status,parent_identifier\r\nF-1,Harbour fonds,Fonds,Draft,\r\nF-1-S1,Minutes,Series,Draft,F-1\r\nF-1-S1-001,"Minute book, 1890",File,Draft,F-1-S1\r\nI-1,"First, with comma",File,Draft,F-1-S1\r\nI-2,Second,Item,Draft,F-1-S1\r\n')" "$(cat "$path")"

# the export imports back under another parent (identifiers exist: all skipped)
t_ok "an export imports back" submit csv-import --object 4 --param file="$path"
t_match "every record skipped" "skipped 5 that already existed" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"

# ---- finding-aid
t_ok "finding-aid completes" submit finding-aid --object 4
id=$(sql "SELECT max(id) FROM jobdeck.jobs")
rtf=$(q_file "$id")
t_match "Info shows the file" "Finding aid for F-2 \(1 record\): $(q_col "$id" download_path) \(" "$(q_col "$id" info)"
t_match "it is an RTF document" '^\{\\rtf1\\ansi' "$(head -c 20 "$rtf")"
t_match "with the title escaped for RTF" 'L\\u233\?vesque \\\{family\\\} fonds \\\\ \\u-10179\?\\u-8542\?' "$(cat "$rtf")"
t_eq "its braces balance" 0 "$(python3 -c "
import sys, re
s = re.sub(r'\\\\[{}\\\\]', '', open(sys.argv[1]).read())
d = 0
for ch in s:
    d += (ch == '{') - (ch == '}')
    if d < 0: break
print(d)" "$rtf")"
t_ok "finding-aid of a hierarchy completes" submit finding-aid --object 1
t_match "listing every level" "Series: Minutes.*File: Minute book, 1890" "$(tr -d '\n' <"$(q_file "$(sql "SELECT max(id) FROM jobdeck.jobs")")")"

# ---- publication-status
sql "UPDATE jobdeck.records SET publication_status = 'Published' WHERE identifier = 'I-2'" >/dev/null
t_ok "publication-status with descendants completes" submit publication-status --object 2 --param status=Published --param descendants=1
t_eq "it reports the counts" "{\"Set 3 of 4 records to Published (F-1-S1 and its descendants); 1 already Published\"}" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
t_eq "the records changed" "Draft|Published|Published|Published|Published" "$(sql "SELECT string_agg(publication_status, '|' ORDER BY identifier) FROM jobdeck.records WHERE id IN (1, 2, 3) OR identifier LIKE 'I-%'")"
t_ok "publication-status of one record completes" submit publication-status --object 1 --param status=draft
t_match "only that record" "Set 0 of 1 record to Draft \(F-1\); 1 already Draft" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
t_exit "a bad status is refused at submit (usage)" 2 submit publication-status --object 1 --param status=Secret

# ---- move
t_ok "move completes" submit move --object 3 --param parent=F-2
t_eq "the record has its new parent" 4 "$(sql "SELECT parent_id FROM jobdeck.records WHERE id = 3")"
t_match "Info says where" "Moved F-1-S1-001 \(Minute book, 1890\) under F-2" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
t_exit "moving a record under its own descendant is refused" 1 submit move --object 1 --param parent=F-1-S1
t_match "as a cycle" "Refused: F-1-S1 is a descendant of F-1; the move would make a cycle" "$(q_col "$(sql "SELECT max(id) FROM jobdeck.jobs")" info)"
t_exit "moving a record under itself is refused" 1 submit move --object 1 --param parent=1
t_eq "nothing moved" "|1" "$(sql "SELECT coalesce((SELECT parent_id FROM jobdeck.records WHERE id = 1)::text, '') || '|' || (SELECT parent_id FROM jobdeck.records WHERE id = 2)")"
t_exit "an unknown new parent is an Error" 1 submit move --object 3 --param parent=NOPE

# ---- produced files go with the jobs that made them
t_ok "alice clears her jobs" as alice jd clear --yes
t_eq "the export and the finding aids are gone" 0 "$(sql "SELECT count(*) FROM jobdeck.job_file")"
t_eq "the downloads folder is empty" "" "$(ls -A "$JOBDECK_DOWNLOADS")"
t_eq "every job was ended" 0 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE status = 'Running'")"
