#!/usr/bin/env bash
# A job with 6 MB of console output: the detail pane shows its tail, reads more as one
# scrolls up (four times as much each time), and stops at 4 MB, saying where the rest is.
. "$(dirname "$0")/lib.sh"

s_db jd_s09
id=$(sql "INSERT INTO jobdeck.jobs (name, type, username, status, completed_at, created_at)
          VALUES ('Chatty job', 'sleep', 'admin', 'Completed', '2026-03-01 09:29:30+00', '2026-03-01 09:29:00+00')
          RETURNING id")
# 96 chunks of 1,024 lines of 64 bytes: 6 MiB, line n reads "nnnnnnnn xxx…"
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data)
     SELECT $id, (g - 1) * 65536, convert_to(string_agg(lpad(n::text, 8, '0') || ' ' || repeat('x', 54) || chr(10), ''
            ORDER BY n), 'UTF8')
       FROM generate_series(1, 96) g, LATERAL generate_series((g - 1) * 1024 + 1, g * 1024) n GROUP BY g;
     UPDATE jobdeck.jobs SET output_bytes = 6291456 WHERE id = $id" >/dev/null

s_start 120 40 admin
s_see "the job is first" "Job $id "
s_keys Enter
s_see "its tail is shown" "00098304 xxx"
t_match "the header numbers the output's own lines, as the gutter does" "── lines 98[0-9]{3}–98304 of 98304" "$(s_screen)"
# each g goes to the top of what was read and asks for four times as much; the answers come
# while keys go on, so press until the pane says it stops
capped=0
for _ in $(seq 1 12); do
	s_keys g
	if s_wait "this pane keeps the last 4 MB" 1; then capped=1; break; fi
done
t_eq "reading upwards stops at 4 MB and says where the rest is" 1 "$capped"
s_see "…naming the command that prints it all" "2097152 earlier bytes: this pane keeps the last 4 MB (jobdeck show $id prints them all)"
t_match "the earliest line shown is about 4 MB from the end" "0003[0-9]{4} x" "$(s_screen)"
s_keys G
s_see "G goes back to the end" "00098304 xxx"
s_stop
