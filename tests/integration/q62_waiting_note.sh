#!/usr/bin/env bash
# "Waiting for a worker" is shown only while the job waits: once a worker starts it, the
# claim (a HOT update that leaves info alone) hides it, and the end removes it for good.
source "$(dirname "$0")/q_common.bash"
jd_db jobdeck_q62 || exit 1

id=$(as alice jd submit sleep --param seconds=4 --param lines=1 2>/dev/null)
t_match "a job submitted with no worker waits" "Waiting for a worker" "$(as alice jd list --limit 1)"
t_match "show says so too" "Info: +Waiting for a worker" "$(as alice jd show "$id")"
q_worker w1
t_poll "a worker starts it" 15 q_running_on "$id"
t_nomatch "while it runs the list no longer says it waits" "Waiting for a worker" "$(as alice jd list --limit 1)"
t_nomatch "nor does show" "Waiting for a worker" "$(as alice jd show "$id")"
t_nomatch "nor the export" "Waiting for a worker" "$(as alice jd export -o -)"
t_poll "it completes" 20 q_is "$id" Completed
t_eq "its stored notes hold only the closing note" 1 "$(q_col "$id" "cardinality(info)")"
t_nomatch "no waiting note is stored after the end" "Waiting" "$(q_col "$id" info)"
