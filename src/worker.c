/* worker.c — `jobdeck worker`: see worker.h. */
#include "worker.h"

#include <errno.h>
#include <libgearman/gearman.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "jobtypes/jobtypes.h"
#include "queue.h"
#include "runner.h"
#include "tasks.h"
#include "text.h"
#include "util.h"
#include "workers.h"

#define SWEEP_BATCH 5000
#define TAKE_MAX    64                  /* jobs taken from gearmand at once, at most */
#define GIVE_BACK_AFTER (100 * 1000)    /* µs: claimed jobs not started by then are given back */
#define RETRY_FIRST (125 * 1000)        /* µs: a lost gearmand is tried again after this, */
#define RETRY_MAX   (2000 * 1000)       /* doubling up to this */
#define PROBE_MS    500                 /* a lost gearmand's admin "version" answers within this */
#define WAIT_MS     500                 /* waiting for a job on the only server up, */
#define SLICE_MS    5                   /* or on each of several in turn */

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Sleeps up to s seconds; returns early when asked to stop. */
static void pause_for(double s)
{
	jd_time end = jd_now() + (jd_time)(s * 1e6);
	while (!stopping && jd_now() < end) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* ==== one worker process ==== */

struct route {
	char type[64];
	char task[72];
	char route[160];        /* TYPE or command:TASK */
	char fn[256];
	bool paused;            /* not registered with gearmand while paused (db/051) */
};

/* One gearmand server. libgearman's worker reconnects to a server that is down on every
 * call and reports no error: among several servers it keeps trying the dead one unseen, and
 * when all are down it spins at a whole core. So each server has a worker of its own, and one
 * that seems down is asked directly, then left alone for a while (a backoff up to 2 s), with
 * one log line when it is lost and one when it is back. */
struct gm_server {
	char host[256];
	int port;
	char name[300];
	gearman_worker_st *w;   /* NULL while down (or not made yet) */
	bool lost;              /* said so in the log */
	jd_time next_try, backoff;
	int idle;               /* waits in a row that woke at once for nothing */
	bool woke;
};

struct slot {
	char name[160];
	const char *ns;
	const char *servers;
	double timeout;
	db *d;
	runner *run;
	const tasks *tasks;
	int64_t max_jobs, done;
	int concurrency;        /* of its --concurrency group, for its beats */
	bool beat_failed;
	struct route *routes;
	size_t nroutes;
	queue *sweepq;          /* used by the sweep, on the runner's thread */
	queue *backq;           /* gives jobs back when stopping, on the main thread */
	bool db_down;
	struct gm_server *gms;
	size_t ngms, next_gm;
	/* ids gearmand handed over, not claimed yet; how many to take at once (1 to TAKE_MAX:
	 * doubles while batches run quickly, back to 1 when one ran long) */
	int64_t taken[TAKE_MAX];
	const struct route *taken_on[TAKE_MAX];   /* the function each came on */
	size_t ntaken, take;
	/* claimed jobs of the current batch that have not started, shared with the runner's
	 * thread, which gives them back when the batch runs long (mu guards these) */
	pthread_mutex_t mu;
	int64_t waiting[TAKE_MAX];
	size_t nwaiting;
	jd_time claimed_at;
	/* written by the runner's thread (mu guards these): what it has done, for its beats;
	 * which routes are paused now, for the main loop to register the rest */
	int64_t completed, failed;
	bool *paused_now;
	bool paused_changed;
};

static void logf_(const struct slot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const struct slot *s, const char *fmt, ...)
{
	char when[40];
	fmt_local(jd_now(), when, sizeof when);
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	/* notes and types come from jobs: one sanitiser before any of it reaches a terminal */
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)m, strlen(m), &sb, 0);
	fprintf(stderr, "%s worker %s: %s\n", when, s->name, sb.buf ? sb.buf : "");
	sb_release(&sb);
	free(m);
}

/* Whether a claimed job may run here, as handed over on route r: a job runs only as the type
 * (and task) it was handed over as, and only with parameters its type's rules accept (checked
 * at submit already, by the client and the database; checked here as well, for what was
 * recorded before them). 0, or -1 with the job failed. */
static int check_claimed(job_ctx *j, const jobtype *t, const struct route *r)
{
	const job_claim *c = j->job;
	const char *tk = strcmp(c->type, "command") == 0 ? job_claim_param(c, "task") : NULL;
	char route[160], err[600];
	queue_route(c->type, tk, route, sizeof route);
	if (r && (strcmp(r->type, c->type) != 0 || strcmp(r->task, tk ? tk : "") != 0))
		return job_fail(j, "Handed over as %s but recorded as %s; not run", r->fn, route);
	if (!t)
		return job_fail(j, "Unknown job type '%s'", c->type);
	if (jobtype_check(t, &c->params, c->object_id, err, sizeof err) < 0)
		return job_fail(j, "Not run: %s", err);
	return 0;
}

/* The job's file goes into the database (db/054), for its user to download on any machine,
 * and the worker's copy goes: the downloads folder is only scratch space. A file over the
 * site's limit fails the job and is not kept. Returns the job's outcome (0 or -1). */
