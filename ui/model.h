/* model.h — what the dashboard shows, shared by the loop, the views and the widgets.
 *
 * The one ui_model lives in the dashboard's context (struct ui, ui/ui.h). Key handlers and
 * session results change it; views and widgets draw from it. It holds data only: which
 * overlay or prompt is open, and what a prompt does with its answer, is the context's. */
#ifndef JOBDECK_UI_MODEL_H
#define JOBDECK_UI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "jobs.h"
#include "keys.h"

/* What a key handler asks the loop to do next. */
enum {
	UI_HANDLED = 1,   /* the key meant something */
	UI_REDRAW = 2,    /* the screen changed */
	UI_FETCH = 4,     /* the rows or the selected job must be read again */
	UI_QUIT = 8,
};

/* How much console output the detail pane reads at first; scrolling up reads more of it,
 * four times as much each time, up to TAIL_MAX; `jobdeck show` prints the rest. */
#define TAIL_BYTES 65536
#define TAIL_MAX (4u << 20)

typedef struct ui_model {
	/* settings */
	bool color, mouse, readonly;
	int interval;               /* auto refresh period, seconds */
	bool auto_on;
	/* who and how connected */
	char user[64];
	bool admin;
	bool connected, ever_connected;
	char conn_error[600];
	jd_time last_refresh;       /* JD_TIME_NONE until the first rows */
	/* the query */
	jobs_tab tab;
	char filter[1024];
	jobs_sort sort;
	bool ascending;
	int64_t counts[JOBS_NTABS];
	/* the window of rows around the selection */
	job_list rows;
	int sel, top;               /* selected row and first row shown, indexes into rows */
	bool more_before, more_after;
	bool loaded;                /* the first rows have arrived */
	/* the selected job */
	bool has_detail;
	job_detail detail;
	job_output output;
	size_t tail_bytes;          /* how much output to read (up to TAIL_MAX) */
	char **lines;               /* output wrapped to lines_width, clean text */
	int nlines, lines_width;
	int out_scroll;             /* wrapped lines hidden below the view */
	bool follow;
	/* focus, overlays, prompt, message */
	int focus;                  /* the focused pane's place: KEYS_TABLE or KEYS_DETAIL */
	int help_scroll;
	char prompt_label[600];
	char prompt_buf[1024];
	int64_t cancel_id;          /* the job the cancel question is about */
	char message[700];
	bool message_error;
	/* layout, worked out before each draw */
	int rows_y, rows_h, detail_y, detail_h;
	int tab_x[JOBS_NTABS + 1];  /* where each tab label starts on the tab line; [3]: end */
	bool too_small;
	/* ==== operations: marks, the workers view ==== */
	int64_t *marks;             /* the marked jobs' ids (Space), in marking order */
	size_t nmarks, marks_cap;
	bool mark_all;              /* every job of mark_tab and mark_filter (*) */
	int64_t mark_all_n;         /* how many those are (-1 while counting) */
	jobs_tab mark_tab;          /* the tab and filter the marks were made in */
	char mark_filter[1024];
	struct session_workers *workers;   /* the workers view's data, NULL until read */
	int wsel;                   /* the selected route in the workers view */
	/* ==== the detail pane's line numbers and search (ui-detail) ==== */
	int64_t *line_nos;          /* per wrapped line: its output line's number, 0 on the
	                             * continuation of a wrapped line and on notes */
	int gutter;                 /* columns of the line number gutter, its space included */
	char search[256];           /* the text searched for in the output; "" when none */
	int64_t *matches;           /* byte offsets of its matches in the whole output */
	size_t nmatches;            /* how many are in matches */
	int64_t match_total;        /* how many there are in all */
	int match;                  /* the current match, an index into matches; -1: none */
	bool search_pending;        /* the search is on its way */
	bool search_jump;           /* more output was asked for to show the current match */
	int64_t filtered[JOBS_NTABS];  /* with a filter: the jobs of each tab it matches */
	bool filtered_ok;           /* filtered[] is the current filter's */
	int newer;                  /* jobs newer than the first row read, not in view */
	int64_t follow_id;          /* the job f was pressed on: following ends on another */
	int64_t match_no;           /* the output line of the current match; 0: none shown */
} ui_model;

/* The selected row, or NULL. The row belongs to the model. */
const job_row *model_selected(const ui_model *m);
/* The time shown as "now": JOBDECK_CLOCK (seconds since the epoch) when set, so screen
 * tests are stable, else the real clock. */
jd_time model_now(void);
/* What the footer needs to know to offer keys: the focused place, the selected job, the
 * settings. */
keys_ctx model_keys_ctx(const ui_model *m);
/* How many jobs are marked (the count of "all of the query" once known, else the ids). */
int64_t model_marked(const ui_model *m);

#endif
