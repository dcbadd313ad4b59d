/* fetch.c — the dashboard's database thread (see fetch.h).
 *
 * One mutex guards the request slots; the thread sleeps in poll() on a wake pipe and the
 * connection's socket, so it hears both new requests and NOTIFY without spinning. Results
 * travel to the UI as pointers written whole into a pipe. */
#include "ui/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "util.h"

struct cmd {
	fetch_kind kind;
	uint64_t seq;
	fetch_view view;
	char *path;
	bool force;
	int64_t id;                /* FETCH_R_CANCEL: the job */
	struct cmd *next;
};

struct fetch {
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
};

/* ==== requests (UI thread) ==== */

static void view_copy(fetch_view *dst, const fetch_view *src)
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
	free(c);
}

static void wake(fetch *f)
{
	char b = 1;
	ssize_t rc = write(f->wake[1], &b, 1);
	(void)rc;   /* a full pipe already means "wake up" */
}

static uint64_t submit(fetch *f, struct cmd *c)
{
	pthread_mutex_lock(&f->mu);
	c->seq = ++f->seq;
	if (c->kind == FETCH_R_VIEW) {
		cmd_free(f->view);
		f->view = c;
	} else {
		if (f->tail)
			f->tail->next = c;
		else
			f->head = c;
		f->tail = c;
	}
	uint64_t seq = c->seq;
	pthread_mutex_unlock(&f->mu);
	wake(f);
	return seq;
}

uint64_t fetch_view_request(fetch *f, const fetch_view *v)
{
	struct cmd *c = xcalloc(1, sizeof *c);
	c->kind = FETCH_R_VIEW;
	view_copy(&c->view, v);
	return submit(f, c);
}

uint64_t fetch_clear_count(fetch *f)
{
	struct cmd *c = xcalloc(1, sizeof *c);
	c->kind = FETCH_R_CLEAR_COUNT;
	return submit(f, c);
}

uint64_t fetch_clear(fetch *f)
{
	struct cmd *c = xcalloc(1, sizeof *c);
	c->kind = FETCH_R_CLEAR;
	return submit(f, c);
}

uint64_t fetch_export(fetch *f, const fetch_view *v, const char *path, bool force)
{
	struct cmd *c = xcalloc(1, sizeof *c);
	c->kind = FETCH_R_EXPORT;
	view_copy(&c->view, v);
	c->path = xstrdup(path);
	c->force = force;
	return submit(f, c);
}

uint64_t fetch_cancel(fetch *f, int64_t id)
{
	struct cmd *c = xcalloc(1, sizeof *c);
	c->kind = FETCH_R_CANCEL;
	c->id = id;
	return submit(f, c);
}

/* ==== results ==== */

int fetch_fd(const fetch *f) { return f->out[0]; }

fetch_result *fetch_next(fetch *f)
{
	fetch_result *r;
	ssize_t n = read(f->out[0], &r, sizeof r);
	return n == (ssize_t)sizeof r ? r : NULL;
}

void fetch_result_free(fetch_result *r)
{
	if (!r)
		return;
	job_list_release(&r->rows);
	if (r->has_detail) {
		job_detail_release(&r->detail);
		job_output_release(&r->output);
	}
	free(r);
}

static fetch_result *result_new(fetch_kind kind, uint64_t seq)
{
	fetch_result *r = xcalloc(1, sizeof *r);
	r->kind = kind;
	r->seq = seq;
	r->ok = true;
	r->sel = -1;
	return r;
}

static void post(fetch *f, fetch_result *r)
{
	/* a pointer is far below PIPE_BUF, so the write is whole */
	while (write(f->out[1], &r, sizeof r) < 0) {
		if (errno != EINTR) {
			fetch_result_free(r);
			return;
		}
	}
}

static void post_state(fetch *f)
{
	fetch_result *r = result_new(FETCH_R_STATE, 0);
	r->connected = f->connected;
	r->ok = f->connected;
	snprintf(r->msg, sizeof r->msg, "%s", f->connected ? "" : db_error(f->d));
	snprintf(r->user, sizeof r->user, "%s", db_user(f->d));
	r->admin = db_is_admin(f->d);
	post(f, r);
}

/* After a failed query: was it the connection? Then say so and start reconnecting. */
static void check_lost(fetch *f)
{
	if (db_failure(f->d) == DB_FAIL_CONNECT || !db_connected(f->d)) {
		if (f->connected) {
			f->connected = false;
			post_state(f);
		}
	}
}

