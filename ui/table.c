/* table.c — the jobs table (see table.h). */
#include "table.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"
#include "ops.h"
#include "prompt.h"
#include "ui.h"

/* The marker beside the status of a job that concerns a record ('o' opens it). */
#define RECORD_MARK "↗"

/* ==== drawing ==== */

struct cols {
	int date, status, user, name, info;
	bool wide;
};

static struct cols layout(int width)
{
	struct cols c;
	c.wide = width >= 100;
	c.date = c.wide ? 16 : 11;
	c.status = 11;
	c.user = c.wide ? 14 : 10;
	int flex = width - (2 * c.date + c.status + c.user + 5);
	if (flex < 10)
		flex = 10;
	c.name = flex / 2;
	c.info = flex - c.name;
	return c;
}

static void fmt_date(jd_time t, bool wide, char *out, size_t n)
{
	char buf[40];
	fmt_local(t, buf, sizeof buf);
	if (t == JD_TIME_NONE || strlen(buf) < 16)
		snprintf(out, n, "%s", buf);
	else if (wide)
		snprintf(out, n, "%.16s", buf);           /* 2026-11-28 10:15 */
	else
		snprintf(out, n, "%.11s", buf + 5);       /* 11-28 10:15 */
}

/* The text of the Info cell for a row ("Download (12 KB)" or the first note). */
static void info_text(const job_row *r, char *out, size_t n)
{
	if (r->download_path) {
		char size[32];
		fmt_size(r->download_size, size, sizeof size);
		snprintf(out, n, "Download (%s)", size);
	} else {
		snprintf(out, n, "%s", r->first_info ? r->first_info : "");
	}
}

/* The Status cell, with the record marker. */
static void status_text(const job_row *r, char *out, size_t n)
{
	snprintf(out, n, "%s%s", job_status_name(r->status), r->object_id ? " " RECORD_MARK : "");
}

static void clean(const char *s, strbuf *out)
{
	sb_reset(out);
	cell_clean(s ? s : "", s ? strlen(s) : 0, out);
}

/* One cell of width w and the space after it (unless last), in attr. */
static void cell(int y, int *x, int w, const char *s, attr_t attr, attr_t gap, bool last)
{
	draw_fit(y, *x, w, s, attr);
	*x += w;
	if (!last) {
		draw_fit(y, *x, 1, " ", gap);
		*x += 1;
	}
}

static void heading(const ui_model *m, int y, int *x, int w, const char *label, jobs_sort s, bool last)
{
	char buf[64];
	if ((int)s == (int)m->sort)
		snprintf(buf, sizeof buf, "%s %s", label, m->ascending ? "▲" : "▼");
	else
		snprintf(buf, sizeof buf, "%s", label);
	cell(y, x, w, buf, draw_attr(ROLE_COLUMNS), A_NORMAL, last);
}

void table_draw(const ui_model *m, int y, int width)
{
	struct cols c = layout(width);
	int x = 0;
	heading(m, y, &x, c.date, c.wide ? "Start date" : "Start", JOBS_SORT_START, false);
	heading(m, y, &x, c.date, c.wide ? "End date" : "End", JOBS_SORT_END, false);
	heading(m, y, &x, c.name, "Job name", JOBS_SORT_NAME, false);
	heading(m, y, &x, c.status, "Status", JOBS_SORT_STATUS, false);
	heading(m, y, &x, c.info, "Info", (jobs_sort)-1, false);
	heading(m, y, &x, width - x, "User", JOBS_SORT_USER, true);

	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < m->rows_h; i++) {
		int idx = m->top + i;
		int ry = m->rows_y + i;
		if (idx < 0 || idx >= (int)m->rows.n)
			break;
		const job_row *r = &m->rows.rows[idx];
		bool sel = idx == m->sel;
		attr_t base = sel ? draw_attr(ROLE_SELECTED) : A_NORMAL;
		char buf[256];
		x = 0;
		fmt_date(r->created_at, c.wide, buf, sizeof buf);
		cell(ry, &x, c.date, buf, base, base, false);
		fmt_date(r->completed_at, c.wide, buf, sizeof buf);
		cell(ry, &x, c.date, buf, base, base, false);
		clean(r->name, &sb);
		if (ops_is_marked(m, r->id)) {   /* operations: a marked job reads "* NAME", bold */
			strbuf mk = STRBUF_INIT;
			sb_addf(&mk, "* %s", sb.buf ? sb.buf : "");
			cell(ry, &x, c.name, mk.buf, base | A_BOLD, base, false);
			sb_release(&mk);
		} else {
			cell(ry, &x, c.name, sb.buf, base, base, false);
		}
		status_text(r, buf, sizeof buf);
		cell(ry, &x, c.status, buf, draw_over(base, draw_attr(draw_status_role(r->status))), base, false);
		info_text(r, buf, sizeof buf);
		clean(buf, &sb);
		cell(ry, &x, c.info, sb.buf, base, base, false);
		clean(r->username ? r->username : JOBS_CMDLINE_USER, &sb);
		cell(ry, &x, width - x, sb.buf, base, base, true);
	}
	sb_release(&sb);
}

