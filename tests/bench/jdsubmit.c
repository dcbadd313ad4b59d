/* jdsubmit.c — the jobdeck side of the throughput figure: submits N `sleep seconds=0` jobs
 * from one process exactly as `jobdeck submit sleep --param seconds=0 --count N` records and
 * queues them: in batches of 500, one INSERT of the batch, the ids handed to gearmand
 * pipelined. (--single: one job at a time, as a plain
 * `jobdeck submit` does, without paying a fork and a new connection per job.)
 *
 *   jdsubmit N [--single]   prints "jobs=N first_id=A last_id=B seconds=S"
 *   jdsubmit --check   exits 0 when the Gearman side of jobdeck is built in
 *
 * Built before the Gearman modules exist, it says so and exits 3, and the benchmark
 * reports the figure as not available. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if __has_include("queue.h") && __has_include("jobs_worker.h")
#include <time.h>

#include "bench.h"
#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "queue.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--check") == 0)
		return 0;
	long n = argc >= 2 ? atol(argv[1]) : 0;
	bool single = argc == 3 && strcmp(argv[2], "--single") == 0;
	if (n <= 0 || argc > 3 || (argc == 3 && !single)) {
		fputs("usage: jdsubmit N [--single] | --check\n", stderr);
		return 2;
	}
	db *d = db_open(NULL);
	if (!db_connected(d)) {
		fprintf(stderr, "jdsubmit: %s\n", db_error(d));
		return 1;
	}
	char route[160], fn[256], err[600];
	queue_route("sleep", NULL, route, sizeof route);
	queue_function(config_namespace(), route, fn, sizeof fn);
	queue *q = queue_open(config_gearman_servers());
	int64_t first = 0, id = 0;
	double t0 = now_ms() / 1e3;
	enum { BATCH = 500 };
	for (long i = 0; !single && i < n; i += BATCH) {
		job_new jn = { "Sleep", "sleep", "{\"seconds\":\"0\"}", 0, config_namespace() };
		int64_t ids[BATCH];
		bool ok[BATCH];
		size_t k = n - i < BATCH ? (size_t)(n - i) : BATCH;
		if (jobs_submit(d, &jn, k, false, ids) < 0) {
			fprintf(stderr, "jdsubmit: %s\n", db_error(d));
			return 1;
		}
		if (queue_submit_many(q, fn, ids, k, 5000, ok, err, sizeof err) < k) {
			fprintf(stderr, "jdsubmit: %s\n", err);
			return 1;
		}
		if (!first)
			first = ids[0];
		id = ids[k - 1];
	}
	for (long i = 0; single && i < n; i++) {
		job_new jn = { "Sleep", "sleep", "{\"seconds\":\"0\"}", 0, config_namespace() };
		if (jobs_submit(d, &jn, 1, false, &id) < 0) {
			fprintf(stderr, "jdsubmit: %s\n", db_error(d));
			return 1;
		}
		if (queue_submit(q, fn, id, 5000, err, sizeof err) < 0) {
			fprintf(stderr, "jdsubmit: job %lld: %s\n", (long long)id, err);
			return 1;
		}
		if (!first)
			first = id;
	}
	printf("jobs=%ld first_id=%lld last_id=%lld seconds=%.3f\n", n, (long long)first, (long long)id,
	       now_ms() / 1e3 - t0);
	queue_close(q);
	db_close(d);
	return 0;
}

#else

int main(void)
{
	fputs("jdsubmit: not built yet (needs src/queue.h and src/jobs_worker.h)\n", stderr);
	return 3;
}

#endif
