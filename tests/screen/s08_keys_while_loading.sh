#!/usr/bin/env bash
# Keys that move or open, pressed right after choosing a tab (before its first page is on the
# screen), are kept and done once the page is there, not lost.
. "$(dirname "$0")/lib.sh"

s_db jd_s08
# the tab's jobs in the dashboard's order, newest first
tab_ids() { sql "SELECT string_agg(id::text, ' ' ORDER BY created_at DESC, id DESC) FROM jobdeck.jobs WHERE $1"; }
read -r -a failed <<<"$(tab_ids "status = 'Error'")"
read -r -a active <<<"$(tab_ids "status = 'Running'")"
t_ok "the seed has at least two failed and two active jobs" test "${#failed[@]}" -ge 2 -a "${#active[@]}" -ge 2

s_start 120 30 admin
s_wait "Job "
# one write to the terminal: the tab key and the moves arrive together
s_keys 3 j
s_see "3 then j selects the second failed job" "Job ${failed[1]} "
s_keys 2 G
s_see "2 then G selects the last active job" "Job ${active[-1]} "
s_keys 1 j j Enter
s_see "1 j j Enter opens the third job's details" "── Console output"
t_match "…the third of All jobs" "Job $(tab_ids true | awk '{ print $3 }') " "$(s_screen)"
s_stop
