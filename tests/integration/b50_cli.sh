#!/usr/bin/env bash
# The command line's contract: migrate, exit codes, one clear line on failure, help.
. "$(dirname "$0")/../lib.sh"
jd_db b50 || exit 1

t_match "migrate a second time changes nothing" "schema up to date at version" "$(PGUSER=postgres jd migrate)"
before=$(sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'jobdeck'")
PGUSER=postgres jd migrate >/dev/null
t_eq "…and creates no objects" "$before" "$(sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'jobdeck'")"

# Two migrations at once on a fresh database: the lock makes one wait.
PGUSER=postgres createdb b50race
PGUSER=postgres PGDATABASE=b50race jd migrate >/dev/null 2>&1 & p1=$!
PGUSER=postgres PGDATABASE=b50race jd migrate >/dev/null 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
t_eq "concurrent migrations both succeed" "0 0" "$r1 $r2"

out=$(jd --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2" list 2>&1); rc=$?
t_eq "a database that is down exits 1" "1" "$rc"
t_eq "…with exactly one line" "1" "$(wc -l <<<"$out")"
t_match "…that says what failed" "^jobdeck: cannot connect to the database: .*(refused|failed)" "$out"
out=$(jd --db "host='unterminated" list 2>&1); rc=$?
t_eq "a malformed connection string exits 1" "1" "$rc"
t_eq "…with one line" "1" "$(wc -l <<<"$out")"
t_match "…naming the problem" "^jobdeck: cannot connect to the database: .*unterminated quoted string" "$out"
out=$(PGUSER=nosuchrole jd list 2>&1); rc=$?
t_eq "an unknown role exits 1 with one line" "1 1" "$rc $(wc -l <<<"$out")"

t_exit "an unknown option is a usage error" 2 jd list --bogus
t_match "…that prints usage help" "Try 'jobdeck list --help'" "$(jd list --bogus 2>&1)"
t_exit "an unknown command is a usage error" 2 jd frobnicate
t_exit "a bad --limit is a usage error" 2 jd list --limit ten
t_exit "show without an id is a usage error" 2 jd show
t_exit "show with a non-number is a usage error" 2 jd show abc
t_match "--version prints the version" "^jobdeck [0-9]+\.[0-9]+\.[0-9]+$" "$(jd --version)"
for c in list show clear export migrate user demo-seed; do
	t_match "$c --help explains it" "^usage: jobdeck $c" "$(jd $c --help)"
done
t_match "--help lists the commands" "export +write the job history as CSV" "$(jd --help)"
t_match "an empty list says so, on standard error when it is no terminal" "There are no jobs to report on." \
	"$(as alice jd list 2>&1 >/dev/null)"
t_eq "…and writes nothing on standard output for a script" "" "$(as alice jd list 2>/dev/null)"
t_match "on a terminal it says so there" "There are no jobs to report on." \
	"$(PGUSER=alice script -qec "$JD_BIN list" /dev/null 2>/dev/null)"

# Demo seed: users, records, a few hundred jobs in every status with output.
t_ok "demo-seed loads" env PGUSER=postgres "$JD_BIN" demo-seed
t_ok "demo-seed loads again (it replaces)" env PGUSER=postgres "$JD_BIN" demo-seed
t_eq "the seed has jobs in every status" "Completed Error" "$(sql "SELECT string_agg(DISTINCT status::text, ' ' ORDER BY status::text) FROM jobdeck.jobs")"
t_match "a few hundred jobs" "^[2-9][0-9][0-9]$" "$(sql "SELECT count(*) FROM jobdeck.jobs")"
t_ok "some are command-line jobs" test "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE username IS NULL")" -gt 0
t_ok "some concern records" test "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE object_id IS NOT NULL")" -gt 0
t_eq "every job has console output" "0" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE output_bytes = 0")"
t_match "show prints the console output" "Job started" "$(as admin jd show 1)"
demo_file=$(sql "SELECT min(id) FROM jobdeck.jobs WHERE file_bytes IS NOT NULL")
t_ok "the demo's finding aids and exports have stored files" test -n "$demo_file"
t_eq "…that download whole" "$(sql "SELECT file_bytes FROM jobdeck.jobs WHERE id = $demo_file")" \
	"$(as admin jd download "$demo_file" -o - | wc -c)"

# libpq's conventions: a service file names the database; --db overrides the environment.
svc=$(jd_tmp)/pg_service.conf
printf '[jobdeck-test]\nhost=%s\nport=%s\ndbname=%s\nuser=admin\n' "$PGHOST" "$PGPORT" "$PGDATABASE" >"$svc"
out=$(env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER PGSERVICEFILE="$svc" PGSERVICE=jobdeck-test "$JD_BIN" list --limit 1 2>&1)
t_match "PGSERVICE finds the database" "^ID +Start date" "$out"
out=$(env -u PGHOST -u PGPORT -u PGDATABASE PGUSER=nobody "$JD_BIN" --db "host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=admin" list --limit 1 2>&1)
t_match "--db CONNINFO connects as it says" "^ID +Start date" "$out"
out=$(env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER "$JD_BIN" list --db "postgresql://admin@$PGHOST:$PGPORT/$PGDATABASE" --limit 1 2>&1)
t_match "--db takes a URI too, after the command" "^ID +Start date" "$out"
