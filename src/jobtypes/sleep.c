/* sleep.c — a test job for demos and benchmarks: waits, prints lines, fails on request.
 *
 *   seconds=N   how long (decimal; default 1, at most a day)
 *   lines=N     lines of output spread over the time (default 0)
 *   fail=1      end as Error */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobtypes/jobtypes.h"

/* Waits s seconds, a tenth of a second at a time; false when the job was cancelled. */
static bool nap(job_ctx *j, double s)
{
	while (s > 0) {
		if (job_cancelled(j))
			return false;
		double step = s < 0.1 ? s : 0.1;
		struct timespec ts = { 0, (long)(step * 1e9) };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		s -= step;
	}
	return !job_cancelled(j);
}

int jobtype_sleep(job_ctx *j)
{
	const char *sv = job_param(j, "seconds"), *lv = job_param(j, "lines");
	double secs = 1;
	if (sv) {
		char *end;
		secs = strtod(sv, &end);
		if (end == sv || *end || !(secs >= 0) || secs > 86400)
			return job_fail(j, "seconds must be a number from 0 to 86400, not '%s'", sv);
	}
	int64_t lines = 0;
	if (lv && (lines = parse_count(lv)) < 0)
		return job_fail(j, "lines must be a whole number, not '%s'", lv);
	bool fail = job_flag(j, "fail");
	jd_time start = jd_now();
	for (int64_t i = 1; i <= lines; i++) {
		/* line i is printed at i/(lines+1) of the time */
		double at = secs * (double)i / (double)(lines + 1);
		if (!nap(j, at - (double)(jd_now() - start) / 1e6))
			return job_fail(j, "Cancelled by %s", job_cancelled(j));
		job_printf(j, "line %lld of %lld\n", (long long)i, (long long)lines);
	}
	if (!nap(j, secs - (double)(jd_now() - start) / 1e6))
		return job_fail(j, "Cancelled by %s", job_cancelled(j));
	if (fail)
		return job_fail(j, "Failed on request after %gs", secs);
	if (lines)
		job_note(j, "Slept %gs and printed %lld line%s", secs, (long long)lines, lines == 1 ? "" : "s");
	else
		job_note(j, "Slept %gs", secs);
	return 0;
}
