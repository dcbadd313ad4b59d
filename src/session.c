/* session.c — a dashboard's database session on its own thread (see session.h).
 *
 * One mutex guards the request slots; the thread sleeps in poll() on a wake pipe and the
 * connection's socket, so it hears both new requests and NOTIFY without spinning. Results
 * travel to the caller as pointers written whole into a pipe. */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "download.h"
#include "export.h"
#include "util.h"

struct cmd {
	session_kind kind;
	uint64_t seq;
	session_view view;
	char *path;
	bool force;
	int64_t id;                /* SESSION_R_CANCEL, SESSION_R_RETRY, SESSION_R_SEARCH: the job */
	/* operations: a plan's action, whether it is on the view's query, the ids */
	bulk_action action;
	bool on_query;
	int64_t *ids;
	size_t nids;
	/* the detail pane: the text to find and how many offsets at most; the tab counts' cap */
	char *text;
	size_t max;
	int64_t cap;
	struct cmd *next;
};

struct session {
	pthread_t thread;
	pthread_mutex_t mu;
	int wake[2], out[2];
	db *d;
	bool stop;                 /* guarded by mu */
	struct cmd *view;          /* the latest view asked for, guarded by mu */
	struct cmd *head, *tail;   /* one-off requests in order, guarded by mu */
	uint64_t seq;              /* guarded by mu */
	bool connected;            /* thread only */
	bool purging;              /* cleared jobs' output remains to delete (thread only) */
	jd_time next_lost;         /* when to end lost command-line runs next (thread only) */
	int64_t out_job;           /* the running job whose output channel is listened to, */
	char out_channel[64];      /* and that channel (db/057; thread only) */
};

/* ==== requests (the caller's thread) ==== */

static void view_copy(session_view *dst, const session_view *src)
{
	*dst = *src;
	dst->filter = src->filter && *src->filter ? xstrdup(src->filter) : NULL;
	dst->at_key = xstrdup(src->at_key);
}

static void cmd_free(struct cmd *c)
{
	if (!c)
		return;
	free(c->view.filter);
	free(c->view.at_key);
	free(c->path);
	free(c->ids);
	free(c->text);
	free(c);
}

static void wake(session *s)
{
	char b = 1;
	ssize_t rc = write(s->wake[1], &b, 1);
	(void)rc;   /* a full pipe already means "wake up" */
}

/* a request of kind, its other fields zero */
static struct cmd *cmd_new(session_kind kind)
{
	struct cmd *c = xcalloc(1, sizeof *c);
	c->kind = kind;
	return c;
}

static uint64_t submit(session *s, struct cmd *c)
{
	pthread_mutex_lock(&s->mu);
	c->seq = ++s->seq;
	if (c->kind == SESSION_R_VIEW) {
		cmd_free(s->view);
		s->view = c;
	} else {
		if (s->tail)
			s->tail->next = c;
		else
			s->head = c;
		s->tail = c;
	}
	uint64_t seq = c->seq;
	pthread_mutex_unlock(&s->mu);
	wake(s);
	return seq;
}

uint64_t session_view_request(session *s, const session_view *v)
{
	struct cmd *c = cmd_new(SESSION_R_VIEW);
	view_copy(&c->view, v);
	return submit(s, c);
}

uint64_t session_clear_count(session *s)
{
	struct cmd *c = cmd_new(SESSION_R_CLEAR_COUNT);
	return submit(s, c);
}

uint64_t session_clear(session *s)
{
	struct cmd *c = cmd_new(SESSION_R_CLEAR);
	return submit(s, c);
}

uint64_t session_export(session *s, const session_view *v, const char *path, bool force)
{
	struct cmd *c = cmd_new(SESSION_R_EXPORT);
	view_copy(&c->view, v);
	c->path = xstrdup(path);
	c->force = force;
	return submit(s, c);
}

uint64_t session_download(session *s, int64_t id, const char *path, bool force)
{
	struct cmd *c = cmd_new(SESSION_R_DOWNLOAD);
	c->id = id;
	c->path = xstrdup(path);
	c->force = force;
	return submit(s, c);
}

