/* session.h — a dashboard's database session, on a thread of its own.
 *
 * A background thread owns its own connection and runs every query a dashboard needs; the
 * caller only posts requests and reads results, so a key press never waits on the database.
 * The thread LISTENs for job and output changes, notices a lost connection and reconnects by
 * itself with backoff, and does two chores when idle: it ends command-line runs that died
 * silently (every half minute) and deletes the console output of cleared jobs in short
 * slices. Results come back through a pipe the caller polls (session_fd) together with
 * whatever else it waits on. No curses here: any front end may drive it. */
#ifndef JOBDECK_SESSION_H
#define JOBDECK_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "bulk.h"
#include "jobs.h"
#include "queue.h"
#include "workers.h"

typedef struct session session;

/* Where the rows of a view start. */
typedef enum session_mode {
	SESSION_AT,       /* around the job at_id (or where it was, when it is gone) */
	SESSION_TOP,      /* the first rows */
	SESSION_BOTTOM,   /* the last rows */
} session_mode;

/* What the screen shows: the query, where the selection is, how many rows fit. */
typedef struct session_view {
	jobs_tab tab;
	char *filter;          /* NULL or "": none (copied by the request) */
	jobs_sort sort;
	bool ascending;
	session_mode mode;
	int64_t at_id;
	char *at_key;          /* the selected row's sort key, to find its place if it went */
	int rows;              /* rows wanted on each side of the selection (0: 20) */
	size_t tail_bytes;     /* how much console output to read for the selected job (0: 64 KiB) */
} session_view;

typedef enum session_kind {
	SESSION_R_STATE,         /* connection state changed */
	SESSION_R_VIEW,          /* rows, counts, the selected job's details */
	SESSION_R_NOTIFY,        /* a job or its output changed */
	SESSION_R_CLEAR_COUNT,   /* how many a clear would remove */
	SESSION_R_CLEAR,         /* the clear happened */
	SESSION_R_EXPORT,        /* the export happened */
	SESSION_R_CANCEL,        /* a job's cancel was answered */
	/* operations (workers, pause, retry, marks and bulk actions) */
	SESSION_R_WORKERS,       /* the workers, gearmand's queues, the paused routes */
	SESSION_R_PAUSE,         /* a route was paused or resumed */
	SESSION_R_RETRY,         /* one failed job was retried (or refused) */
	SESSION_R_COUNT,         /* how many jobs a view's query has */
	SESSION_R_PLAN,          /* what a bulk action would do */
	SESSION_R_BULK,          /* what a bulk action did */
	/* ==== the detail pane (ui-detail) ==== */
	SESSION_R_SEARCH,        /* where a text is in a job's whole output */
	SESSION_R_TAB_COUNTS,    /* how many jobs of each tab a filter matches */
	SESSION_R_DOWNLOAD,      /* a job's stored file was saved (db/054) */
} session_kind;

/* ==== operations: what SESSION_R_WORKERS carries ==== */

/* One function of the namespace on one gearmand. */
typedef struct session_function {
	char *server;            /* the server's address */
	char *route;             /* the function without "NAMESPACE:" */
	queue_fstat st;
} session_function;

/* One gearmand of JOBDECK_GEARMAN. */
typedef struct session_server {
	char *address;
	char *error;             /* NULL: it answered */
} session_server;

/* A paused route of the namespace. */
typedef struct session_paused {
	char *route, *by;
	jd_time at;
} session_paused;

typedef struct session_workers {
	char ns[72];
	worker_list workers;
	throughput tp;
	session_server *servers;
	size_t nservers;
	session_function *fns;
	size_t nfns;
	session_paused *paused;
	size_t npaused;
	/* every route known (gearmand's functions, paused routes, workers' routes), sorted */
	char **routes;
	size_t nroutes;
} session_workers;

/* Frees what a session_workers holds, and it. NULL is allowed. */
void session_workers_free(session_workers *w);

