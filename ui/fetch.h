/* fetch.h — the dashboard's database thread.
 *
 * A background thread owns its own connection and runs every query the dashboard needs;
 * the UI thread only posts requests and reads results, so a key press never waits on the
 * database. The thread LISTENs for job and output changes, notices a lost connection and
 * reconnects by itself with backoff. Results come back through a pipe the UI polls
 * together with the terminal (fetch_fd). */
#ifndef JOBDECK_UI_FETCH_H
#define JOBDECK_UI_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "jobs.h"

typedef struct fetch fetch;

/* Where the rows of a view start. */
typedef enum fetch_mode {
	FETCH_AT,       /* around the job at_id (or where it was, when it is gone) */
	FETCH_TOP,      /* the first rows */
	FETCH_BOTTOM,   /* the last rows */
} fetch_mode;

/* What the screen shows: the query, where the selection is, how many rows fit. */
typedef struct fetch_view {
	jobs_tab tab;
	char *filter;          /* owned by the request; NULL: none */
	jobs_sort sort;
	bool ascending;
	fetch_mode mode;
	int64_t at_id;
	char *at_key;          /* the selected row's sort key, to find its place if it went */
	int rows;              /* rows wanted on each side of the selection */
	size_t tail_bytes;     /* how much console output to read for the selected job */
} fetch_view;

typedef enum fetch_kind {
	FETCH_R_STATE,         /* connection state changed */
	FETCH_R_VIEW,          /* rows, counts, the selected job's details */
	FETCH_R_NOTIFY,        /* a job or its output changed */
	FETCH_R_CLEAR_COUNT,   /* how many a clear would remove */
	FETCH_R_CLEAR,         /* the clear happened */
	FETCH_R_EXPORT,        /* the export happened */
	FETCH_R_CANCEL,        /* a job's cancel was answered */
} fetch_kind;

typedef struct fetch_result {
	fetch_kind kind;
	uint64_t seq;          /* the request it answers */
	bool ok;
	char msg[600];         /* the error when !ok */
	/* FETCH_R_STATE */
	bool connected;
	char user[64];
	bool admin;
	/* FETCH_R_VIEW */
	job_list rows;
	int sel;               /* index of the selected row in rows, -1 when none */
	bool more_before, more_after;
	int64_t counts[JOBS_NTABS];
	bool has_detail;
	job_detail detail;
	job_output output;
	jd_time at;            /* when it was read */
	/* FETCH_R_NOTIFY */
	bool output_only;      /* only console output grew */
	/* FETCH_R_CANCEL */
	int64_t job_id;
	jobs_cancel_result cancel;
	/* FETCH_R_CLEAR_COUNT / FETCH_R_CLEAR / FETCH_R_EXPORT */
	int64_t n;
	char path[512];
} fetch_result;

/* Starts the thread on an open connection, which it then owns. NULL when the thread cannot
 * start (with errno). */
fetch *fetch_start(db *d);
/* Stops the thread, closes its connection, frees everything (results not yet read too). */
void fetch_stop(fetch *f);
/* The descriptor to poll for results. */
int fetch_fd(const fetch *f);
/* Reads the next result, or NULL when none is waiting. Free it with fetch_result_free. */
fetch_result *fetch_next(fetch *f);
void fetch_result_free(fetch_result *r);

/* Asks for a view; replaces any view asked for and not yet read (only the latest counts).
 * The view is copied. Returns the request's sequence number. */
uint64_t fetch_view_request(fetch *f, const fetch_view *v);
/* One-off requests, answered in order. */
uint64_t fetch_clear_count(fetch *f);
uint64_t fetch_clear(fetch *f);
uint64_t fetch_export(fetch *f, const fetch_view *v, const char *path, bool force);
uint64_t fetch_cancel(fetch *f, int64_t id);

#endif