uint64_t session_cancel(session *s, int64_t id)
{
	struct cmd *c = cmd_new(SESSION_R_CANCEL);
	c->id = id;
	return submit(s, c);
}

/* ==== operations: requests ==== */

uint64_t session_workers_request(session *s)
{
	struct cmd *c = cmd_new(SESSION_R_WORKERS);
	return submit(s, c);
}

uint64_t session_pause(session *s, const char *route, bool pause)
{
	struct cmd *c = cmd_new(SESSION_R_PAUSE);
	c->path = xstrdup(route);
	c->force = pause;
	return submit(s, c);
}

uint64_t session_retry(session *s, int64_t id)
{
	struct cmd *c = cmd_new(SESSION_R_RETRY);
	c->id = id;
	return submit(s, c);
}

uint64_t session_count(session *s, const session_view *v)
{
	struct cmd *c = cmd_new(SESSION_R_COUNT);
	view_copy(&c->view, v);
	return submit(s, c);
}

static void cmd_ids(struct cmd *c, const int64_t *ids, size_t n)
{
	c->ids = xcalloc(n ? n : 1, sizeof *c->ids);
	if (n)
		memcpy(c->ids, ids, n * sizeof *ids);
	c->nids = n;
}

uint64_t session_plan(session *s, bulk_action a, const session_view *v, const int64_t *ids, size_t n)
{
	struct cmd *c = cmd_new(SESSION_R_PLAN);
	c->action = a;
	c->on_query = v != NULL;
	if (v)
		view_copy(&c->view, v);
	else
		cmd_ids(c, ids, n);
	return submit(s, c);
}

uint64_t session_bulk(session *s, const bulk_plan *p)
{
	struct cmd *c = cmd_new(SESSION_R_BULK);
	c->action = p->action;
	cmd_ids(c, p->ids, p->n);
	return submit(s, c);
}

void session_workers_free(session_workers *w)
{
	if (!w)
		return;
	worker_list_release(&w->workers);
	for (size_t i = 0; i < w->nservers; i++) {
		free(w->servers[i].address);
		free(w->servers[i].error);
	}
	for (size_t i = 0; i < w->nfns; i++) {
		free(w->fns[i].server);
		free(w->fns[i].route);
	}
	for (size_t i = 0; i < w->npaused; i++) {
		free(w->paused[i].route);
		free(w->paused[i].by);
	}
	for (size_t i = 0; i < w->nroutes; i++)
		free(w->routes[i]);
	free(w->servers);
	free(w->fns);
	free(w->paused);
	free(w->routes);
	free(w);
}

/* ==== requests of the detail pane ==== */

uint64_t session_search(session *s, int64_t id, const char *text, size_t max)
{
	struct cmd *c = cmd_new(SESSION_R_SEARCH);
	c->id = id;
	c->text = xstrdup(text);
	c->max = max ? max : 1;
	return submit(s, c);
}

uint64_t session_tab_counts(session *s, const session_view *v, int64_t cap)
{
	struct cmd *c = cmd_new(SESSION_R_TAB_COUNTS);
	view_copy(&c->view, v);
	c->cap = cap;
	return submit(s, c);
}

/* ==== results ==== */

int session_fd(const session *s) { return s->out[0]; }

session_result *session_next(session *s)
{
	session_result *r;
	ssize_t n = read(s->out[0], &r, sizeof r);
	return n == (ssize_t)sizeof r ? r : NULL;
}

void session_result_free(session_result *r)
{
	if (!r)
		return;
	job_list_release(&r->rows);
	free(r->offsets);
	if (r->has_detail) {
		job_detail_release(&r->detail);
		job_output_release(&r->output);
	}
	session_workers_free(r->workers);
	bulk_plan_release(&r->plan);
	free(r);
}

static session_result *result_new(session_kind kind, uint64_t seq)
{
	session_result *r = xcalloc(1, sizeof *r);
	r->kind = kind;
	r->seq = seq;
	r->ok = true;
	r->sel = -1;
	return r;
}

static void post(session *s, session_result *r)
{
	/* a pointer is far below PIPE_BUF, so the write is whole */
	while (write(s->out[1], &r, sizeof r) < 0) {
		if (errno != EINTR) {
			session_result_free(r);
			return;
		}
	}
}