typedef struct session_result {
	session_kind kind;
	uint64_t seq;          /* the request it answers (0 for STATE and NOTIFY) */
	bool ok;
	char msg[600];         /* the error when !ok */
	/* SESSION_R_STATE */
	bool connected;
	char user[64];
	bool admin;
	/* SESSION_R_VIEW: rows, detail and output belong to the result until taken (a caller
	 * that keeps them moves them out and leaves the result's fields empty) */
	job_list rows;
	int sel;               /* index of the selected row in rows, -1 when none */
	bool more_before, more_after;
	int64_t counts[JOBS_NTABS];
	bool has_detail;
	job_detail detail;
	job_output output;
	jd_time at;            /* when it was read */
	/* SESSION_R_NOTIFY */
	bool output_only;      /* only console output grew */
	/* SESSION_R_CANCEL */
	int64_t job_id;
	jobs_cancel_result cancel;
	/* SESSION_R_CLEAR_COUNT / SESSION_R_CLEAR / SESSION_R_EXPORT; SESSION_R_DOWNLOAD: n
	 * bytes saved to path, job_id the job */
	int64_t n;
	char path[512];
	/* ==== operations ==== */
	/* SESSION_R_WORKERS: the caller takes it (and sets it NULL) or the result frees it */
	session_workers *workers;
	/* SESSION_R_PAUSE: the route, whether it was paused (else resumed); n: jobs waiting */
	char route[160];
	bool paused;
	/* SESSION_R_RETRY: job_id retried as new_id, or why not; queue_error: gearmand did not
	 * take the new job (the workers' sweep will hand it over) */
	int64_t new_id;
	jobs_retry_outcome retry;
	char queue_error[600];
	/* SESSION_R_PLAN: the plan (freed with the result unless taken); SESSION_R_BULK: the
	 * plan it ran (its skips) and what was done */
	bulk_plan plan;
	bulk_result bulk;
	/* ==== the detail pane (ui-detail) ==== */
	/* SESSION_R_SEARCH: the byte offsets of the first matches (noffsets of them, the
	 * result's until freed) and in n how many there are in all; job_id is the job */
	int64_t *offsets;
	size_t noffsets;
	/* SESSION_R_TAB_COUNTS: counts[] are the filtered counts per tab, each capped at the cap
	 * asked for (a count equal to it means "at least") */
} session_result;

/* Starts the thread on an open connection, which the session then owns (session_stop
 * closes it). NULL when the thread cannot start, with errno set; the connection then stays
 * the caller's. The first result is always a SESSION_R_STATE. */
session *session_start(db *d);
/* Stops the thread, closes its connection, frees everything, results not yet read too.
 * NULL is allowed. */
void session_stop(session *s);
/* The descriptor to poll for results (readable when session_next has one). */
int session_fd(const session *s);
/* The next result, or NULL when none is waiting (never blocks). The caller frees it with
 * session_result_free. */
session_result *session_next(session *s);
/* Frees a result and whatever it still holds. NULL is allowed. */
void session_result_free(session_result *r);

/* Asks for a view; replaces any view asked for and not yet begun, so only the latest is
 * read. The view and its strings are copied. Returns the request's sequence number, which
 * the SESSION_R_VIEW answering it carries: an answer with an older number is stale. */
uint64_t session_view_request(session *s, const session_view *v);
/* One-off requests, answered in order, each by one result of the same kind carrying the
 * returned sequence number: how many jobs a clear would remove; the clear; an export of the
 * view's tab, filter and sort to path (force: replace an existing file); a job's cancel. */
uint64_t session_clear_count(session *s);
uint64_t session_clear(session *s);
uint64_t session_export(session *s, const session_view *v, const char *path, bool force);
uint64_t session_cancel(session *s, int64_t id);
/* Saves job id's stored file to path (force: replace an existing file), as `jobdeck
 * download` does (download_to_path); answered by a SESSION_R_DOWNLOAD. */
uint64_t session_download(session *s, int64_t id, const char *path, bool force);

/* ==== operations (administrators for the workers and pauses; the database decides) ==== */

/* The workers, throughput, gearmand's status for the namespace and the paused routes. */
uint64_t session_workers_request(session *s);
/* Pauses (pause) or resumes a route of the namespace ("sleep", "command:TASK"). */
uint64_t session_pause(session *s, const char *route, bool pause);
/* Retries one failed job and hands the new one to gearmand. */
uint64_t session_retry(session *s, int64_t id);
/* Counts the jobs of the view's tab and filter (n). */
uint64_t session_count(session *s, const session_view *v);
/* Plans a bulk action on the jobs of the view's tab and filter (v), or on n ids (v NULL). */
uint64_t session_plan(session *s, bulk_action a, const session_view *v, const int64_t *ids, size_t n);
/* Carries a plan out (its ids are copied); the new jobs of a retry go to gearmand. */
uint64_t session_bulk(session *s, const bulk_plan *p);
/* ==== the detail pane (ui-detail) ==== */

/* Finds text in the whole stored output of job id (jobs_output_search: smart case); the
 * SESSION_R_SEARCH answering it has the offsets of up to max matches and their total. */
uint64_t session_search(session *s, int64_t id, const char *text, size_t max);
/* Counts the jobs of each tab that the view's filter matches, up to cap each; answered by
 * a SESSION_R_TAB_COUNTS. */
uint64_t session_tab_counts(session *s, const session_view *v, int64_t cap);

#endif
