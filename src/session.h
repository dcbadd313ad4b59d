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

#include "jobs.h"

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
	/* ==== the detail pane (ui-detail) ==== */
	SESSION_R_SEARCH,        /* where a text is in a job's whole output */
	SESSION_R_COUNT,         /* how many jobs a tab's filter matches */
} session_kind;

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
	/* SESSION_R_CLEAR_COUNT / SESSION_R_CLEAR / SESSION_R_EXPORT */
	int64_t n;
	char path[512];
	/* ==== the detail pane (ui-detail) ==== */
	/* SESSION_R_SEARCH: the byte offsets of the first matches (noffsets of them, the
	 * result's until freed) and in n how many there are in all; job_id is the job */
	int64_t *offsets;
	size_t noffsets;
	/* SESSION_R_COUNT: counts[] are the filtered counts per tab, each capped at the cap
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

/* ==== the detail pane (ui-detail) ==== */

/* Finds text in the whole stored output of job id (jobs_output_search: smart case); the
 * SESSION_R_SEARCH answering it has the offsets of up to max matches and their total. */
uint64_t session_search(session *s, int64_t id, const char *text, size_t max);
/* Counts the jobs of each tab that the view's filter matches, up to cap each; answered by
 * a SESSION_R_COUNT. */
uint64_t session_count(session *s, const session_view *v, int64_t cap);

#endif
