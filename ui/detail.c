/* detail.c — the detail pane (see detail.h). */
#include "detail.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cell.h"
#include "draw.h"
#include "prompt.h"
#include "ui.h"

#define HEADER_ROWS 5   /* four lines of fields and the output's title line */

void detail_release_lines(ui_model *m)
{
	for (int i = 0; i < m->nlines; i++)
		free(m->lines[i]);
	free(m->lines);
	free(m->line_nos);
	m->lines = NULL;
	m->line_nos = NULL;
	m->nlines = 0;
	m->lines_width = 0;
}

/* Appends a wrapped line; no: its output line's number (0: a continuation or a note). */
static void add_line(ui_model *m, int *cap, const char *s, size_t n, int64_t no)
{
	if (m->nlines == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		m->lines = xrealloc(m->lines, (size_t)*cap * sizeof *m->lines);
		m->line_nos = xrealloc(m->line_nos, (size_t)*cap * sizeof *m->line_nos);
	}
	char *l = xmalloc(n + 1);
	memcpy(l, s, n);
	l[n] = '\0';
	m->line_nos[m->nlines] = no;
	m->lines[m->nlines++] = l;
}

/* The gutter for the output read: the digits of its last line's number and a space. */
static int gutter_for(const ui_model *m)
{
	int64_t last = m->output.first_line > 0 ? m->output.first_line : 1;
	const unsigned char *p = m->output.data, *end = p + m->output.len;
	while (p && p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		last++;
		p++;
	}
	int digits = 1;
	while (last >= 10) {
		last /= 10;
		digits++;
	}
	return (digits < 3 ? 3 : digits) + 1;
}

/* One raw line of output (number no): tabs to spaces, everything else made visible, then
 * wrapped. */