void table_scroll_to_sel(ui_model *m)
{
	int n = (int)m->rows.n, h = m->rows_h > 0 ? m->rows_h : 1;
	if (m->sel < 0) {
		m->top = 0;
		return;
	}
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + h)
		m->top = m->sel - h + 1;
	if (m->top > n - h)
		m->top = n - h;
	if (m->top < 0)
		m->top = 0;
}

/* ==== the view ==== */

static bool shown(const ui *u)
{
	(void)u;
	return true;
}

/* The headings and rows, or what stands in for the rows when there are none. */
static void draw(ui *u)
{
	ui_model *m = &u->m;
	table_scroll_to_sel(m);
	table_draw(m, m->rows_y - 1, COLS);
	if (m->loaded && m->rows.n == 0) {
		int y = m->rows_y + 1;
		draw_fit(y, 2, COLS - 2, "There are no jobs to report on.", A_BOLD);
		if (m->filter[0])
			draw_fit(y + 1, 2, COLS - 2, "(with the filter shown above; Esc clears it)", draw_attr(ROLE_DIM));
		if (m->admin && !m->readonly && m->rows_h > 3)
			draw_fit(y + 2, 2, COLS - 2,
				 "Administrators may only clear their own jobs and command-line jobs.",
				 draw_attr(ROLE_DIM));
	} else if (m->loaded && m->newer > 0 && m->top > 0) {
		char buf[64];
		snprintf(buf, sizeof buf, " ↑ %d newer (g) ", m->newer);
		int w = cell_width(buf);
		draw_fit(m->rows_y - 1, COLS - w, w, buf, draw_attr(ROLE_WARN) | A_BOLD);
	}
	if (!m->loaded) {
		draw_fit(m->rows_y + 1, 2, COLS - 2, m->connected ? "Reading jobs…" : "Waiting for the database…",
			 draw_attr(ROLE_DIM));
	}
}

/* A click on a row selects it (and gives the table the focus). */
static int click(ui *u, int y, int x)
{
	ui_model *m = &u->m;
	(void)x;
	if (y < m->rows_y || y >= m->rows_y + m->rows_h)
		return 0;
	m->focus = KEYS_TABLE;
	int idx = m->top + (y - m->rows_y);
	if (idx < 0 || idx >= (int)m->rows.n)
		return UI_REDRAW;
	int changed = idx != m->sel;
	m->sel = idx;
	return UI_HANDLED | UI_REDRAW | (changed ? UI_FETCH : 0);
}

static int unbound(ui *u)
{
	return ui_dismiss_message(u);
}

const ui_view table_view = {
	.name = "jobs table",
	.layer = UI_LAYER_PANE,
	.place = KEYS_TABLE,
	.shown = shown,
	.draw = draw,
	.unbound = unbound,
	.click = click,
};

/* ==== moving the selection ==== */

/* Puts the selection at sel (clamped to the rows read), scrolling by scroll rows too;
 * asks for the rows again when the selection changed. */
static int select_row(ui_model *m, int sel, int scroll)
{
	int n = (int)m->rows.n, old = m->sel;
	m->top += scroll;
	m->sel = sel < 0 ? 0 : sel >= n ? n - 1 : sel;
	table_scroll_to_sel(m);
	return UI_HANDLED | UI_REDRAW | (m->sel != old ? UI_FETCH : 0);
}

