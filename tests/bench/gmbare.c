/* gmbare.c — the throughput baseline: bare libgearman, no database. One submitter queues
 * N background jobs (the workload is the submit time, the unique key the job number, as
 * jobdeck's submit would use a job id); W workers, each a thread with its own connection,
 * take them and return at once. Prints the rate from the first submit to the last
 * completion, and the submit-to-complete latency quantiles.
 *
 *   gmbare HOST:PORT[,HOST:PORT...] JOBS WORKERS [BATCH]
 *   gmbare HOST:PORT JOBS WORKERS lat
 *
 * Several servers: the client spreads the jobs over them (libgearman's choice) and each
 * worker listens on all of them, as jobdeck's do.
 *
 * BATCH 1 (the default) submits one job per round trip, as `jobdeck submit` does; a larger
 * BATCH pipelines that many submissions per round trip, libgearman's fastest way. With
 * "lat", one job at a time on an idle system: each submitted once the one before has started
 * and 20 ms have passed, and the figure is from submit to the worker's start (p50/p95). */
#include <libgearman/gearman.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define FUNCTION "jobdeck_bench_bare"

static const char *servers;      /* HOST:PORT[,HOST:PORT...] */
static long njobs;
static double *latency;           /* one per job, in ms */
static atomic_long ndone;
static atomic_int stop;
static double t_end;
static bool lat_mode;             /* one job at a time: the workload is the submit time */

static void *job_fn(gearman_job_st *job, void *ctx, size_t *size, gearman_return_t *ret)
{
	(void)ctx;
	char buf[64];
	size_t n = gearman_job_workload_size(job);
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, gearman_job_workload(job), n);
	buf[n] = '\0';
	double t = now_ms();
	long i = atomic_fetch_add(&ndone, 1);
	if (i < njobs)
		latency[i] = t - strtod(buf, NULL);
	if (i + 1 == njobs)
		t_end = t;
	*size = 0;
	*ret = GEARMAN_SUCCESS;
	return NULL;
}

