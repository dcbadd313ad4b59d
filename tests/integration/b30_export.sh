#!/usr/bin/env bash
# CSV export: header, quoting, times, users, formulas, tabs and filters, file safety.
. "$(dirname "$0")/../lib.sh"
jd_db b30 || exit 1
dir=$(jd_tmp)
cd "$dir" || exit 1

sql "INSERT INTO jobdeck.jobs (name, type, status, username, info, created_at, completed_at) VALUES
 ('Import CSV', 'csv-import', 'Completed', 'alice', ARRAY['Imported 3, skipped \"two\"', 'second, note'],
  '2026-01-02 03:04:05+00', '2026-01-02 03:05:06+00'),
 ('Nightly', 'command', 'Completed', NULL, ARRAY['multi
line'], '2026-01-02 04:00:00+00', '2026-01-02 04:01:00+00'),
 ('=HYPERLINK(\"http://x\")', 'sleep', 'Error', 'alice', ARRAY['@SUM(1)', '-rm'],
  '2026-01-02 05:00:00+00', '2026-01-02 05:00:30+00'),
 ('Éxport ünïcode ✓', 'csv-export', 'Running', 'admin', '{}', '2026-01-02 06:00:00+00', NULL),
 ('Bob job', 'sleep', 'Completed', 'bob', '{}', '2026-01-02 02:00:00+00', '2026-01-02 02:00:01+00')" >/dev/null

t_ok "the administrator exports everything to a chosen file" as admin jd export -o all.csv
t_eq "the header is AtoM's" "startDate,endDate,jobName,jobStatus,jobInfo,jobUser" "$(head -n 1 all.csv | tr -d '\r')"

# Parse it back with a real CSV reader.
parse() { python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
for r in rows[1:]:
    print("|".join(c.replace("\n", "\\n") for c in r))
' "$1"; }
rows=$(parse all.csv)
t_eq "every visible job is one record, newest first" "5" "$(wc -l <<<"$rows")"
t_eq "the running job: ISO start, empty end, UTF-8 intact" \
	"2026-01-02T06:00:00+00:00||Éxport ünïcode ✓|Running||admin" "$(sed -n 1p <<<"$rows")"
t_eq "formula cells are neutralised" \
	"2026-01-02T05:00:00+00:00|2026-01-02T05:00:30+00:00|'=HYPERLINK(\"http://x\")|Error|'@SUM(1) | -rm|alice" "$(sed -n 2p <<<"$rows")"
t_eq "a command-line job after a user's job is still 'Command line'; newlines survive" \
	"2026-01-02T04:00:00+00:00|2026-01-02T04:01:00+00:00|Nightly|Completed|multi\\nline|Command line" "$(sed -n 3p <<<"$rows")"
t_eq "commas and quotes survive; notes joined with ' | '" \
	"2026-01-02T03:04:05+00:00|2026-01-02T03:05:06+00:00|Import CSV|Completed|Imported 3, skipped \"two\" | second, note|alice" "$(sed -n 4p <<<"$rows")"

TZ=America/Toronto as admin jd export -o tz.csv >/dev/null
t_match "times carry the local offset" "^2026-01-02T01:00:00-05:00," "$(sed -n 2p tz.csv)"

out=$(as alice jd export -o alice.csv)
t_eq "a non-administrator's export works and says how many" "Exported 2 jobs to alice.csv" "$out"
t_nomatch "…and holds only her own jobs" "Bob job|Nightly|Éxport" "$(cat alice.csv)"

as admin jd export --failed -o failed.csv >/dev/null
t_eq "--failed exports only failed jobs" "1" "$(parse failed.csv | wc -l)"
as admin jd export --active -o active.csv >/dev/null
t_match "--active exports only running jobs" "^[^|]*\|\|Éxport" "$(parse active.csv)"
as admin jd export --filter import -o filtered.csv >/dev/null
t_eq "--filter is respected" "Import CSV" "$(parse filtered.csv | cut -d'|' -f3)"
as admin jd export --filter 'command line' -o cl.csv >/dev/null
t_eq "the filter matches 'Command line' as a user" "Nightly" "$(parse cl.csv | cut -d'|' -f3)"

echo precious >exists.csv
t_exit "an existing file is not overwritten" 1 as admin jd export -o exists.csv
t_eq "…and keeps its content" "precious" "$(cat exists.csv)"
t_match "…with a clear message" "exists.csv already exists \(use --force" "$(as admin jd export -o exists.csv 2>&1)"
t_ok "--force overwrites" as admin jd export -o exists.csv --force
t_match "…with the export" "^startDate" "$(head -c 9 exists.csv)"

as admin jd export >/dev/null
t_ok "the default file name carries today's date" test -s "jobdeck-job-history-$(date +%Y-%m-%d).csv"
t_exit "a second default export refuses to overwrite" 1 as admin jd export

t_eq "-o - writes to standard output" "startDate,endDate,jobName,jobStatus,jobInfo,jobUser" \
	"$(as admin jd export -o - | head -n 1 | tr -d '\r')"
t_exit "an unwritable path fails with status 1" 1 as admin jd export -o /nonexistent/dir/x.csv
t_match "…naming the path" "cannot write /nonexistent/dir/x.csv" "$(as admin jd export -o /nonexistent/dir/x.csv 2>&1)"
t_eq "no partial files are left behind" "" "$(ls | grep partial)"