/* Moves by rows (pages: by the table's height less one, the view with it). */
static int step(ui *u, ui_action act, int rows, bool pages)
{
	ui_model *m = &u->m;
	if (!m->loaded)
		return ui_hold(u, act);
	if (m->rows.n == 0)
		return UI_HANDLED;
	int h = m->rows_h > 1 ? m->rows_h - 1 : 1;
	int by = pages ? rows * h : rows;
	return select_row(m, m->sel + by, pages ? by : 0);
}

int table_up(ui *u) { return step(u, ACT_UP, -1, false); }
int table_down(ui *u) { return step(u, ACT_DOWN, 1, false); }
int table_page_up(ui *u) { return step(u, ACT_PGUP, -1, true); }
int table_page_down(ui *u) { return step(u, ACT_PGDN, 1, true); }

/* The first or last job: the first or last of the rows read, and when more lie beyond
 * them, the first or last rows of the whole tab, asked for now. */
static int to_end(ui *u, ui_action act, bool last)
{
	ui_model *m = &u->m;
	if (!m->loaded)
		return ui_hold(u, act);
	if (m->rows.n == 0)
		return UI_HANDLED;
	bool beyond = last ? m->more_after : m->more_before;
	int flags = select_row(m, last ? (int)m->rows.n - 1 : 0, 0);
	if (!beyond)
		return flags;
	ui_request_view(u, last ? SESSION_BOTTOM : SESSION_TOP);
	return flags & ~UI_FETCH;   /* the request just made replaces the read flags would ask for */
}

int table_top(ui *u)
{
	u->m.newer = 0;
	return to_end(u, ACT_TOP, false);
}
int table_bottom(ui *u) { return to_end(u, ACT_BOTTOM, true); }

/* ==== the other keys ==== */

int table_enter(ui *u)
{
	ui_model *m = &u->m;
	if (!m->loaded)
		return ui_hold(u, ACT_ENTER);
	if (!model_selected(m))
		return UI_HANDLED;
	m->focus = KEYS_DETAIL;
	return UI_HANDLED | UI_REDRAW;
}

int table_clear_filter(ui *u)
{
	if (!u->m.filter[0])
		return UI_HANDLED;
	u->m.filter[0] = '\0';
	return UI_HANDLED | UI_REDRAW | UI_FETCH;
}

/* The filter prompt: every edit that parses filters at once (one that does not, such as a
 * half-typed "status:", leaves the table as it was); Enter keeps the text, or with a text
 * that does not parse says why and keeps the filter from before the prompt; Esc clears. */
static int filter_edited(ui *u, const char *text)
{
	char err[300];
	if (jobs_filter_check(text, err, sizeof err) < 0)
		return UI_HANDLED | UI_REDRAW;
	snprintf(u->m.filter, sizeof u->m.filter, "%s", text);
	return UI_HANDLED | UI_REDRAW | UI_FETCH;
}

static int filter_accepted(ui *u, const char *text)
{
	char err[300];
	if (jobs_filter_check(text, err, sizeof err) < 0) {
		snprintf(u->m.filter, sizeof u->m.filter, "%s", u->filter_before);
		ui_message(u, true, "Filter not changed: %s", err);
		return UI_HANDLED | UI_REDRAW | UI_FETCH;
	}
	return filter_edited(u, text);
}

static int filter_cancelled(ui *u)
{
	u->m.filter[0] = '\0';
	return UI_HANDLED | UI_REDRAW | UI_FETCH;
}

static const ui_asker filter_asker = { filter_accepted, filter_cancelled, filter_edited };

int table_filter(ui *u)
{
	snprintf(u->filter_before, sizeof u->filter_before, "%s", u->m.filter);
	prompt_open(u, &filter_asker, "Filter:", u->m.filter);
	return UI_HANDLED | UI_REDRAW;
}

static int sorted(ui *u)
{
	ui_message(u, false, "Sorted by %s, %s.", jobs_sort_name(u->m.sort),
		   u->m.ascending ? "ascending" : "descending");
	return UI_HANDLED | UI_REDRAW | UI_FETCH;
}

int table_sort(ui *u)
{
	u->m.sort = (jobs_sort)((u->m.sort + 1) % JOBS_NSORTS);
	return sorted(u);
}

int table_reverse(ui *u)
{
	u->m.ascending = !u->m.ascending;
	return sorted(u);
}
