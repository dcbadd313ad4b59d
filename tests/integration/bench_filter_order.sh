# The page and filter queries the benchmark reshaped: order by the real timestamp, the text
# filter through its trigram candidates (same results, row-level security intact).
source "$(dirname "$0")/../lib.sh"
jd_db jobdeck_b10 || exit 1

# the ids `jobdeck list` shows, in order, comma-separated
names() { as "$1" jd list --limit 0 "${@:2}" | awk '$1 ~ /^[0-9]+$/ { print $1 }' | paste -sd, -; }

# ---- order: by created_at itself, not by its text (year 10000 sorts before 2026 as text)
old=$(jd_job alice Completed "Old import" "2 days")
new=$(jd_job alice Completed "New import" "1 day")
future=$(jd_job alice Completed "Far future" "-8000 years")
t_eq "newest first, by time and not by text" "$future,$new,$old" "$(names alice)"

# ---- filter: rare texts go through job_filter_ids, results stay exactly the filter's
a=$(jd_job alice Error "Import CSV" "3 hours")
sql "UPDATE jobdeck.jobs SET info = ARRAY['Failed: record ACC-77777 not found'] WHERE id = $a" >/dev/null
b=$(jd_job bob Completed "Move ACC-77777" "2 hours")
c=$(jd_job "" Completed "Generate report" "1 hour")
sql "UPDATE jobdeck.jobs SET info = ARRAY['first', 'about acc-77777'] WHERE id = $c" >/dev/null
p=$(jd_job alice Completed "100% done" "4 hours")
sql "ANALYZE jobdeck.jobs" >/dev/null

t_eq "alice's filter finds her job by its info" "$a" "$(names alice --filter ACC-77777)"
t_eq "bob's finds his by its name" "$b" "$(names bob --filter acc-77777)"
t_eq "an administrator's finds all three, command line included" "$c,$b,$a" "$(names admin --filter Acc-77777)"
t_eq "a later note matches too" "$c" "$(names admin --filter 'about acc')"
t_eq "'Command line' matches command-line jobs" "$c" "$(names admin --filter 'command line')"
t_eq "% is taken literally" "$p" "$(names alice --filter '%')"
t_eq "a text spanning two fields matches nothing" "" "$(names alice --filter 'CSV Failed')"
t_eq "no match, no rows" "" "$(names admin --filter ACC-99999)"
t_eq "the Failed tab with a filter" "$a" "$(names admin --failed --filter ACC-77777)"

# the candidate function itself: only what the caller's login may see
t_eq "job_filter_ids gives alice only her own job" "{$a}" \
	"$(sql_as alice "SELECT jobdeck.job_filter_ids('%ACC-77777%', 1)")"
t_eq "bob, with fewer jobs than the cap, is told to read his own" "" \
	"$(sql_as bob "SELECT jobdeck.job_filter_ids('%ACC-77777%', 100)")"
t_eq "an administrator all three" "$(printf '%s\n' "$a" "$b" "$c" | sort -n | paste -sd,)" \
	"$(sql_as admin "SELECT string_agg(x::text, ',' ORDER BY x) FROM unnest(jobdeck.job_filter_ids('%ACC-77777%', 100)) x")"
t_eq "more candidates than the cap: NULL (the caller scans instead)" "t" \
	"$(sql_as admin "SELECT jobdeck.job_filter_ids('%i%', 0) IS NULL")"
t_eq "no candidates: an empty list" "{}" "$(sql_as admin "SELECT jobdeck.job_filter_ids('%zzzz%', 100)")"