static int keep_file(struct slot *s, job_ctx *j, int rc)
{
	char *path = j->download_path;
	const char *base = strrchr(path, '/');
	char *name = xstrdup(base ? base + 1 : path);
	int64_t made = j->download_size, size, limit;
	int st = jobs_file_store(s->d, j->job->id, s->name, path, name, &size, &limit);
	unlink(path);
	free(path);
	j->download_path = NULL;
	j->download_size = 0;
	if (st == 0) {
		j->download_path = name;
		j->download_size = size;
		return rc;
	}
	if (st == 1) {
		char a[32], b[32];
		job_size_text(made, a, sizeof a);
		job_size_text(limit, b, sizeof b);
		rc = job_fail(j, "The file %s (%s) is larger than the limit of %s (%lld bytes, settings.file_max_bytes): not kept",
			      name, a, b, (long long)limit);
	} else {
		/* (a job handed to another worker meanwhile is refused here: its end will not be
		 * recorded either) */
		rc = job_fail(j, "Could not store the file %s: %s", name, db_error(s->d));
	}
	free(name);
	return rc;
}

static void run_claimed(struct slot *s, const job_claim *c, const struct route *on, double delay)
{
	runner_begin(s->run, c->id);
	job_ctx j;
	job_ctx_init(&j, s->d, c, s->run, s->tasks);
	jd_time t0 = jd_now();
	const jobtype *t = jobtype_find(c->type);
	int rc = check_claimed(&j, t, on);
	if (rc == 0)
		rc = t->run(&j);
	char who[64];
	bool moved = runner_lost(s->run);
	if (moved)   /* its end is refused too: see on_ended */
		logf_(s, "job %lld (%s, attempt %d) was handed to another worker while this one was silent; "
		      "stopped it after %.1fs", (long long)c->id, c->type, c->attempts, (double)(jd_now() - t0) / 1e6);
	else if (rc != 0 && runner_cancelled(s->run, who, sizeof who) && strncmp(j.note.buf, "Cancelled by ", 13) != 0)
		job_note(&j, "Cancelled by %s", who);
	if (j.download_path)
		rc = keep_file(s, &j, rc);
	if (!j.note.len)
		job_note(&j, rc == 0 ? "Completed" : "Failed");
	runner_end(s->run);
	/* the runner's thread writes the end, with others when they come quickly */
	job_end e = { c->id, rc == 0 ? JOB_COMPLETED : JOB_ERROR, j.note.buf, j.download_path,
		      j.download_size, delay };
	runner_finish(s->run, &e);
	char dur[32];
	fmt_duration(jd_now() - t0, dur, sizeof dur);
	logf_(s, "job %lld (%s, attempt %d) %s in %s: %s", (long long)c->id, c->type, c->attempts,
	      job_status_name(e.status), dur, j.note.buf);
	job_ctx_release(&j);
}

/* On the runner's thread, once an end is written. */
static void on_ended(void *ctx, const job_end *e, bool recorded)
{
	struct slot *s = ctx;
	if (recorded) {
		pthread_mutex_lock(&s->mu);
		if (e->status == JOB_COMPLETED)
			s->completed++;
		else
			s->failed++;
		pthread_mutex_unlock(&s->mu);
		return;
	}
	logf_(s, "job %lld was handed to another worker while this one was silent; result dropped",
	      (long long)e->id);
}

static void on_stalled(void *ctx, size_t n, const char *why)
{
	logf_(ctx, "cannot record the end of %zu job%s yet (%s); keeping %s and retrying", n,
	      n == 1 ? "" : "s", why, n == 1 ? "it" : "them");
}

/* gearmand hands over a job: its id is taken, and gearmand forgets it (the database is the
 * record; a job taken and never claimed waits there, and the sweep hands it over again). */
static void *on_job(gearman_job_st *gj, void *ctx, size_t *result_size, gearman_return_t *ret)
{
	struct slot *s = ctx;
	*result_size = 0;
	*ret = GEARMAN_SUCCESS;
	char ids[24];
	size_t n = gearman_job_workload_size(gj);
	snprintf(ids, sizeof ids, "%.*s", (int)(n < sizeof ids ? n : sizeof ids - 1),
		 (const char *)gearman_job_workload(gj));
	int64_t id = parse_count(ids);
	const char *fn = gearman_job_function_name(gj);
	const struct route *on = NULL;
	for (size_t i = 0; fn && i < s->nroutes && !on; i++)
		if (strcmp(s->routes[i].fn, fn) == 0)
			on = &s->routes[i];
	if (id <= 0) {
		logf_(s, "ignored a gearman job whose workload is not a job id");
	} else if (s->ntaken < TAKE_MAX) {
		s->taken_on[s->ntaken] = on;
		s->taken[s->ntaken++] = id;
	}
	return NULL;
}

/* Hands the listed jobs to gearmand; mark: record queued_at (jobs not yet marked). */
static int hand_over(struct slot *s, queue *q, db *d, const jobs_requeue_list *l, bool mark)
{
	int ok = 0;
	for (size_t i = 0; i < l->n; i++) {
		char route[160], fn[256], err[400];
		queue_route(l->v[i].type, l->v[i].task, route, sizeof route);
		queue_function(s->ns, route, fn, sizeof fn);
		if (queue_submit(q, fn, l->v[i].id, 5000, err, sizeof err) < 0) {
			logf_(s, "cannot hand job %lld to gearmand: %s", (long long)l->v[i].id, err);
			break;
		}
		if (mark)
			jobs_mark_queued(d, l->v[i].id);
		ok++;
	}
	return ok;
}

