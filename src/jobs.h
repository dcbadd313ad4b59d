/* jobs.h — the job model and every job query.
 *
 * Everything the command line, the dashboard and the workers know about jobs comes through
 * here. All queries run as the connected role, so row-level security decides what is seen
 * and cleared; these functions add the matching conditions only so that the right index is
 * used. Functions return 0 on success and -1 on failure with the reason in db_error(). */
#ifndef JOBDECK_JOBS_H
#define JOBDECK_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "util.h"

typedef enum job_status { JOB_RUNNING, JOB_COMPLETED, JOB_ERROR } job_status;

typedef enum jobs_tab { JOBS_TAB_ALL, JOBS_TAB_ACTIVE, JOBS_TAB_FAILED, JOBS_NTABS } jobs_tab;

/* Sort columns; each sorts descending by default (newest, Z first), ties broken by id. */
typedef enum jobs_sort {
	JOBS_SORT_START, JOBS_SORT_END, JOBS_SORT_NAME, JOBS_SORT_STATUS, JOBS_SORT_USER, JOBS_NSORTS
} jobs_sort;

const char *job_status_name(job_status s);             /* "Running", "Completed", "Error" */
int job_status_parse(const char *s, job_status *out);  /* 0, or -1 for an unknown word */
const char *jobs_tab_name(jobs_tab t);                 /* "All jobs", "Active jobs", "Failed jobs" */
const char *jobs_sort_name(jobs_sort s);               /* "Start date", ... */
#define JOBS_CMDLINE_USER "Command line"

/* A job's parameters, as text (keys and values, in the order given). Embedded: release with
 * job_params_release. */
typedef struct job_params {
	char **keys, **vals;
	size_t n;
} job_params;
/* Appends key (keylen bytes) = val, both copied. */
void job_params_add(job_params *p, const char *key, size_t keylen, const char *val);
/* The value of key, or NULL. */
const char *job_params_get(const job_params *p, const char *key);
void job_params_release(job_params *p);

/* One row of the jobs table: the columns the dashboard and the CSV show, no more. */
typedef struct job_row {
	int64_t id;
	char *name;
	char *type;
	job_status status;
	char *username;        /* NULL: started from the command line */
	int64_t object_id;     /* 0: concerns no record */
	char *info;            /* every note joined with " | "; "" when none */
	char *first_info;      /* the first note (the dashboard's Info cell); "" when none */
	char *download_path;   /* NULL when the job made no file */
	int64_t download_size;
	jd_time created_at, started_at, completed_at;  /* JD_TIME_NONE when unset */
	char *sort_key;        /* the sort column's value as text, for keyset paging */
} job_row;

typedef struct job_list {
	job_row *rows;
	size_t n;
} job_list;

void job_row_release(job_row *r);
void job_list_release(job_list *l);     /* frees the rows; the list itself is embedded */
void job_row_copy(job_row *dst, const job_row *src);  /* deep copy; release dst */

/* What to list. filter: field terms and free text (filter.h; NULL or "": all). */
typedef struct jobs_query {
	jobs_tab tab;
	const char *filter;
	jobs_sort sort;
	bool ascending;        /* false: the default, newest first */
} jobs_query;

/* A place in the ordering: the row after which (or before which) a page starts. */
typedef struct jobs_cursor {
	char *key;             /* sort_key of the row; NULL: the very start */
	int64_t id;
} jobs_cursor;

/* Fetches up to limit rows in the query's order, starting after `after` (NULL: from the
 * top). With backward, fetches the rows just before `after` instead (still returned in the
 * query's order). Keyset paging: as fast a million rows deep as on the first page. */
int jobs_page(db *d, const jobs_query *q, const jobs_cursor *after, bool backward, int limit,
	      job_list *out);
/* The last `limit` rows of the ordering (for "go to bottom"). */
int jobs_page_last(db *d, const jobs_query *q, int limit, job_list *out);
/* The rows of the ordering from the given job onward (limit rows), to keep a selection. */
int jobs_page_at(db *d, const jobs_query *q, int64_t id, int limit, job_list *out);

/* Every field of one job, for the detail pane and `jobdeck show`. */
typedef struct job_detail {
	job_row row;
	char *params;          /* JSON text */
	char **notes;          /* each info note */
	size_t nnotes;
	char *record_identifier, *record_title;  /* NULL when no record */
	char *worker;
	char *namespace_;
	int attempts, max_attempts;
	jd_time queued_at, heartbeat_at;
	int64_t output_bytes;
	char *cancel_requested_by;   /* a running job someone asked to cancel; else NULL */
} job_detail;

/* 0 and the job; -1 with DB_FAIL_NOTFOUND when it does not exist or the caller may not see
 * it (the two are indistinguishable on purpose). */
int jobs_get(db *d, int64_t id, job_detail *out);
void job_detail_release(job_detail *j);

/* Console output. Bytes are returned raw (NULs, invalid UTF-8, escapes intact): pass them
 * through text_sanitize before they reach a terminal. */
