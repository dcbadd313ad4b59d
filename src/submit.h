/* submit.h — recording jobs and handing them to gearmand, for `jobdeck submit`.
 *
 * The database row comes first, so the job exists whatever happens next: gearmand refusing
 * ends it as Error with the reason; a crash before the hand-over leaves it for the workers'
 * sweep to hand over. A file the job reads is read here, with the caller's rights, and
 * stored with the job in the transaction that records it. */
#ifndef JOBDECK_SUBMIT_H
#define JOBDECK_SUBMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "jobs.h"
#include "jobtypes/jobtypes.h"
#include "tasks.h"

/* One submission. The caller fills type, name, params, object and count, then
 * submission_check resolves the rest. Embedded: release with submission_release. */
typedef struct submission {
	const char *type;           /* as given: a built-in type or a task */
	const char *name;           /* NULL: the type's title or the task's description */
	job_params params;
	int64_t object;             /* 0: none */
	int64_t count;              /* identical jobs to record (1 or more) */
	/* set by submission_check */
	jobtype_ref ref;
	const char *ns;             /* the namespace */
	char route[160], fn[256];   /* TYPE or command:TASK; NAMESPACE:route */
	const char *input_path;     /* the file parameter's value, or NULL */
	int input;                  /* set by submission_open_input; -1: none */
	int64_t input_size;
} submission;

void submission_init(submission *s);
void submission_release(submission *s);
/* Resolves the type (a task of t, perhaps) and checks every parameter by the type's rules
 * (jobtype_resolve), in namespace ns. 0, or -1 with err: a usage error. */
int submission_check(submission *s, const tasks *t, const char *ns, char *err, size_t errlen);
/* Opens the file parameter as the caller: what they cannot read, they cannot submit.
 * 0 (also when there is none), or -1 with err. */
int submission_open_input(submission *s, char *err, size_t errlen);
/* The job's name: the one given, or the task's description, or the type's title. */
const char *submission_name(const submission *s);

/* Whether gearmand is there to take it: asked once, before recording (its admin status). */
typedef struct submit_probe {
	bool reachable;
	bool no_worker;             /* reachable, and no worker serves the route */
	char error[400];            /* why not reachable */
} submit_probe;
void submit_probe_run(const submission *s, const char *servers, submit_probe *p);
/* The probe, while the database checks the submission (recording nothing): d is then ready
 * to record it. 0, or -1 with db_error() when the database refuses it (as submit_record). */
int submit_prepare(db *d, submission *s, const char *servers, submit_probe *p);

/* Records n (up to 10,000) of the submission's jobs as the caller, its input file with them
 * (one transaction), as handed to gearmand now; ids gets them. 0, or -1 with db_error(): a
 * record that does not exist says so. */
int submit_record(db *d, submission *s, const submit_probe *p, size_t n, int64_t *ids);

#endif