/* Gives claimed jobs back to the database and gearmand, for any worker to run. */
static void give_back(struct slot *s, db *d, queue *q, const int64_t *ids, size_t n)
{
	jobs_requeue_list l;
	if (jobs_release_many(d, ids, n, s->name, &l) < 0) {
		logf_(s, "cannot give back %zu job%s: %s; the sweep will", n, n == 1 ? "" : "s", db_error(d));
		return;
	}
	int k = hand_over(s, q, d, &l, false);
	if (l.n)
		logf_(s, "gave back %zu job%s that had not started (handed to gearmand again: %d)", l.n,
		      l.n == 1 ? "" : "s", k);
	jobs_requeue_list_release(&l);
}

/* On the runner's thread: a batch that runs long gives back the jobs it has not started. */
static void on_tick(void *ctx, db *d)
{
	struct slot *s = ctx;
	int64_t ids[TAKE_MAX];
	size_t n = 0;
	pthread_mutex_lock(&s->mu);
	if (s->nwaiting && jd_now() - s->claimed_at >= GIVE_BACK_AFTER) {
		n = s->nwaiting;
		memcpy(ids, s->waiting, n * sizeof *ids);
		s->nwaiting = 0;
	}
	pthread_mutex_unlock(&s->mu);
	if (n)
		give_back(s, d, s->sweepq, ids, n);
}

/* The route job id was handed over on, among the n taken. */
static const struct route *taken_on(int64_t id, size_t n, const int64_t *ids, const struct route *const *on)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return on[i];
	return NULL;
}

/* Claims the jobs taken from gearmand in one statement and runs them in order. */
static void run_taken(struct slot *s)
{
	job_claim *c;
	size_t n;
	while (jobs_claim_many(s->d, s->taken, s->ntaken, s->name, s->ns, s->timeout, &c, &n) < 0) {
		if (!s->db_down)
			logf_(s, "cannot claim %zu job%s: %s; retrying", s->ntaken, s->ntaken == 1 ? "" : "s",
			      db_error(s->d));
		s->db_down = true;
		if (stopping) {
			s->ntaken = 0;   /* still waiting in the database: the sweep hands them over again */
			return;
		}
		pause_for(1);
	}
	if (s->db_down)
		logf_(s, "database reachable again");
	s->db_down = false;
	size_t ntaken = s->ntaken;
	int64_t taken_ids[TAKE_MAX];
	const struct route *taken_fns[TAKE_MAX];
	memcpy(taken_ids, s->taken, ntaken * sizeof *taken_ids);
	memcpy(taken_fns, s->taken_on, ntaken * sizeof *taken_fns);
	s->ntaken = 0;
	jd_time claimed = jd_now();
	pthread_mutex_lock(&s->mu);
	s->nwaiting = 0;
	for (size_t i = 0; i < n; i++)
		s->waiting[s->nwaiting++] = c[i].id;
	s->claimed_at = claimed;
	pthread_mutex_unlock(&s->mu);
	for (size_t i = 0; i < n; i++) {
		/* a job starts only if it is still waiting (not given back meanwhile), the worker
		 * is not stopping (SIGTERM finishes the current job; the rest go back) and its
		 * route has not been paused since it was taken (it goes back too) */
		const struct route *on = taken_on(c[i].id, ntaken, taken_ids, taken_fns);
		bool mine = false;
		pthread_mutex_lock(&s->mu);
		bool paused = on && s->paused_now[on - s->routes];
		for (size_t k = 0; k < s->nwaiting && !mine && !stopping && !paused; k++)
			if (s->waiting[k] == c[i].id) {
				s->waiting[k] = s->waiting[--s->nwaiting];
				mine = true;
			}
		pthread_mutex_unlock(&s->mu);
		/* claimed longer ago than the heartbeat timeout (this process was stopped, or the
		 * jobs before it ran long): it may have been handed to another worker meanwhile */
		if (mine && jd_now() - claimed > (jd_time)(s->timeout * 1e6) &&
		    jobs_heartbeat(s->d, c[i].id, s->name, NULL, 0) < 0 && db_failure(s->d) == DB_FAIL_NOTFOUND) {
			logf_(s, "job %lld was handed to another worker while this one was silent; not started",
			      (long long)c[i].id);
			mine = false;
		}
		if (mine) {
			run_claimed(s, &c[i], on, (double)(jd_now() - claimed) / 1e6);
			s->done++;
		}
	}
	for (size_t i = 0; i < n; i++)
		job_claim_release(&c[i]);
	free(c);
	pthread_mutex_lock(&s->mu);
	size_t left = s->nwaiting;
	int64_t ids[TAKE_MAX];
	memcpy(ids, s->waiting, left * sizeof *ids);
	s->nwaiting = 0;
	pthread_mutex_unlock(&s->mu);
	/* (a batch that gave jobs back ran this long too) */
	bool slow = jd_now() - claimed >= GIVE_BACK_AFTER;
	if (left) {
		if (!s->backq)
			s->backq = queue_open(s->servers);
		give_back(s, s->d, s->backq, ids, left);
	}
	s->take = slow ? 1 : s->take * 2 > TAKE_MAX ? TAKE_MAX : s->take * 2;
}

