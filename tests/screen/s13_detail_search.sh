#!/usr/bin/env bash
# The detail pane: search in the whole stored output (/, n, N, Esc), matches marked, more
# of the tail read for a match before it, a match beyond what the pane keeps; absolute line
# numbers in a gutter; the job's parameters among its fields.
. "$(dirname "$0")/lib.sh"

s_db jd_s13
# 2,000 lines of 64 bytes (128 KiB: twice the first tail read); "needle" on lines 10, 1000
# and 1990, "Needle" on line 1500
id=$(sql "INSERT INTO jobdeck.jobs (name, type, username, status, params, completed_at, created_at, started_at)
          VALUES ('Search me', 'csv-import', 'admin', 'Completed', '{\"rows\": 41, \"delimiter\": \";\"}',
                  '2026-03-01 09:29:30+00', '2026-03-01 09:29:00+00', '2026-03-01 09:29:00+00')
          RETURNING id")
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data)
     SELECT $id, 0, convert_to(string_agg(rpad('row ' || lpad(n::text, 4, '0') || CASE n WHEN 10 THEN ' needle'
            WHEN 1000 THEN ' needle' WHEN 1990 THEN ' needle' WHEN 1500 THEN ' Needle' ELSE ' ok' END, 63, '.')
            || chr(10), '' ORDER BY n), 'UTF8')
       FROM generate_series(1, 2000) n;
     UPDATE jobdeck.jobs SET output_bytes = 128000 WHERE id = $id" >/dev/null

for size in 80x24 120x40; do
	s_start "${size%x*}" "${size#*x}" admin
	s_see "$size: the job is first" "Job $id "
	s_see "$size: its parameters are among its fields" 'Parameters {"rows": 41, "delimiter": ";"}'
	s_keys Enter
	s_see "$size: its tail is shown" "row 2000 ok"
	t_match "$size: each output line has its absolute number in a gutter" "(^|│| ) 2000 row 2000 ok" "$(s_screen)"
	s_keys /
	s_see "$size: / asks for a text" "Search output:"
	s_keys -l needle
	s_keys Enter
	s_see "$size: the search counts the matches of the whole output (either case)" "match 1 of 4"
	s_see "$size: a match before the tail read makes the pane read more of it" "  10 row 0010 needle"
	raw=$(tmux_ capture-pane -p -e)
	t_match "$size: the match is marked" $'7m(\e\\[[0-9;]*m)*needle' "$raw"
	s_keys n
	s_see "$size: n goes to the next match" "match 2 of 4"
	s_see "$size: …and shows it" "1000 row 1000 needle"
	s_keys n n
	s_see "$size: the fourth" "match 4 of 4"
	s_keys n
	s_see "$size: n goes round to the first" "match 1 of 4"
	s_keys N
	s_see "$size: N goes back" "match 4 of 4"
	s_see "$size: …to line 1990" "1990 row 1990 needle"
	if [[ $size == 120x40 ]]; then
		s_expect search_120x40 "the detail pane at a match, with line numbers"
	fi
	s_keys Escape
	s_see "$size: Esc clears the search" "Search cleared."
	s_keys /
	s_keys -l Needle
	s_keys Enter
	s_see "$size: a capital letter makes the search exact" "match 1 of 1"
	s_keys Escape Escape
	s_see "$size: a second Esc goes back to the table" "details"
	s_keys q
done

# a match beyond the 4 MB the pane keeps: says so, and names jobdeck show
big=$(sql "INSERT INTO jobdeck.jobs (name, type, username, status, completed_at, created_at)
           VALUES ('Chatty job', 'sleep', 'admin', 'Completed', '2026-03-01 09:29:50+00', '2026-03-01 09:29:50+00')
           RETURNING id")
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data)
     SELECT $big, (g - 1) * 65536, convert_to(string_agg(lpad(n::text, 8, '0') || CASE n WHEN 1 THEN ' haystack ' ELSE ' xxxxxxxx ' END
            || repeat('x', 45) || chr(10), '' ORDER BY n), 'UTF8')
       FROM generate_series(1, 96) g, LATERAL generate_series((g - 1) * 1024 + 1, g * 1024) n GROUP BY g;
     UPDATE jobdeck.jobs SET output_bytes = 6291456 WHERE id = $big" >/dev/null
s_start 80 24 admin
s_see "the big job is first" "Job $big "
s_keys Enter
s_see "its tail is shown" "00098304 xxx"
s_keys /
s_keys -l haystack
s_keys Enter
s_see "a match beyond what the pane keeps says so" "match 1 of 1: before the last 4 MB kept here" 15
s_see "…and names the command that prints it" "jobdeck show $big"
s_stop
