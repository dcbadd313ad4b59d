/* ui.c — the dashboard's context: requests to the session and what their answers change
 * (see ui.h). */
#include "ui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "detail.h"
#include "jobops.h"
#include "ops.h"
#include "table.h"
#include "wview.h"

#define NOTIFY_DELAY_MS 60      /* gathers a burst of notifications into one read */

void ui_release(ui *u)
{
	ui_model *m = &u->m;
	job_list_release(&m->rows);
	if (m->has_detail) {
		job_detail_release(&m->detail);
		job_output_release(&m->output);
		m->has_detail = false;
	}
	detail_release_lines(m);
	/* operations */
	ops_unmark_all(m);
	session_workers_free(m->workers);
	m->workers = NULL;
	bulk_plan_release(&u->plan);
	detail_search_reset(m);
}

int ui_close_overlay(ui *u)
{
	u->m.message[0] = '\0';
	u->overlay = NULL;
	return UI_HANDLED | UI_REDRAW;
}

int64_t ui_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How many rows to read on each side of the selection: three screenfuls, so that a few
 * quick PgDn presses stay within what has been read while the next window is on its way. */
static int page_rows(void)
{
	int n = LINES - 4;
	return 3 * (n < 10 ? 10 : n);
}

/* With a filter, asks for the jobs of each tab it matches: at once when the filter
 * changed, else at most once a second (each view read would otherwise count again). */
static void request_count(ui *u)
{
	ui_model *m = &u->m;
	int64_t now = ui_now_ms();
	bool changed = strcmp(u->counted_filter, m->filter) != 0;
	if (changed)
		m->filtered_ok = false;
	if (!m->filter[0] || (!changed && now - u->count_at < 1000))
		return;
	session_view v = ui_query(u);
	u->tab_count_seq = session_tab_counts(u->s, &v, UI_COUNT_CAP);
	u->count_at = now;
	snprintf(u->counted_filter, sizeof u->counted_filter, "%s", m->filter);
}

void ui_request_view(ui *u, session_mode mode)
{
	ui_model *m = &u->m;
	const job_row *r = model_selected(m);
	session_view v = { m->tab, m->filter[0] ? m->filter : NULL, m->sort, m->ascending, mode,
			   0, NULL, page_rows(), m->tail_bytes };
	if (mode == SESSION_AT) {
		if (r) {
			v.at_id = r->id;
			v.at_key = r->sort_key;
		} else {
			v.mode = SESSION_TOP;
		}
	}
	u->view_seq = session_view_request(u->s, &v);
	u->pending_fetch = 0;
	u->pending_output = 0;
	/* operations: marks go with a tab or filter change; the workers view reads along */
	ops_marks_check(m);
	if (m->focus == KEYS_WORKERS)
		wview_request(u);
	request_count(u);
}

session_view ui_query(const ui *u)
{
	const ui_model *m = &u->m;
	session_view v = { m->tab, m->filter[0] ? (char *)m->filter : NULL, m->sort, m->ascending,
			   SESSION_TOP, 0, NULL, 0, 0 };
	return v;
}

void ui_message(ui *u, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->m.message, sizeof u->m.message, fmt, ap);
	va_end(ap);
	u->m.message_error = error;
}

int ui_dismiss_message(ui *u)
{
	if (!u->m.message[0])
		return 0;
	u->m.message[0] = '\0';
	return UI_REDRAW;
}

void ui_arm_timer(ui *u)
{
	u->next_timer = u->m.auto_on ? ui_now_ms() + u->m.interval * 1000 : 0;
}

int ui_hold(ui *u, ui_action act)
{
	if (u->nheld < (int)(sizeof u->held / sizeof u->held[0]))
		u->held[u->nheld++] = act;
	return UI_HANDLED;
}

/* ==== answers ==== */

/* The selected job's details and output from a view, and where the output pane stays. */
static void take_detail(ui_model *m, session_result *r)
{
	int prev_lines = m->nlines;
	int64_t old_id = m->has_detail ? m->detail.row.id : 0;
	bool same = m->has_detail && r->has_detail && m->detail.row.id == r->detail.row.id;
	if (m->has_detail) {
		job_detail_release(&m->detail);
		job_output_release(&m->output);
	}
	m->has_detail = r->has_detail;
	if (r->has_detail) {
		m->detail = r->detail;
		m->output = r->output;
		r->has_detail = false;
	}
	detail_wrap(m, m->lines_width ? m->lines_width : COLS - 1);
	const job_row *now = model_selected(m);
	if (!now || now->id != old_id || !same) {
		/* another job: its output from the end, read afresh */
		m->out_scroll = 0;
		if (!now || now->id != m->follow_id)
			m->follow = false;   /* f pressed on this job before its details came stays */
		m->tail_bytes = TAIL_BYTES;
		detail_search_reset(m);
	} else if (same && !m->follow && m->out_scroll > 0) {
		/* keep the lines being read in place while more arrive below */
		m->out_scroll += m->nlines - prev_lines;
	}
	if (m->follow)
		m->out_scroll = 0;
}

/* Adds the jobs that arrived above the first row read (first_id; 0: unknown) to the
 * "↑ N newer" count while the top of the table is out of view; newest-first order only. */