/* ==== the sweep (on the runner's thread, with its connection) ==== */

struct gstat {
	char fn[256];
	int64_t total;
};

struct gstats {
	struct gstat *v;
	size_t n;
};

static void collect(void *ctx, const char *function, const queue_fstat *st)
{
	struct gstats *g = ctx;
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].fn, function) == 0) {
			g->v[i].total += st->total;
			return;
		}
	g->v = xrealloc(g->v, (g->n + 1) * sizeof *g->v);
	snprintf(g->v[g->n].fn, sizeof g->v[g->n].fn, "%s", function);
	g->v[g->n++].total = st->total;
}

struct lost_ctx {
	struct slot *s;
	struct gstats *g;
	struct route *want;
	size_t nwant;
};

static void compare(void *ctx, const char *type, const char *taskname, int64_t n)
{
	struct lost_ctx *l = ctx;
	char route[160], fn[256];
	queue_route(type, taskname, route, sizeof route);
	queue_function(l->s->ns, route, fn, sizeof fn);
	int64_t held = 0;
	for (size_t i = 0; i < l->g->n; i++)
		if (strcmp(l->g->v[i].fn, fn) == 0)
			held = l->g->v[i].total;
	if (n <= held)
		return;
	l->want = xrealloc(l->want, (l->nwant + 1) * sizeof *l->want);
	struct route *r = &l->want[l->nwant++];
	snprintf(r->type, sizeof r->type, "%s", type);
	snprintf(r->task, sizeof r->task, "%s", taskname ? taskname : "");
	snprintf(r->fn, sizeof r->fn, "%s", fn);
}

static void sweep(void *ctx, db *d)
{
	struct slot *s = ctx;
	if (jobs_sweep_lock(d, s->ns) != 1)
		return;
	int64_t keep = config_retention(), removed;
	if (keep > 0 && jobs_prune(d, jd_now() - keep, -1, 1000, &removed) == 0 && removed)
		logf_(s, "retention (JOBDECK_RETENTION): removed %lld job%s", (long long)removed, removed == 1 ? "" : "s");
	double grace = s->timeout < 5 ? 2 * s->timeout : 10;
	if (grace < 1)
		grace = 1;
	jobs_requeue_list rq;
	int64_t failed = 0;
	if (jobs_sweep_stale(d, s->ns, s->timeout, &rq, &failed) == 0) {
		for (size_t i = 0; i < rq.n; i++) {
			if (rq.v[i].note) {
				char *line = xasprintf("%s\n", rq.v[i].note);
				jobs_output_append(d, rq.v[i].id, line, strlen(line));
				logf_(s, "sweep: job %lld: %s", (long long)rq.v[i].id, rq.v[i].note);
				free(line);
			}
		}
		hand_over(s, s->sweepq, d, &rq, true);
		if (failed)
			logf_(s, "sweep: %lld job%s ended as Error: worker lost and attempts spent",
			      (long long)failed, failed == 1 ? "" : "s");
		jobs_requeue_list_release(&rq);
	}
	/* Jobs gearmand lost (a restart) or never got (a crash between recording and handing
	 * over): more jobs wait in the database than gearmand holds for their function. The
	 * status is read first, so a job counted here was already queued when it was read. */
	struct gstats g = { NULL, 0 };
	char err[400];
	if (queue_status(s->servers, 2000, collect, &g, err, sizeof err) > 0) {
		struct lost_ctx l = { s, &g, NULL, 0 };
		if (jobs_sweep_waiting(d, s->ns, grace, compare, &l) == 0) {
			for (size_t i = 0; i < l.nwant; i++) {
				if (jobs_sweep_unqueued(d, s->ns, l.want[i].type, l.want[i].task[0] ? l.want[i].task : NULL,
							grace, SWEEP_BATCH, &rq) < 0)
					break;
				int n = hand_over(s, s->sweepq, d, &rq, false);
				if (n)
					logf_(s, "sweep: handed %d waiting job%s to gearmand again (%s)", n,
					      n == 1 ? "" : "s", l.want[i].fn);
				jobs_requeue_list_release(&rq);
			}
		}
		free(l.want);
		/* and, whatever the counts say, any job that has waited very long */
		if (jobs_sweep_unqueued(d, s->ns, NULL, NULL, s->timeout * 10 < 30 ? 30 : s->timeout * 10,
					SWEEP_BATCH, &rq) == 0) {
			hand_over(s, s->sweepq, d, &rq, false);
			jobs_requeue_list_release(&rq);
		}
	}
	free(g.v);
	jobs_sweep_unlock(d, s->ns);
}

/* ==== registration and paused routes (on the runner's thread) ==== */

