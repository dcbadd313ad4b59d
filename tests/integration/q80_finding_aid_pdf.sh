# finding-aid --param format=pdf end to end through a worker: a real PDF (title page,
# contents with page numbers, every record in order), wide and right-to-left titles rendered
# with their glyphs, long titles wrapped; a cancel part way keeps no file; a record that does
# not exist is refused; who may submit it.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q80 || exit 1

long="A very long title that cannot fit on one line of the page, so that it has to wrap onto a second and a third line: correspondence, minutes, ledgers, plans and photographs of the harbour works"
sql "INSERT INTO jobdeck.records (id, parent_id, identifier, title, level, publication_status) VALUES
	(1, NULL, 'F-1', 'Harbour fonds', 'Fonds', 'Published'),
	(2, 1, 'F-1-A', 'Minutes of the board', 'Series', 'Published'),
	(3, 2, 'F-1-A-001', 'Minute book one', 'File', 'Draft'),
	(4, 3, 'F-1-A-001-1', 'Loose page in the minute book', 'Item', 'Draft'),
	(5, 1, 'F-1-B', '港湾局の記録 东京', 'Series', 'Draft'),
	(6, 5, 'F-1-B-001', 'ארכיון הנמל', 'File', 'Draft'),
	(7, 5, 'F-1-B-002', 'أرشيف الميناء', 'File', 'Draft'),
	(8, 1, 'F-1-C', '$long', 'Series', 'Draft'),
	(9, NULL, 'BIG', 'A large tree', 'Fonds', 'Draft'),
	(10, NULL, 'MID', 'A tree of many pages', 'Fonds', 'Draft');
	SELECT setval('jobdeck.records_id_seq', 100);
	INSERT INTO jobdeck.records (parent_id, identifier, title, level)
	     SELECT 10, 'MID-' || n, 'Mid file ' || n, 'File' FROM generate_series(1, 700) n;
	INSERT INTO jobdeck.records (parent_id, identifier, title, level)
	     SELECT 9, 'BIG-' || n, 'Series ' || n, 'Series' FROM generate_series(1, 40) n;
	INSERT INTO jobdeck.records (parent_id, identifier, title, level)
	     SELECT r.id, r.identifier || '-' || n, 'File ' || n || ' of ' || r.title, 'File'
	       FROM jobdeck.records r, generate_series(1, 500) n WHERE r.identifier LIKE 'BIG-%'" >/dev/null

q_worker w1
t_poll "the worker is registered" 10 q_served jobdeck:finding-aid

submit() { as alice jd submit "$@" --wait >"$Q_TMP/out" 2>"$Q_TMP/err"; }
last() { sql "SELECT max(id) FROM jobdeck.jobs"; }

t_match "submit --help lists the format parameter" "finding-aid .*format=rtf\|pdf" "$(jd submit --help 2>&1)"

# ---- a PDF of a small hierarchy
t_ok "a PDF finding aid completes" submit finding-aid --object 1 --param format=pdf
id=$(last)
t_eq "its file is named for the job, .pdf" "finding-aid-$id.pdf" "$(q_col "$id" download_path)"
t_match "Info names the file, the records and the pages" "Finding aid for F-1 \(8 records, [0-9]+ pages\): finding-aid-$id.pdf \(" "$(q_col "$id" info)"
pdf=$(q_file "$id")
pdf_id=$id
t_eq "download_size is the file's size" "$(stat -c %s "$pdf")" "$(q_col "$id" download_size)"
t_eq "it is a PDF" "%PDF-" "$(head -c 5 "$pdf")"
t_ok "poppler reads it" pdfinfo "$pdf"
t_match "its title is the record's" "Title: +Harbour fonds" "$(pdfinfo "$pdf")"
t_nomatch "every font is embedded" " no +no +no | no +(yes|no) +(yes|no) +[0-9]+ +0 *$" "$(pdffonts "$pdf" | tail -n +3 | awk '{print " " $(NF-4) " " $(NF-3) " " $(NF-2)}')"
t_eq "no .part is left" "" "$(ls "$JOBDECK_DOWNLOADS" | grep '\.part$')"

page1=$(pdftotext -f 1 -l 1 "$pdf" - 2>/dev/null)
t_match "page 1 has the title" "Harbour fonds" "$page1"
t_match "the identifier" "F-1" "$page1"
t_match "and the date it was made" "Made $(date +%Y-%m-%d)" "$page1"
page2=$(pdftotext -layout -f 2 -l 2 "$pdf" - 2>/dev/null)
t_match "page 2 is the contents" "Contents" "$page2"
t_match "with page numbers (the fonds on page 3)" "F-1 +Harbour fonds +3" "$page2"
t_match "listing the series" "F-1-A +Minutes of the board +3" "$page2"

# the body, pages 3 on: every record's title, in the order of the tree
body=$(pdftotext -f 3 "$pdf" - 2>/dev/null)
t_eq "every record's title is there, in order" "ok" "$(printf '%s' "$body" | python3 -c '
import sys, re
text = re.sub(r"\s+", " ", sys.stdin.read())
titles = ["Harbour fonds", "Minutes of the board", "Minute book one", "Loose page in the minute book",
          "港湾局の記録 东京", None, None, sys.argv[1]]
pos = 0
for t in titles:
    if t is None:
        continue
    i = text.find(t, pos)
    if i < 0:
        print("missing or out of order:", t); sys.exit()
    pos = i + len(t)
