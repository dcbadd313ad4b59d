/* wview.c — the workers view (see wview.h). */
#include "wview.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"
#include "question.h"
#include "ui.h"

/* ==== reading ==== */

void wview_request(ui *u)
{
	if (!u->workers_seq)
		u->workers_seq = session_workers_request(u->s);
}

void wview_took(ui *u, session_result *r)
{
	ui_model *m = &u->m;
	if (r->seq != u->workers_seq)
		return;
	u->workers_seq = 0;
	if (!r->ok) {
		ui_message(u, true, "Could not read the workers: %s", r->msg);
		return;
	}
	session_workers_free(m->workers);
	m->workers = r->workers;
	r->workers = NULL;
	if (m->wsel >= (int)m->workers->nroutes)
		m->wsel = (int)m->workers->nroutes - 1;
	if (m->wsel < 0)
		m->wsel = 0;
}

/* ==== drawing ==== */

/* Text (untrusted: worker ids, hosts, gearmand's answers) cut or padded to w columns. */
static void put(int y, int x, int w, const char *text, attr_t attr)
{
	if (y >= LINES - 1 || w <= 0)
		return;
	strbuf sb = STRBUF_INIT;
	cell_clean(text ? text : "", text ? strlen(text) : 0, &sb);
	draw_fit(y, x, w, sb.buf ? sb.buf : "", attr);
	sb_release(&sb);
}

static const session_paused *paused_of(const session_workers *w, const char *route)
{
	for (size_t i = 0; i < w->npaused; i++)
		if (strcmp(w->paused[i].route, route) == 0)
			return &w->paused[i];
	return NULL;
}

static int draw_servers(const session_workers *w, int y)
{
	char buf[700];
	for (size_t i = 0; i < w->nservers; i++) {
		const session_server *s = &w->servers[i];
		if (s->error)
			snprintf(buf, sizeof buf, "gearmand %s: unreachable (%s)", s->address, s->error);
		else
			snprintf(buf, sizeof buf, "gearmand %s: reachable", s->address);
		put(y++, 1, COLS - 2, buf, s->error ? draw_attr(ROLE_ERROR) : draw_attr(ROLE_OK));
	}
	if (!w->nservers)
		put(y++, 1, COLS - 2, "No gearmand is configured (JOBDECK_GEARMAN).", draw_attr(ROLE_WARN));
	return y;
}

/* The functions of the namespace, summed over the servers, the selected one highlighted. */
static int draw_functions(const ui_model *m, const session_workers *w, int y)
{
	char buf[400], head[200];
	int fw = COLS - 2 - 26 > 20 ? COLS - 2 - 26 : 20;
	snprintf(head, sizeof head, "%-*.*s %7s %8s %8s", fw, fw, "Function (p: pause/resume)", "Queued", "Running",
		 "Workers");
	put(y++, 1, COLS - 2, head, draw_attr(ROLE_COLUMNS));
	for (size_t i = 0; i < w->nroutes; i++) {
		queue_fstat st = { 0, 0, 0 };
		for (size_t k = 0; k < w->nfns; k++) {
			if (strcmp(w->fns[k].route, w->routes[i]) != 0)
				continue;
			st.total += w->fns[k].st.total;
			st.running += w->fns[k].st.running;
			st.workers += w->fns[k].st.workers;
		}
		const session_paused *p = paused_of(w, w->routes[i]);
		char name[300];
		snprintf(name, sizeof name, "%s:%s%s%s", w->ns, w->routes[i], p ? "  paused by " : "", p ? p->by : "");
		strbuf clean = STRBUF_INIT, sb = STRBUF_INIT;
		cell_clean(name, strlen(name), &clean);
		cell_fit(clean.buf ? clean.buf : "", fw, &sb);
		snprintf(buf, sizeof buf, "%s %7lld %8lld %8lld", sb.buf ? sb.buf : "",
			 (long long)(st.total - st.running), (long long)st.running, (long long)st.workers);
		sb_release(&clean);
		sb_release(&sb);
		attr_t a = (int)i == m->wsel ? draw_attr(ROLE_SELECTED) : p ? draw_attr(ROLE_WARN) : A_NORMAL;
		put(y++, 1, COLS - 2, buf, a);
	}
	if (!w->nroutes)
		put(y++, 1, COLS - 2, "(no function of this namespace)", draw_attr(ROLE_DIM));
	return y;
}