static void beat(struct slot *s, db *d)
{
	const char **routes = xcalloc(s->nroutes, sizeof *routes);
	for (size_t i = 0; i < s->nroutes; i++)
		routes[i] = s->routes[i].route;
	char host[64] = "localhost";
	gethostname(host, sizeof host);
	host[sizeof host - 1] = '\0';
	worker_beat b = { s->name, host, s->ns, (int)getpid(), s->concurrency, routes, s->nroutes, 0, 0 };
	pthread_mutex_lock(&s->mu);
	b.completed = s->completed;
	b.failed = s->failed;
	pthread_mutex_unlock(&s->mu);
	/* one line when it starts failing, not one a beat while the database is away */
	bool failed = workers_beat(d, &b) < 0;
	if (failed && !s->beat_failed)
		logf_(s, "cannot register with the database: %s", db_error(d));
	s->beat_failed = failed;
	free(routes);
}

struct paused_ctx {
	const struct slot *s;
	bool *now;
};

static void mark_paused(void *ctx, const char *route, const char *by, jd_time at)
{
	struct paused_ctx *c = ctx;
	(void)by;
	(void)at;
	for (size_t i = 0; i < c->s->nroutes; i++)
		if (strcmp(c->s->routes[i].route, route) == 0)
			c->now[i] = true;
}

/* Reads which routes are paused; tells the main loop when that changed. */
static void read_paused(struct slot *s, db *d)
{
	bool *now = xcalloc(s->nroutes, sizeof *now);
	struct paused_ctx c = { s, now };
	if (jobs_paused(d, s->ns, mark_paused, &c) == 0) {
		pthread_mutex_lock(&s->mu);
		if (memcmp(now, s->paused_now, s->nroutes * sizeof *now) != 0) {
			memcpy(s->paused_now, now, s->nroutes * sizeof *now);
			s->paused_changed = true;
		}
		pthread_mutex_unlock(&s->mu);
	}
	free(now);
}

/* Every few seconds: a beat, paused routes (in case a notification was missed), the sweep. */
static void chores(void *ctx, db *d)
{
	struct slot *s = ctx;
	beat(s, d);
	read_paused(s, d);
	sweep(s, d);
}

/* jobdeck_pause spoke: which routes are paused changed. */
static void on_notified(void *ctx, db *d)
{
	read_paused(ctx, d);
}

/* ==== the gearman loop ==== */

static gearman_worker_st *gm_worker(struct slot *s, const struct gm_server *g, int timeout_ms)
{
	gearman_worker_st *w = gearman_worker_create(NULL);
	if (!w)
		return NULL;
	if (gearman_failed(gearman_worker_add_server(w, g->host, (in_port_t)g->port))) {
		gearman_worker_free(w);
		return NULL;
	}
	gearman_worker_set_timeout(w, timeout_ms);
	/* jobs are taken a batch at a time: the loop waits, not libgearman */
	gearman_worker_add_options(w, GEARMAN_WORKER_NON_BLOCKING);
	gearman_worker_set_identifier(w, s->name, strlen(s->name));
	for (size_t i = 0; i < s->nroutes; i++)
		if (!s->routes[i].paused)
			gearman_worker_add_function(w, s->routes[i].fn, 0, on_job, s);
	return w;
}

static void gm_drop(struct gm_server *g)
{
	if (g->w)
		gearman_worker_free(g->w);
	g->w = NULL;
	g->idle = 0;
	g->woke = false;
}

/* The server does not answer: no worker for it, tried again later, said once. */
static void gm_lost(struct slot *s, struct gm_server *g, const char *why)
{
	gm_drop(g);
	g->backoff = g->backoff ? g->backoff * 2 : RETRY_FIRST;
	if (g->backoff > RETRY_MAX)
		g->backoff = RETRY_MAX;
	g->next_try = jd_now() + g->backoff;
	size_t n = strlen(g->name);
	if (strncmp(why, "gearmand ", 9) == 0 && strncmp(why + 9, g->name, n) == 0)
		why += 9 + n + (why[9 + n] == ' ' || why[9 + n] == ':');   /* it names the server already */
	while (*why == ' ')
		why++;
	if (!g->lost)
		logf_(s, "gearmand %s lost (%s); trying again every %g s at most", g->name, why, RETRY_MAX / 1e6);
	g->lost = true;
}

/* A server that behaves as if down: asked directly whether it is. If it answers, its worker
 * is made again a little later (whatever state libgearman got into). */
static void gm_check(struct slot *s, struct gm_server *g)
{
	char err[400];
	if (queue_probe(g->host, g->port, PROBE_MS, err, sizeof err) < 0) {
		gm_lost(s, g, err);
		return;
	}
	gm_drop(g);
	g->next_try = jd_now() + RETRY_FIRST;
}

/* A server whose time has come: a lost one must answer first. */
static void gm_connect(struct slot *s, struct gm_server *g)
{
	char err[400];
	if (g->lost && queue_probe(g->host, g->port, PROBE_MS, err, sizeof err) < 0) {
		gm_lost(s, g, err);
		return;
	}
	if (!(g->w = gm_worker(s, g, WAIT_MS))) {
		gm_lost(s, g, "cannot create a gearman worker");
		return;
	}
	if (g->lost)
		logf_(s, "gearmand %s reachable again", g->name);
	g->lost = false;
	g->backoff = 0;
}

