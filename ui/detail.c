/* detail.c — the detail pane (see detail.h). */
#include "ui/detail.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cell.h"
#include "ui/draw.h"
#include "ui/ui.h"

#define HEADER_ROWS 5   /* four lines of fields and the output's title line */

void detail_release_lines(ui_model *m)
{
	for (int i = 0; i < m->nlines; i++)
		free(m->lines[i]);
	free(m->lines);
	m->lines = NULL;
	m->nlines = 0;
	m->lines_width = 0;
}

static void add_line(ui_model *m, int *cap, const char *s, size_t n)
{
	if (m->nlines == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		m->lines = xrealloc(m->lines, (size_t)*cap * sizeof *m->lines);
	}
	char *l = xmalloc(n + 1);
	memcpy(l, s, n);
	l[n] = '\0';
	m->lines[m->nlines++] = l;
}

/* One raw line of output: tabs to spaces, everything else made visible, then wrapped. */
static void wrap_one(ui_model *m, int *cap, const unsigned char *p, size_t n, int width)
{
	strbuf raw = STRBUF_INIT, clean = STRBUF_INIT;
	if (n && p[n - 1] == '\r')
		n--;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\t') {
			do
				sb_addc(&raw, ' ');
			while (raw.len % 8);
		} else {
			sb_addc(&raw, (char)p[i]);
		}
	}
	cell_clean(raw.buf ? raw.buf : "", raw.len, &clean);
	const char *s = clean.buf ? clean.buf : "";
	if (!*s)
		add_line(m, cap, "", 0);
	while (*s) {
		size_t k = cell_prefix(s, width);
		add_line(m, cap, s, k);
		s += k;
	}
	sb_release(&raw);
	sb_release(&clean);
}

void detail_wrap(ui_model *m, int width)
{
	detail_release_lines(m);
	if (width < 1)
		width = 1;
	m->lines_width = width;
	if (!m->has_detail)
		return;
	int cap = 0;
	const unsigned char *p = m->output.data;
	size_t len = m->output.len;
	if (m->output.offset > 0) {
		char note[160];
		if (m->tail_bytes >= TAIL_MAX)
			snprintf(note, sizeof note, "… %lld earlier bytes: this pane keeps the last %u MB"
				 " (jobdeck show %lld prints them all)", (long long)m->output.offset,
				 TAIL_MAX >> 20, (long long)m->detail.row.id);
		else
			snprintf(note, sizeof note, "… %lld earlier bytes (scroll up to read them)",
				 (long long)m->output.offset);
		add_line(m, &cap, note, strlen(note));
		/* the first line was cut by the tail: start at the next whole one */
		const unsigned char *nl = memchr(p, '\n', len);
		if (nl) {
			len -= (size_t)(nl + 1 - p);
			p = nl + 1;
		}
	}
	while (len > 0) {
		const unsigned char *nl = memchr(p, '\n', len);
		size_t k = nl ? (size_t)(nl - p) : len;
		wrap_one(m, &cap, p, k, width);
		if (!nl)
			break;
		len -= k + 1;
		p += k + 1;
	}
}

static int output_rows(const ui_model *m)
{
	int h = m->detail_h - HEADER_ROWS;
	return h > 0 ? h : 0;
}

static int max_scroll(const ui_model *m)
{
	int s = m->nlines - output_rows(m);
	return s > 0 ? s : 0;
}

/* ==== drawing ==== */

/* "label value" pairs on one line, as far as they fit. */
static void field(int y, int *x, int maxx, const char *label, const char *value, attr_t vattr)
{
	strbuf sb = STRBUF_INIT;
	cell_clean(value, strlen(value), &sb);
	if (*x > 1)
		draw_seg(y, x, maxx, "   ", A_NORMAL);
	draw_seg(y, x, maxx, label, draw_attr(ROLE_DIM));
	draw_seg(y, x, maxx, " ", A_NORMAL);
	draw_seg(y, x, maxx, sb.buf ? sb.buf : "", vattr);
	sb_release(&sb);
}

