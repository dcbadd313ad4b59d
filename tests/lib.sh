# tests/lib.sh — sourced by every shell test. Assertions read like sentences and record one
# line per check in $JD_RESULTS ("pass|fail <file>: <title>"); tests/run.sh counts them.
#
#   t_ok    "title" cmd args...    passes when cmd exits 0
#   t_fails "title" cmd args...    passes when cmd exits non-zero
#   t_exit  "title" N cmd args...  passes when cmd exits with status N
#   t_eq    "title" expected actual
#   t_match "title" regex actual   (grep -E)
#   t_poll  "title" seconds cmd... passes once cmd exits 0 within the time
#
# Helpers: jd (the built binary), jd_db NAME (a fresh migrated database with users admin,
# alice, bob, worker, exported as PGDATABASE), as USER cmd... (runs with PGUSER=USER).
set -u

: "${JD_RESULTS:?run tests through tests/run.sh}"
: "${BUILD:=build}"
JD_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JD_BIN=$JD_TOP/$BUILD/jobdeck
T_FILE=${T_FILE:-$(basename "$0")}
T_LOG=${T_LOG:-/dev/null}

_t_record() { # pass|fail title [detail]
	echo "$1 $T_FILE: $2" >>"$JD_RESULTS"
	if [[ $1 == pass ]]; then
		echo "  ok    $2"
	else
		echo "  FAIL  $2"
		[[ -n ${3:-} ]] && printf '%s\n' "$3" | head -n 20 | sed 's/^/        /'
	fi
	return 0
}

t_ok() {
	local title=$1; shift
	local out
	if out=$("$@" 2>&1); then _t_record pass "$title"; else _t_record fail "$title" "exit $?: $out"; fi
}

t_fails() {
	local title=$1; shift
	local out
	if out=$("$@" 2>&1); then _t_record fail "$title" "expected failure, got success: $out"; else _t_record pass "$title"; fi
}

t_exit() {
	local title=$1 want=$2; shift 2
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	if [[ $rc -eq $want ]]; then _t_record pass "$title"; else _t_record fail "$title" "exit $rc, wanted $want: $out"; fi
}

t_eq() {
	if [[ "$2" == "$3" ]]; then _t_record pass "$1"; else _t_record fail "$1" "expected: $2
actual:   $3"; fi
}

t_match() {
	if printf '%s' "$3" | grep -qE -- "$2"; then _t_record pass "$1"; else _t_record fail "$1" "no match for /$2/ in:
$3"; fi
}

t_nomatch() {
	if printf '%s' "$3" | grep -qE -- "$2"; then _t_record fail "$1" "unexpected match for /$2/ in:
$3"; else _t_record pass "$1"; fi
}

t_poll() {
	local title=$1 secs=$2; shift 2
	local end=$((SECONDS + secs))
	while ((SECONDS < end)); do
		if "$@" >/dev/null 2>&1; then _t_record pass "$title"; return 0; fi
		sleep 0.1
	done
	_t_record fail "$title" "not true within ${secs}s: $*"
}

jd() { "$JD_BIN" "$@"; }

as() { local u=$1; shift; PGUSER=$u "$@"; }

# Superuser SQL against the current test database.
sql() { PGUSER=postgres psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
# SQL as a given role.
sql_as() { PGUSER=$1 psql -X -q -At -v ON_ERROR_STOP=1 -c "$2"; }

# A fresh database, migrated, with the demo users (and no jobs unless seeded).
jd_db() {
	local name=$1
	PGUSER=postgres dropdb --if-exists "$name" >/dev/null 2>&1
	PGUSER=postgres createdb "$name" || return 1
	export PGDATABASE=$name
	PGUSER=postgres "$JD_BIN" migrate >/dev/null || return 1
	PGUSER=postgres psql -X -q -v ON_ERROR_STOP=1 -f "$JD_TOP/db/demo_users.sql" >/dev/null
}

# Makes a job directly (as the superuser): jd_job USER|"" STATUS NAME [created interval ago]
jd_job() {
	local user=$1 st=$2 name=$3 ago=${4:-0 seconds}
	local u="'$user'"; [[ -z $user ]] && u=NULL
	local done="now()"; [[ $st == Running ]] && done=NULL
	sql "INSERT INTO jobdeck.jobs (name, type, status, username, created_at, completed_at)
	     VALUES ('$name', 'sleep', '$st', $u, now() - interval '$ago', $done) RETURNING id"
}

# A private scratch folder removed at the end of the run.
jd_tmp() { mktemp -d "$JD_TMP/t.XXXXXX"; }