/* Takes up to s->take jobs that gearmand has ready (fewer under --max-jobs), without
 * waiting for more to come. Returns the last gearman code: GEARMAN_NO_JOBS when it ran dry. */
static gearman_return_t take(struct slot *s, gearman_worker_st *w)
{
	size_t want = s->take;
	if (s->max_jobs && (int64_t)want > s->max_jobs - s->done)
		want = (size_t)(s->max_jobs - s->done);
	for (;;) {
		if (s->ntaken >= want || stopping)
			return GEARMAN_SUCCESS;
		gearman_return_t rc = gearman_worker_work(w);
		if (rc == GEARMAN_SUCCESS)
			continue;
		if (rc != GEARMAN_IO_WAIT)
			return rc;
		/* a reply is on its way (or the connection is being made) */
		rc = gearman_worker_wait(w);
		if (rc != GEARMAN_SUCCESS)
			return rc;
	}
}

/* Takes in what the runner's thread learnt of paused routes. true when the routes to
 * register changed (the gearman workers are then made again). */
static bool apply_paused(struct slot *s)
{
	bool changed = false;
	pthread_mutex_lock(&s->mu);
	if (s->paused_changed) {
		for (size_t i = 0; i < s->nroutes; i++)
			if (s->routes[i].paused != s->paused_now[i]) {
				s->routes[i].paused = s->paused_now[i];
				logf_(s, "%s %s", s->paused_now[i] ? "paused:" : "resumed:", s->routes[i].fn);
				changed = true;
			}
		s->paused_changed = false;
	}
	pthread_mutex_unlock(&s->mu);
	return changed;
}

static bool any_route_served(const struct slot *s)
{
	for (size_t i = 0; i < s->nroutes; i++)
		if (!s->routes[i].paused)
			return true;
	return false;
}

static bool took_fine(gearman_return_t rc)
{
	return rc == GEARMAN_SUCCESS || rc == GEARMAN_NO_JOBS || rc == GEARMAN_TIMEOUT || rc == GEARMAN_IO_WAIT;
}

/* Waits until one of the servers up says a job came, half a second at most: on the only one
 * in one wait, or on each of several in turn, a short slice each (libgearman waits on one
 * worker's connections at a time; a slice that ends sends nothing, it only polls again), so a
 * job handed to any of them is seen within a slice or two. */
