/* app.c — the dashboard: the one event loop (keys, timer, notifications, redraw, resize).
 *
 * The loop polls the terminal, the database thread's result pipe and a signal pipe. Key
 * handlers change the model and return flags; the loop alone asks for data and redraws.
 * Nothing here talks to PostgreSQL: src/session does, on its own thread. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "export.h"
#include "ui/cell.h"
#include "ui/detail.h"
#include "ui/dashboard.h"
#include "ui/draw.h"
#include "session.h"
#include "ui/help.h"
#include "ui/keys.h"
#include "ui/model.h"
#include "ui/prompt.h"
#include "ui/statusbar.h"
#include "ui/table.h"
#include "ui/tabs.h"

#define MIN_COLS 60
#define MIN_LINES 12
#define TAIL_BYTES 65536
#define NOTIFY_DELAY_MS 60      /* gathers a burst of notifications into one read */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ==== terminal restore: on quit, on signals, on crashes ==== */

static struct termios saved_tty;
static volatile sig_atomic_t tty_saved, curses_on;
static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t quit_signal;

static void restore_raw(void)
{
	static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[0m\033[?25h\033[?1049l";
	if (tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	ssize_t rc = write(STDOUT_FILENO, reset, sizeof reset - 1);
	(void)rc;
}

static void on_crash(int sig)
{
	if (curses_on)
		restore_raw();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_quit_signal(int sig)
{
	quit_signal = sig;
	char b = 1;
	ssize_t rc = write(sig_pipe[1], &b, 1);
	(void)rc;
}

static void at_exit_restore(void)
{
	if (curses_on) {
		endwin();
		curses_on = 0;
	}
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_quit_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t i = 0; i < ARRAY_SIZE(crash); i++)
		sigaction(crash[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ==== the application ==== */

typedef struct app {
	ui_model m;
	session *s;
	uint64_t view_seq;          /* the latest view asked for; older answers are dropped */
	uint64_t clear_seq, export_seq;
	int64_t next_timer;         /* auto refresh fallback, monotonic ms; 0: off */
	int64_t pending_fetch;      /* a notification asked for a read at this time; 0: none */
	int64_t pending_output;     /* the same, for the followed output only */
	char export_path[1024];
	/* moves and Enter pressed before the tab's first page came: done once it is here */
	ui_action held[16];
	int nheld;
} app;

static void layout(ui_model *m)
{
	m->too_small = COLS < MIN_COLS || LINES < MIN_LINES;
	int body = LINES - 4;        /* header, tabs, column headings, footer */
	int detail = body * 2 / 5;
	if (detail < 7)
		detail = body >= 14 ? 7 : body / 2;
	if (m->focus == KEYS_DETAIL)
		detail = body - 3;       /* the selected row and two neighbours stay in view */
	m->rows_y = 3;
	m->rows_h = body - detail;
	m->detail_y = m->rows_y + m->rows_h;
	m->detail_h = detail;
}

/* How many rows to read on each side of the selection: three screenfuls, so that a few
 * quick PgDn presses stay within what has been read while the next window is on its way. */
static int page_rows(void)
{
	int n = LINES - 4;
	return 3 * (n < 10 ? 10 : n);
}

static void request_view(app *a, session_mode mode)
{
	ui_model *m = &a->m;
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
	a->view_seq = session_view_request(a->s, &v);
	a->pending_fetch = 0;
	a->pending_output = 0;
}

static void set_message(ui_model *m, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_message(ui_model *m, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->message, sizeof m->message, fmt, ap);
	va_end(ap);
	m->message_error = error;
}

static void arm_timer(app *a)
{
	a->next_timer = a->m.auto_on ? now_ms() + a->m.interval * 1000 : 0;
}

/* ==== drawing ==== */

static void draw_all(app *a)
{
	ui_model *m = &a->m;
	erase();
	layout(m);
	curs_set(0);
	if (m->too_small) {
		char buf[120];
		snprintf(buf, sizeof buf, "Terminal too small (%dx%d).", COLS, LINES);
		mvaddstr(LINES / 2 - 1, 0, buf);
		snprintf(buf, sizeof buf, "jobdeck needs at least %dx%d; q quits.", MIN_COLS, MIN_LINES);
		mvaddstr(LINES / 2, 0, buf);
		refresh();
		return;
	}
	table_scroll_to_sel(m);
	statusbar_header(m, 0, COLS);
	tabs_draw(m, 1, COLS);
	table_draw(m, 2, COLS);
	if (m->loaded && m->rows.n == 0) {
		int y = m->rows_y + 1;
		draw_fit(y, 2, COLS - 2, "There are no jobs to report on.", A_BOLD);
		if (m->filter[0])
			draw_fit(y + 1, 2, COLS - 2, "(with the filter shown above; Esc clears it)", draw_attr(ROLE_DIM));
		if (m->admin && !m->readonly && m->rows_h > 3)
			draw_fit(y + 2, 2, COLS - 2,
				 "Administrators may only clear their own jobs and command-line jobs.",
				 draw_attr(ROLE_DIM));
	} else if (!m->loaded) {
		draw_fit(m->rows_y + 1, 2, COLS - 2, m->connected ? "Reading jobs…" : "Waiting for the database…",
			 draw_attr(ROLE_DIM));
	}
	detail_draw(m, COLS);
	help_draw(m, LINES, COLS);
	statusbar_footer(m, LINES - 1, COLS);
	if (m->prompt != PROMPT_NONE && prompt_is_line(m)) {
		prompt_draw(m, LINES - 1, COLS);   /* leaves the cursor at the end of the text */
		curs_set(1);
	}
	refresh();
}

/* ==== session results ==== */

static void apply_view(app *a, session_result *r)
{
	ui_model *m = &a->m;
	if (!r->ok) {
		if (m->connected)
			set_message(m, true, "Could not read jobs: %s", r->msg);
		return;
	}
	const job_row *old = model_selected(m);
	int64_t old_id = old ? old->id : 0;
	int line = m->sel - m->top;
	memcpy(m->counts, r->counts, sizeof m->counts);
	job_list_release(&m->rows);
	m->rows = r->rows;
	r->rows.rows = NULL;
	r->rows.n = 0;
	m->sel = r->sel;
	m->more_before = r->more_before;
	m->more_after = r->more_after;
	m->top = m->sel - (line >= 0 ? line : 0);
	table_scroll_to_sel(m);
	m->loaded = true;
	m->last_refresh = config_clock() >= 0 ? model_now() : r->at;

	int prev_lines = m->nlines;
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
	int width = m->lines_width ? m->lines_width : COLS - 1;
	detail_wrap(m, width);
	const job_row *now = model_selected(m);
	if (!same || !now || now->id != old_id) {
		if (!now || now->id != old_id) {
			m->out_scroll = 0;
			m->follow = false;
			if (m->tail_bytes != TAIL_BYTES) {
				m->tail_bytes = TAIL_BYTES;
			}
		}
	} else if (!m->follow && m->out_scroll > 0) {
		/* keep the lines being read in place while more arrive below */
		m->out_scroll += m->nlines - prev_lines;
	}
	if (m->follow)
		m->out_scroll = 0;
}

static void cancel_answered(app *a, const session_result *r)
{
	ui_model *m = &a->m;
	long long id = (long long)r->job_id;
	if (!r->ok) {
		set_message(m, true, "Could not cancel: %s", r->msg);
		return;
	}
	switch (r->cancel) {
	case JOBS_CANCEL_DONE:
		set_message(m, false, "Cancelled job %lld (it had not started).", id);
		break;
	case JOBS_CANCEL_REQUESTED_RUN:
		set_message(m, false, "Asked the command-line run of job %lld to stop.", id);
		break;
	case JOBS_CANCEL_REQUESTED:
		set_message(m, false, "Asked the worker to stop job %lld.", id);
		break;
	case JOBS_CANCEL_ENDED:
		set_message(m, false, "Job %lld has already ended.", id);
		break;
	case JOBS_CANCEL_MISSING:
		set_message(m, true, "You may not cancel job %lld.", id);
		break;
	}
	/* the NOTIFY follows, but auto refresh may be off: show the new status either way */
	request_view(a, SESSION_AT);
}

static void apply_result(app *a, session_result *r)
{
	ui_model *m = &a->m;
	switch (r->kind) {
	case SESSION_R_STATE:
		m->connected = r->connected;
		if (r->connected) {
			m->ever_connected = true;
			snprintf(m->user, sizeof m->user, "%s", r->user);
			m->admin = r->admin;
			m->conn_error[0] = '\0';
		} else {
			snprintf(m->conn_error, sizeof m->conn_error, "%s", r->msg);
		}
		break;
	case SESSION_R_VIEW:
		if (r->seq == a->view_seq)
			apply_view(a, r);
		break;
	case SESSION_R_NOTIFY: {
		const job_row *s = model_selected(m);
		if (!r->output_only && m->auto_on && !a->pending_fetch)
			a->pending_fetch = now_ms() + NOTIFY_DELAY_MS;
		else if (r->output_only && (m->auto_on || m->follow) && s && s->status == JOB_RUNNING &&
			 !a->pending_output)
			a->pending_output = now_ms() + NOTIFY_DELAY_MS;
		break;
	}
	case SESSION_R_CLEAR_COUNT:
		if (r->seq != a->clear_seq)
			break;
		if (!r->ok) {
			set_message(m, true, "Could not count your inactive jobs: %s", r->msg);
		} else if (r->n == 0) {
			set_message(m, false, "You have no inactive jobs to clear.%s",
				    m->admin ? " (Administrators clear only their own and command-line jobs.)" : "");
		} else {
			char label[400];
			m->clear_n = r->n;
			snprintf(label, sizeof label,
				 "Clear %lld inactive job%s%s? Running jobs and other users' jobs stay. [y/N]",
				 (long long)r->n, r->n == 1 ? "" : "s",
				 m->admin ? " (yours and command-line jobs)" : "");
			prompt_open(m, PROMPT_CLEAR, label, NULL);
		}
		break;
	case SESSION_R_CLEAR:
		if (!r->ok) {
			set_message(m, true, "Could not clear: %s", r->msg);
		} else {
			set_message(m, false, "Cleared %lld job%s.", (long long)r->n, r->n == 1 ? "" : "s");
			request_view(a, SESSION_AT);
		}
		break;
	case SESSION_R_CANCEL:
		cancel_answered(a, r);
		break;
	case SESSION_R_EXPORT:
		if (!r->ok)
			set_message(m, true, "Export failed: %s", r->msg);
		else
			set_message(m, false, "Exported %lld job%s to %s", (long long)r->n, r->n == 1 ? "" : "s",
				    r->path);
		break;
	}
}

/* ==== keys ==== */

static session_view current_view(const ui_model *m)
{
	session_view v = { m->tab, m->filter[0] ? (char *)m->filter : NULL, m->sort, m->ascending,
			 SESSION_TOP, 0, NULL, 0, 0 };
	return v;
}

static void start_export(app *a, bool force)
{
	session_view v = current_view(&a->m);
	a->export_seq = session_export(a->s, &v, a->export_path, force);
	set_message(&a->m, false, "Exporting %s to %s…", jobs_tab_name(a->m.tab), a->export_path);
}

static int on_prompt(app *a, bool is_key, wint_t code)
{
	ui_model *m = &a->m;
	ui_prompt_kind kind = m->prompt;
	prompt_outcome o = prompt_key(m, is_key, code);
	switch (o) {
	case PROMPT_IGNORED:
		return UI_HANDLED;
	case PROMPT_EDITED:
		if (kind == PROMPT_FILTER) {
			snprintf(m->filter, sizeof m->filter, "%s", m->prompt_buf);
			return UI_HANDLED | UI_REDRAW | UI_FETCH;
		}
		return UI_HANDLED | UI_REDRAW;
	case PROMPT_CANCEL:
		prompt_close(m);
		if (kind == PROMPT_FILTER) {
			m->filter[0] = '\0';
			return UI_HANDLED | UI_REDRAW | UI_FETCH;
		}
		if (kind == PROMPT_CLEAR)
			set_message(m, false, "Nothing cleared.");
		else if (kind == PROMPT_CANCEL_JOB)
			set_message(m, false, "Nothing cancelled.");
		else
			set_message(m, false, "Export cancelled.");
		return UI_HANDLED | UI_REDRAW;
	case PROMPT_ACCEPT:
		break;
	}
	char text[1024];
	snprintf(text, sizeof text, "%s", m->prompt_buf);
	prompt_close(m);
	switch (kind) {
	case PROMPT_FILTER:
		snprintf(m->filter, sizeof m->filter, "%s", text);
		return UI_HANDLED | UI_REDRAW | UI_FETCH;
	case PROMPT_CLEAR:
		session_clear(a->s);
		set_message(m, false, "Clearing…");
		return UI_HANDLED | UI_REDRAW;
	case PROMPT_CANCEL_JOB:
		session_cancel(a->s, m->cancel_id);
		set_message(m, false, "Cancelling job %lld…", (long long)m->cancel_id);
		return UI_HANDLED | UI_REDRAW;
	case PROMPT_EXPORT:
		if (!text[0]) {
			set_message(m, false, "Export cancelled.");
			return UI_HANDLED | UI_REDRAW;
		}
		snprintf(a->export_path, sizeof a->export_path, "%s", text);
		switch (export_path_check(text, true)) {
		case EXPORT_PATH_EXISTS: {
			char label[1200];
			const char *base = strrchr(text, '/');
			snprintf(label, sizeof label, "%s already exists. Overwrite it? [y/N]", base ? base + 1 : text);
			prompt_open(m, PROMPT_OVERWRITE, label, NULL);
			return UI_HANDLED | UI_REDRAW;
		}
		case EXPORT_PATH_SCREEN:
			set_message(m, true, "Export needs a file name here ('-' would write over the screen).");
			return UI_HANDLED | UI_REDRAW;
		case EXPORT_PATH_WRITE:
			break;
		}
		start_export(a, false);
		return UI_HANDLED | UI_REDRAW;
	case PROMPT_OVERWRITE:
		start_export(a, true);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_HANDLED | UI_REDRAW;
	}
}

/* The job's name for a question: clean, and short enough that "[y/N]" stays in view. */
static void short_name(const char *raw, int width, char *out, size_t n)
{
	strbuf sb = STRBUF_INIT;
	cell_clean(raw, strlen(raw), &sb);
	const char *s = sb.buf ? sb.buf : "";
	if (cell_width(s) > width)
		snprintf(out, n, "%.*s…", (int)cell_prefix(s, width - 1), s);
	else
		snprintf(out, n, "%s", s);
	sb_release(&sb);
}

/* x: asks before cancelling the selected job; only a running one can be. The status shown
 * may be a moment old: the database has the last word (the answer may be "ended"). */
static int ask_cancel(app *a, const job_row *sel)
{
	ui_model *m = &a->m;
	if (m->readonly) {
		set_message(m, true, "Read-only: cancelling is switched off (--readonly).");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!sel || sel->status != JOB_RUNNING) {
		if (sel)
			set_message(m, false, "Job %lld is not running: there is nothing to cancel.", (long long)sel->id);
		return UI_HANDLED | UI_REDRAW;
	}
	char name[200], label[300];
	short_name(sel->name, 40, name, sizeof name);
	snprintf(label, sizeof label, "Cancel job %lld \"%s\"? [y/N]", (long long)sel->id, name);
	m->cancel_id = sel->id;
	prompt_open(m, PROMPT_CANCEL_JOB, label, NULL);
	return UI_HANDLED | UI_REDRAW;
}

static void switch_tab(app *a, int t)
{
	ui_model *m = &a->m;
	if (t < 0)
		t += JOBS_NTABS;
	t %= JOBS_NTABS;
	m->tab = (jobs_tab)t;
	m->focus = KEYS_TABLE;
	m->sel = 0;
	m->top = 0;
	job_list_release(&m->rows);
	m->loaded = false;
	a->nheld = 0;
	request_view(a, SESSION_TOP);
}

static int on_action(app *a, ui_action act)
{
	ui_model *m = &a->m;
	int want_top = 0, want_bottom = 0, want_more = 0, flags;
	const job_row *sel = model_selected(m);
	m->message[0] = '\0';
	if (m->overlay != OVERLAY_NONE)
		return help_key(m, act, LINES);
	if (!m->loaded && (act == ACT_UP || act == ACT_DOWN || act == ACT_PGUP || act == ACT_PGDN ||
			   act == ACT_TOP || act == ACT_BOTTOM || act == ACT_ENTER)) {
		if (a->nheld < (int)ARRAY_SIZE(a->held))
			a->held[a->nheld++] = act;
		return UI_HANDLED;
	}
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_PGUP: case ACT_PGDN: case ACT_TOP: case ACT_BOTTOM:
		if (m->focus == KEYS_DETAIL) {
			flags = detail_key(m, act, &want_more);
			if (want_more && m->tail_bytes < TAIL_MAX) {
				m->tail_bytes = m->tail_bytes * 4 > TAIL_MAX ? TAIL_MAX : m->tail_bytes * 4;
				flags |= UI_FETCH;
			}
			return flags;
		}
		flags = table_key(m, act, &want_top, &want_bottom);
		if (want_top) {
			request_view(a, SESSION_TOP);
			flags &= ~UI_FETCH;
		} else if (want_bottom) {
			request_view(a, SESSION_BOTTOM);
			flags &= ~UI_FETCH;
		}
		return flags;
	case ACT_TAB1: case ACT_TAB2: case ACT_TAB3:
		switch_tab(a, act - ACT_TAB1);
		return UI_HANDLED | UI_REDRAW;
	case ACT_NEXT_TAB:
		switch_tab(a, (int)m->tab + 1);
		return UI_HANDLED | UI_REDRAW;
	case ACT_PREV_TAB:
		switch_tab(a, (int)m->tab - 1);
		return UI_HANDLED | UI_REDRAW;
	case ACT_ENTER:
		if (!sel)
			return UI_HANDLED;
		m->focus = KEYS_DETAIL;
		return UI_HANDLED | UI_REDRAW;
	case ACT_BACK:
		if (m->focus == KEYS_DETAIL) {
			m->focus = KEYS_TABLE;
			return UI_HANDLED | UI_REDRAW;
		}
		if (m->filter[0]) {
			m->filter[0] = '\0';
			return UI_HANDLED | UI_REDRAW | UI_FETCH;
		}
		return UI_HANDLED;
	case ACT_FOLLOW:
		return detail_key(m, act, &want_more);
	case ACT_OPEN:
		if (!sel || !sel->object_id) {
			set_message(m, false, "This job concerns no record.");
		} else if (!m->has_detail || m->detail.row.id != sel->id) {
			set_message(m, false, "Still reading this job; try again in a moment.");
		} else if (!m->detail.record_identifier) {
			set_message(m, true, "The record of this job no longer exists or is not visible to you.");
		} else {
			m->overlay = OVERLAY_RECORD;
		}
		return UI_HANDLED | UI_REDRAW;
	case ACT_REFRESH:
		set_message(m, false, "Refreshing…");
		request_view(a, SESSION_AT);
		arm_timer(a);
		return UI_HANDLED | UI_REDRAW;
	case ACT_AUTO:
		m->auto_on = !m->auto_on;
		arm_timer(a);
		set_message(m, false, m->auto_on ? "Auto refresh on: live updates, and every %d s." :
			    "Auto refresh off: r refreshes.%.0d", m->interval);
		return UI_HANDLED | UI_REDRAW | (m->auto_on ? UI_FETCH : 0);
	case ACT_FASTER:
	case ACT_SLOWER:
		m->interval += act == ACT_SLOWER ? 1 : -1;
		if (m->interval < 1)
			m->interval = 1;
		if (m->interval > 3600)
			m->interval = 3600;
		arm_timer(a);
		set_message(m, false, "Auto refresh every %d s.", m->interval);
		return UI_HANDLED | UI_REDRAW;
	case ACT_CLEAR:
		if (m->readonly) {
			set_message(m, true, "Read-only: clearing is switched off (--readonly).");
			return UI_HANDLED | UI_REDRAW;
		}
		a->clear_seq = session_clear_count(a->s);
		set_message(m, false, "Counting your inactive jobs…");
		return UI_HANDLED | UI_REDRAW;
	case ACT_CANCEL:
		return ask_cancel(a, sel);
	case ACT_EXPORT: {
		char def[600], label[200];
		export_default_path(def, sizeof def);
		snprintf(label, sizeof label, "Export %s%s as CSV to:", jobs_tab_name(m->tab),
			 m->filter[0] ? " (filtered)" : "");
		prompt_open(m, PROMPT_EXPORT, label, def);
		return UI_HANDLED | UI_REDRAW;
	}
	case ACT_FILTER:
		prompt_open(m, PROMPT_FILTER, "Filter:", m->filter);
		return UI_HANDLED | UI_REDRAW;
	case ACT_SORT:
		m->sort = (jobs_sort)((m->sort + 1) % JOBS_NSORTS);
		set_message(m, false, "Sorted by %s, %s.", jobs_sort_name(m->sort),
			    m->ascending ? "ascending" : "descending");
		return UI_HANDLED | UI_REDRAW | UI_FETCH;
	case ACT_REVERSE:
		m->ascending = !m->ascending;
		set_message(m, false, "Sorted by %s, %s.", jobs_sort_name(m->sort),
			    m->ascending ? "ascending" : "descending");
		return UI_HANDLED | UI_REDRAW | UI_FETCH;
	case ACT_HELP:
		m->overlay = OVERLAY_HELP;
		m->help_scroll = 0;
		return UI_HANDLED | UI_REDRAW;
	case ACT_QUIT:
		return UI_HANDLED | UI_QUIT;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return UI_HANDLED | UI_REDRAW;
	default:
		return 0;
	}
}

static int on_mouse(app *a)
{
	ui_model *m = &a->m;
	MEVENT ev;
	if (getmouse(&ev) != OK || m->too_small)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED)
		return on_action(a, ACT_UP);
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return on_action(a, ACT_DOWN);
#endif
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)))
		return 0;
	if (m->prompt != PROMPT_NONE || m->overlay != OVERLAY_NONE)
		return 0;
	m->message[0] = '\0';
	if (ev.y == 1) {
		int t = tabs_hit(m, ev.x);
		if (t >= 0) {
			switch_tab(a, t);
			return UI_HANDLED | UI_REDRAW;
		}
		return 0;
	}
	if (ev.y >= m->rows_y && ev.y < m->rows_y + m->rows_h) {
		m->focus = KEYS_TABLE;
		return table_click(m, ev.y) | UI_REDRAW;
	}
	if (ev.y >= m->detail_y && ev.y < m->detail_y + m->detail_h && model_selected(m)) {
		m->focus = KEYS_DETAIL;
		return UI_HANDLED | UI_REDRAW;
	}
	return 0;
}

static int on_key(app *a, int rc, wint_t wch)
{
	ui_model *m = &a->m;
	bool is_key = rc == KEY_CODE_YES;
	layout(m);   /* an earlier key of this batch may have changed the panes */
	if (is_key && wch == KEY_RESIZE)
		return UI_REDRAW;
	if (is_key && wch == KEY_MOUSE)
		return on_mouse(a);
	if (m->prompt != PROMPT_NONE)
		return on_prompt(a, is_key, wch);
	if (m->too_small)
		return (!is_key && wch == 'q') ? UI_QUIT : 0;
	int key = is_key ? (int)wch : (wch < 128 ? (int)wch : -1);
	ui_action act = keys_lookup(key, m->overlay != OVERLAY_NONE ? KEYS_BOTH : m->focus);
	if (act == ACT_NONE && m->overlay != OVERLAY_NONE)
		act = ACT_BACK;
	if (act == ACT_NONE) {
		if (m->message[0]) {
			m->message[0] = '\0';
			return UI_REDRAW;
		}
		return 0;
	}
	return on_action(a, act);
}

/* ==== the loop ==== */

static int run(app *a)
{
	int flags = UI_REDRAW;
	int rc = 0;
	while (!quit_signal) {
		if (flags & UI_FETCH)
			request_view(a, SESSION_AT);
		if (flags & UI_REDRAW)
			draw_all(a);
		if (flags & UI_QUIT)
			break;
		flags = 0;
		int64_t now = now_ms(), wait = 1000;
		if (a->next_timer && a->next_timer - now < wait)
			wait = a->next_timer - now;
		if (a->pending_fetch && a->pending_fetch - now < wait)
			wait = a->pending_fetch - now;
		if (a->pending_output && a->pending_output - now < wait)
			wait = a->pending_output - now;
		if (wait < 0)
			wait = 0;
		struct pollfd p[3] = {
			{ STDIN_FILENO, POLLIN, 0 }, { session_fd(a->s), POLLIN, 0 }, { sig_pipe[0], POLLIN, 0 },
		};
		int n = poll(p, 3, (int)wait);
		if (n < 0 && errno != EINTR) {
			rc = 1;
			break;
		}
		/* keys first: ncurses may hold some already (and KEY_RESIZE after SIGWINCH) */
		wint_t wch;
		int k;
		while ((k = get_wch(&wch)) != ERR) {
			flags |= on_key(a, k, wch);
			if (flags & UI_QUIT)
				break;
		}
		if (p[2].revents & POLLIN)
			break;
		/* Ask for the new selection's view before applying answers, so an answer to an
		 * older request can be recognised as stale instead of moving the selection back. */
		if (flags & UI_FETCH) {
			request_view(a, SESSION_AT);
			flags &= ~UI_FETCH;
		}
		session_result *r;
		while ((r = session_next(a->s))) {
			apply_result(a, r);
			session_result_free(r);
			flags |= UI_REDRAW;
		}
		if (a->nheld && a->m.loaded) {
			ui_action held[ARRAY_SIZE(a->held)];
			int nheld = a->nheld;
			memcpy(held, a->held, sizeof held);
			a->nheld = 0;
			for (int i = 0; i < nheld; i++)
				flags |= on_action(a, held[i]);
		}
		now = now_ms();
		if (a->next_timer && now >= a->next_timer) {
			flags |= UI_FETCH;
			arm_timer(a);
		}
		if ((a->pending_fetch && now >= a->pending_fetch) || (a->pending_output && now >= a->pending_output))
			flags |= UI_FETCH;
	}
	return rc;
}

static void model_release(ui_model *m)
{
	job_list_release(&m->rows);
	if (m->has_detail) {
		job_detail_release(&m->detail);
		job_output_release(&m->output);
	}
	detail_release_lines(m);
}

int ui_dashboard(session *s, const char *user, bool admin, const ui_options *o)
{
	app a;
	memset(&a, 0, sizeof a);
	ui_model *m = &a.m;
	m->color = o->color;
	m->mouse = o->mouse;
	m->readonly = o->readonly;
	m->interval = o->interval;
	m->auto_on = o->auto_on;
	m->last_refresh = JD_TIME_NONE;
	m->tail_bytes = TAIL_BYTES;
	m->focus = KEYS_TABLE;
	m->sel = -1;
	snprintf(m->user, sizeof m->user, "%s", user);
	m->admin = admin;
	a.s = s;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	if (tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		tty_saved = 1;
	install_signals();
	atexit(at_exit_restore);
	set_escdelay(25);
	if (!initscr()) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return -1;
	}
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	draw_init(m->color);
	if (m->mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
			  , NULL);
	mouseinterval(0);
	request_view(&a, SESSION_TOP);
	arm_timer(&a);
	int rc = run(&a);
	endwin();
	curses_on = 0;
	model_release(m);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	return quit_signal ? 128 + quit_signal : rc;
}
