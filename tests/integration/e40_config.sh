#!/usr/bin/env bash
# The dashboard's settings file: where it is found, one clear line and exit 2 for a line it
# cannot take (before the dashboard starts, so no terminal is needed to see it), nothing for
# a missing default file, and the man page listing exactly the program's keys. What the
# settings do on the screen: tests/screen/s16_settings.sh.
. "$(dirname "$0")/../lib.sh"
dir=$(jd_tmp)
export XDG_CONFIG_HOME=$dir/xdg
file=$XDG_CONFIG_HOME/jobdeck/config
mkdir -p "$(dirname "$file")"
NOTTY="the dashboard needs a terminal"

# Runs the dashboard with no terminal: a good settings file gets as far as the terminal check.
dash() { jd "$@" </dev/null 2>&1; }

out=$(dash); rc=$?
t_eq "no settings file: the defaults, silently (the dashboard goes on to want a terminal)" "2 jobdeck: $NOTTY; 'jobdeck list' prints jobs without one" "$rc $out"

cat >"$file" <<'CONF'
# every key, as documented
[dashboard]
interval = 10
auto-refresh = off
mouse = no
filter = status:error user:alice since:2d "disk full"
export-dir = ~/exports

[colour]
header = white on blue
tab = bold black on yellow
selected = reverse
running = bold 208
completed = default
error = magenta on default
keys = underline cyan
CONF
t_match "a file with every kind of key is taken" "^jobdeck: $NOTTY" "$(dash)"
printf 'dashboard.interval = 3\ncolor.error = red\n[color]\nrunning = blue\n' >"$file"
t_match "whole keys outside a section, and 'color' for 'colour'" "^jobdeck: $NOTTY" "$(dash)"
: >"$file"
t_match "an empty file is no error" "^jobdeck: $NOTTY" "$(dash)"

# Each bad file: its text, and the message it must give.
bad() { # title text message
	printf '%b' "$2" >"$file"
	local out rc
	out=$(dash); rc=$?
	t_eq "$1: exit 2" "2" "$rc"
	t_eq "…with one line naming the file and line" "jobdeck: $file:$3" "$out"
}
bad "an unknown key" '[dashboard]\ninterval = 5\n\n[colour]\nfoo = red\n' "5: unknown key 'colour.foo'"
bad "an unknown key outside a section" '# theme\ncolour.foo = red\n' "2: unknown key 'colour.foo'"
bad "an unknown section" '[dashbord]\n' "1: unknown section [dashbord]"
bad "a line that is no setting" '[dashboard]\ninterval\n' "2: expected KEY = VALUE"
bad "an interval out of range" 'dashboard.interval = 0\n' "1: dashboard.interval takes whole seconds from 1 to 3600, not '0'"
bad "an interval that is no number" 'dashboard.interval = 5s\n' "1: dashboard.interval takes whole seconds from 1 to 3600, not '5s'"
bad "a switch that is neither on nor off" 'dashboard.auto-refresh = maybe\n' "1: dashboard.auto-refresh takes on or off, not 'maybe'"
bad "a filter the dashboard would refuse" 'dashboard.filter = status:sleeping\n' \
	"1: dashboard.filter: status:sleeping: a status is running, completed or error"
bad "a colour with no name" 'colour.error = bold purple\n' \
	"1: colour.error: 'purple' is no colour (black, red, green, yellow, blue, magenta, cyan, white, default, 0 to 255)"
bad "two foregrounds" 'colour.error = red green\n' "1: colour.error: expected [bold] [FG] [on BG], found 'green'"
bad "'on' with no background" 'colour.error = red on\n' "1: colour.error: 'on' needs a background colour"
bad "an empty colour" 'colour.error =\n' "1: colour.error: expected [bold] [FG] [on BG]"

rm -f "$file"
mkdir "$file"
out=$(dash); rc=$?
t_eq "a settings file that cannot be read: exit 2" "2" "$rc"
t_eq "…with one line that says why" "jobdeck: cannot read the settings file $file: Is a directory" "$out"
rmdir "$file"

printf 'dashboard.mouse = sometimes\n' >"$dir/other.conf"
out=$(dash --config "$dir/other.conf"); rc=$?
t_eq "--config names another file" "2 jobdeck: $dir/other.conf:1: dashboard.mouse takes on or off, not 'sometimes'" "$rc $out"
out=$(dash dashboard --config "$dir/missing.conf"); rc=$?
t_eq "a file --config names must exist" "2 jobdeck: cannot read the settings file $dir/missing.conf: No such file or directory" "$rc $out"
printf 'colour.foo = red\n' >"$file"
t_match "--config replaces the default file (which is not read)" "^jobdeck: $NOTTY" "$(dash --config /dev/null)"
rm -f "$file"
mkdir -p "$dir/home/.config/jobdeck"
printf '\n[colour]\nfoo = red\n' >"$dir/home/.config/jobdeck/config"
out=$(env -u XDG_CONFIG_HOME HOME="$dir/home" "$JD_BIN" </dev/null 2>&1)
t_eq "without XDG_CONFIG_HOME: ~/.config/jobdeck/config" "jobdeck: $dir/home/.config/jobdeck/config:3: unknown key 'colour.foo'" "$out"

t_match "the dashboard's help names --config" "--config FILE" "$(jd dashboard --help)"
t_match "jobdeck --help names XDG_CONFIG_HOME" "XDG_CONFIG_HOME" "$(jd --help)"

# The man page lists every key of the program's table, and no other.
man=$JD_TOP/src/jobdeck.1
keys=$(jd __complete settings | sort)
t_match "the program has its keys" "colour.error" "$keys"
t_eq "the man page's SETTINGS FILE lists exactly the program's keys" "$keys" \
	"$(sed -n '/^\.SH "SETTINGS FILE"/,/^\.SH /p' "$man" | grep -E '^\.B [a-z]+\.[a-z-]+$' | sed 's/^\.B //' | sort)"