static void post_state(session *s)
{
	session_result *r = result_new(SESSION_R_STATE, 0);
	r->connected = s->connected;
	r->ok = s->connected;
	snprintf(r->msg, sizeof r->msg, "%s", s->connected ? "" : db_error(s->d));
	snprintf(r->user, sizeof r->user, "%s", db_user(s->d));
	r->admin = db_is_admin(s->d);
	post(s, r);
}

/* After a failed query: was it the connection? Then say so and start reconnecting. */
static void check_lost(session *s)
{
	if (db_failure(s->d) == DB_FAIL_CONNECT || !db_connected(s->d)) {
		if (s->connected) {
			s->connected = false;
			post_state(s);
		}
	}
}

static void fail(session *s, session_result *r)
{
	r->ok = false;
	snprintf(r->msg, sizeof r->msg, "%s", db_error(s->d));
	check_lost(s);
}

/* ==== the queries ==== */

/* Moves the rows of b after those of a, into a; b is left empty. */
static void list_append(job_list *a, job_list *b)
{
	a->rows = xrealloc(a->rows, (a->n + b->n + 1) * sizeof *a->rows);
	if (b->n)
		memcpy(a->rows + a->n, b->rows, b->n * sizeof *b->rows);
	a->n += b->n;
	free(b->rows);
	b->rows = NULL;
	b->n = 0;
}

static int view_rows(session *s, const session_view *v, const jobs_query *q, session_result *r)
{
	int rows = v->rows > 0 ? v->rows : 20;
	job_list before = { NULL, 0 }, at = { NULL, 0 };
	if (v->mode == SESSION_TOP) {
		if (jobs_page(s->d, q, NULL, false, rows * 2, &r->rows) < 0)
			return -1;
		r->sel = r->rows.n ? 0 : -1;
		r->more_after = (int)r->rows.n == rows * 2;
		return 0;
	}
	if (v->mode == SESSION_BOTTOM) {
		if (jobs_page_last(s->d, q, rows * 2, &r->rows) < 0)
			return -1;
		r->sel = (int)r->rows.n - 1;
		r->more_before = (int)r->rows.n == rows * 2;
		return 0;
	}
	if (jobs_page_at(s->d, q, v->at_id, rows + 1, &at) < 0)
		return -1;
	if (at.n == 0 || at.rows[0].id != v->at_id) {
		/* the job left this view: stay where it was, on the row that followed it */
		job_list_release(&at);
		if (v->at_key) {
			jobs_cursor c = { v->at_key, v->at_id };
			if (jobs_page(s->d, q, &c, false, rows + 1, &at) < 0)
				return -1;
			if (at.n == 0 && jobs_page(s->d, q, &c, true, rows, &before) < 0)
				return -1;
		} else if (jobs_page(s->d, q, NULL, false, rows + 1, &at) < 0) {
			return -1;
		}
	}
	if (at.n > 0) {
		jobs_cursor c = { at.rows[0].sort_key, at.rows[0].id };
		if (jobs_page(s->d, q, &c, true, rows, &before) < 0) {
			job_list_release(&at);
			return -1;
		}
	}
	r->more_before = (int)before.n == rows;
	r->more_after = (int)at.n == rows + 1;
	r->sel = at.n ? (int)before.n : (int)before.n - 1;
	r->rows = before;
	list_append(&r->rows, &at);
	return 0;
}

/* Listens to the output channel of the job shown, while it runs, and to no other: a
 * dashboard's work follows the output of the job it shows, not everyone's. */
static void follow_output(session *s, int64_t id, bool running)
{
	if (!running)
		id = 0;
	if (id == s->out_job)
		return;
	if (s->out_job)
		db_unlisten(s->d, s->out_channel);
	s->out_job = 0;
	if (id && jobs_output_channel(s->d, id, s->out_channel, sizeof s->out_channel) == 0 &&
	    db_listen(s->d, s->out_channel) == 0)
		s->out_job = id;
}