static int draw_throughput(const throughput *t, int y)
{
	int64_t done = 0, failed = 0;
	for (int i = 0; i < THROUGHPUT_MINUTES; i++) {
		done += t->completed[i];
		failed += t->failed[i];
	}
	char buf[600];
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	workers_sparkline(t->completed, THROUGHPUT_MINUTES, &a);
	workers_sparkline(t->failed, THROUGHPUT_MINUTES, &b);
	put(y++, 1, COLS - 2, "Jobs ended per minute over the last hour (oldest left)", draw_attr(ROLE_COLUMNS));
	snprintf(buf, sizeof buf, "Completed %6lld |%s|", (long long)done, a.buf ? a.buf : "");
	put(y++, 1, COLS - 2, buf, draw_attr(ROLE_COMPLETED));
	snprintf(buf, sizeof buf, "Error     %6lld |%s|", (long long)failed, b.buf ? b.buf : "");
	put(y++, 1, COLS - 2, buf, draw_attr(ROLE_ERROR));
	if (t->waited)
		snprintf(buf, sizeof buf, "Wait to start, last 15 min (%lld jobs): p50 %.2f s, p95 %.2f s",
			 (long long)t->waited, t->wait_p50, t->wait_p95);
	else
		snprintf(buf, sizeof buf, "No job started in the last 15 minutes.");
	put(y++, 1, COLS - 2, buf, A_NORMAL);
	sb_release(&a);
	sb_release(&b);
	return y;
}

/* "4s", "3m", "2h" since t, by the real clock (the workers beat by it). */
static void age(jd_time t, char *out, size_t n)
{
	int64_t s = (jd_now() - t) / 1000000;
	s = s < 0 ? 0 : s;
	if (s < 120)
		snprintf(out, n, "%llds", (long long)s);
	else if (s < 7200)
		snprintf(out, n, "%lldm", (long long)(s / 60));
	else
		snprintf(out, n, "%lldh", (long long)(s / 3600));
}

static void worker_line(const worker_row *r, int y, int idw, int hw, int sw)
{
	char beat[16], started[40], buf[900];
	age(r->heartbeat_at, beat, sizeof beat);
	fmt_local(r->started_at, started, sizeof started);
	snprintf(buf, sizeof buf, "%-*.*s %-*.*s %7d %-7s %-7.7s %5lld %6lld %5s %.*s", idw, idw, r->id, hw, hw,
		 r->host, r->pid, worker_state_name(r->state), r->current && r->current[0] ? r->current : "-",
		 (long long)r->completed, (long long)r->failed, beat, sw,
		 strlen(started) >= 16 && sw < 16 ? started + 5 : started);
	put(y, 1, COLS - 2, buf, r->state == WORKER_LOST ? draw_attr(ROLE_ERROR) : A_NORMAL);
}

static int draw_workers(const session_workers *w, int y)
{
	bool wide = COLS >= 100;
	int sw = wide ? 16 : 11, hw = wide ? 16 : 10;
	int idw = COLS - 2 - (hw + 7 + 7 + 7 + 5 + 6 + 5 + sw + 8);
	if (idw < 8)
		idw = 8;
	char head[300];
	snprintf(head, sizeof head, "%-*s %-*s %7s %-7s %-7s %5s %6s %5s %s", idw, "Worker", hw, "Host", "PID", "State",
		 "Jobs", "Done", "Failed", "Beat", "Started");
	put(y++, 1, COLS - 2, head, draw_attr(ROLE_COLUMNS));
	for (size_t i = 0; i < w->workers.n && y < LINES - 1; i++)
		worker_line(&w->workers.v[i], y++, idw, hw, sw);
	if (!w->workers.n)
		put(y++, 1, COLS - 2, "No worker has registered in the last day.", draw_attr(ROLE_DIM));
	return y;
}

static void draw(ui *u)
{
	const ui_model *m = &u->m;
	for (int y = 1; y < LINES - 1; y++)
		draw_fill(y, 0, COLS, A_NORMAL);
	draw_fill(1, 0, COLS, draw_attr(ROLE_TAB_ACTIVE));
	put(1, 1, COLS - 2, "Workers — Esc returns to the jobs", draw_attr(ROLE_TAB_ACTIVE) | A_BOLD);
	const session_workers *w = m->workers;
	if (!w) {
		put(3, 2, COLS - 4, m->connected ? "Reading the workers…" : "Waiting for the database…", draw_attr(ROLE_DIM));
		return;
	}
	int y = draw_servers(w, 2);
	y = draw_functions(m, w, y);
	y = draw_throughput(&w->tp, y + 1);
	draw_workers(w, y + 1);
}

