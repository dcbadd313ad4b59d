/* ui.h — the dashboard's context: what every view and key handler acts on.
 *
 * One struct ui per dashboard (ui/app.c makes it): the model, the database session, the
 * open overlay and prompt, and the bookkeeping of requests in flight. Handlers change it
 * through the helpers below and return UI_* flags; only the loop draws. */
#ifndef JOBDECK_UI_UI_H
#define JOBDECK_UI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "session.h"
#include "model.h"

struct ui_view;
struct ui_asker;

typedef struct ui {
	ui_model m;
	session *s;                        /* the caller's; never stopped here */
	const struct ui_view *overlay;     /* the open overlay (help, record card), or NULL */
	const struct ui_view *prompt;      /* the open prompt (a line, a question), or NULL */
	const struct ui_asker *asker;      /* what the open prompt does with its answer */
	uint64_t view_seq;                 /* the latest view asked for; older answers are dropped */
	uint64_t clear_seq;                /* the clear count asked for last */
	uint64_t export_seq;
	int64_t next_timer;                /* auto refresh fallback, monotonic ms; 0: off */
	int64_t pending_fetch;             /* a notification asked for a read at this time; 0: none */
	int64_t pending_output;            /* the same, for the followed output only */
	char export_path[1024];            /* the path of the export being asked about */
	int64_t download_id;               /* the job whose file the download prompt is about */
	char download_path[1024];          /* where it is to be saved */
	/* moves and Enter pressed before the tab's first page came: done once it is here */
	ui_action held[16];
	int nheld;
	/* ==== operations: the workers view, pause, retry, marks and bulk actions ==== */
	uint64_t workers_seq;              /* the workers read asked for last; 0: none in flight */
	uint64_t count_seq;                /* the count of "all marked" asked for last */
	uint64_t plan_seq;                 /* the bulk plan asked for last */
	int64_t retry_id;                  /* the job the retry question is about */
	char pause_route[160];             /* the route the pause question is about */
	bool pause_on;                     /* pause it (else resume) */
	bulk_plan plan;                    /* the plan the bulk question is about */
	char plan_skips[300];              /* what it skips, for the message after it ran */
	/* ==== the detail pane's search, follow and refresh bookkeeping (ui-detail) ==== */
	uint64_t refresh_seq;              /* the view asked for by r: its answer ends "Refreshing…" */
	uint64_t output_seq;               /* a read for the followed output only: rows stay */
	uint64_t search_seq;               /* the output search asked for last */
	uint64_t tab_count_seq;            /* the filtered tab counts asked for last */
	char filter_before[1024];          /* the filter when the filter prompt opened */
	char counted_filter[1024];         /* the filter of the last count asked for */
	int64_t count_at;                  /* when it was asked for, monotonic ms */
} ui;

/* The message r shows until the refresh it asked for arrives. */
#define UI_REFRESHING "Refreshing…"
/* With a filter, the tabs count the jobs it matches up to this ("10,000+ of M"). */
#define UI_COUNT_CAP 10000

/* Frees what the model holds (rows, details, wrapped output); the session stays. */
void ui_release(ui *u);

/* Monotonic milliseconds, for the loop's timers. */
int64_t ui_now_ms(void);
/* Asks the session for the current tab, filter and sort from mode (SESSION_AT: around the
 * selected job). Answers to earlier requests are dropped when they come. */
void ui_request_view(ui *u, session_mode mode);
/* The current tab, filter and sort as a view with no position (for an export). The filter
 * points into the model: the session copies it. */
session_view ui_query(const ui *u);
/* Sets the footer's message (error: shown as one). */
/* Closes the open overlay (and its message); UI_* flags. Overlays' answer to any key that
 * names no request. */
int ui_close_overlay(ui *u);
void ui_message(ui *u, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Clears the message; UI_REDRAW when there was one, else 0. */
int ui_dismiss_message(ui *u);
/* Starts the auto refresh timer afresh (or stops it when auto refresh is off). */
void ui_arm_timer(ui *u);
/* Keeps a request for when the tab's first page is here (moves pressed while loading);
 * returns UI_HANDLED. Past 16 held requests, more are dropped. */
int ui_hold(ui *u, ui_action act);
/* Takes one session result into the dashboard: state, rows, notifications and the answers
 * to clear, cancel and export. Takes over what r holds that the model keeps; the caller
 * still frees r. */
void ui_apply(ui *u, session_result *r);

#endif