static void run_view(session *s, struct cmd *c)
{
	session_result *r = result_new(SESSION_R_VIEW, c->seq);
	const session_view *v = &c->view;
	jobs_query q = { v->tab, v->filter, v->sort, v->ascending };
	if (jobs_counts(s->d, r->counts) < 0 || view_rows(s, v, &q, r) < 0) {
		fail(s, r);
		post(s, r);
		return;
	}
	if (r->sel < 0)
		follow_output(s, 0, false);
	if (r->sel >= 0) {
		int64_t id = r->rows.rows[r->sel].id;
		if (jobs_get(s->d, id, &r->detail) == 0) {
			/* listening before the tail is read: no output falls between the two */
			follow_output(s, id, r->detail.row.status == JOB_RUNNING);
			if (jobs_output_tail(s->d, id, v->tail_bytes ? v->tail_bytes : 65536, &r->output) < 0) {
				job_detail_release(&r->detail);
				if (db_failure(s->d) == DB_FAIL_CONNECT) {
					fail(s, r);
					post(s, r);
					return;
				}
			} else {
				r->has_detail = true;
			}
		} else if (db_failure(s->d) == DB_FAIL_CONNECT) {
			fail(s, r);
			post(s, r);
			return;
		}
	}
	r->at = jd_now();
	post(s, r);
}

/* ==== operations: the queries ==== */

struct gather {
	session_workers *w;
	size_t pending;            /* the first function of the server being read */
	size_t prefix_len;
	char prefix[80];           /* "NAMESPACE:" */
};

static void gather_function(void *ctx, const char *function, const queue_fstat *st)
{
	struct gather *g = ctx;
	session_workers *w = g->w;
	if (strncmp(function, g->prefix, g->prefix_len) != 0)
		return;   /* another installation's */
	w->fns = xrealloc(w->fns, (w->nfns + 1) * sizeof *w->fns);
	w->fns[w->nfns].server = NULL;
	w->fns[w->nfns].route = xstrdup(function + g->prefix_len);
	w->fns[w->nfns].st = *st;
	w->nfns++;
}

static void gather_server(void *ctx, const char *server, const char *error)
{
	struct gather *g = ctx;
	session_workers *w = g->w;
	w->servers = xrealloc(w->servers, (w->nservers + 1) * sizeof *w->servers);
	w->servers[w->nservers].address = xstrdup(server);
	w->servers[w->nservers].error = error ? xstrdup(error) : NULL;
	w->nservers++;
	for (; g->pending < w->nfns; g->pending++)
		w->fns[g->pending].server = xstrdup(server);
}

static void gather_paused(void *ctx, const char *route, const char *by, jd_time at)
{
	session_workers *w = ctx;
	w->paused = xrealloc(w->paused, (w->npaused + 1) * sizeof *w->paused);
	w->paused[w->npaused].route = xstrdup(route);
	w->paused[w->npaused].by = xstrdup(by ? by : "");
	w->paused[w->npaused].at = at;
	w->npaused++;
}

static void add_route(session_workers *w, const char *route, size_t len)
{
	while (len && route[0] == ' ')
		route++, len--;
	if (!len)
		return;
	for (size_t i = 0; i < w->nroutes; i++)
		if (strlen(w->routes[i]) == len && strncmp(w->routes[i], route, len) == 0)
			return;
	w->routes = xrealloc(w->routes, (w->nroutes + 1) * sizeof *w->routes);
	char *copy = xcalloc(len + 1, 1);
	memcpy(copy, route, len);
	w->routes[w->nroutes++] = copy;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every route of the namespace that anything knows of, sorted. */
static void gather_routes(session_workers *w)
{
	for (size_t i = 0; i < w->nfns; i++)
		add_route(w, w->fns[i].route, strlen(w->fns[i].route));
	for (size_t i = 0; i < w->npaused; i++)
		add_route(w, w->paused[i].route, strlen(w->paused[i].route));
	for (size_t i = 0; i < w->workers.n; i++) {
		const worker_row *r = &w->workers.v[i];
		if (!r->routes || (r->ns && strcmp(r->ns, w->ns) != 0))
			continue;
		for (const char *p = r->routes; *p;) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			add_route(w, p, len);
			p += len + (e ? 1 : 0);
		}
	}
	qsort(w->routes, w->nroutes, sizeof *w->routes, cmp_str);
}

