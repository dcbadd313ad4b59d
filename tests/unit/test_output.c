/* Console output storage against the real database (the harness's PostgreSQL): appended
 * chunks read back byte for byte through jobs_output_tail and jobs_output_range, whatever
 * the chunk boundaries, NULs and invalid UTF-8 included. */
#include "check.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "migrate.h"

static int64_t lines_before(const unsigned char *p, int64_t n)
{
	int64_t k = 0;
	for (int64_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

int main(void)
{
	db *d = db_open(NULL);
	if (!db_connected(d)) {
		CHECK(0, "connects to the test database");
		printf("        %s\n", db_error(d));
		db_close(d);
		return CHECK_DONE();
	}
	int applied;
	CHECK(migrate_run(d, &applied) == 0, "the schema migrates");

	job_new j = { .name = "output test", .type = "sleep" };
	int64_t id = 0;
	CHECK(jobs_submit(d, &j, 1, false, &id) == 0 && id > 0, "a job is created");

	/* 3000 bytes of every value, appended in uneven chunks */
	unsigned char all[3000];
	for (size_t i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(i * 7 + i / 256);
	all[5] = 0;
	all[6] = 0xff;
	all[7] = 0x1b;
	size_t sizes[] = { 1, 2, 500, 1, 999, 1024, 473 };
	size_t off = 0;
	int ok = 1;
	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		ok &= jobs_output_append(d, id, all + off, sizes[k]) == 0;
		off += sizes[k];
	}
	CHECK(ok && off == sizeof all, "seven chunks append");

	job_output o;
	CHECK(jobs_output_tail(d, id, 100, &o) == 0 && o.total == 3000 && o.offset == 2900 && o.len == 100 &&
	      memcmp(o.data, all + 2900, 100) == 0, "the tail is the last 100 bytes");
	job_output_release(&o);
	CHECK(jobs_output_tail(d, id, 1 << 20, &o) == 0 && o.offset == 0 && o.len == 3000 &&
	      memcmp(o.data, all, 3000) == 0, "a tail larger than the output is the whole output, NULs and all");
	job_output_release(&o);

	int ranges_ok = 1;
	for (int64_t start = 0; start < 3000; start += 37) {
		for (size_t len = 1; len < 1200; len = len * 3 + 1) {
			if (jobs_output_range(d, id, start, len, &o) < 0) {
				ranges_ok = 0;
				continue;
			}
			size_t want = (size_t)(start + (int64_t)len > 3000 ? 3000 - start : (int64_t)len);
			if (o.offset != start || o.len != want || memcmp(o.data, all + start, want) != 0)
				ranges_ok = 0;
			job_output_release(&o);
		}
	}
	CHECK(ranges_ok, "every range across chunk boundaries reads back exactly");

	/* line numbers: the line each range starts in, counting the lines of the chunks before */
	int lines_ok = 1;
	for (int64_t start = 0; start < 3000; start += 53) {
		if (jobs_output_range(d, id, start, 10, &o) < 0) {
			lines_ok = 0;
			continue;
		}
		int64_t want = 1;
		for (int64_t k = 0; k < start; k++)
			want += all[k] == '\n';
		if (o.first_line != want)
			lines_ok = 0;
		job_output_release(&o);
	}
	CHECK(lines_ok, "every range knows the number of the line it starts in");
	/* a chunk written before line counts were kept: counted when asked */
	db_exec(d, "UPDATE jobdeck.job_output SET line_at = NULL", 0, NULL, NULL);
	CHECK(jobs_output_tail(d, id, 100, &o) == 0 && o.first_line > 1, "old chunks without a count still count");
	int64_t tail_line = o.first_line;
	job_output_release(&o);
	CHECK(tail_line == lines_before(all, 2900) + 1, "…the same as with the counts");

	/* searching the whole output, across chunk boundaries and without case */
	job_new k = { .name = "search test", .type = "sleep" };
	int64_t sid = 0;
	CHECK(jobs_submit(d, &k, 1, false, &sid) == 0, "a second job");
	const char *parts[] = { "alpha Need", "le beta\nneed", "le gamma NEEDLE", "\n", "nee", "dle" };
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		jobs_output_append(d, sid, parts[i], strlen(parts[i]));
	int64_t offs[8], total;
	size_t n;
	CHECK(jobs_output_search(d, sid, "needle", offs, 8, &n, &total) == 0 && n == 4 && total == 4 &&
	      offs[0] == 6 && offs[1] == 18 && offs[2] == 31 && offs[3] == 38,
	      "a lower-case text finds every match, any case, across chunks, at its offset");
	CHECK(jobs_output_search(d, sid, "NEEDLE", offs, 8, &n, &total) == 0 && n == 1 && offs[0] == 31,
	      "a capital letter makes the case count");
	CHECK(jobs_output_search(d, sid, "needle", offs, 2, &n, &total) == 0 && n == 2 && total == 4,
	      "at most max offsets, and the whole count");
	CHECK(jobs_output_search(d, sid, "absent", offs, 8, &n, &total) == 0 && n == 0 && total == 0, "no match");
	db_exec(d, "DELETE FROM jobdeck.jobs WHERE name = 'search test'", 0, NULL, NULL);

	CHECK(jobs_output_range(d, id, 5000, 10, &o) == 0 && o.len == 0 && o.total == 3000,
	      "a range past the end is empty");
	job_output_release(&o);
	CHECK(jobs_output_tail(d, 987654321, 10, &o) < 0 && db_failure(d) == DB_FAIL_NOTFOUND,
	      "the output of a missing job is not found");

	job_detail det;
	CHECK(jobs_get(d, id, &det) == 0 && det.output_bytes == 3000 && det.row.username != NULL,
	      "the job records its output size and its user");
	job_detail_release(&det);
	CHECK(jobs_end(d, id, NULL, JOB_COMPLETED, "done, with \"quotes\" and {braces}", NULL, 0) == 0,
	      "the job finishes");
	CHECK(jobs_get(d, id, &det) == 0 && det.nnotes == 1 && strcmp(det.notes[0], "done, with \"quotes\" and {braces}") == 0 &&
	      det.row.status == JOB_COMPLETED && det.row.completed_at != JD_TIME_NONE,
	      "notes with quotes and braces read back intact");
	job_detail_release(&det);
	db_exec(d, "DELETE FROM jobdeck.jobs WHERE name = 'output test'", 0, NULL, NULL);
	db_close(d);
	return CHECK_DONE();
}
