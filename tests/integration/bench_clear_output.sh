# Clearing removes jobs at once and their console output right after (db/031): the output
# of a removed job is unreadable at once, purged by `jobdeck clear` before it exits, and by
# output_purge for clients that clear through the library.
source "$(dirname "$0")/../lib.sh"
jd_db jobdeck_b20 || exit 1

# job USER STATUS NAME: a job with two chunks of output
job() {
	local id; id=$(jd_job "$1" "$2" "$3" "1 hour")
	sql "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($id, 0, convert_to(E'line one\n', 'UTF8')), ($id, 9, convert_to(E'line two\n', 'UTF8'));
	     UPDATE jobdeck.jobs SET output_bytes = 18 WHERE id = $id" >/dev/null
	echo "$id"
}
out_rows() { sql "SELECT count(*) FROM jobdeck.job_output WHERE job_id IN ($1)"; }

a1=$(job alice Completed "Import CSV"); a2=$(job alice Error "Import XML"); ar=$(job alice Running "Move")
b1=$(job bob Completed "Export CSV")

t_exit "alice clears" 0 as alice jd clear --yes
t_eq "her inactive jobs are gone" 0 "$(sql "SELECT count(*) FROM jobdeck.jobs WHERE id IN ($a1, $a2)")"
t_eq "and so is their output, by the time the command exits" 0 "$(out_rows "$a1, $a2")"
t_eq "nothing is left to purge" 0 "$(sql "SELECT count(*) FROM jobdeck.job_output_purge")"
t_eq "her running job keeps its output" 2 "$(out_rows "$ar")"
t_eq "bob's job keeps its output" 2 "$(out_rows "$b1")"

# a clear through SQL (as the library does before its purge): output unreadable, then purged
b2=$(job bob Error "Generate report")
t_ok "bob clears his finished jobs through the schema's function" sql_as bob "SELECT jobdeck.jobs_clear()"
t_eq "their output still takes space" 4 "$(out_rows "$b1, $b2")"
t_eq "but bob cannot read it" 0 "$(sql_as bob "SELECT count(*) FROM jobdeck.job_output WHERE job_id IN ($b1, $b2)")"
t_eq "nor can an administrator" 0 "$(sql_as admin "SELECT count(*) FROM jobdeck.job_output WHERE job_id IN ($b1, $b2)")"
t_eq "the two jobs wait for the purge" 2 "$(sql "SELECT count(*) FROM jobdeck.job_output_purge")"
t_eq "any user's purge removes it, a batch at a time" 1 "$(sql_as alice "SELECT jobdeck.output_purge(1)")"
t_eq "then the rest" 1 "$(sql_as alice "SELECT jobdeck.output_purge(10)")"
t_eq "the output is gone" 0 "$(out_rows "$b1, $b2")"
t_eq "alice's running job still has its output" 2 "$(out_rows "$ar")"
t_eq "a purge with nothing to do does nothing" 0 "$(sql_as alice "SELECT jobdeck.output_purge(10)")"

# no output for a job that is not there
t_fails "a user cannot write output for a missing job" \
	sql_as alice "INSERT INTO jobdeck.job_output (job_id, offset_, data) VALUES ($b1, 0, 'x')"
t_fails "nor delete output directly" sql_as alice "DELETE FROM jobdeck.job_output WHERE job_id = $ar"
t_eq "the queue is not readable by users" "" \
	"$(sql_as alice "SELECT count(*) FROM jobdeck.job_output_purge" 2>/dev/null)"