static void run_workers(session *s, session_result *r)
{
	session_workers *w = xcalloc(1, sizeof *w);
	snprintf(w->ns, sizeof w->ns, "%s", config_namespace());
	if (workers_list(s->d, config_heartbeat_timeout(), &w->workers) < 0 ||
	    workers_throughput(s->d, &w->tp) < 0 ||
	    jobs_paused(s->d, w->ns, gather_paused, w) < 0) {
		session_workers_free(w);
		fail(s, r);
		return;
	}
	struct gather g = { w, 0, 0, "" };
	snprintf(g.prefix, sizeof g.prefix, "%s:", w->ns);
	g.prefix_len = strlen(g.prefix);
	queue_status_by_server(config_gearman_servers(), 2000, gather_server, &g, gather_function, &g);
	gather_routes(w);
	r->workers = w;
}

static void run_retry(session *s, const struct cmd *c, session_result *r)
{
	jobs_retry_result *v = NULL;
	size_t k = 0;
	r->job_id = c->id;
	r->retry = JOBS_RETRY_MISSING;
	if (jobs_retry(s->d, &c->id, 1, &v, &k) < 0) {
		fail(s, r);
		return;
	}
	if (k == 1) {
		r->retry = v[0].outcome;
		r->new_id = v[0].new_id;
	}
	bulk_result b;
	memset(&b, 0, sizeof b);
	bulk_hand_over(config_gearman_servers(), v, k, &b);
	if (b.queued_failed)
		snprintf(r->queue_error, sizeof r->queue_error, "%s", b.error);
	free(v);
}

static void run_plan(session *s, const struct cmd *c, session_result *r)
{
	jobs_query q = { c->view.tab, c->view.filter, c->view.sort, c->view.ascending };
	if ((c->on_query ? bulk_plan_query(s->d, c->action, &q, &r->plan)
			 : bulk_plan_ids(s->d, c->action, c->ids, c->nids, &r->plan)) < 0)
		fail(s, r);
}

static void run_bulk(session *s, const struct cmd *c, session_result *r)
{
	r->plan.action = c->action;
	r->plan.ids = xcalloc(c->nids ? c->nids : 1, sizeof *r->plan.ids);
	if (c->nids)
		memcpy(r->plan.ids, c->ids, c->nids * sizeof *c->ids);
	r->plan.n = c->nids;
	if (bulk_run(s->d, &r->plan, config_gearman_servers(), &r->bulk) < 0)
		fail(s, r);
	else if (c->action == BULK_CLEAR)
		s->purging = true;   /* the cleared jobs' output goes in idle moments */
}

/* The operations' requests; false when c is none of them. */
static bool run_operation(session *s, const struct cmd *c, session_result *r)
{
	switch (c->kind) {
	case SESSION_R_WORKERS:
		run_workers(s, r);
		return true;
	case SESSION_R_PAUSE:
		snprintf(r->route, sizeof r->route, "%s", c->path);
		r->paused = c->force;
		if ((c->force ? jobs_pause : jobs_resume)(s->d, config_namespace(), c->path, &r->n) < 0)
			fail(s, r);
		return true;
	case SESSION_R_RETRY:
		run_retry(s, c, r);
		return true;
	case SESSION_R_COUNT: {
		jobs_query q = { c->view.tab, c->view.filter, c->view.sort, c->view.ascending };
		int64_t *ids = NULL;
		size_t n = 0;
		if (jobs_ids(s->d, &q, &ids, &n) < 0)
			fail(s, r);
		r->n = (int64_t)n;
		free(ids);
		return true;
	}
	case SESSION_R_PLAN:
		run_plan(s, c, r);
		return true;
	case SESSION_R_BULK:
		run_bulk(s, c, r);
		return true;
	default:
		return false;
	}
}