typedef struct job_output {
	unsigned char *data;   /* caller frees (job_output_release) */
	size_t len;
	int64_t offset;        /* where data starts in the whole output */
	int64_t first_line;    /* the number of the line data starts in (1: the first) */
	int64_t total;         /* the whole output's size */
} job_output;
int jobs_output_tail(db *d, int64_t id, size_t max_bytes, job_output *out);
int jobs_output_range(db *d, int64_t id, int64_t offset, size_t len, job_output *out);
void job_output_release(job_output *o);
/* Finds text in the whole stored output of job id (case-insensitive when text has no capital
 * letter): the byte offsets of up to max matches, in order, into offsets (the caller's); *n
 * gets how many were stored, *total how many there are. Streams the output in its chunks
 * (matches across chunk boundaries count). 0 or -1 (db_error). */
int jobs_output_search(db *d, int64_t id, const char *text, int64_t *offsets, size_t max, size_t *n,
		       int64_t *total);
/* Streams the whole output in stored chunks; fn returns non-zero to stop. */
int jobs_output_each(db *d, int64_t id, int (*fn)(void *ctx, const unsigned char *p, size_t n),
		     void *ctx);

/* Counts per tab of the jobs the caller sees, from counters kept by triggers (no COUNT(*)). */
int jobs_counts(db *d, int64_t counts[JOBS_NTABS]);

/* The channel a job's new console output is announced on (db/057), for a job the caller
 * may read: 0 with its name in buf, 1 for no such job of theirs, -1 on error. */
int jobs_output_channel(db *d, int64_t id, char *buf, size_t n);

/* How many jobs a clear would remove for the caller; and the clear itself, which removes the
 * caller's inactive jobs (an administrator's also removes inactive command-line jobs) and the
 * files they produced, and reports how many went. Running jobs always stay. */
int jobs_clear_count(db *d, int64_t *n);
int jobs_clear(db *d, int64_t *removed);
/* Cancelling a job (db/045): one that has not started ends at once as Error; a running one's
 * worker is asked to stop it (it ends as Error, naming who cancelled it). Users cancel their
 * own jobs, administrators any. A job the caller may not see is JOBS_CANCEL_MISSING. */
typedef enum jobs_cancel_result {
	JOBS_CANCEL_MISSING,     /* no such job, or not the caller's to cancel */
	JOBS_CANCEL_ENDED,       /* it had ended already */
	JOBS_CANCEL_DONE,        /* it had not started: it ended now */
	JOBS_CANCEL_REQUESTED,   /* it runs: its worker was asked to stop it */
	JOBS_CANCEL_REQUESTED_RUN,   /* a command-line run: its `jobdeck run` was asked to stop it */
} jobs_cancel_result;
int jobs_cancel(db *d, int64_t id, jobs_cancel_result *out);

/* Clears the jobs of ids the caller may clear (as jobs_clear would, but only those). */
int jobs_clear_ids(db *d, const int64_t *ids, size_t n, int64_t *removed);

/* Retrying failed jobs (db/051): a new job with the same type, record, parameters and input,
 * owned by the caller. The caller hands each new job to gearmand (route and ns say where). */
typedef enum jobs_retry_outcome {
	JOBS_RETRY_DONE,          /* retried as new_id */
	JOBS_RETRY_MISSING,       /* no such job, or not the caller's */
	JOBS_RETRY_NOT_FAILED,    /* it did not end in Error */
	JOBS_RETRY_CMDLINE,       /* a command-line run: no worker can run it again */
} jobs_retry_outcome;
typedef struct jobs_retry_result {
	int64_t old_id, new_id;
	jobs_retry_outcome outcome;
	char route[160], ns[72];
} jobs_retry_result;
/* One result per distinct id, in id order; *out is the caller's to free. */
int jobs_retry(db *d, const int64_t *ids, size_t n, jobs_retry_result **out, size_t *nout);

/* Pruning (administrators; db/051): inactive jobs of every user that ended before `before`
 * (status JOB_COMPLETED or JOB_ERROR, or -1 for both), their output, inputs and files. Removes
 * up to batch jobs; *removed gets how many. jobs_prune_count says how many a prune would. */
int jobs_prune(db *d, jd_time before, int status, int batch, int64_t *removed);
int jobs_prune_count(db *d, jd_time before, int status, int64_t *n);

/* Pausing a route (TYPE or command:TASK) in a namespace (administrators): workers stop taking
 * it and its waiting jobs say "Paused by NAME"; resume hands them back. *waiting gets how many
 * wait on it. */
int jobs_pause(db *d, const char *ns, const char *route, int64_t *waiting);
int jobs_resume(db *d, const char *ns, const char *route, int64_t *waiting);
/* The paused routes of a namespace, through fn (route, who paused it, when). */
int jobs_paused(db *d, const char *ns, void (*fn)(void *ctx, const char *route, const char *by, jd_time at),
		void *ctx);

