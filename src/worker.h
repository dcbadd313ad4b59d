/* worker.h — `jobdeck worker`: takes job ids from gearmand and runs the jobs.
 *
 * A worker claims each job in the database before running it (so a job never runs twice at
 * once), keeps its heartbeat and console output current from a companion thread (runner.h),
 * and ends it Completed or Error. Every few seconds one worker of the namespace (an advisory
 * lock decides which) sweeps: jobs whose worker went silent are retried or ended, and jobs
 * gearmand lost are handed to it again. SIGTERM finishes the current job, then exits. */
#ifndef JOBDECK_WORKER_H
#define JOBDECK_WORKER_H

#include <stddef.h>
#include <stdint.h>

typedef struct worker_options {
	const char *types;       /* type names, task names, or "command", comma-separated; NULL: all */
	int concurrency;         /* processes, each a whole worker (1: this one) */
	int64_t max_jobs;        /* each process stops after this many; 0: never */
	const char *id;          /* the worker's name in the jobs it runs; NULL: HOST:PID */
} worker_options;

typedef struct worker worker;

enum { WORKER_EUSAGE = -2, WORKER_ERUNTIME = -1 };
/* Reads the task file and works out the Gearman functions to serve. 0 with *out (free with
 * worker_free); WORKER_EUSAGE (types or namespace that name nothing) or WORKER_ERUNTIME (the
 * task file) with one line in err. */
int worker_prepare(const worker_options *o, worker **out, char *err, size_t errlen);
/* Runs until SIGTERM, SIGINT or SIGHUP (finishing the current job) or --max-jobs; with
 * concurrency above 1, forks the processes and restarts any that crashes. Returns 0. */
int worker_run(worker *w);
void worker_free(worker *w);

#endif