static void fail(fetch *f, fetch_result *r)
{
	r->ok = false;
	snprintf(r->msg, sizeof r->msg, "%s", db_error(f->d));
	check_lost(f);
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

static int view_rows(fetch *f, const fetch_view *v, const jobs_query *q, fetch_result *r)
{
	int rows = v->rows > 0 ? v->rows : 20;
	job_list before = { NULL, 0 }, at = { NULL, 0 };
	if (v->mode == FETCH_TOP) {
		if (jobs_page(f->d, q, NULL, false, rows * 2, &r->rows) < 0)
			return -1;
		r->sel = r->rows.n ? 0 : -1;
		r->more_after = (int)r->rows.n == rows * 2;
		return 0;
	}
	if (v->mode == FETCH_BOTTOM) {
		if (jobs_page_last(f->d, q, rows * 2, &r->rows) < 0)
			return -1;
		r->sel = (int)r->rows.n - 1;
		r->more_before = (int)r->rows.n == rows * 2;
		return 0;
	}
	if (jobs_page_at(f->d, q, v->at_id, rows + 1, &at) < 0)
		return -1;
	if (at.n == 0 || at.rows[0].id != v->at_id) {
		/* the job left this view: stay where it was, on the row that followed it */
		job_list_release(&at);
		if (v->at_key) {
			jobs_cursor c = { v->at_key, v->at_id };
			if (jobs_page(f->d, q, &c, false, rows + 1, &at) < 0)
				return -1;
			if (at.n == 0 && jobs_page(f->d, q, &c, true, rows, &before) < 0)
				return -1;
		} else if (jobs_page(f->d, q, NULL, false, rows + 1, &at) < 0) {
			return -1;
		}
	}
	if (at.n > 0) {
		jobs_cursor c = { at.rows[0].sort_key, at.rows[0].id };
		if (jobs_page(f->d, q, &c, true, rows, &before) < 0) {
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

static void run_view(fetch *f, struct cmd *c)
{
	fetch_result *r = result_new(FETCH_R_VIEW, c->seq);
	const fetch_view *v = &c->view;
	jobs_query q = { v->tab, v->filter, v->sort, v->ascending };
	if (jobs_counts(f->d, r->counts) < 0 || view_rows(f, v, &q, r) < 0) {
		fail(f, r);
		post(f, r);
		return;
	}
	if (r->sel >= 0) {
		int64_t id = r->rows.rows[r->sel].id;
		if (jobs_get(f->d, id, &r->detail) == 0) {
			if (jobs_output_tail(f->d, id, v->tail_bytes ? v->tail_bytes : 65536, &r->output) < 0) {
				job_detail_release(&r->detail);
				if (db_failure(f->d) == DB_FAIL_CONNECT) {
					fail(f, r);
					post(f, r);
					return;
				}
			} else {
				r->has_detail = true;
			}
		} else if (db_failure(f->d) == DB_FAIL_CONNECT) {
			fail(f, r);
			post(f, r);
			return;
		}
	}
	r->at = jd_now();
	post(f, r);
}

static void run_cmd(fetch *f, struct cmd *c)
{
	fetch_result *r = result_new(c->kind, c->seq);
	switch (c->kind) {
	case FETCH_R_CLEAR_COUNT:
		if (jobs_clear_count(f->d, &r->n) < 0)
			fail(f, r);
		break;
	case FETCH_R_CLEAR:
		if (jobs_clear(f->d, &r->n) < 0)
			fail(f, r);
		else
			f->purging = true;   /* the cleared jobs' output goes in idle moments */
		break;
	case FETCH_R_EXPORT: {
		jobs_query q = { c->view.tab, c->view.filter, c->view.sort, c->view.ascending };
		snprintf(r->path, sizeof r->path, "%s", c->path);
		if (export_to_path(f->d, &q, c->path, c->force, &r->n, r->msg, sizeof r->msg) < 0) {
			r->ok = false;
			check_lost(f);
		}
		break;
	}
	case FETCH_R_CANCEL:
		r->job_id = c->id;
		if (jobs_cancel(f->d, c->id, &r->cancel) < 0)
			fail(f, r);
		break;
	default:
		break;
	}
	post(f, r);
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
	if (strcmp(channel, "jobdeck_output") == 0)
		n->output = true;
	else
		n->jobs = true;
}

static void post_notify(fetch *f, bool output_only)
{
	fetch_result *r = result_new(FETCH_R_NOTIFY, 0);
	r->output_only = output_only;
	post(f, r);
}

static void read_notifies(fetch *f)
{
	struct notes n = { false, false };
	if (db_notifies(f->d, on_notify, &n) < 0) {
		check_lost(f);
		return;
	}
	if (!db_connected(f->d)) {
		db_set_error(f->d, DB_FAIL_CONNECT, "lost connection to the database");
		check_lost(f);
	}
	if (n.jobs)
		post_notify(f, false);
	if (n.output)
		post_notify(f, true);
}

/* ==== the thread ==== */

static void drain(int fd)
{
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

static void *thread_main(void *arg)
{
	fetch *f = arg;
	int backoff = 250;
	f->connected = db_connected(f->d);
	if (f->connected) {
		db_listen(f->d, "jobdeck_jobs");
		db_listen(f->d, "jobdeck_output");
	}
	post_state(f);
	for (;;) {
		pthread_mutex_lock(&f->mu);
		bool stop = f->stop;
		struct cmd *c = NULL;
		if (f->connected && f->head) {
			c = f->head;
			f->head = c->next;
			if (!f->head)
				f->tail = NULL;
		} else if (f->connected && f->view) {
			c = f->view;
			f->view = NULL;
		}
		pthread_mutex_unlock(&f->mu);
		if (stop) {
			cmd_free(c);
			break;
		}
		if (c) {
			if (c->kind == FETCH_R_VIEW)
				run_view(f, c);
			else
				run_cmd(f, c);
			cmd_free(c);
			continue;
		}
		if (!f->connected) {
			struct pollfd p = { f->wake[0], POLLIN, 0 };
			if (poll(&p, 1, backoff) > 0)
				drain(f->wake[0]);
			pthread_mutex_lock(&f->mu);
			stop = f->stop;
			pthread_mutex_unlock(&f->mu);
			if (stop)
				break;
			if (db_reconnect(f->d) == 0) {
				f->connected = true;
				backoff = 250;
				post_state(f);
				post_notify(f, false);   /* anything may have changed meanwhile */
			} else {
				backoff = backoff * 2 > 4000 ? 4000 : backoff * 2;
				post_state(f);
			}
			continue;
		}
		/* Idle: end command-line runs that died silently (no worker may be running to
		 * sweep them), at once and every half minute; a job that ends notifies. */
		if (jd_now() >= f->next_lost) {
			jobs_end_lost_runs(f->d, NULL);
			f->next_lost = jd_now() + 30 * 1000 * 1000;
		}
		/* Idle: delete the output of cleared jobs in short slices, between requests. */
		if (f->purging && jobs_output_purge(f->d, 50, NULL) != 1)
			f->purging = false;
		/* notifications that came in with the answer to a query wait in libpq, not on the
		 * socket: take them before sleeping on it */
		read_notifies(f);
		struct pollfd p[2] = { { f->wake[0], POLLIN, 0 }, { db_socket(f->d), POLLIN, 0 } };
		int n = poll(p, p[1].fd >= 0 ? 2 : 1, f->purging ? 0 : 1000);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (p[0].revents & POLLIN))
			drain(f->wake[0]);
		if (n > 0 && p[1].fd >= 0 && p[1].revents)
			read_notifies(f);
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

fetch *fetch_start(db *d)
{
	fetch *f = xcalloc(1, sizeof *f);
	f->d = d;
	pthread_mutex_init(&f->mu, NULL);
	if (pipe_nb(f->wake) < 0 || pipe_nb(f->out) < 0) {
		free(f);
		return NULL;
	}
	fcntl(f->wake[1], F_SETFL, fcntl(f->wake[1], F_GETFL) | O_NONBLOCK);
	/* signals (resize, interrupt) belong to the UI thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&f->thread, NULL, thread_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		close(f->wake[0]), close(f->wake[1]), close(f->out[0]), close(f->out[1]);
		free(f);
		return NULL;
	}
	return f;
}

void fetch_stop(fetch *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = true;
	pthread_mutex_unlock(&f->mu);
	wake(f);
	pthread_join(f->thread, NULL);
	fetch_result *r;
	while ((r = fetch_next(f)))
		fetch_result_free(r);
	cmd_free(f->view);
	while (f->head) {
		struct cmd *c = f->head;
		f->head = c->next;
		cmd_free(c);
	}
	close(f->wake[0]), close(f->wake[1]), close(f->out[0]), close(f->out[1]);
	pthread_mutex_destroy(&f->mu);
	db_close(f->d);
	free(f);
}