static bool shown(const ui *u)
{
	return u->m.focus == KEYS_WORKERS;
}

const ui_view wview_view = {
	.name = "workers",
	.layer = UI_LAYER_PANE,
	.place = KEYS_WORKERS,
	.shown = shown,
	.draw = draw,
};

/* ==== keys ==== */

int wview_open(ui *u)
{
	ui_model *m = &u->m;
	if (!m->admin) {
		ui_message(u, true, "Only administrators see the workers.");
		return UI_HANDLED | UI_REDRAW;
	}
	m->focus = KEYS_WORKERS;
	u->workers_seq = 0;   /* a read now, whatever came before */
	wview_request(u);
	return UI_HANDLED | UI_REDRAW;
}

int wview_back(ui *u)
{
	u->m.focus = KEYS_TABLE;
	return UI_HANDLED | UI_REDRAW | UI_FETCH;
}

static int select_route(ui *u, int by)
{
	ui_model *m = &u->m;
	int n = m->workers ? (int)m->workers->nroutes : 0;
	m->wsel += by;
	if (m->wsel >= n)
		m->wsel = n - 1;
	if (m->wsel < 0)
		m->wsel = 0;
	return UI_HANDLED | UI_REDRAW;
}

int wview_up(ui *u) { return select_route(u, -1); }
int wview_down(ui *u) { return select_route(u, 1); }

int wview_refresh(ui *u)
{
	ui_message(u, false, "Refreshing…");
	u->workers_seq = 0;
	wview_request(u);
	ui_arm_timer(u);
	return UI_HANDLED | UI_REDRAW;
}

static int pause_yes(ui *u, const char *text)
{
	(void)text;
	session_pause(u->s, u->pause_route, u->pause_on);
	ui_message(u, false, "%s %s…", u->pause_on ? "Pausing" : "Resuming", u->pause_route);   /* route: clean */
	return UI_HANDLED | UI_REDRAW;
}

static int pause_no(ui *u)
{
	ui_message(u, false, "Nothing changed.");
	return UI_HANDLED | UI_REDRAW;
}

static const ui_asker pause_asker = { pause_yes, pause_no, NULL };

int wview_pause(ui *u)
{
	ui_model *m = &u->m;
	const session_workers *w = m->workers;
	if (m->readonly) {
		ui_message(u, true, "Read-only: pausing is switched off (--readonly).");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!w || m->wsel < 0 || m->wsel >= (int)w->nroutes) {
		ui_message(u, false, "No function to pause.");
		return UI_HANDLED | UI_REDRAW;
	}
	const char *route = w->routes[m->wsel];
	snprintf(u->pause_route, sizeof u->pause_route, "%s", route);
	u->pause_on = !paused_of(w, route);
	char label[500];
	strbuf sb = STRBUF_INIT;
	cell_clean(route, strlen(route), &sb);
	if (u->pause_on)
		snprintf(label, sizeof label, "Pause %s:%s? Workers stop taking it. [y/N]", w->ns, sb.buf ? sb.buf : "");
	else
		snprintf(label, sizeof label, "Resume %s:%s? Workers take it again. [y/N]", w->ns, sb.buf ? sb.buf : "");
	sb_release(&sb);
	question_open(u, &pause_asker, label);
	return UI_HANDLED | UI_REDRAW;
}

void wview_paused(ui *u, const session_result *r)
{
	long long n = (long long)r->n;
	char fn[300];
	snprintf(fn, sizeof fn, "%s%s%s", u->m.workers ? u->m.workers->ns : "", u->m.workers ? ":" : "", r->route);
	if (!r->ok)
		ui_message(u, true, "Could not %s %s: %s", r->paused ? "pause" : "resume", fn, r->msg);
	else if (r->paused)
		ui_message(u, false, "Paused %s: workers stop taking it within a second; %lld job%s wait%s.", fn, n,
			   n == 1 ? "" : "s", n == 1 ? "s" : "");
	else
		ui_message(u, false, "Resumed %s: workers take it again; %lld job%s wait%s for one.", fn, n,
			   n == 1 ? "" : "s", n == 1 ? "s" : "");
	u->workers_seq = 0;
	wview_request(u);
}