/* The detail pane's requests: an output search, the tab counts of a filter. */
static void run_detail_cmd(session *s, struct cmd *c, session_result *r)
{
	if (c->kind == SESSION_R_SEARCH) {
		size_t n = 0;
		r->job_id = c->id;
		r->offsets = xcalloc(c->max, sizeof *r->offsets);
		if (jobs_output_search(s->d, c->id, c->text, r->offsets, c->max, &n, &r->n) < 0)
			fail(s, r);
		r->noffsets = n;
		return;
	}
	for (int t = 0; t < JOBS_NTABS; t++) {
		jobs_query q = { (jobs_tab)t, c->view.filter, c->view.sort, c->view.ascending };
		if (jobs_count_upto(s->d, &q, c->cap, &r->counts[t]) < 0) {
			fail(s, r);
			return;
		}
	}
}

static void run_cmd(session *s, struct cmd *c)
{
	session_result *r = result_new(c->kind, c->seq);
	if (run_operation(s, c, r)) {   /* workers, pause, retry, count, plan, bulk */
		post(s, r);
		return;
	}
	switch (c->kind) {
	case SESSION_R_CLEAR_COUNT:
		if (jobs_clear_count(s->d, &r->n) < 0)
			fail(s, r);
		break;
	case SESSION_R_CLEAR:
		if (jobs_clear(s->d, &r->n) < 0)
			fail(s, r);
		else
			s->purging = true;   /* the cleared jobs' output goes in idle moments */
		break;
	case SESSION_R_EXPORT: {
		jobs_query q = { c->view.tab, c->view.filter, c->view.sort, c->view.ascending };
		snprintf(r->path, sizeof r->path, "%s", c->path);
		if (export_to_path(s->d, &q, c->path, c->force, &r->n, r->msg, sizeof r->msg) < 0) {
			r->ok = false;
			check_lost(s);
		}
		break;
	}
	case SESSION_R_CANCEL:
		r->job_id = c->id;
		if (jobs_cancel(s->d, c->id, &r->cancel) < 0)
			fail(s, r);
		break;
	case SESSION_R_DOWNLOAD:
		r->job_id = c->id;
		if (download_to_path(s->d, c->id, c->path, c->force, &r->n, r->path, sizeof r->path, r->msg,
				     sizeof r->msg) < 0) {
			r->ok = false;
			check_lost(s);
		}
		break;
	case SESSION_R_SEARCH:
	case SESSION_R_TAB_COUNTS:
		run_detail_cmd(s, c, r);
		break;
	default:
		break;
	}
	post(s, r);
}

/* ==== notifications ==== */

/* Which channels spoke (db/044, db/047: the payloads name no job). */
struct notes {
	bool jobs, output;
};

static void on_notify(void *ctx, const char *channel, const char *payload)
{
	struct notes *n = ctx;
	(void)payload;
	if (strncmp(channel, "jobdeck_output_", 15) == 0)
		n->output = true;
	else
		n->jobs = true;
}

static void post_notify(session *s, bool output_only)
{
	session_result *r = result_new(SESSION_R_NOTIFY, 0);
	r->output_only = output_only;
	post(s, r);
}

static void read_notifies(session *s)
{
	struct notes n = { false, false };
	if (db_notifies(s->d, on_notify, &n) < 0) {
		check_lost(s);
		return;
	}
	if (!db_connected(s->d)) {
		db_set_error(s->d, DB_FAIL_CONNECT, "lost connection to the database");
		check_lost(s);
	}
	if (n.jobs)
		post_notify(s, false);
	if (n.output)
		post_notify(s, true);
}

/* ==== the thread ==== */

