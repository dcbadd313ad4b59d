#!/usr/bin/env bash
# The command line on a real terminal: escape sequences in a job's fields, its record, its
# console output and in error messages show as placeholders and never act (no new window
# title, no cleared screen, no colour); the exact bytes are there for a pipe or a file.
. "$(dirname "$0")/lib.sh"

jd_db jd_s10 >/dev/null
tmp=$(jd_tmp)

E=$'\e]2;PWNED\a\e[2J\e[31m'         # retitle the terminal, clear it, turn red
SHOWN='^[]2;PWNED^G^[[2J^[[31m'      # what the sanitiser makes of it
BADROLE="x$E"

rec=$(sql "INSERT INTO jobdeck.records (identifier, title) VALUES ('R${E}1', 'T${E}itle') RETURNING id")
a=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, object_id, params, info, worker,
                                   download_path, download_size, created_at, started_at, completed_at)
         VALUES ('N${E}ame', 't${E}ype', 'Completed', 'admin', $rec,
                 jsonb_build_object('p', 'v${E}', 'c1', U&'\\009B' || '2J'), ARRAY['note ${E}'],
                 'w${E}orker', '/d${E}.csv', 10, now(), now(), now())
         RETURNING id")
b=$(sql "INSERT INTO jobdeck.jobs (name, type, status, username, cancel_requested_by, started_at)
         VALUES ('running', 'sleep', 'Running', 'u${E}', 'c${E}ancel', now()) RETURNING id")
# console output with the escapes, CRLF, a tab, a byte that is not UTF-8, a NUL, no final newline
printf 'first %s red\r\n\ttabbed\377 nul\000 end\nlast' "$E" >"$tmp/output"
len=$(wc -c <"$tmp/output")
hex=$(od -An -tx1 "$tmp/output" | tr -d ' \n')
sql "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($a, 0, decode('$hex', 'hex'));
     UPDATE jobdeck.jobs SET output_bytes = $len WHERE id = $a" >/dev/null
# a role whose name the database will echo in an error
sql "CREATE ROLE \"$BADROLE\"" >/dev/null

P_TITLE=jd-s10-title
P_MARK="MARKER printed before the command"
J=$(printf '%q' "$JD_BIN")

# Runs a shell command line as admin in a fresh 160×50 pane whose title is P_TITLE, after a
# marker line; waits until it has ended and printed "EXIT=status".
p_run() {
	tmux_ kill-server 2>/dev/null
	S_RUN=$((S_RUN + 1))
	S_SOCK=jds$$-$S_RUN
	local go=$tmp/go.$S_RUN script=$tmp/pane.$S_RUN
	printf '%s\n' "while [ ! -e $go ]; do sleep 0.05; done" "echo '$P_MARK'" "$1" \
		'echo "EXIT=$?"' 'sleep 600' >"$script"
	tmux_ -f /dev/null new-session -d -x 160 -y 50 \
		"env PGUSER=admin TERM=tmux-256color TZ=UTC LC_ALL=C.UTF-8 bash $script"
	tmux_ set-option -g status off >/dev/null
	tmux_ select-pane -T "$P_TITLE"
	touch "$go"
	s_wait "EXIT=" 10
}

# What every command must leave behind: the title it found, the marker line, no red.
p_inert() {
	local what=$1
	t_eq "$what: the terminal's title is unchanged" "$P_TITLE" "$(tmux_ display-message -p '#{pane_title}')"
	s_see "$what: the screen was not cleared (the line before it is still there)" "$P_MARK" 1
	t_nomatch "$what: no colour reached the terminal" $'\e\\[31m' "$(tmux_ capture-pane -p -e)"
}

# ---- show: every field and the output
p_run "$J show $a"
s_see "show runs to the end" "EXIT=0" 1
p_inert "show"
s_see "show: the name shows its escapes as ^[" "Job $a: N${SHOWN}ame" 1
s_see "show: the type" "  Type:       t${SHOWN}ype" 1
s_see "show: the record's identifier and title" "  Record:     R${SHOWN}1 — T${SHOWN}itle" 1
s_see "show: the worker" "  Worker:     w${SHOWN}orker" 1
s_see "show: the download path" "  Download:   /d${SHOWN}.csv (10 B)" 1
s_see "show: the parameters (a C1 control too)" '<U+009B>2J' 1
s_see "show: the info note" "  Info:       note ${SHOWN}" 1
s_see "show: the console output" "first ${SHOWN} red" 1
s_see "show: the output keeps its lines and tabs, with placeholders for the rest" '        tabbed\xFF nul^@ end' 1
s_see "show: the output's last line" "last" 1

p_run "$J show $b"
s_see "show of the running job runs to the end" "EXIT=0" 1
p_inert "show (running job)"
s_see "show: the user" "  User:       u${SHOWN}" 1
s_see "show: who asked to cancel" "  Cancel:     requested by c${SHOWN}ancel; the worker is stopping it" 1

# ---- list and export
p_run "$J list"
s_see "list runs to the end" "EXIT=0" 1
p_inert "list"
s_see "list: the name shows its escapes as ^[" "N${SHOWN}ame" 1

p_run "$J export -o -"
s_see "export -o - runs to the end" "EXIT=0" 1
p_inert "export -o - on a terminal"
s_see "export -o - on a terminal: the name cell" ",N${SHOWN}ame,Completed," 1
s_see "export -o - on a terminal: the info cell" ",note ${SHOWN},admin" 1
s_see "export -o - on a terminal: the user cell" ",u${SHOWN}" 1

# ---- error messages
p_run "$J cancel $a"
s_see "cancel of an ended job says so" "jobdeck: cancel: job $a has already ended" 1
s_see "cancel of an ended job exits 1" "EXIT=1" 1
p_inert "cancel"

p_run "$J user add $(printf '%q' "$BADROLE")"
s_see "a database error that echoes the name shows it as ^[" "jobdeck: role \"x${SHOWN}\" already exists" 1
s_see "that error exits 1" "EXIT=1" 1
p_inert "a database error"

p_run "$J show $(printf '%q' "1$E")"
s_see "a usage error shows the argument as ^[" "jobdeck show: '1${SHOWN}' is not a job ID" 1
s_see "that usage error exits 2" "EXIT=2" 1
p_inert "a usage error"

# ---- exact bytes: never to the terminal, always to a pipe or a file
p_run "$J show --raw $a"
s_see "show --raw on a terminal refuses in one sentence" \
	"jobdeck show: --raw writes the exact bytes, which a terminal would act on; pipe or redirect it (| less, > FILE)" 1
s_see "show --raw on a terminal is a usage error" "EXIT=2" 1
p_inert "show --raw"
t_nomatch "show --raw on a terminal writes nothing of the job" "Console output|first" "$(s_screen)"

p_run "$J show --raw $a | tail -c $len | od -c"
s_see "show --raw | od -c runs to the end" "EXIT=0" 1
p_inert "show --raw | od -c"
s_see "show --raw | od -c: the raw ESC and BEL" 'f   i   r   s   t     033   ]   2   ;   P   W   N   E   D  \a' 1
s_see "show --raw | od -c: the raw byte that is not UTF-8 and the NUL" 'b   e   d 377       n   u   l  \0' 1
s_see "show --raw | od -c: the raw CR, newline and tab" 'r   e   d  \r  \n  \t' 1

as admin jd show --raw "$a" >"$tmp/raw"
total=$(wc -c <"$tmp/raw")
t_ok "show --raw > FILE: the output is the stored bytes" cmp <(tail -c "$len" "$tmp/raw") "$tmp/output"
t_eq "show --raw > FILE: the output comes right after its heading" "Console output ($len bytes):" \
	"$(head -c $((total - len)) "$tmp/raw" | tail -n 1)"
t_nomatch "show --raw > FILE: the fields above the output are still sanitised" $'\e' \
	"$(head -c $((total - len)) "$tmp/raw")"
t_ok "show --raw | ...: the output is the stored bytes" \
	cmp <(as admin jd show --raw "$a" | tail -c "$len") "$tmp/output"
t_nomatch "show without --raw to a pipe is sanitised too" $'\e|\a' "$(as admin jd show "$a")"

as admin jd export -o - >"$tmp/stdout.csv"
as admin jd export -o "$tmp/file.csv" >/dev/null
t_ok "export -o - > FILE: the same bytes as export -o FILE" cmp "$tmp/stdout.csv" "$tmp/file.csv"
t_ok "export -o - > FILE: the name's escapes are there, exact" grep -qF ",N${E}ame," "$tmp/stdout.csv"
t_ok "export -o - | ...: exact too" cmp <(as admin jd export -o - | cat) "$tmp/file.csv"

s_stop
sql "DROP ROLE \"$BADROLE\"" >/dev/null
