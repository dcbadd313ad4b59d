#!/usr/bin/env bash
# The settings file on the screen: the interval in the header (and --interval over it), auto
# refresh off, a colour theme in the terminal's escapes, the filter the dashboard opens with,
# the export folder (and JOBDECK_EXPORT_DIR over it). Its errors: tests/integration/e40_config.sh.
. "$(dirname "$0")/lib.sh"

s_db jd_s16
XDG_CONFIG_HOME=$(jd_tmp)
export XDG_CONFIG_HOME
conf=$XDG_CONFIG_HOME/jobdeck/config
mkdir -p "$(dirname "$conf")"

# The escapes tmux holds for the first screen line with TEXT.
s_escapes() { tmux_ capture-pane -e -p | grep -a -m1 -F -- "$1"; }

s_start 100 24 admin
s_wait "Failed: disk full"
t_match "without a settings file: the default period" "● ON 5s" "$(s_screen | head -n1)"
t_match "…and failed jobs in bold red" $'\e\\[1m\e\\[31mError' "$(s_escapes "Failed: disk full")"

cat >"$conf" <<'CONF'
# a theme and a slower refresh
[dashboard]
interval = 17
[colour]
error = magenta
CONF
s_start 100 24 admin
s_see "the interval from the file shows in the header" "● ON 17s"
s_wait "Failed: disk full"
out=$(s_escapes "Failed: disk full")
t_match "a colour theme changes a status colour: failed jobs in magenta" $'\e\\[35mError' "$out"
t_nomatch "…and no longer red" $'\e\\[31m' "$out"
t_match "…running jobs keep their default colour" $'\e\\[1m\e\\[33mRunning' "$(s_escapes "Running")"

s_start 100 24 admin --interval 9
s_see "--interval overrides the file" "● ON 9s"

NO_COLOR=1 s_start 100 24 admin
s_wait "Failed: disk full"
out=$(s_escapes "Failed: disk full")
t_match "with NO_COLOR the failed job is drawn…" "Error" "$out"
t_nomatch "…without the theme's colour: NO_COLOR overrides it" $'\e\\[35m' "$out"

t_eq "the dashboard takes the mouse by default" "1" "$(tmux_ display -p '#{mouse_any_flag}')"
printf '[dashboard]\nauto-refresh = off\nmouse = off\nfilter = status:error\nexport-dir = %s/from-file\n' "$XDG_CONFIG_HOME" >"$conf"
s_start 100 24 admin
s_see "auto refresh off from the file shows ○ OFF" "○ OFF"
t_eq "mouse = off leaves the terminal's mouse alone" "0" "$(tmux_ display -p '#{mouse_any_flag}')"
s_see "the default filter is applied on start" "Filter: status:error"
s_see "…and only its jobs are listed" "Failed: disk full"
t_nomatch "…no running or completed job among them" "Running|Completed" "$(s_screen | sed -n '4,$p')"
s_keys e
s_see "the export offers the file's folder" "/from-file/jobdeck-job-history-"
s_keys Escape

s_start 100 24 admin --auto --mouse
s_see "--auto overrides auto-refresh = off" "● ON 5s"
t_eq "--mouse overrides mouse = off" "1" "$(tmux_ display -p '#{mouse_any_flag}')"

JOBDECK_EXPORT_DIR=$XDG_CONFIG_HOME/from-env s_start 100 24 admin
s_wait "○ OFF"
s_keys e
s_see "JOBDECK_EXPORT_DIR overrides it" "/from-env/jobdeck-job-history-"
s_keys Escape
s_stop