static void count_newer(ui_model *m, int64_t first_id)
{
	if (m->top == 0 || m->more_before || m->sort != JOBS_SORT_START || m->ascending) {
		m->newer = 0;
		return;
	}
	for (size_t i = 0; first_id && i < m->rows.n; i++)
		if (m->rows.rows[i].id == first_id) {
			m->newer += (int)i;
			break;
		}
}

static void take_view(ui *u, session_result *r)
{
	ui_model *m = &u->m;
	if (!r->ok) {
		if (m->connected)
			ui_message(u, true, "Could not read jobs: %s", r->msg);
		return;
	}
	if (u->refresh_seq == r->seq) {
		u->refresh_seq = 0;
		if (strcmp(m->message, UI_REFRESHING) == 0)
			m->message[0] = '\0';
	}
	if (u->output_seq == r->seq && !m->auto_on) {
		/* a read for the followed output only: the rows stay as they are */
		const job_row *sel = model_selected(m);
		if (r->has_detail && sel && r->detail.row.id == sel->id)
			take_detail(m, r);
		if (m->search_jump && m->has_detail && detail_search_show(u) & UI_FETCH)
			ui_request_view(u, SESSION_AT);
		return;
	}
	int line = m->sel - m->top;
	/* the first job in view stays in view, so new jobs come into it; when it is not,
	 * the jobs that arrived above are counted for the "↑ N newer" marker */
	bool at_top = m->loaded && m->top == 0 && !m->more_before;
	int64_t first_id = m->loaded && m->rows.n && !m->more_before ? m->rows.rows[0].id : 0;
	memcpy(m->counts, r->counts, sizeof m->counts);
	job_list_release(&m->rows);
	m->rows = r->rows;
	r->rows.rows = NULL;
	r->rows.n = 0;
	m->sel = r->sel;
	m->more_before = r->more_before;
	m->more_after = r->more_after;
	m->top = at_top ? 0 : m->sel - (line >= 0 ? line : 0);
	table_scroll_to_sel(m);
	count_newer(m, first_id);
	m->loaded = true;
	m->last_refresh = config_clock() >= 0 ? model_now() : r->at;
	take_detail(m, r);
	if (m->search_jump && m->has_detail && detail_search_show(u) & UI_FETCH)
		ui_request_view(u, SESSION_AT);
}

static void take_state(ui *u, const session_result *r)
{
	ui_model *m = &u->m;
	m->connected = r->connected;
	if (r->connected) {
		m->ever_connected = true;
		snprintf(m->user, sizeof m->user, "%s", r->user);
		m->admin = r->admin;
		m->conn_error[0] = '\0';
	} else {
		snprintf(m->conn_error, sizeof m->conn_error, "%s", r->msg);
		u->clear_seq = 0;   /* a count waiting for the connection asks nothing when it is back */
	}
}

/* Jobs changed: read again soon (a burst of notifications makes one read); output grew:
 * read the selected job again when it is running and shown live. */
static void take_notify(ui *u, const session_result *r)
{
	ui_model *m = &u->m;
	const job_row *s = model_selected(m);
	if (!r->output_only && m->auto_on && !u->pending_fetch)
		u->pending_fetch = ui_now_ms() + NOTIFY_DELAY_MS;
	else if (r->output_only && (m->auto_on || m->follow) && s && s->status == JOB_RUNNING &&
		 !u->pending_output)
		u->pending_output = ui_now_ms() + NOTIFY_DELAY_MS;
}

/* The filtered counts per tab (ui-detail): for the filter still shown only. */
static void take_count(ui *u, const session_result *r)
{
	ui_model *m = &u->m;
	if (r->seq != u->tab_count_seq)
		return;
	m->filtered_ok = r->ok;
	if (r->ok)
		memcpy(m->filtered, r->counts, sizeof m->filtered);
}

void ui_apply(ui *u, session_result *r)
{
	switch (r->kind) {
	case SESSION_R_STATE:
		take_state(u, r);
		break;
	case SESSION_R_VIEW:
		if (r->seq == u->view_seq)
			take_view(u, r);
		break;
	case SESSION_R_NOTIFY:
		take_notify(u, r);
		break;
	case SESSION_R_CLEAR_COUNT:
		if (r->seq == u->clear_seq)
			jobops_clear_counted(u, r);
		break;
	case SESSION_R_CLEAR:
		jobops_cleared(u, r);
		break;
	case SESSION_R_CANCEL:
		jobops_cancelled(u, r);
		break;
	case SESSION_R_EXPORT:
		jobops_exported(u, r);
		break;
	case SESSION_R_DOWNLOAD:
		jobops_downloaded(u, r);
		break;
	/* operations */
	case SESSION_R_WORKERS:
		wview_took(u, r);
		break;
	case SESSION_R_PAUSE:
		wview_paused(u, r);
		break;
	case SESSION_R_RETRY:
		ops_retried(u, r);
		break;
	case SESSION_R_COUNT:
		if (r->seq == u->count_seq)
			ops_counted(u, r);
		break;
	case SESSION_R_PLAN:
		ops_planned(u, r);
		break;
	case SESSION_R_BULK:
		ops_done(u, r);
		break;
	/* the detail pane */
	case SESSION_R_SEARCH:
		detail_searched(u, r);
		break;
	case SESSION_R_TAB_COUNTS:
		take_count(u, r);
		break;
	}
}
