#!/usr/bin/env bash
# Never freeze, garble or lie: resize, tiny terminals, monochrome, hostile output, wide
# characters, a database restart while open, signals, mouse.
. "$(dirname "$0")/lib.sh"

s_db jd_s04
# hostile output and a wide-character job name
sql "INSERT INTO jobdeck.jobs (id, name, type, status, username, info, created_at, started_at, completed_at)
     VALUES (50, '漢字の目録 export', 'csv-export', 'Error', 'admin', ARRAY[E'bad\\x1b[31m red'],
             '2026-03-01 09:25:00+00', '2026-03-01 09:25:00+00', '2026-03-01 09:26:00+00')" >/dev/null
hex=$(printf '\033]0;pwned\007title\033[2J\033[31mred\033[0m bell\007 nul\000 bad\377\376 utf8 \342\200\256 rtl\n' |
	od -An -tx1 | tr -d ' \n')
s_append 50 "decode('$hex', 'hex')" >/dev/null
s_append 50 "convert_to(repeat('long', 300) || E'\\n', 'UTF8')" >/dev/null

s_start 80 24 admin
s_see "the hostile job is listed" "漢字の目録"
s_expect hostile_80x24 "hostile output shows as placeholders; wide characters keep the columns"
s_keys Enter g
s_see "the start of the output is shown" "pwned"
raw=$(tmux_ capture-pane -p -e)
t_nomatch "no window-title sequence reaches the terminal" $'\e\\]0;' "$raw"
t_nomatch "the screen is never cleared by job output" $'\e\\[2J' "$raw"
s_see "ESC is shown as ^[" "^[]0;pwned^Gtitle^[[2J^[[31mred"
s_see "invalid UTF-8 is shown as \\xNN" '\xFF\xFE'
s_see "a right-to-left override is shown as its code" "<U+202E>"
s_expect hostile_detail_80x24 "the hostile output, start of the detail pane"
s_keys G
s_see "a long line is wrapped, not lost" "longlonglong"
s_keys q

# ---- resize and tiny terminals
s_start 120 40 admin
s_wait "Job 50"
tmux_ resize-window -x 80 -y 24
s_see "shrinking to 80 columns switches to short dates" "03-01 09:25"
tmux_ resize-window -x 40 -y 10
s_see "a terminal too small says so" "Terminal too small (40x10)."
s_see "and says what it needs" "jobdeck needs at least 60x12; q quits."
tmux_ resize-window -x 120 -y 40
s_see "growing back restores the table" "2026-03-01 09:25"
s_expect resized_120x40 "after resizing the screen is whole again"
s_keys q
t_eq "q quits from a resized screen" 0 "$(s_exit_status)"

# ---- monochrome
# true when the text carries an SGR colour (30-37, 38, 40-47, 48, 90-97, 100-107; 39/49
# only reset to the default and are not colour)
s_coloured() {
	grep -oE $'\e\\[[0-9;]*m' <<<"$1" | tr -d '\033[m' | tr ';' '\n' |
		grep -qxE '3[0-8]|4[0-8]|9[0-7]|10[0-7]'
}
NO_COLOR=1 s_start 80 24 admin
s_wait "Job 50"
raw=$(tmux_ capture-pane -p -e)
t_fails "NO_COLOR: no colour codes" s_coloured "$raw"
t_match "NO_COLOR: the selection is still visible (reverse video)" $'\e\\[7m' "$raw"
s_keys q
s_start 80 24 admin --no-color
s_wait "Job 50"
raw=$(tmux_ capture-pane -p -e)
t_fails "--no-color: no colour codes" s_coloured "$raw"
s_keys q
s_start 80 24 admin
s_wait "Job 50"
t_ok "with colour, statuses are coloured" s_coloured "$(tmux_ capture-pane -p -e)"
s_keys q

# ---- the database goes away and comes back
s_start 80 24 admin
s_wait "Job 50"
tests_services=$JD_TOP/tests/services.sh
"$tests_services" pg-stop "$JD_SERVICES" >/dev/null 2>&1
s_see "a lost database shows reconnecting… in the header" "reconnecting…" 8
s_keys j
s_see "keys still work while it is away" "Job 8 " 2
s_keys '?'
s_see "the help still opens" "Keys — Esc"
s_keys Escape
"$tests_services" pg-start "$JD_SERVICES" >/dev/null 2>&1
s_see "it reconnects by itself" "● connected" 15
sql "INSERT INTO jobdeck.jobs (name, type, username, created_at) VALUES ('After the restart', 'sleep', 'bob', '2026-03-01 09:29:00+00')" >/dev/null
s_see "live updates work again after reconnecting" "After the resta" 5
s_keys q

# ---- signals restore the terminal
for sig in TERM INT; do
	s_start 80 24 admin
	s_wait "Job 50"
	pid=$(s_pid)
	kill -s "$sig" "$pid"
	s_see "SIG$sig ends the dashboard" "EXITED"
	t_nomatch "SIG$sig leaves no dashboard on the screen (terminal restored)" "All jobs" "$(s_screen)"
	t_ok "SIG$sig leaves the cursor visible" test "$(tmux_ display -p '#{cursor_flag}')" = 1
done

# ---- mouse
s_start 80 24 admin
s_wait "Job 101"
# xterm mouse report: ESC [ M, button+32, column+33, row+33 (0-based); tab 3 is near column 40, row 1
# press and release in one write, as a terminal sends a click
tmux_ send-keys -l $'\e[M ;"\e[M#;"'  # column 26, row 1: "2 Active jobs"
s_see "clicking a tab switches to it" "Publish series" 3
s_gone "the Active tab leaves out finished jobs" "Import CSV" 3
tmux_ send-keys -l $'\e[M %%\e[M#%%'  # row 4: the second row of the table
s_see "clicking the second row selects it" "Job 7 " 3
s_keys q
mouse_flags() { tmux_ display -p '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}'; }
s_start 80 24 admin
s_wait "Job 101"
t_match "the dashboard asks the terminal for mouse reports" 1 "$(mouse_flags)"
s_keys q
s_start 80 24 admin --no-mouse
s_wait "Job 101"
t_eq "--no-mouse leaves the terminal's mouse alone" 0000 "$(mouse_flags)"
s_keys q
