#!/usr/bin/env bash
# The jobs table: whole screens at 80×24 and 120×40, tabs, moving, sorting, filtering,
# the detail pane, help, the record card, permissions.
. "$(dirname "$0")/lib.sh"

s_db jd_s01

s_start 80 24 admin
s_see "the dashboard opens as the administrator" "admin (administrator)"
s_expect all_80x24 "All jobs at 80x24, newest first, the newest job's details below"

s_keys 2
s_see "2 shows the running jobs" "Rebuild search"
s_expect active_80x24 "Active jobs: only running jobs, End date N/A"
s_keys 3
s_expect failed_80x24 "Failed jobs: only errors, the first selected with its error output"
s_keys Tab
s_see "Tab wraps from Failed to All jobs" "Publish series"
s_keys BTab
s_see "Shift-Tab goes back to Failed jobs" "Failed: disk fu"
s_keys 1
s_wait "Job 8 "

s_keys j j
s_see "j moves the selection down (detail of the third job)" "Job 6"
s_keys k
s_see "k moves it back up" "Job 7"
s_keys G
s_see "G goes to the last job" "Job 1 "
s_keys g
s_see "g goes to the first job" "Job 8 "

s_keys s
s_see "s sorts by end date" "Sorted by End date, descending."
s_keys s
s_see "s again sorts by job name" "Sorted by Job name, descending."
s_keys S
s_see "S reverses the order" "Sorted by Job name, ascending."
s_expect sorted_name_80x24 "sorted by name ascending, selection kept on the same job"
s_keys s s s
s_see "sorting comes round to the start date" "Sorted by Start date, ascending."
s_keys S
s_see "S reverses back to newest first" "Sorted by Start date, descending."

s_keys /
s_see "/ opens the filter prompt" "Filter:"
s_keys -l "csv"
s_keys Enter
s_expect filter_csv_80x24 "a filter keeps the matching jobs and shows itself on the tab line"
s_keys Escape
s_see "Esc clears the filter" "Publish series"

s_keys Enter
s_see "Enter moves into the detail pane" "follow"
s_expect detail_80x24 "the detail pane takes the screen, output tail first"
s_keys Escape
s_see "Esc returns to the table" "filter"

s_keys '?'
s_see "? opens the help" "Keys — Esc or ? closes"
s_expect help_80x24 "help is generated from the key table"
s_keys NPage NPage NPage NPage   # past the end: the help is as long as the key table
s_see "the help scrolls" "Mouse: click a tab"
s_keys Escape
s_gone "Esc closes the help" "Keys — Esc"

s_keys g j j j j
s_see "selection reaches the job about F-002" "Job 4 "
s_keys o
s_see "o opens the related record" "Marguerite Lévesque fonds"
s_expect record_80x24 "the record card"
s_keys Escape
s_keys k k
s_see "k k reaches a job without a record" "Job 6 "
s_keys o
s_see "o on a job without a record says so" "This job concerns no record."

s_keys C-l
s_see "Ctrl-L redraws" "1 All jobs (8)"
s_keys q
t_eq "q quits with status 0" 0 "$(s_exit_status)"

s_start 120 40 admin
s_expect all_120x40 "All jobs at 120x40 with full dates and columns"
s_keys q

s_start 120 40 alice
s_see "a user sees their own jobs only" "alice (user)"
s_expect alice_120x40 "alice's view: three jobs, no one else's"
s_keys q

s_start 80 24 admin --readonly
s_nomatch_clear() { ! s_screen | grep -q ' c clear'; }
s_wait "All jobs (8)"
t_ok "--readonly takes clearing out of the footer" s_nomatch_clear
s_keys c
s_see "--readonly refuses c" "Read-only: clearing is switched off"
s_keys q

# an empty database
jd_db jd_s01_empty >/dev/null
s_start 80 24 admin
s_expect empty_80x24 "an empty tab says there are no jobs, and who may clear what"
s_keys q

t_exit "without a terminal the dashboard explains and stops" 2 jd </dev/null
t_exit "a bad --interval is a usage error" 2 jd --interval 0