static void wrap_one(ui_model *m, int *cap, const unsigned char *p, size_t n, int width, int64_t no)
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
		add_line(m, cap, "", 0, no);
	while (*s) {
		size_t k = cell_prefix(s, width);
		add_line(m, cap, s, k, no);
		no = 0;
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
	m->gutter = 0;
	if (!m->has_detail)
		return;
	m->gutter = gutter_for(m);
	width = width - m->gutter > 8 ? width - m->gutter : width;
	int cap = 0;
	const unsigned char *p = m->output.data;
	size_t len = m->output.len;
	int64_t no = m->output.first_line > 0 ? m->output.first_line : 1;
	if (m->output.offset > 0) {
		char note[160];
		if (m->tail_bytes >= TAIL_MAX)
			snprintf(note, sizeof note, "… %lld earlier bytes: this pane keeps the last %u MB"
				 " (jobdeck show %lld prints them all)", (long long)m->output.offset,
				 TAIL_MAX >> 20, (long long)m->detail.row.id);
		else
			snprintf(note, sizeof note, "… %lld earlier bytes (scroll up to read them)",
				 (long long)m->output.offset);
		add_line(m, &cap, note, strlen(note), 0);
		/* the first line was cut by the tail: start at the next whole one */
		const unsigned char *nl = memchr(p, '\n', len);
		if (nl) {
			len -= (size_t)(nl + 1 - p);
			p = nl + 1;
			no++;
		}
	}
	while (len > 0) {
		const unsigned char *nl = memchr(p, '\n', len);
		size_t k = nl ? (size_t)(nl - p) : len;
		wrap_one(m, &cap, p, k, width, no++);
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
	if (fresh && m->detail.params && strcmp(m->detail.params, "{}") != 0)
		field(y + 1, &x, width, "Parameters", m->detail.params, A_NORMAL);
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

/* Whether s (n bytes) starts with the search text t (tn bytes); fold: either case. */
static bool match_at(const char *s, const char *t, size_t tn, bool fold)
{
	return fold ? strncasecmp(s, t, tn) == 0 : strncmp(s, t, tn) == 0;
}

/* The text of wrapped line i at (y, x), width columns, with each match of the search
 * marked (smart case, as the search: either case unless the text has a capital). The
 * line of the current match has its matches marked more strongly. */
static void detail_draw_text(const ui_model *m, int i, int y, int x, int width)
{
	const char *l = m->lines[i];
	draw_fit(y, x, width, l, A_NORMAL);
	size_t tn = strlen(m->search);
	if (!tn || !m->nmatches || width <= 0)
		return;
	bool fold = true;
	for (const char *c = m->search; *c; c++)
		if (isupper((unsigned char)*c))
			fold = false;
	int owner = i;
	while (owner > 0 && !m->line_nos[owner])
		owner--;
	attr_t a = m->match_no && m->line_nos[owner] == m->match_no ? draw_attr(ROLE_WARN) | A_REVERSE | A_BOLD
								     : A_REVERSE;
	char *pre = xmalloc(strlen(l) + 1);
	for (const char *p = l; *p; p++) {
		if (!match_at(p, m->search, tn, fold))
			continue;
		memcpy(pre, l, (size_t)(p - l));
		pre[p - l] = '\0';
		int col = cell_width(pre);
		memcpy(pre, p, tn);
		pre[tn] = '\0';
		int w = cell_width(pre);
		if (col + w <= width)
			draw_fit(y, x + col, w, pre, a);
		p += tn - 1;
	}
	free(pre);
}

/* Wrapped line i at row y: its number in the dim gutter (blank on a continuation), then
 * the text, with the search's matches marked. */
static void draw_line(const ui_model *m, int i, int y, int width)
{
	int x = 1, g = m->line_nos[i] ? m->gutter : 0;
	if (i == 0 && m->output.offset > 0) {
		g = 0;   /* the note on earlier bytes */
	} else if (m->line_nos[i]) {
		char no[32];
		snprintf(no, sizeof no, "%*lld ", m->gutter - 1, (long long)m->line_nos[i]);
		draw_fit(y, x, g, no, draw_attr(ROLE_DIM));
	} else if (m->gutter) {
		g = m->gutter;
		draw_fit(y, x, g, "", A_NORMAL);
	}
	x += g;
	detail_draw_text(m, i, y, x, width - x);
}

/* The output's title line at y, then (when the details are this job's) the output below. */
/* The output line wrapped line i belongs to: its own number, or its owner's on a
 * continuation; 0 for the note above a tail. */
static int64_t row_line(const ui_model *m, int i)
{
	while (i > 0 && !m->line_nos[i])
		i--;
	return i >= 0 && i < m->nlines ? m->line_nos[i] : 0;
}

/* The numbers of the output lines shown in wrapped lines from..to (0-based), and of the
 * whole output's last line when what was read reaches its end (else 0). */
static void shown_lines(const ui_model *m, int from, int to, int64_t *lo, int64_t *hi, int64_t *of)
{
	if (to >= m->nlines)
		to = m->nlines - 1;
	*lo = row_line(m, from);
	for (int i = from; !*lo && i <= to; i++)   /* the note: the first line after it */
		*lo = m->line_nos[i];
	*hi = row_line(m, to);
	*of = m->output.offset + (int64_t)m->output.len >= m->output.total ? row_line(m, m->nlines - 1) : 0;
}

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
		/* the output's own line numbers, as in the gutter: not rows of the wrapped tail */
		int64_t lo, hi, of;
		shown_lines(m, first - 1, last - 1, &lo, &hi, &of);
		char total[40] = "";
		if (of)
			snprintf(total, sizeof total, " of %lld", (long long)of);
		if (m->nlines && rows > 0 && lo && lo == hi)
			snprintf(buf, sizeof buf, "── Console output, %s ── line %lld%s%s", size, (long long)lo,
				 total, mode);
		else if (m->nlines && rows > 0 && lo)
			snprintf(buf, sizeof buf, "── Console output, %s ── lines %lld–%lld%s%s", size, (long long)lo,
				 (long long)hi, total, mode);
		else if (of)  /* no room for a line of it: say how many there are */
			snprintf(buf, sizeof buf, "── Console output, %s ── %lld line%s%s", size, (long long)of,
				 of == 1 ? "" : "s", mode);
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
		draw_line(m, first + i, y + 1 + i, width);
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
	const job_row *sel = model_selected(m);
	m->follow = !m->follow;
	m->follow_id = sel ? sel->id : 0;
	if (m->follow)
		m->out_scroll = 0;
	return UI_HANDLED | UI_REDRAW | (m->follow ? UI_FETCH : 0);
}

int detail_back(ui *u)
{
	if (u->m.search[0]) {
		/* Esc first clears a search */
		detail_search_reset(&u->m);
		ui_message(u, false, "Search cleared.");
		return UI_HANDLED | UI_REDRAW;
	}
	u->m.focus = KEYS_TABLE;
	return UI_HANDLED | UI_REDRAW;
}

/* ==== search in the output (ui-detail) ==== */

void detail_search_reset(ui_model *m)
{
	free(m->matches);
	m->matches = NULL;
	m->nmatches = 0;
	m->match_total = 0;
	m->match = -1;
	m->match_no = 0;
	m->search[0] = '\0';
	m->search_pending = false;
	m->search_jump = false;
}

/* The number of the output line at byte off of the whole output, when that line is shown
 * whole in what was read; else 0. */
static int64_t line_of(const ui_model *m, int64_t off)
{
	const job_output *o = &m->output;
	if (!m->has_detail || off < o->offset || off >= o->offset + (int64_t)o->len)
		return 0;
	int64_t no = o->first_line > 0 ? o->first_line : 1;
	const unsigned char *p = o->data, *end = o->data + (off - o->offset);
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		no++;
		p++;
	}
	if (o->offset > 0 && no == (o->first_line > 0 ? o->first_line : 1))
		return 0;   /* the first line was cut by the tail: it is not shown */
	return no;
}

