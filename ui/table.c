/* table.c — the jobs table (see table.h). */
#include "ui/table.h"

#include <stdio.h>
#include <string.h>

#include "ui/cell.h"
#include "ui/draw.h"

/* The marker beside the status of a job that concerns a record ('o' opens it). */
#define RECORD_MARK "↗"

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

void table_info(const job_row *r, char *out, size_t n)
{
	if (r->download_path) {
		char size[32];
		fmt_size(r->download_size, size, sizeof size);
		snprintf(out, n, "Download (%s)", size);
	} else {
		snprintf(out, n, "%s", r->first_info ? r->first_info : "");
	}
}

void table_status(const job_row *r, char *out, size_t n)
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
		cell(ry, &x, c.name, sb.buf, base, base, false);
		table_status(r, buf, sizeof buf);
		cell(ry, &x, c.status, buf, base | draw_attr(draw_status_role(r->status)), base, false);
		table_info(r, buf, sizeof buf);
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

int table_key(ui_model *m, ui_action act, int *want_top, int *want_bottom)
{
	int n = (int)m->rows.n, h = m->rows_h > 1 ? m->rows_h - 1 : 1;
	int old = m->sel;
	if (n == 0)
		return UI_HANDLED;
	switch (act) {
	case ACT_UP: m->sel--; break;
	case ACT_DOWN: m->sel++; break;
	case ACT_PGUP: m->sel -= h; m->top -= h; break;
	case ACT_PGDN: m->sel += h; m->top += h; break;
	case ACT_TOP:
		if (m->more_before)
			*want_top = 1;
		m->sel = 0;
		break;
	case ACT_BOTTOM:
		if (m->more_after)
			*want_bottom = 1;
		m->sel = n - 1;
		break;
	default: return 0;
	}
	if (m->sel < 0)
		m->sel = 0;
	if (m->sel >= n)
		m->sel = n - 1;
	table_scroll_to_sel(m);
	return UI_HANDLED | UI_REDRAW | (m->sel != old || *want_top || *want_bottom ? UI_FETCH : 0);
}

int table_click(ui_model *m, int y)
{
	int idx = m->top + (y - m->rows_y);
	if (y < m->rows_y || y >= m->rows_y + m->rows_h || idx < 0 || idx >= (int)m->rows.n)
		return 0;
	int changed = idx != m->sel;
	m->sel = idx;
	return UI_HANDLED | UI_REDRAW | (changed ? UI_FETCH : 0);
}
