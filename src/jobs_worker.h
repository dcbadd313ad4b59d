/* jobs_worker.h — the job model's queries for running jobs: claim, heartbeat, end, and the
 * sweep that finds jobs whose worker went quiet or that never reached gearmand.
 *
 * The job row is the lock: a worker runs a job only after one UPDATE made it the job's
 * worker, and it ends the job only while it still is. Functions return as jobs.h's do: 0 (or
 * a count) on success, -1 with db_error() set. */
#ifndef JOBDECK_JOBS_WORKER_H
#define JOBDECK_JOBS_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "jobs.h"

/* The type of command-line jobs (`jobdeck run`); never handed to gearmand. */
#define JOBS_TYPE_CMDLINE "cmdline"
/* Notes starting with this are removed when a worker claims or ends the job. */
#define JOBS_WAITING_NOTE "Waiting for a worker"

/* A job a worker has claimed: what it needs to run it. */
typedef struct job_claim {
	int64_t id;
	char *type;
	char *name;
	int64_t object_id;       /* 0: none */
	int attempts, max_attempts;
	bool cmdline;
	job_params params;
} job_claim;

/* Makes worker the job's worker if the job is Running in namespace ns and has no live worker
 * (none, or one silent for more than timeout_s seconds) and attempts remain: counts the
 * attempt, sets started_at and heartbeat_at, drops the waiting notes. Returns 1 and fills
 * out (release it), 0 when the job is not to be run by this call (finished, held by a live
 * worker, attempts spent, unknown), -1 on failure. One statement. */
int jobs_claim(db *d, int64_t id, const char *worker, const char *ns, double timeout_s, job_claim *out);
/* Claims several jobs the same way in one statement. *out gets those claimed, by id (release
 * each, free the array), *nout how many; returns that count or -1. Statements that change
 * many jobs lock them in id order, so they never wait on each other in a cycle. */
int jobs_claim_many(db *d, const int64_t *ids, size_t n, const char *worker, const char *ns,
		    double timeout_s, job_claim **out, size_t *nout);
void job_claim_release(job_claim *c);
/* The value of a parameter, or NULL. */
const char *job_claim_param(const job_claim *c, const char *key);

/* Tells the database the worker is alive; cancel_by (n bytes) gets who asked to cancel the
 * job, or "". -1 with DB_FAIL_NOTFOUND when the job is no longer this worker's (ended, or
 * handed to another after a silence). */
int jobs_heartbeat(db *d, int64_t id, const char *worker, char *cancel_by, size_t n);
/* Appends console output to a job while worker holds it (worker NULL: while it runs, as
 * jobs_output_append does): -1 with DB_FAIL_NOTFOUND when the job is no longer this
 * worker's (or not running). */
int jobs_output_add(db *d, int64_t id, const char *worker, const void *data, size_t len);
/* Whether someone asked to cancel the job (db/045): 1 with their name in by, 0, or -1. */
int jobs_cancel_requested(db *d, int64_t id, char *by, size_t n);

/* Ends a job Completed or Error with a closing note and the file it produced (NULL: none),
 * only while worker is its worker (NULL: while it has none, as when a submit fails). Drops the
 * waiting notes. -1 with DB_FAIL_NOTFOUND when the job is no longer the caller's to end. */
int jobs_end(db *d, int64_t id, const char *worker, job_status st, const char *note,
	     const char *download_path, int64_t download_size);

/* A job the sweep wants handed to gearmand (again). */
typedef struct jobs_requeue {
	int64_t id;
	char *type;
	char *task;              /* NULL unless type is "command" */
	char *note;              /* for a retried job: a line for its console output */
} jobs_requeue;

typedef struct jobs_requeue_list {
	jobs_requeue *v;
	size_t n;
} jobs_requeue_list;
void jobs_requeue_list_release(jobs_requeue_list *l);

/* The end of a job, as jobs_end takes it; delay: seconds from its claim to its real start (a
 * job claimed with others starts when those before it are done), added to started_at. */
typedef struct job_end {
	int64_t id;
	job_status status;
	char *note;              /* NULL: none */
	char *download_path;     /* NULL: none */
	int64_t download_size;
	double delay;
} job_end;
/* Ends several jobs in one statement, those worker still holds; recorded[i] says whether e[i]
 * was. Returns how many were, or -1 (none were). */
int jobs_end_many(db *d, const job_end *e, size_t n, const char *worker, bool *recorded);
/* Gives back claimed jobs that have not started: no worker, the attempt not counted, queued
 * now; out lists those given back (to hand to gearmand again). One statement. */
int jobs_release_many(db *d, const int64_t *ids, size_t n, const char *worker, jobs_requeue_list *out);

/* Records that the job was handed to gearmand now. */
int jobs_mark_queued(db *d, int64_t id);

/* A job's input file (db/050), chunk by chunk: 1 with chunk seq (0, 1, ...) in *data (caller
 * frees) and *len, 0 when there is no such chunk, -1 on failure. */
int jobs_input_chunk(db *d, int64_t id, int seq, unsigned char **data, size_t *len);

/* Stores the file at path as job id's produced file, named name (<stem>-<id>.<ext>), while
 * worker holds the job (db/054): in one transaction, FILE_CHUNK bytes at a time, so it is
 * stored whole or not at all and never held in memory whole. 0 with *size set; 1 when it is
 * larger than settings.file_max_bytes (*limit set, nothing stored); -1 with db_error() (a
 * file that cannot be read says so there too; DB_FAIL_DENIED: the job is no longer this
 * worker's). */
#define JOBS_FILE_CHUNK (256 * 1024)
int jobs_file_store(db *d, int64_t id, const char *worker, const char *path, const char *name,
		    int64_t *size, int64_t *limit);

/* ==== the sweep ==== */

/* Takes (try_lock) or gives back the namespace's sweep lock (a session advisory lock, so a
 * dead worker's lock goes with its connection). 1 when taken, 0 when another holds it. */
int jobs_sweep_lock(db *d, const char *ns);
int jobs_sweep_unlock(db *d, const char *ns);

/* Running jobs of namespace ns whose worker has not been heard from for timeout_s seconds:
 * those with attempts left lose their worker and go into out (to hand over again); the others
 * end as Error naming the worker and when it was last heard from. Command-line jobs whose
 * runner vanished end as Error too. *failed gets how many ended. One statement. */
int jobs_sweep_stale(db *d, const char *ns, double timeout_s, jobs_requeue_list *out, int64_t *failed);

/* Jobs waiting for a worker, per route: fn gets type, task (NULL unless a command) and how
 * many jobs of namespace ns are Running with no worker and were handed to gearmand (or, never
 * handed, created) more than older_s seconds ago. */
typedef void (*jobs_waiting_fn)(void *ctx, const char *type, const char *task, int64_t n);
int jobs_sweep_waiting(db *d, const char *ns, double older_s, jobs_waiting_fn fn, void *ctx);

/* Unclaimed jobs of ns (only of type/task when type is not NULL) last handed to gearmand (or,
 * never handed, created) more than older_s seconds ago: marks them queued now and lists them
 * (at most limit), oldest first. */
int jobs_sweep_unqueued(db *d, const char *ns, const char *type, const char *task, double older_s,
			int limit, jobs_requeue_list *out);

#endif
