/* runner.h — the companion thread of a process that runs jobs.
 *
 * While a job runs, its console output is batched here and written to the database in chunks
 * (at 64 KiB, or within a quarter of a second of being produced), and the job's heartbeat is
 * kept even when the job itself is busy or blocked. The thread has its own database
 * connection, so a long statement of the job never delays a heartbeat. Memory stays bounded:
 * a writer that produces faster than the database accepts waits. Output that could not be
 * written (the database restarting) is kept and retried, never dropped.
 *
 * The ends of jobs go through it too: written soon, several in one statement when they come
 * faster than one round trip, kept and retried while the database is away.
 *
 * The same thread can run a periodic task (the worker's sweep) on that connection. */
#ifndef JOBDECK_RUNNER_H
#define JOBDECK_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "jobs_worker.h"

typedef struct runner runner;

/* Starts the thread, connecting with conninfo (NULL: libpq's defaults). worker is the name the
 * heartbeat checks; beat_s the heartbeat period; cmdline: the jobs are command-line runs of the
 * connected role (`jobdeck run`), whose output and heartbeats go through the run functions
 * of db/050 rather than a worker's grants. Never NULL; caller frees with runner_free. */
runner *runner_new(const char *conninfo, const char *worker, double beat_s, bool cmdline);
/* What the thread tells its owner, on the thread, with its connection. */
typedef struct runner_hooks {
	void *ctx;
	void (*tick)(void *ctx, db *d);        /* a few times a second: quick checks */
	void (*periodic)(void *ctx, db *d);    /* every every_s seconds, whether or not a job runs */
	double every_s;
	void (*ended)(void *ctx, const job_end *e, bool recorded);   /* an end was written */
	void (*stalled)(void *ctx, size_t n, const char *why);       /* ends wait for the database */
	const char *listen;                    /* one more channel to LISTEN on, or NULL */
	void (*notified)(void *ctx, db *d);    /* it spoke (within a twentieth of a second) */
} runner_hooks;
void runner_set_hooks(runner *r, const runner_hooks *h);
/* Stops the thread, after writing what is pending: a job's output, ends (retrying until the
 * database takes them). */
void runner_free(runner *r);

/* A job starts: heartbeats begin, output goes to it. */
void runner_begin(runner *r, int64_t job);
/* Console output of the current job (any bytes). May wait while earlier output is written. */
void runner_write(runner *r, const void *data, size_t n);
/* The job is done: waits until all its output is in the database (retrying while the
 * database is away), then stops the heartbeat. */
void runner_end(runner *r);
/* The end of a job (copied), after runner_end: written with others pending. May wait while
 * very many are pending. */
void runner_finish(runner *r, const job_end *e);
/* true when someone asked to cancel the current job (db/045); who (n bytes) gets their name.
 * Heard within a twentieth of a second, or at the next heartbeat. Also true, with who
 * RUNNER_MOVED, once a worker's job is lost (below): it is stopped as a cancelled job is. */
bool runner_cancelled(runner *r, char *who, size_t n);
#define RUNNER_MOVED "jobdeck: the job was handed to another worker"
/* true when a heartbeat or a write found the job is no longer this worker's (handed to
 * another after a silence, or ended by someone else). From then on a worker's job writes no
 * more output. */
bool runner_lost(runner *r);
/* flag (a signal handler's) says the process is stopping: then output and ends that the
 * database has refused for 10 s are dropped rather than waited for without end (their jobs
 * are handed over by the sweep after the heartbeat timeout). */
void runner_set_stop_flag(runner *r, volatile sig_atomic_t *flag);

#endif
