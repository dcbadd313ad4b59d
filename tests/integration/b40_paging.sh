#!/usr/bin/env bash
# Keyset paging over 10,000 jobs, many sharing a start time: each job once, in order.
. "$(dirname "$0")/../lib.sh"
jd_db b40 || exit 1

sql "INSERT INTO jobdeck.jobs (name, type, status, username, created_at, completed_at)
     SELECT 'job ' || n, 'sleep', (ARRAY['Completed', 'Error', 'Running'])[1 + n % 3]::jobdeck.job_status,
            (ARRAY['alice', 'bob', 'admin'])[1 + n % 7 % 3],
            timestamptz '2026-01-01' + make_interval(secs => n / 40),
            CASE WHEN n % 3 <> 2 THEN timestamptz '2026-01-02' END
       FROM generate_series(1, 10000) n" >/dev/null

# jobs_page through the CLI pages 500 at a time; --limit 0 walks all of them.
expect() { sql "SELECT id FROM jobdeck.jobs WHERE true $1 ORDER BY created_at DESC, id DESC"; }
got() { as "$1" jd list --limit 0 "${@:2}" | awk 'NR > 1 { print $1 }'; }

t_eq "the administrator pages all 10,000 in order, each once" "$(expect '')" "$(got admin)"
t_eq "alice pages her own jobs in order" "$(expect "AND username = 'alice'")" "$(got alice)"
t_eq "the Failed tab pages in order" "$(expect "AND status = 'Error'")" "$(got admin --failed)"
t_eq "the Active tab pages in order" "$(expect "AND status = 'Running'")" "$(got admin --active)"
t_eq "a filter pages in order" "$(expect "AND name LIKE 'job 1%'")" "$(got admin --filter 'job 1')"
t_eq "no duplicates across pages" "10000" "$(got admin | sort -u | wc -l)"
t_eq "--limit stops where asked" "1234" "$(got admin --limit 1234 | wc -l)"

# Counters agree with the table after a bulk insert.
counts=$(sql "SELECT status || ':' || sum(n) FROM jobdeck.job_counts GROUP BY status ORDER BY status")
t_eq "per-status counters match a full count" \
	"$(sql "SELECT status || ':' || count(*) FROM jobdeck.jobs GROUP BY status ORDER BY status")" "$counts"

# The first and a deep page use the index, never a sort of the whole table.
plan=$(PGUSER=admin psql -X -At -c "SET search_path = jobdeck; EXPLAIN SELECT id FROM jobs
        WHERE (created_at, id) < ('2026-01-01 00:01:00+00', 5000) ORDER BY created_at DESC, id DESC LIMIT 50")
t_nomatch "keyset pages need no sort node" "Sort " "$plan"