static void *worker_run(void *arg)
{
	(void)arg;
	gearman_worker_st *w = gearman_worker_create(NULL);
	if (!w || gearman_worker_add_servers(w, servers) != GEARMAN_SUCCESS ||
	    gearman_worker_add_function(w, FUNCTION, 0, job_fn, NULL) != GEARMAN_SUCCESS) {
		fprintf(stderr, "gmbare: worker: %s\n", w ? gearman_worker_error(w) : "out of memory");
		exit(1);
	}
	gearman_worker_set_timeout(w, 100);
	while (!atomic_load(&stop)) {
		gearman_return_t rc = gearman_worker_work(w);
		if (rc != GEARMAN_SUCCESS && rc != GEARMAN_TIMEOUT && rc != GEARMAN_IO_WAIT &&
		    rc != GEARMAN_NO_JOBS && !atomic_load(&stop)) {
			fprintf(stderr, "gmbare: worker: %s\n", gearman_worker_error(w));
			exit(1);
		}
	}
	gearman_worker_free(w);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fputs("usage: gmbare HOST:PORT[,HOST:PORT] JOBS WORKERS [BATCH|lat]\n", stderr);
		return 2;
	}
	servers = argv[1];
	njobs = atol(argv[2]);
	int nworkers = atoi(argv[3]);
	lat_mode = argc > 4 && strcmp(argv[4], "lat") == 0;
	long batch = argc > 4 && !lat_mode ? atol(argv[4]) : 1;
	if (njobs <= 0 || nworkers <= 0 || nworkers > 64) {
		fputs("gmbare: JOBS and WORKERS must be positive (WORKERS at most 64)\n", stderr);
		return 2;
	}
	latency = calloc((size_t)njobs, sizeof *latency);
	pthread_t th[64];
	for (int i = 0; i < nworkers; i++)
		pthread_create(&th[i], NULL, worker_run, NULL);

	gearman_client_st *c = gearman_client_create(NULL);
	if (!c || gearman_client_add_servers(c, servers) != GEARMAN_SUCCESS) {
		fprintf(stderr, "gmbare: client: %s\n", c ? gearman_client_error(c) : "out of memory");
		return 1;
	}
	gearman_client_add_options(c, GEARMAN_CLIENT_FREE_TASKS);
	double t0 = now_ms();
	if (lat_mode) {
		/* the workers wait, idle, for each job: the latency of one job alone */
		for (long i = 0; i < njobs; i++) {
			char unique[32], work[32];
			gearman_job_handle_t handle;
			struct timespec idle = { 0, 20 * 1000 * 1000 };
			nanosleep(&idle, NULL);
			snprintf(unique, sizeof unique, "lat-%ld", i);
			int n = snprintf(work, sizeof work, "%.3f", now_ms());
			if (gearman_client_do_background(c, FUNCTION, unique, work, (size_t)n, handle) != GEARMAN_SUCCESS) {
				fprintf(stderr, "gmbare: submit: %s\n", gearman_client_error(c));
				return 1;
			}
			while (atomic_load(&ndone) <= i && now_ms() - t0 < 300000) {
				struct timespec ts = { 0, 100000 };
				nanosleep(&ts, NULL);
			}
		}
	} else if (batch <= 1) {
		for (long i = 0; i < njobs; i++) {
			char unique[32], work[32];
			gearman_job_handle_t handle;
			snprintf(unique, sizeof unique, "bare-%ld", i);
			int n = snprintf(work, sizeof work, "%.3f", now_ms());
			if (gearman_client_do_background(c, FUNCTION, unique, work, (size_t)n, handle) != GEARMAN_SUCCESS) {
				fprintf(stderr, "gmbare: submit: %s\n", gearman_client_error(c));
				return 1;
			}
		}
	} else {
		/* pipelined: a batch of background tasks, then one run_tasks for their replies */
		char (*unique)[32] = calloc((size_t)batch, sizeof *unique);
		char (*work)[32] = calloc((size_t)batch, sizeof *work);
		for (long i = 0; i < njobs; i += batch) {
			long k = njobs - i < batch ? njobs - i : batch;
			for (long j = 0; j < k; j++) {
				gearman_return_t ret;
				snprintf(unique[j], sizeof unique[j], "bare-%ld", i + j);
				int n = snprintf(work[j], sizeof work[j], "%.3f", now_ms());
				if (!gearman_client_add_task_background(c, NULL, NULL, FUNCTION, unique[j], work[j],
									(size_t)n, &ret) || ret != GEARMAN_SUCCESS) {
					fprintf(stderr, "gmbare: submit: %s\n", gearman_client_error(c));
					return 1;
				}
			}
			if (gearman_client_run_tasks(c) != GEARMAN_SUCCESS) {
				fprintf(stderr, "gmbare: submit: %s\n", gearman_client_error(c));
				return 1;
			}
		}
		free(unique);
		free(work);
	}
	double t_submitted = now_ms();
	while (atomic_load(&ndone) < njobs && now_ms() - t0 < 300000) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < nworkers; i++)
		pthread_join(th[i], NULL);
	gearman_client_free(c);
	long done = atomic_load(&ndone);
	if (done < njobs) {
		fprintf(stderr, "gmbare: only %ld of %ld jobs completed\n", done, njobs);
		return 1;
	}
	qsort(latency, (size_t)njobs, sizeof *latency, cmp_double);
	if (lat_mode) {
		printf("jobs=%ld p50_ms=%.3f p95_ms=%.3f max_ms=%.3f\n", njobs, latency[njobs / 2],
		       latency[(size_t)((double)(njobs - 1) * 0.95)], latency[njobs - 1]);
		free(latency);
		return 0;
	}
	double secs = (t_end - t0) / 1e3;
	printf("jobs=%ld seconds=%.3f submit_seconds=%.3f rate=%.0f p50_ms=%.2f p99_ms=%.2f\n", njobs, secs,
	       (t_submitted - t0) / 1e3, (double)njobs / secs, latency[njobs / 2],
	       latency[(size_t)((double)(njobs - 1) * 0.99)]);
	free(latency);
	return 0;
}