print("ok")' "$long")"
flat=$(printf '%s' "$body" | tr -s ' \n' '  ')
t_match "Hebrew is drawn with its glyphs" "ארכיון הנמל|למנה ןויכרא" "$flat"
t_match "Arabic is drawn with its glyphs" "الميناء|أرشيف" "$flat"
t_match "each record shows identifier, level and status" "F-1-A-001 · File · Draft" "$flat"
nlines=$(printf '%s' "$body" | grep -cE 'A very long title|second and a third|photographs of the harbour works')
t_ok "a long title wraps onto several lines" test "$nlines" -ge 2
t_match "pages are numbered" "Page 3 of [0-9]+" "$flat"
t_nomatch "the record order is the tree's: Hebrew before Arabic" "الميناء.*ארכיון" "$flat"

# ---- many pages: each numbered once, each record whole, contents kept short
t_ok "a PDF of 701 records completes" submit finding-aid --object 10 --param format=pdf
mid=$(q_file "$(last)")
pages=$(pdfinfo "$mid" | awk '/^Pages:/ { print $2 }')
t_match "Info gives the page count pdfinfo reads" "\($pages pages\)|, $pages pages\)" "$(q_col "$(last)" info)"
bad=$(for ((i = 1; i <= pages; i++)); do
	n=$(pdftotext -f $i -l $i "$mid" - 2>/dev/null | grep -c "Page [0-9]* of $pages")
	m=$(pdftotext -f $i -l $i "$mid" - 2>/dev/null | grep -c "Page $i of $pages")
	[[ $n == 1 && $m == 1 ]] || echo "page $i: $n footers, $m numbered $i"
done)
t_eq "every page has one footer, with its own number" "" "$bad"
all=$(pdftotext "$mid" - 2>/dev/null)
t_eq "every record's line of identifier, level and status is there" 700 "$(grep -cE '^MID-[0-9]+ · File · Draft$' <<<"$all")"
t_eq "the contents list only the fonds when its children are too many" 1 "$(pdftotext -layout -f 2 -l 2 "$mid" - | grep -cE 'MID +A tree of many pages +3$')"
t_eq "and none of them" 0 "$(pdftotext -layout -f 2 -l 2 "$mid" - | grep -c 'Mid file')"

# ---- RTF stays the default; a format that is not offered is a usage error
t_ok "without format the finding aid is RTF" submit finding-aid --object 1
t_match "an .rtf file" "\.rtf$" "$(q_col "$(last)" download_path)"
t_ok "format=rtf is RTF too" submit finding-aid --object 1 --param format=RTF
t_match "an .rtf file" "\.rtf$" "$(q_col "$(last)" download_path)"
n0=$(sql "SELECT count(*) FROM jobdeck.jobs")
t_exit "format=docx is refused at submit" 2 as alice jd submit finding-aid --object 1 --param format=docx
t_match "saying what is offered" "format must be rtf or pdf, not 'docx'" "$(as alice jd submit finding-aid --object 1 --param format=docx 2>&1)"
t_eq "and records nothing" "$n0" "$(sql "SELECT count(*) FROM jobdeck.jobs")"
t_match "the database refuses it too" "'docx' is not a valid choice for format" "$(sql_as alice "SELECT jobdeck.job_submit('finding-aid', 'x', '{\"format\": \"docx\"}', 1, 'jobdeck', false, 1)" 2>&1)"

# ---- a record that does not exist
n0=$(last)
t_exit "a record that does not exist is refused at submit" 1 submit finding-aid --object 99999999 --param format=pdf
t_match "with a line that says so" "record 99999999 does not exist" "$(cat "$Q_TMP/err")"
t_eq "and records nothing" "$n0" "$(last)"
# a record deleted while its job waits for a worker
kill "$Q_PID"; wait "$Q_PID" 2>/dev/null
sql "INSERT INTO jobdeck.records (id, identifier, title) VALUES (50, 'GONE', 'Soon gone')" >/dev/null
gid=$(as alice jd submit finding-aid --object 50 --param format=pdf 2>/dev/null)
sql "DELETE FROM jobdeck.records WHERE id = 50" >/dev/null
q_worker w2
t_poll "the job of a deleted record ends" 15 q_is "$gid" Error
t_match "with a note that says it has no record" "needs --object|does not exist" "$(q_col "$gid" info)"
t_eq "and no file" "" "$(q_col "$gid" "coalesce(download_path, '')")"

# ---- a large tree, cancelled part way: no file kept
t_poll "the worker is registered again" 10 q_served jobdeck:finding-aid
id=$(as alice jd submit finding-aid --object 9 --param format=pdf)
t_poll "the large finding aid is running" 15 q_running_on "$id"
sleep 0.5
t_ok "alice cancels it" as alice jd cancel "$id"
t_poll "it ends" 15 q_is "$id" Error
t_match "as cancelled, keeping no file" "Cancelled by alice .*no file was kept" "$(q_col "$id" info)"
t_eq "no download is recorded" "" "$(q_col "$id" "coalesce(download_path, '')")"
t_eq "nothing is left in the downloads folder for it" "" "$(ls "$JOBDECK_DOWNLOADS" | grep -- "-$id\.")"

# ---- who may submit it
t_ok "bob may submit one too" as bob jd submit finding-aid --object 1 --param format=pdf --wait
t_fails "the worker role may not submit jobs" as worker jd submit finding-aid --object 1 --param format=pdf
t_ok "alice clears her jobs" as alice jd clear --yes
t_eq "and her PDF goes with them" 0 "$(sql "SELECT count(*) FROM jobdeck.job_file WHERE job_id = $pdf_id")"
