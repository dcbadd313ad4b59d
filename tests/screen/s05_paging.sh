#!/usr/bin/env bash
# Many jobs: the table reads only a window around the selection (keyset pages), and moving
# by page, to the end and back keeps the right job selected.
. "$(dirname "$0")/lib.sh"

jd_db jd_s05 >/dev/null
sql "INSERT INTO jobdeck.jobs (id, name, type, status, username, created_at, started_at, completed_at)
     SELECT n, 'Batch ' || lpad(n::text, 4, '0'), 'sleep', 'Completed', 'alice',
            timestamptz '2026-03-01 00:00:00+00' + n * interval '1 minute',
            timestamptz '2026-03-01 00:00:00+00' + n * interval '1 minute',
            timestamptz '2026-03-01 00:00:30+00' + n * interval '1 minute'
       FROM generate_series(1, 2000) n" >/dev/null

s_start 80 24 admin
s_see "the newest of 2000 jobs is selected" "Job 2000 "
s_keys NPage
s_see "PgDn moves one page (a page is the table's height less one)" "Job 1989 "
s_keys NPage NPage NPage
s_see "three more pages" "Job 1956 "
s_keys PPage
s_see "PgUp moves back a page" "Job 1967 "
s_keys G
s_see "G reaches the oldest job, 2000 rows down" "Job 1 "
s_see "and shows it at the bottom of the table" "Batch 0001"
s_keys k k
s_see "k moves up from the end" "Job 3 "
s_keys g
s_see "g returns to the newest job" "Job 2000 "
for _ in $(seq 1 30); do s_keys j; done
s_see "thirty j's in a row are all counted" "Job 1970 " 5
s_keys /
s_keys -l "Batch 15"
s_keys Enter
s_see "a filter finds rows far from the window" "Batch 1599"
s_keys Escape
s_see "clearing the filter keeps the selection" "Job 1599 "
s_keys q