/* Line 1: id, name, status, user; line 2: the record. fresh: m->detail is this job's. */
static void draw_who(const ui_model *m, const job_row *r, bool fresh, int y, int width)
{
	char buf[600];
	int x = 1;
	snprintf(buf, sizeof buf, "%lld", (long long)r->id);
	field(y, &x, width, "Job", buf, A_BOLD);
	field(y, &x, width, "", r->name, A_BOLD);
	field(y, &x, width, "Status", job_status_name(r->status), draw_attr(draw_status_role(r->status)));
	field(y, &x, width, "User", r->username ? r->username : JOBS_CMDLINE_USER, A_NORMAL);
	if (m->detail_h < 2)
		return;
	x = 1;
	if (!fresh)
		field(y + 1, &x, width, "Record", r->object_id ? "…" : "none", A_NORMAL);
	else if (m->detail.record_identifier) {
		snprintf(buf, sizeof buf, "%s — %s", m->detail.record_identifier,
			 m->detail.record_title ? m->detail.record_title : "");
		field(y + 1, &x, width, "Record " "↗", buf, A_NORMAL);
	} else {
		field(y + 1, &x, width, "Record", r->object_id ? "(not visible)" : "none", A_NORMAL);
	}
}

/* Line 3: the times. */
static void draw_times(const job_row *r, int y, int width)
{
	char buf[80], a[80], b[40];
	int x = 1;
	fmt_local(r->started_at, a, sizeof a);
	fmt_local(r->completed_at, b, sizeof b);
	if (r->started_at == JD_TIME_NONE) {
		/* requested, no worker has taken it yet */
		char q[40];
		fmt_local(r->created_at, q, sizeof q);
		snprintf(a, sizeof a, "not yet (requested %s)", q + (strlen(q) >= 19 ? 11 : 0));
	}
	field(y, &x, width, "Started", a, A_NORMAL);
	field(y, &x, width, "Ended", b, A_NORMAL);
	if (r->started_at != JD_TIME_NONE) {
		jd_time end = r->completed_at != JD_TIME_NONE ? r->completed_at : model_now();
		fmt_duration(end - r->started_at, buf, sizeof buf);
		field(y, &x, width, "Duration", buf, A_NORMAL);
	}
}

/* Line 4: worker, attempts, a cancel asked for, the download. */
static void draw_run(const ui_model *m, const job_row *r, bool fresh, int y, int width)
{
	char buf[600];
	int x = 1;
	if (fresh) {
		field(y, &x, width, "Worker", m->detail.worker ? m->detail.worker : "—", A_NORMAL);
		snprintf(buf, sizeof buf, "%d of %d", m->detail.attempts, m->detail.max_attempts);
		field(y, &x, width, "Attempts", buf, A_NORMAL);
		if (m->detail.cancel_requested_by) {
			snprintf(buf, sizeof buf, "requested by %s", m->detail.cancel_requested_by);
			field(y, &x, width, "Cancel", buf, A_BOLD);
		}
	}
	if (r->download_path) {
		char size[32];
		fmt_size(r->download_size, size, sizeof size);
		snprintf(buf, sizeof buf, "%s (%s)", r->download_path, size);
		field(y, &x, width, "Download", buf, A_NORMAL);
	}
}

/* The output's title line at y, then (when the details are this job's) the output below. */
static void draw_output(ui_model *m, bool fresh, int y, int width)
{
	char buf[600];
	if (fresh && m->lines_width != width - 1)
		detail_wrap(m, width - 1);
	if (m->out_scroll > max_scroll(m))
		m->out_scroll = max_scroll(m);
	int rows = output_rows(m);
	if (fresh) {
		char size[32];
		fmt_size(m->output.total, size, sizeof size);
		int last = m->nlines - m->out_scroll, first = last - rows + 1;
		if (first < 1)
			first = 1;
		const char *mode = m->follow ? " ── following ●" : m->out_scroll ? " ── scrolled up" : "";
		if (m->nlines)
			snprintf(buf, sizeof buf, "── Console output, %s ── lines %d–%d of %d%s", size, first,
				 last, m->nlines, mode);
		else
			snprintf(buf, sizeof buf, "── Console output, %s%s", size, mode);
	} else {
		snprintf(buf, sizeof buf, "── Console output ── reading…");
	}
	draw_fit(y, 0, width, buf, m->focus == KEYS_DETAIL ? draw_attr(ROLE_KEY) : draw_attr(ROLE_DIM));
	if (!fresh)
		return;
	int first = m->nlines - m->out_scroll - rows;
	if (first < 0)
		first = 0;
	if (m->nlines == 0 && rows > 0)
		draw_fit(y + 1, 1, width - 1, "(no output)", draw_attr(ROLE_DIM));
	for (int i = 0; i < rows && first + i < m->nlines; i++)
		draw_fit(y + 1 + i, 1, width - 1, m->lines[first + i], A_NORMAL);
}

