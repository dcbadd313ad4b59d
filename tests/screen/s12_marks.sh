#!/usr/bin/env bash
# Marks and bulk actions: Space marks the selected job (the row reads "* NAME", the header
# counts), * marks every job of the tab and filter (counted by the database), u clears the
# marks; with marks, c, x and R act on the marked jobs after a question that says how many
# are acted on and how many are skipped and why. A tab switch clears the marks; --readonly
# offers none of it.
. "$(dirname "$0")/lib.sh"

s_db jd_s12

gone() { sql "SELECT count(*) FROM jobdeck.jobs WHERE id IN ($1)"; }
footer() { s_screen | tail -n1; }
header() { s_screen | head -n1; }

# ---- marking at 120x40: the All tab, job 8 selected
s_start 120 40 admin --no-auto
s_see "the table is there" "Job 8 "
s_see "Space mark is offered in the footer" "Space mark"
t_nomatch "nothing is marked yet" "marked" "$(header)"
s_keys Space
s_see "Space marks the selected job: the header counts it" " 1 marked "
s_see "the marked row reads * NAME" "* Import CSV"
s_see "u is offered once something is marked" "u unmark"
s_keys j Space
s_see "a second mark" " 2 marked "
s_keys k Space
s_see "Space again unmarks" " 1 marked "
s_keys u
s_see "u clears the marks" "Marks cleared."
s_gone "the header no longer counts marks" " marked "
s_keys '*'
s_see "* marks every job of the tab, counted by the database" "Marked all 8 jobs of All jobs."
s_see "the header counts them all" " 8 marked "
s_keys r
s_wait "Refreshing…"
s_see "marks survive a refresh" " 8 marked "

# ---- c with marks: the question names how many go and how many stay, and why
s_keys c
s_see "c asks, naming the skipped jobs" \
	"2 jobs will be cleared; 6 skipped: 2 running, 4 someone else's. Clear them? [y/N]"
s_keys n
s_see "n does nothing and keeps the marks" "Nothing done; the marks stay."
t_eq "nothing was cleared" 2 "$(gone 3,4)"
s_see "still 8 marked" " 8 marked "
s_keys c
s_wait "[y/N]"
s_keys y
s_see "y clears what it may and says what was skipped" "Cleared 2 jobs; skipped: 2 running, 4 someone else's."
t_eq "the command-line job 3 and the administrator's job 4 are gone" 0 "$(gone 3,4)"
t_eq "the others stay" 6 "$(sql "SELECT count(*) FROM jobdeck.jobs")"
s_gone "the marks go once acted on" " marked "

# ---- R with marks on jobs that did not fail: nothing to do, and why
s_keys g Space
s_see "one mark" " 1 marked "
s_keys R
s_see "R on a job that did not fail says so" "Nothing to retry: 0 jobs will be retried; 1 skipped: 1 not failed."
t_nomatch "and asks nothing" '\[y/N\]' "$(s_screen)"

# ---- a tab switch clears the marks; x with marks cancels them
s_keys 2
s_gone "a tab switch clears the marks" " marked "
s_see "the Active tab shows job 7" "Job 7 "
s_keys Space
s_keys x
s_see "x with marks asks" "1 job will be cancelled. Cancel them? [y/N]"
s_keys y
s_see "and cancels" "Cancelled 1 job."
t_eq "job 7 ended" Error "$(sql "SELECT status FROM jobdeck.jobs WHERE id = 7")"
s_keys '?'
s_see "the help lists Space" "Mark / unmark the job"
s_see "the help says a tab or filter change clears marks" "a tab or filter change clears them too"
s_keys Escape q

# ---- a filter change clears the marks too, at 80x24
s_start 80 24 admin --no-auto
s_see "the table at 80x24" "Job 8 "
s_keys Space
s_see "the header counts the mark at 80 columns" " 1 marked "
s_keys / I m p o r t Enter
s_gone "a filter change clears the marks" " marked "
s_keys '*'
s_see "* counts only the filtered jobs" "Marked all 2 jobs of All jobs (filtered)."
s_see "the header says so" " 2 marked "
s_keys q

# ---- --readonly: no marks, no bulk actions
s_start 80 24 admin --readonly --no-auto
s_see "the table, read-only" "Job 8 "
t_nomatch "--readonly keeps Space out of the footer" "Space mark" "$(footer)"
s_keys Space
s_see "--readonly refuses Space" "Read-only: marking and acting on jobs is switched off (--readonly)."
t_nomatch "and marks nothing" " marked " "$(header)"
s_keys q
