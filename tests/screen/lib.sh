# tests/screen/lib.sh — drives the real dashboard in a private tmux server at a fixed size.
# Sourced by tests/screen/s*.sh (running it directly does nothing).
#
#   s_db NAME                a fresh database with the deterministic jobs of s_seed
#   s_start W H USER [ARGS]  runs `jobdeck ARGS` as USER in a W×H pane (TZ=UTC, C.UTF-8,
#                            JOBDECK_CLOCK pinned so the header and durations are stable)
#   s_keys KEYS...           tmux send-keys
#   s_screen                 the pane as text (trailing spaces dropped)
#   s_wait TEXT [SECS]       polls until TEXT is on the screen (records nothing)
#   s_see "title" TEXT [SECS]   a check that passes once TEXT shows
#   s_expect NAME "title"    a check that the whole screen equals expected/NAME.txt
#                            (JD_UPDATE=1 writes the file instead, to be reviewed by eye)
#   s_stop                   quits the dashboard and kills the tmux server
[[ ${BASH_SOURCE[0]} == "$0" ]] && exit 0

# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

S_DIR=$JD_TOP/tests/screen
S_SOCK=jds$$
S_RUN=0
S_CLOCK=1772357400          # 2026-03-01 09:30:00 UTC
S_EXIT=$(mktemp "$JD_TMP/exit.XXXXXX")
trap 's_stop' EXIT

tmux_() { tmux -L "$S_SOCK" "$@"; }

s_db() {
	jd_db "$1" >/dev/null || return 1
	PGUSER=postgres psql -X -q -v ON_ERROR_STOP=1 -f "$S_DIR/seed.sql" >/dev/null
}

s_start() {
	local w=$1 h=$2 user=$3; shift 3
	tmux_ kill-server 2>/dev/null
	S_RUN=$((S_RUN + 1))
	S_SOCK=jds$$-$S_RUN       # a new server each time: no race with the one just killed
	: >"$S_EXIT"
	local args="" a
	for a in "$@"; do args+=" $(printf '%q' "$a")"; done
	tmux_ -f /dev/null new-session -d -x "$w" -y "$h" \
		"env PGUSER=$user JOBDECK_CLOCK=\${JOBDECK_CLOCK-$S_CLOCK} TERM=tmux-256color $JD_BIN$args 2>>$JD_TMP/screen.err; echo \$? >$S_EXIT; echo EXITED; sleep 600"
	tmux_ set-option -g status off >/dev/null
	s_wait "connected" 10 || s_wait "jobdeck" 5
}

s_keys() { tmux_ send-keys "$@"; }

s_screen() { tmux_ capture-pane -p "$@" | sed 's/ *$//'; }

s_has() { s_screen | grep -qF -- "$1"; }

s_wait() {
	local text=$1 secs=${2:-5}
	local end=$((SECONDS + secs))
	while ((SECONDS < end)); do
		s_has "$text" && return 0
		sleep 0.05
	done
	return 1
}

s_see() {
	local title=$1 text=$2 secs=${3:-5}
	if s_wait "$text" "$secs"; then _t_record pass "$title"; else _t_record fail "$title" "no '$text' on:
$(s_screen)"; fi
}

s_gone() {
	local title=$1 text=$2 secs=${3:-5}
	local end=$((SECONDS + secs))
	while ((SECONDS < end)); do
		if ! s_has "$text"; then _t_record pass "$title"; return; fi
		sleep 0.05
	done
	_t_record fail "$title" "'$text' still on:
$(s_screen)"
}

# Whole-screen comparison; polls so that the comparison does not race the redraw.
s_expect() {
	local name=$1 title=$2 file=$S_DIR/expected/$1.txt
	if [[ ${JD_UPDATE:-} == 1 ]]; then
		sleep 0.5
		s_screen >"$file"
		_t_record pass "$title (expected file written)"
		return
	fi
	local end=$((SECONDS + 5))
	while ((SECONDS < end)); do
		if diff -q "$file" <(s_screen) >/dev/null 2>&1; then _t_record pass "$title"; return; fi
		sleep 0.1
	done
	_t_record fail "$title" "$(diff "$file" <(s_screen))"
}

# The exit status once the program has ended, polling a few seconds.
s_exit_status() {
	local end=$((SECONDS + ${1:-5}))
	while ((SECONDS < end)); do
		[[ -s $S_EXIT ]] && { cat "$S_EXIT"; return 0; }
		sleep 0.05
	done
	echo none
}

s_pid() { pgrep -f "^$JD_BIN" -P "$(tmux_ display -p '#{pane_pid}' 2>/dev/null)" 2>/dev/null | head -n1; }

s_stop() {
	tmux_ kill-server 2>/dev/null
	return 0
}

# Appends text to a job's console output as a worker would (notifies listeners).
s_append() { # ID SQL-BYTEA-EXPRESSION
	sql "WITH j AS (UPDATE jobdeck.jobs SET output_bytes = output_bytes + length($2), heartbeat_at = now()
	              WHERE id = $1 RETURNING output_bytes - length($2) AS off)
	     INSERT INTO jobdeck.job_output (job_id, offset_, data) SELECT $1, off, $2 FROM j"
}
