/* run.h — running a command here as a command-line job (`jobdeck run`).
 *
 * The job has no user; only administrators and workers may record such jobs, and only the
 * role that started one reports on it (db/050). Output goes to tee_fd as it comes and into
 * the job's console output; the command's exit status decides Completed or Error. A heartbeat
 * is kept while it runs, so if this process is killed the job is ended as lost (by the
 * workers' sweep, or the next run or dashboard) instead of staying Running. */
#ifndef JOBDECK_RUN_H
#define JOBDECK_RUN_H

#include <stdint.h>

#include "db.h"

typedef struct run_request {
	const char *name;        /* NULL: the command line itself */
	char **argv;             /* the command and its arguments, NULL-terminated */
	int64_t object;          /* 0: no record */
	int tee_fd;              /* where the output also goes; -1: nowhere */
} run_request;

/* What became of a run. */
typedef struct run_outcome {
	int64_t id;              /* the job; 0 when none was recorded */
	int status;              /* the exit status to report: the command's, 128+signal,
				  * 127 not found, 126 could not start */
	char message[600];       /* a line for the caller when something went wrong; "" if not */
	char cancelled_by[64];   /* "" unless someone cancelled it */
} run_outcome;

/* Runs the request on connection d. 0 when the run was recorded from start to end (whatever
 * the command's status), -1 when it could not be recorded (the message says why; status is
 * 1). */
int run_command(db *d, const run_request *r, run_outcome *out);

#endif
