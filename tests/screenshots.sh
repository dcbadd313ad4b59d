#!/usr/bin/env bash
# make screenshots: PNGs of the real dashboard into screenshots/.
#
# Runs the dashboard in tmux against private services loaded with the demo data, captures
# each screen with its colours (capture-pane -e), turns the ANSI text into HTML and renders
# it with headless Chromium. Installs chromium and fonts when they are missing (Debian).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$top/$BUILD/jobdeck
out=$top/screenshots
W=${SHOT_COLS:-120} H=${SHOT_ROWS:-34}

need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'ok installed' || need+=(fonts-dejavu-core)
if ((${#need[@]})); then
	echo "  DEPS  installing: ${need[*]}"
	SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
	$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		{ echo "screenshots: could not install ${need[*]}" >&2; exit 1; }
fi

tmp=$(mktemp -d /tmp/jobdeck-shots.XXXXXX)
chmod 755 "$tmp"
sock=jdshots$$
feeder=
cleanup() {
	[[ -n $feeder ]] && kill "$feeder" 2>/dev/null
	tmux -L "$sock" kill-server 2>/dev/null
	tests/services.sh stop "$tmp/services" >/dev/null 2>&1
	local pg; pg=$(readlink -f "$tmp/services/pg" 2>/dev/null)
	[[ -n $pg && $pg == /tmp/jobdeck-pg.* ]] && rm -rf "$pg"
	rm -rf "$tmp"
}
trap cleanup EXIT

tests/services.sh start "$tmp/services" >/dev/null || { echo "screenshots: services did not start" >&2; exit 1; }
# shellcheck disable=SC1091
. "$tmp/services/env"
export TZ=${TZ:-UTC} LC_ALL=C.UTF-8 LANG=C.UTF-8
PGUSER=postgres "$bin" migrate >/dev/null && PGUSER=postgres "$bin" demo-seed >/dev/null || exit 1
psql_() { PGUSER=postgres psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# A job streaming output (as a worker would write it), and a fresh failure with its error.
fail=$(psql_ "INSERT INTO jobdeck.jobs (name, type, status, username, object_id, created_at, started_at, completed_at, worker, attempts, info)
              VALUES ('Import CSV', 'csv-import', 'Error', 'alice', 3, now() - interval '45 s', now() - interval '40 s', now() - interval '5 s',
                      'demo-w2', 3, '{\"Failed: row 118 has no identifier\"}') RETURNING id")
append() { # ID TEXT
	psql_ "WITH j AS (UPDATE jobdeck.jobs SET output_bytes = output_bytes + length(convert_to(\$\$$2\$\$, 'UTF8')), heartbeat_at = now()
	                  WHERE id = $1 RETURNING output_bytes - length(convert_to(\$\$$2\$\$, 'UTF8')) AS off)
	       INSERT INTO jobdeck.job_output (job_id, offset_, data) SELECT $1, off, convert_to(\$\$$2\$\$, 'UTF8') FROM j" >/dev/null
}
live=$(psql_ "INSERT INTO jobdeck.jobs (name, type, username, created_at, started_at, worker, attempts, info)
              VALUES ('Rebuild search index', 'sleep', 'admin', now() - interval '2 s', now(), 'demo-w1', 1, '{}') RETURNING id")
append "$fail" "[$(date -d '40 seconds ago' +%T)] Job started: Import CSV
Reading /srv/imports/harbour-2026.csv (412 rows)
Imported 0115 \"Survey of the east quay, 1893\"
Imported 0116 \"Dredging contract, 1896\"
Imported 0117 \"Glass plate negatives, 1899\"
ERROR: row 118 has no identifier (column 'identifier' is empty)
ERROR: import stopped after 117 rows; nothing after row 117 was written
"
(
	i=1
	while :; do
		append "$live" "[$(date +%T)] Indexed batch $i: $((i * 250)) descriptions, $((i * 37)) digital objects
"
		i=$((i + 1))
		sleep 0.3
	done
) &
feeder=$!

tmux_() { tmux -L "$sock" "$@"; }
start() { # USER
	tmux_ kill-server 2>/dev/null
	sock=jdshots$$-$RANDOM
	tmux_ -f /dev/null new-session -d -x "$W" -y "$H" "env PGUSER=$1 TERM=tmux-256color $bin; sleep 600"
	tmux_ set-option -g status off >/dev/null
	wait_for "connected"
}
wait_for() {
	local end=$((SECONDS + 10))
	until tmux_ capture-pane -p | grep -qF -- "$1"; do
		((SECONDS < end)) || { echo "screenshots: '$1' never showed" >&2; return 1; }
		sleep 0.1
	done
	sleep 0.3
}
keys() { tmux_ send-keys "$@"; }

# ANSI (what capture-pane -e prints) to an HTML page in a terminal palette.
to_html() { # TITLE < ansi > html
	python3 -c '
import html, re, sys
pal = ["#1d1f21","#cc342b","#198844","#c9a400","#3971ed","#a36ac7","#3fb1b8","#c5c8c6",
       "#666666","#ff5f56","#5fd75f","#ffd75f","#5f87ff","#d787ff","#5fd7d7","#ffffff"]
def c256(n):
    if n < 16: return pal[n]
    if n < 232:
        n -= 16; v = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (v[n // 36], v[n // 6 % 6], v[n % 6])
    g = 8 + (n - 232) * 10; return "#%02x%02x%02x" % (g, g, g)
FG, BG = "#d0d0d0", "#101214"
out = []
for line in sys.stdin.read().rstrip("\n").split("\n"):
    st = dict(fg=None, bg=None, b=False, d=False, u=False, r=False)
    pos = 0; row = []
    for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b]+)", line):
        if m.group(2) is not None:
            fg, bg = st["fg"] or FG, st["bg"] or BG
            if st["r"]: fg, bg = bg, fg
            css = "color:%s;background:%s" % (fg, bg)
            if st["b"]: css += ";font-weight:bold"
            if st["d"]: css += ";opacity:.65"
            if st["u"]: css += ";text-decoration:underline"
            row.append("<span style=\"%s\">%s</span>" % (css, html.escape(m.group(2))))
            continue
        ps = [int(p) if p else 0 for p in m.group(1).split(";")] if m.group(1) else [0]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0: st = dict(fg=None, bg=None, b=False, d=False, u=False, r=False)
            elif p == 1: st["b"] = True
            elif p == 2: st["d"] = True
            elif p == 4: st["u"] = True
            elif p == 7: st["r"] = True
            elif p == 22: st["b"] = st["d"] = False
            elif p == 24: st["u"] = False
            elif p == 27: st["r"] = False
            elif 30 <= p <= 37: st["fg"] = pal[p - 30 + (8 if st["b"] else 0)]
            elif 90 <= p <= 97: st["fg"] = pal[p - 90 + 8]
            elif p == 39: st["fg"] = None
            elif 40 <= p <= 47: st["bg"] = pal[p - 40]
            elif 100 <= p <= 107: st["bg"] = pal[p - 100 + 8]
            elif p == 49: st["bg"] = None
            elif p in (38, 48) and i + 2 < len(ps) and ps[i + 1] == 5:
                st["fg" if p == 38 else "bg"] = c256(ps[i + 2]); i += 2
            elif p in (38, 48) and i + 4 < len(ps) and ps[i + 1] == 2:
                st["fg" if p == 38 else "bg"] = "#%02x%02x%02x" % tuple(ps[i + 2:i + 5]); i += 4
            i += 1
    out.append("".join(row))
print("<!doctype html><meta charset=utf-8><title>%s</title><style>"
      "html,body{margin:0;background:%s}"
      "pre{margin:0;padding:10px 12px;font:15px/19px \"DejaVu Sans Mono\",monospace;color:%s}"
      "</style><pre>%s</pre>" % (html.escape(sys.argv[1]), BG, FG, "\n".join(out)))
' "$1"
}

shot() { # NAME TITLE
	local name=$1 page=$tmp/$1.html
	tmux_ capture-pane -p -e | to_html "$2" >"$page"
	local w=$((W * 9 + 24)) h=$((H * 19 + 20))
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$tmp/chrome" --screenshot="$out/$name.png" \
		--window-size="$w,$h" "file://$page" >/dev/null 2>&1 ||
		{ echo "screenshots: chromium failed for $name" >&2; return 1; }
	echo "  PNG   screenshots/$name.png"
}

mkdir -p "$out"
start admin
shot all-jobs "All jobs"
keys 3; wait_for "row 118"; wait_for "Import CSV   Status"
shot failed-jobs "Failed jobs with an error's output"
keys Enter; sleep 0.3
shot failed-output "The detail pane: an error's console output"
keys Escape 1 g; sleep 0.5
keys Enter f; wait_for "following"
sleep 2
shot live-output "Following a job's live output"
keys Escape
keys x; wait_for "[y/N]"
shot cancel-question "Cancelling asks first"
keys n
keys c; wait_for "[y/N]"
shot clear-question "Clearing asks first"
keys n e; wait_for "as CSV to:"
shot export-prompt "Export asks for a path"
keys Escape '?'; wait_for "Keys"
shot help "Help, generated from the key table"
keys Escape 3; wait_for "row 118"
keys Enter / I m p o r t e d Enter; wait_for "match 1 of"
shot output-search "Searching the whole output: matches marked, line numbers"
keys Escape Escape 1; sleep 1   # the tab's rows first: a mark needs a row
keys g Space j Space j j Space; wait_for "3 marked"
shot marks "Marked jobs: x, R and c act on them"
keys u q
PGUSER=worker "$bin" worker --id demo-w1 --types sleep,csv-import >"$tmp/shots-worker.log" 2>&1 &
shots_worker=$!
start admin
keys w; wait_for "Workers —"; wait_for "demo-w1"
shot workers "The workers view: gearmand, functions, workers, throughput"
keys Escape q
kill "$shots_worker" 2>/dev/null
start alice
shot alice-view "A user who is not an administrator sees only their own jobs"
keys q

# The first page of a PDF finding aid of the demo fonds, made by a real worker.
mkdir -p "$tmp/downloads" && chmod 777 "$tmp/downloads"
export JOBDECK_DOWNLOADS=$tmp/downloads
PGUSER=worker "$bin" worker --id shots --max-jobs 1 >"$tmp/worker.log" 2>&1 &
fa=$(PGUSER=admin "$bin" submit finding-aid --object 1 --param format=pdf --wait 2>/dev/null |
	sed -n 's/.*: \(\/.*\.pdf\) (.*/\1/p' | tail -n 1)
if [[ -f $fa ]] && pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$fa" "$out/finding-aid-pdf"; then
	echo "  PNG   screenshots/finding-aid-pdf.png"
else
	echo "screenshots: the finding aid PDF was not made" >&2
fi