/* Scrolls so that the wrapped line idx stands a third of the way down the output. */
static void scroll_to_line(ui_model *m, int idx)
{
	int rows = output_rows(m), first = idx - rows / 3;
	if (first < 0)
		first = 0;
	m->out_scroll = m->nlines - rows - first;
	if (m->out_scroll > max_scroll(m))
		m->out_scroll = max_scroll(m);
	if (m->out_scroll < 0)
		m->out_scroll = 0;
	m->follow = false;
}

int detail_search_show(ui *u)
{
	ui_model *m = &u->m;
	if (m->match < 0 || (size_t)m->match >= m->nmatches)
		return 0;
	int64_t off = m->matches[m->match];
	char of[64];
	snprintf(of, sizeof of, "%lld%s", (long long)m->match_total,
		 m->match_total > (int64_t)m->nmatches ? " (the first ones kept)" : "");
	m->search_jump = false;
	int64_t no = line_of(m, off);
	if (!no) {
		int64_t need = m->output.total - off + 4096;
		if (m->tail_bytes >= TAIL_MAX || need > (int64_t)TAIL_MAX) {
			m->match_no = 0;
			ui_message(u, false, "match %d of %s: before the last %u MB kept here; jobdeck show %lld"
				   " prints it", m->match + 1, of, TAIL_MAX >> 20, (long long)m->detail.row.id);
			return UI_HANDLED | UI_REDRAW;
		}
		while ((int64_t)m->tail_bytes < need && m->tail_bytes < TAIL_MAX)
			m->tail_bytes = m->tail_bytes * 4 > TAIL_MAX ? TAIL_MAX : m->tail_bytes * 4;
		m->search_jump = true;
		ui_message(u, false, "match %d of %s: reading more of the output…", m->match + 1, of);
		return UI_HANDLED | UI_REDRAW | UI_FETCH;
	}
	m->match_no = no;
	for (int i = 0; i < m->nlines; i++)
		if (m->line_nos[i] == no) {
			scroll_to_line(m, i);
			break;
		}
	ui_message(u, false, "match %d of %s, line %lld", m->match + 1, of, (long long)no);
	return UI_HANDLED | UI_REDRAW;
}

static int search_given(ui *u, const char *text)
{
	ui_model *m = &u->m;
	detail_search_reset(m);
	if (!text[0] || !m->has_detail)
		return UI_HANDLED | UI_REDRAW;
	snprintf(m->search, sizeof m->search, "%s", text);
	m->search_pending = true;
	u->search_seq = session_search(u->s, m->detail.row.id, text, DETAIL_SEARCH_MAX);
	ui_message(u, false, "Searching the output of job %lld…", (long long)m->detail.row.id);
	return UI_HANDLED | UI_REDRAW;
}

static int search_cancelled(ui *u)
{
	(void)u;
	return UI_HANDLED | UI_REDRAW;
}

static const ui_asker search_asker = { search_given, search_cancelled, NULL };

int detail_search(ui *u)
{
	const job_row *sel = model_selected(&u->m);
	if (!sel)
		return UI_HANDLED;
	if (!u->m.has_detail || u->m.detail.row.id != sel->id) {
		ui_message(u, false, "Job %lld is still being read: / again in a moment.", (long long)sel->id);
		return UI_HANDLED | UI_REDRAW;
	}
	prompt_open(u, &search_asker, "Search output:", u->m.search);
	return UI_HANDLED | UI_REDRAW;
}

void detail_searched(ui *u, session_result *r)
{
	ui_model *m = &u->m;
	if (r->seq != u->search_seq || !m->has_detail || r->job_id != m->detail.row.id)
		return;
	m->search_pending = false;
	if (!r->ok) {
		ui_message(u, true, "Could not search: %s", r->msg);
		return;
	}
	free(m->matches);
	m->matches = r->offsets;
	m->nmatches = r->noffsets;
	m->match_total = r->n;
	r->offsets = NULL;
	r->noffsets = 0;
	if (!m->nmatches) {
		strbuf sb = STRBUF_INIT;
		cell_clean(m->search, strlen(m->search), &sb);
		ui_message(u, false, "No match for \"%s\" in the output of job %lld.", sb.buf ? sb.buf : "",
			   (long long)m->detail.row.id);
		sb_release(&sb);
		m->match = -1;
		return;
	}
	m->match = 0;
	if (detail_search_show(u) & UI_FETCH)
		ui_request_view(u, SESSION_AT);
}

/* n and N: the next and the previous match, round the end. */
static int step_match(ui *u, int by)
{
	ui_model *m = &u->m;
	if (!m->nmatches) {
		ui_message(u, false, m->search_pending ? "Still searching…" : "No search: / searches the output.");
		return UI_HANDLED | UI_REDRAW;
	}
	m->match = (int)((m->match + by + (int)m->nmatches) % (int)m->nmatches);
	return detail_search_show(u);
}

int detail_next_match(ui *u) { return step_match(u, 1); }
int detail_prev_match(ui *u) { return step_match(u, -1); }