void detail_draw(ui_model *m, int width)
{
	int y = m->detail_y;
	const job_row *sel = model_selected(m);
	if (m->detail_h <= 0)
		return;
	if (!sel) {
		if (m->detail_h > 1)
			draw_fit(y + 1, 1, width - 1, "No job selected.", draw_attr(ROLE_DIM));
		return;
	}
	bool fresh = m->has_detail && m->detail.row.id == sel->id;
	const job_row *r = fresh ? &m->detail.row : sel;
	draw_who(m, r, fresh, y, width);
	if (m->detail_h >= 3)
		draw_times(r, y + 2, width);
	if (m->detail_h >= 4)
		draw_run(m, r, fresh, y + 3, width);
	if (m->detail_h >= 5)
		draw_output(m, fresh, y + 4, width);
}

/* ==== the view ==== */

static bool shown(const ui *u)
{
	(void)u;
	return true;
}

static void draw(ui *u)
{
	detail_draw(&u->m, COLS);
}

/* A click in the pane gives it the focus, when a job is selected. */
static int click(ui *u, int y, int x)
{
	ui_model *m = &u->m;
	(void)x;
	if (y < m->detail_y || y >= m->detail_y + m->detail_h || !model_selected(m))
		return 0;
	m->focus = KEYS_DETAIL;
	return UI_HANDLED | UI_REDRAW;
}

static int unbound(ui *u)
{
	return ui_dismiss_message(u);
}

const ui_view detail_view = {
	.name = "detail pane",
	.layer = UI_LAYER_PANE,
	.place = KEYS_DETAIL,
	.shown = shown,
	.draw = draw,
	.unbound = unbound,
	.click = click,
};

/* ==== keys ==== */

/* Sets the output's scroll (lines hidden below the view), within the output read. Moving
 * up to the top of what was read asks for four times as much of the tail, up to TAIL_MAX. */
static int scroll_to(ui *u, int scroll, bool upward)
{
	ui_model *m = &u->m;
	m->out_scroll = scroll;
	if (m->out_scroll > max_scroll(m))
		m->out_scroll = max_scroll(m);
	if (m->out_scroll < 0)
		m->out_scroll = 0;
	if (m->out_scroll > 0)
		m->follow = false;
	int flags = UI_HANDLED | UI_REDRAW;
	if (upward && m->out_scroll == max_scroll(m) && m->has_detail && m->output.offset > 0 &&
	    m->tail_bytes < TAIL_MAX) {
		m->tail_bytes = m->tail_bytes * 4 > TAIL_MAX ? TAIL_MAX : m->tail_bytes * 4;
		flags |= UI_FETCH;
	}
	return flags;
}

static int page(const ui_model *m)
{
	return output_rows(m) > 1 ? output_rows(m) - 1 : 1;
}

int detail_up(ui *u) { return scroll_to(u, u->m.out_scroll + 1, true); }
int detail_down(ui *u) { return scroll_to(u, u->m.out_scroll - 1, false); }
int detail_page_up(ui *u) { return scroll_to(u, u->m.out_scroll + page(&u->m), true); }
int detail_page_down(ui *u) { return scroll_to(u, u->m.out_scroll - page(&u->m), false); }
int detail_top(ui *u) { return scroll_to(u, max_scroll(&u->m), true); }
int detail_bottom(ui *u) { return scroll_to(u, 0, false); }

int detail_follow(ui *u)
{
	ui_model *m = &u->m;
	m->follow = !m->follow;
	if (m->follow)
		m->out_scroll = 0;
	return UI_HANDLED | UI_REDRAW | (m->follow ? UI_FETCH : 0);
}

int detail_back(ui *u)
{
	u->m.focus = KEYS_TABLE;
	return UI_HANDLED | UI_REDRAW;
}