static void wait_any(struct slot *s)
{
	jd_time t0 = jd_now();
	size_t up = 0;
	for (size_t k = 0; k < s->ngms; k++)
		up += s->gms[k].w != NULL;
	bool woke = false;
	for (;;) {
		size_t waited = 0;
		jd_time p0 = jd_now();
		for (size_t i = 0; i < s->ngms && !stopping && !woke; i++) {
			struct gm_server *g = &s->gms[(s->next_gm + i) % s->ngms];
			if (!g->w)
				continue;
			waited++;
			gearman_worker_set_timeout(g->w, up > 1 ? SLICE_MS : WAIT_MS);
			jd_time w0 = jd_now();
			gearman_return_t rc = gearman_worker_wait(g->w);
			if (rc == GEARMAN_TIMEOUT) {
				g->idle = 0;
				continue;
			}
			if (rc != GEARMAN_SUCCESS) {
				gm_check(s, g);   /* no connection to wait on: libgearman lost it */
				continue;
			}
			g->woke = jd_now() - w0 < 2000;
			woke = true;
		}
		/* (a round that did not wait is not repeated: see below) */
		if (woke || stopping || waited < 2 || jd_now() - p0 < 1000 || jd_now() - t0 >= (jd_time)WAIT_MS * 1000)
			break;
	}
	/* whatever libgearman does, a loop that finds nothing does not spin */
	if (jd_now() - t0 < 1000) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* The gearman loop: takes jobs from every server that answers and runs them until asked to
 * stop or --max-jobs. */
static void serve(struct slot *s)
{
	s->take = 1;
	while (!stopping && (s->max_jobs == 0 || s->done < s->max_jobs)) {
		if (apply_paused(s))
			for (size_t k = 0; k < s->ngms; k++)
				gm_drop(&s->gms[k]);   /* its functions changed: register again */
		if (!any_route_served(s)) {
			pause_for(0.2);
			continue;
		}
		jd_time now = jd_now(), next = now + RETRY_MAX;
		size_t up = 0;
		for (size_t k = 0; k < s->ngms; k++)
			up += s->gms[k].w != NULL;
		for (size_t k = 0; k < s->ngms && !stopping; k++) {
			struct gm_server *g = &s->gms[k];
			if (!g->w && now >= g->next_try) {
				gm_connect(s, g);
				up += g->w != NULL;
			}
			if (!g->w && g->next_try < next)
				next = g->next_try;
		}
		if (!up) {
			pause_for((double)(next - jd_now()) / 1e6);
			continue;
		}
		/* from each server in turn, starting with a different one each round */
		for (size_t i = 0; i < s->ngms && !stopping; i++) {
			struct gm_server *g = &s->gms[(s->next_gm + i) % s->ngms];
			if (!g->w)
				continue;
			size_t before = s->ntaken;
			gearman_return_t rc = take(s, g->w);
			bool none = s->ntaken == before;
			if (!took_fine(rc))
				gm_check(s, g);
			else if (g->woke && none && ++g->idle >= 5)
				gm_check(s, g);   /* woken again and again for nothing */
			else if (!none)
				g->idle = 0;
			g->woke = false;
		}
		s->next_gm = (s->next_gm + 1) % (s->ngms ? s->ngms : 1);
		if (s->ntaken) {
			run_taken(s);
			continue;
		}
		wait_any(s);
	}
	for (size_t k = 0; k < s->ngms; k++)
		gm_drop(&s->gms[k]);
}

/* Every connection of this process says which worker it is (jobdeck.worker, and the heartbeat
 * timeout it sweeps with): the database then lets it change only the jobs it holds, jobs
 * nobody holds and jobs whose worker went silent (db/055). PGOPTIONS reaches every connection
 * libpq makes, reconnections included; commands get a clean environment. And no cached
 * generic plans (below). */
static void declare_worker(const struct slot *s)
{
	const char *old = getenv("PGOPTIONS");
	strbuf sb = STRBUF_INIT;
	if (old && *old)
		sb_addf(&sb, "%s ", old);
	sb_adds(&sb, "-c jobdeck.worker=");
	for (const char *c = s->name; *c; c++) {
		if (*c == ' ' || *c == '\\')
			sb_addc(&sb, '\\');
		sb_addc(&sb, *c);
	}
	sb_addf(&sb, " -c jobdeck.heartbeat_timeout=%.3f", s->timeout);
	/* each claim and each batch of ends is planned for its own ids and the table as it is
	 * now: a plan cached while the table was small (a new installation) kept reading every
	 * waiting job through the Active tab's index, 100 to 200 ms a statement, until the
	 * next ANALYZE. Planning costs a fraction of a millisecond per batch of up to 64 jobs. */
	sb_adds(&sb, " -c plan_cache_mode=force_custom_plan");
	setenv("PGOPTIONS", sb.buf, 1);
	sb_release(&sb);
}

static void gm_servers(struct slot *s)
{
	size_t pos = 0;
	char host[256];
	int port;
	while (queue_next_server(s->servers, &pos, host, sizeof host, &port)) {
		s->gms = xrealloc(s->gms, (s->ngms + 1) * sizeof *s->gms);
		struct gm_server *g = &s->gms[s->ngms++];
		memset(g, 0, sizeof *g);
		snprintf(g->host, sizeof g->host, "%s", host);
		g->port = port;
		snprintf(g->name, sizeof g->name, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
	}
}

static int slot_main(struct slot *s)
{
	declare_worker(s);
	gm_servers(s);
	s->d = db_open(config_conninfo);
	if (!db_connected(s->d)) {
		logf_(s, "%s; retrying", db_error(s->d));
		s->db_down = true;
	}
	s->paused_now = xcalloc(s->nroutes ? s->nroutes : 1, sizeof *s->paused_now);
	pthread_mutex_init(&s->mu, NULL);
	read_paused(s, s->d);   /* before registering: a paused route is never registered */
	apply_paused(s);
	s->run = runner_new(config_conninfo, s->name, config_beat_period(), false);
	runner_set_stop_flag(s->run, &stopping);
	s->sweepq = queue_open(s->servers);
	double every = s->timeout / 2 < 1 ? 1 : s->timeout / 2 > 5 ? 5 : s->timeout / 2;
	runner_hooks hooks = { s, on_tick, chores, every, on_ended, on_stalled, "jobdeck_pause", on_notified };
	runner_set_hooks(s->run, &hooks);

	strbuf list = STRBUF_INIT;
	for (size_t i = 0; i < s->nroutes; i++)
		sb_addf(&list, "%s%s", i ? ", " : "", s->routes[i].fn);
	logf_(s, "serving %s from gearmand %s", list.buf, s->servers);
	sb_release(&list);
	beat(s, s->d);   /* registered before any job: storing a job's file checks it (db/054) */
	serve(s);
	logf_(s, "stopping after %lld job%s", (long long)s->done, s->done == 1 ? "" : "s");
	runner_free(s->run);
	workers_stop(s->d, s->name);
	queue_close(s->sweepq);
	if (s->backq)
		queue_close(s->backq);
	pthread_mutex_destroy(&s->mu);
	free(s->paused_now);
	free(s->gms);
	db_close(s->d);
	return 0;
}

/* ==== the command ==== */

static void add_route(struct slot *s, const char *type, const char *taskname)
{
	s->routes = xrealloc(s->routes, (s->nroutes + 1) * sizeof *s->routes);
	struct route *r = &s->routes[s->nroutes++];
	memset(r, 0, sizeof *r);
	snprintf(r->type, sizeof r->type, "%s", type);
	snprintf(r->task, sizeof r->task, "%s", taskname ? taskname : "");
	queue_route(type, taskname, r->route, sizeof r->route);
	queue_function(s->ns, r->route, r->fn, sizeof r->fn);
}

/* Adds the routes of one --types entry. 0, or -1 when it names nothing. */
static int add_type(struct slot *s, const tasks *t, const char *name)
{
	if (strcmp(name, "command") == 0) {
		for (size_t i = 0; i < t->n; i++)
			add_route(s, "command", t->v[i].name);
		return 0;
	}
	if (jobtype_find(name)) {
		add_route(s, name, NULL);
		return 0;
	}
	if (tasks_find(t, name)) {
		add_route(s, "command", name);
		return 0;
	}
	return -1;
}

/* The routes of every built-in type and every task. */
static void add_all(struct slot *s, const tasks *t)
{
	for (size_t i = 0; i < jobtypes_count; i++)
		if (!jobtypes[i].open_params)
			add_route(s, jobtypes[i].name, NULL);
	add_type(s, t, "command");
}

struct worker {
	struct slot s;
	tasks t;
	int concurrency;
	const char *id;
	char host[64];
};

int worker_prepare(const worker_options *o, worker **out, char *err, size_t errlen)
{
	worker *w = xcalloc(1, sizeof *w);
	*out = NULL;
	if (tasks_load(config_tasks_file(), !config_tasks_file_set(), &w->t, err, errlen) < 0) {
		tasks_release(&w->t);   /* what was read before the error */
		free(w);
		return WORKER_ERUNTIME;
	}
	struct slot *s = &w->s;
	s->ns = config_namespace();
	s->servers = config_gearman_servers();
	s->timeout = config_heartbeat_timeout();
	s->tasks = &w->t;
	s->max_jobs = o->max_jobs;
	w->concurrency = o->concurrency > 0 ? o->concurrency : 1;
	s->concurrency = w->concurrency;
	w->id = o->id;
	int rc = 0;
	if (config_retention() < 0) {
		snprintf(err, errlen, "JOBDECK_RETENTION must be a span such as 90d, 12h or 2w");
		rc = WORKER_EUSAGE;
	} else if (!tasks_valid_name(s->ns)) {
		snprintf(err, errlen, "JOBDECK_NAMESPACE '%s' must be letters, digits, '.', '_' or '-'", s->ns);
		rc = WORKER_EUSAGE;
	} else if (o->types) {
		char *copy = xstrdup(o->types), *save = NULL;
		for (char *tok = strtok_r(copy, ", ", &save); tok && rc == 0; tok = strtok_r(NULL, ", ", &save))
			if (add_type(s, &w->t, tok) < 0) {
				snprintf(err, errlen, "unknown job type '%s' (no built-in type or task has that name)", tok);
				rc = WORKER_EUSAGE;
			}
		free(copy);
	} else {
		add_all(s, &w->t);
	}
	if (rc == 0 && s->nroutes == 0) {
		snprintf(err, errlen, "no job types to serve");
		rc = WORKER_EUSAGE;
	}
	if (rc < 0) {
		worker_free(w);
		return rc;
	}
	gethostname(w->host, sizeof w->host);
	w->host[sizeof w->host - 1] = '\0';
	*out = w;
	return 0;
}

void worker_free(worker *w)
{
	if (!w)
		return;
	free(w->s.routes);
	tasks_release(&w->t);
	free(w);
}

/* Process k of a worker with --concurrency: a whole worker of its own. Never returns. */
static void slot_process(worker *w, int k)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (w->id)
		snprintf(w->s.name, sizeof w->s.name, "%s/%d", w->id, k + 1);
	else
		snprintf(w->s.name, sizeof w->s.name, "%s:%d", w->host, (int)getpid());
	int r = slot_main(&w->s);
	worker_free(w);
	exit(r);
}

/* Runs the worker's processes and restarts any that dies; a clean exit (--max-jobs,
 * SIGTERM) stays down. Returns when all are down. */
static void supervise(worker *w)
{
	int conc = w->concurrency, alive = 0;
	pid_t *pids = xcalloc((size_t)conc, sizeof *pids);
	for (;;) {
		for (int k = 0; k < conc && !stopping; k++) {
			if (pids[k] != 0)
				continue;
			pid_t pid = fork();
			if (pid == 0) {
				free(pids);
				slot_process(w, k);
			}
			if (pid > 0) {
				pids[k] = pid;
				alive++;
			}
		}
		if (alive == 0)
			break;
		int st;
		pid_t pid = waitpid(-1, &st, 0);
		if (pid < 0) {
			if (errno == EINTR && stopping) {
				for (int k = 0; k < conc; k++)
					if (pids[k] > 0)
						kill(pids[k], SIGTERM);
				continue;
			}
			if (errno == ECHILD)
				break;
			continue;
		}
		for (int k = 0; k < conc; k++)
			if (pids[k] == pid) {
				alive--;
				pids[k] = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? -1 : 0;
				if (pids[k] == 0 && !stopping) {
					fprintf(stderr, "jobdeck worker: process %d ended unexpectedly; starting another\n", (int)pid);
					sleep(1);
				}
			}
	}
	free(pids);
}

int worker_run(worker *w)
{
	config_downloads_dir();
	signals_on_stop(on_stop);
	if (w->concurrency > 1) {
		supervise(w);
		return 0;
	}
	if (w->id)
		snprintf(w->s.name, sizeof w->s.name, "%s", w->id);
	else
		snprintf(w->s.name, sizeof w->s.name, "%s:%d", w->host, (int)getpid());
	return slot_main(&w->s);
}
