#!/usr/bin/env bash
# The text filter's helper (job_filter_ids) runs as the schema's owner to use the trigram
# index. Its answer must depend only on jobs the caller may see: whether it says "too many to
# list" (NULL) or lists ids may not reveal how common a word is among other users' jobs.
. "$(dirname "$0")/../lib.sh"
jd_db a50 || exit 1

# bob has 300 jobs named with a word; alice has 20 jobs, 2 of them with another word
sql "INSERT INTO jobdeck.jobs (name, type, username, status, completed_at)
     SELECT 'Import bobsword ' || n, 'sleep', 'bob', 'Completed', now() FROM generate_series(1, 300) n;
     INSERT INTO jobdeck.jobs (name, type, username, status, completed_at)
     SELECT CASE WHEN n <= 2 THEN 'Export aliceword ' ELSE 'Plain ' END || n, 'sleep', 'alice', 'Completed', now()
       FROM generate_series(1, 20) n;
     ANALYZE jobdeck.jobs" >/dev/null
ask() { sql_as "$1" "SELECT coalesce(jobdeck.job_filter_ids('$2', $3)::text, 'NULL')"; }

# alice has fewer jobs than the cap: the same answer whatever others' jobs hold
t_eq "for a user with few jobs, a word common among bob's jobs…" "NULL" "$(ask alice '%bobsword%' 100)"
t_eq "…gets the same answer as a word nobody uses" "NULL" "$(ask alice '%nosuchword%' 100)"
# more jobs than the cap: the answer is from her own jobs only
t_eq "for a user with many jobs, bob's common word matches nothing of hers" "{}" "$(ask alice '%bobsword%' 10)"
t_eq "…exactly as a word nobody uses" "{}" "$(ask alice '%nosuchword%' 10)"
t_eq "her own matches are listed" "2" "$(sql_as alice "SELECT cardinality(jobdeck.job_filter_ids('%aliceword%', 10))")"
t_eq "…and they are hers" "2" "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE username = 'alice'
	AND id = ANY('$(ask alice '%aliceword%' 10)'::bigint[])")"
t_eq "a word of her own beyond the cap is too many to list" "NULL" "$(ask alice '%Plain%' 10)"
# administrators see everyone's, so may be told about everyone's
t_eq "an administrator's common word is too many to list" "NULL" "$(ask admin '%bobsword%' 100)"
t_eq "an administrator's rare word lists all who have it" "2" \
	"$(sql_as admin "SELECT cardinality(jobdeck.job_filter_ids('%aliceword%', 100))")"