static void drain(int fd)
{
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

static bool stopping(session *s)
{
	pthread_mutex_lock(&s->mu);
	bool stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

/* The next request to run, one-off requests first, or NULL; none while disconnected (they
 * wait for the connection to come back). Sets *stop when the session is stopping. */
static struct cmd *take_request(session *s, bool *stop)
{
	struct cmd *c = NULL;
	pthread_mutex_lock(&s->mu);
	*stop = s->stop;
	if (s->connected && s->head) {
		c = s->head;
		s->head = c->next;
		if (!s->head)
			s->tail = NULL;
	} else if (s->connected && s->view) {
		c = s->view;
		s->view = NULL;
	}
	pthread_mutex_unlock(&s->mu);
	return c;
}

/* Disconnected: waits *backoff ms (or until woken), then tries once to reconnect, doubling
 * the wait up to 4 s after each failure. Returns false when the session is stopping. */
static bool reconnect(session *s, int *backoff)
{
	struct pollfd p = { s->wake[0], POLLIN, 0 };
	if (poll(&p, 1, *backoff) > 0)
		drain(s->wake[0]);
	if (stopping(s))
		return false;
	if (db_reconnect(s->d) == 0) {
		s->connected = true;
		*backoff = 250;
		post_state(s);
		post_notify(s, false);   /* anything may have changed meanwhile */
	} else {
		*backoff = *backoff * 2 > 4000 ? 4000 : *backoff * 2;
		post_state(s);
	}
	return true;
}

/* Connected and nothing asked: the chores, then a sleep until a request, a notification or
 * a second passes (no sleep while output remains to purge). -1 when poll fails. */
static int idle(session *s)
{
	/* end command-line runs that died silently (no worker may be running to sweep them),
	 * at once and every half minute; a job that ends notifies */
	if (jd_now() >= s->next_lost) {
		jobs_end_lost_runs(s->d, NULL);
		s->next_lost = jd_now() + 30 * 1000 * 1000;
	}
	/* delete the output of cleared jobs in short slices, between requests */
	if (s->purging && jobs_output_purge(s->d, 50, NULL) != 1)
		s->purging = false;
	/* notifications that came in with the answer to a query wait in libpq, not on the
	 * socket: take them before sleeping on it */
	read_notifies(s);
	struct pollfd p[2] = { { s->wake[0], POLLIN, 0 }, { db_socket(s->d), POLLIN, 0 } };
	int n = poll(p, p[1].fd >= 0 ? 2 : 1, s->purging ? 0 : 1000);
	if (n < 0 && errno != EINTR)
		return -1;
	if (n > 0 && (p[0].revents & POLLIN))
		drain(s->wake[0]);
	if (n > 0 && p[1].fd >= 0 && p[1].revents)
		read_notifies(s);
	return 0;
}

static void *thread_main(void *arg)
{
	session *s = arg;
	int backoff = 250;
	s->connected = db_connected(s->d);
	if (s->connected) {
		db_listen(s->d, "jobdeck_jobs");
	}
	post_state(s);
	for (;;) {
		bool stop;
		struct cmd *c = take_request(s, &stop);
		if (stop) {
			cmd_free(c);
			break;
		}
		if (c) {
			if (c->kind == SESSION_R_VIEW)
				run_view(s, c);
			else
				run_cmd(s, c);
			cmd_free(c);
		} else if (!s->connected) {
			if (!reconnect(s, &backoff))
				break;
		} else if (idle(s) < 0) {
			break;
		}
	}
	return NULL;
}

static int pipe_nb(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	return 0;
}

session *session_start(db *d)
{
	session *s = xcalloc(1, sizeof *s);
	s->d = d;
	pthread_mutex_init(&s->mu, NULL);
	if (pipe_nb(s->wake) < 0) {
		free(s);
		return NULL;
	}
	if (pipe_nb(s->out) < 0) {
		close(s->wake[0]), close(s->wake[1]);
		free(s);
		return NULL;
	}
	fcntl(s->wake[1], F_SETFL, fcntl(s->wake[1], F_GETFL) | O_NONBLOCK);
	/* signals (resize, interrupt) belong to the caller's thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&s->thread, NULL, thread_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		close(s->wake[0]), close(s->wake[1]), close(s->out[0]), close(s->out[1]);
		free(s);
		return NULL;
	}
	return s;
}

void session_stop(session *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_mutex_unlock(&s->mu);
	wake(s);
	pthread_join(s->thread, NULL);
	session_result *r;
	while ((r = session_next(s)))
		session_result_free(r);
	cmd_free(s->view);
	while (s->head) {
		struct cmd *c = s->head;
		s->head = c->next;
		cmd_free(c);
	}
	close(s->wake[0]), close(s->wake[1]), close(s->out[0]), close(s->out[1]);
	pthread_mutex_destroy(&s->mu);
	db_close(s->d);
	free(s);
}