/* Whether a filter's text parses (field terms and their values): 0, or -1 with one line in
 * err. A query whose filter does not parse fails with that line in db_error(). */
int jobs_filter_check(const char *text, char *err, size_t errlen);

/* How many jobs the query matches, counting no further than cap: *n == cap means "at
 * least cap". 0 or -1 (db_error). */
int jobs_count_upto(db *d, const jobs_query *q, int64_t cap, int64_t *n);

/* The ids of every job of the query, in its order; *ids is the caller's to free. */
int jobs_ids(db *d, const jobs_query *q, int64_t **ids, size_t *n);

/* Ends command-line jobs whose `jobdeck run` went silent over a minute ago (db/046); *n (may
 * be NULL) gets how many. Anyone may call it; it is cheap. */
int jobs_end_lost_runs(db *d, int64_t *n);

/* A clear removes jobs at once but leaves their console output, which nobody can read any
 * more, to be deleted afterwards (db/031); jobs_clear spends a short budget on it. This
 * deletes it in batches until none is left or about budget_ms have passed (0: no limit);
 * *purged (may be NULL) gets how many jobs' output went. Returns 0 when none is left, 1
 * when some is, -1 on failure. Cheap when there is nothing to do: call it when idle. */
int jobs_output_purge(db *d, int budget_ms, int64_t *purged);

/* Streams every row of the query, in order, to fn (single-row mode: memory stays flat). */
int jobs_each(db *d, const jobs_query *q, int (*fn)(void *ctx, const job_row *r), void *ctx);
/* The same with only the fields the CSV history has (created_at, completed_at, name, status,
 * info, username; the others, id included, zero or NULL): half the work for the history.
 * The row's strings are valid only during the call to fn. */
int jobs_each_brief(db *d, const jobs_query *q, int (*fn)(void *ctx, const job_row *r), void *ctx);

/* Streams every job of the query with all its fields, in order, at most limit (0: all), to
 * fn (single-row mode: memory stays flat). The row's info is "" (the notes are in notes). */
int jobs_each_detail(db *d, const jobs_query *q, int64_t limit, int (*fn)(void *ctx, const job_detail *j),
		     void *ctx);

/* ==== writing jobs (submit, command-line runs) ====
 *
 * Users write no table directly (db/050): each of these calls one function of the schema
 * that checks the caller itself. */

typedef struct job_new {
	const char *name;
	const char *type;
	const char *params_json;   /* NULL: {} */
	int64_t object_id;         /* 0: none */
	const char *namespace_;    /* NULL: "jobdeck" */
} job_new;
/* Records n (1 to 10,000) identical jobs as the caller, as handed to gearmand now (the caller
 * does that next); ids (n entries) gets their ids in order. no_worker: their Info says that
 * no worker serves the type. The database checks the type and its parameters again: an
 * invalid one fails with DB_FAIL_QUERY and the reason. A type that reads a file needs it
 * added with jobs_input_append in the same transaction (db_exec "BEGIN" ... "COMMIT"). */
int jobs_submit(db *d, const job_new *j, size_t n, bool no_worker, int64_t *ids);
/* The same submission checked and recorded zero times (job_submit with count 0, db/065):
 * every check of jobs_submit, no row. _begin sends it and returns; _end waits for the answer:
 * 0, or -1 with the reason. The session then records the job without paying on the way for
 * what a new session's first INSERT costs. */
int jobs_submit_check_begin(db *d, const job_new *j);
int jobs_submit_check_end(db *d);
/* Appends a chunk of the input file of a job this transaction submitted. */
int jobs_input_append(db *d, int64_t id, const void *data, size_t len);
/* The largest input file the database takes, in bytes (settings.input_max_bytes). */
int jobs_input_max(db *d, int64_t *bytes);
/* Ends the caller's jobs that gearmand never took, as Error with "Could not queue the job:
 * <reason>" (only their own that no worker started). */
int jobs_fail_unqueued(db *d, const int64_t *ids, size_t n, const char *reason);

/* A command-line job (`jobdeck run`; administrators and workers): recorded already started
 * by runner, and only the role that started it reports its output, heartbeat and end. The
 * output, heartbeat and end calls fail with DB_FAIL_NOTFOUND when the job is no longer the
 * caller's running run. run_heartbeat's cancel_by (n bytes) gets who asked to cancel, or "". */
int jobs_run_start(db *d, const job_new *j, const char *runner, int64_t *id);
int jobs_run_output(db *d, int64_t id, const void *data, size_t len);
int jobs_run_heartbeat(db *d, int64_t id, char *cancel_by, size_t n);
int jobs_run_end(db *d, int64_t id, job_status st, const char *note);

/* Appends raw bytes to a running job's console output (one chunk; also beats the heartbeat).
 * Workers only: a command-line run uses jobs_run_output. */
int jobs_output_append(db *d, int64_t id, const void *data, size_t len);

#endif
