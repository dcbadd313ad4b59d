/* runner.c — see runner.h. */
#include "runner.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs.h"
#include "jobs_worker.h"
#include "util.h"

#define CHUNK_MAX   (64 * 1024)      /* a chunk is written once this much is pending */
#define FLUSH_AGE   (250 * 1000)     /* µs: output older than this is written */
#define RETRY_AFTER (1000 * 1000)    /* µs: wait after a failed write */
#define TICK_MS     50
#define ENDS_MAX    1000             /* ends waiting to be written before runner_finish waits */
#define ENDS_BATCH  500              /* ends written by one statement at most */
#define GIVE_UP_AFTER (10 * 1000 * 1000)  /* µs: when stopping, unwritten output and ends wait this long */

struct runner {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* the thread's wake-up */
	pthread_cond_t done;    /* writers and runner_end wait here */
	db *d;
	char *worker;
	jd_time beat;
	bool cmdline;           /* command-line runs: see runner_new */
	/* guarded by mu */
	bool quit, lost, flush_now;
	char cancel_by[64];     /* who asked to cancel the current job; "" when nobody */
	bool flushing;          /* the current job's output is being written */
	int64_t job;
	strbuf pending;
	jd_time pending_since, last_beat, next_try;
	runner_hooks hooks;
	jd_time every, next_periodic;
	jd_time next_tick, next_listen;
	bool listening;         /* on hooks.listen */
	job_end *ends;          /* finished jobs whose end is not written yet, oldest first */
	size_t nends;
	bool ends_stalled;
	volatile sig_atomic_t *stop_flag;   /* the process is stopping (runner_set_stop_flag) */
	jd_time stop_seen;                 /* when that was first noticed while writes failed */
};

static void end_release(job_end *e);

/* Whether to drop what cannot be written (mu held): the process is stopping and the
 * database has refused writes for GIVE_UP_AFTER. Its jobs stay Running, and the sweep of
 * another worker hands them over after the heartbeat timeout: nothing is lost for good. */
static bool giving_up(runner *r)
{
	if (!r->stop_flag || !*r->stop_flag || !(r->pending.len || r->nends) || jd_now() >= r->next_try) {
		r->stop_seen = 0;
		return false;
	}
	if (!r->stop_seen)
		r->stop_seen = jd_now();
	if (jd_now() - r->stop_seen < GIVE_UP_AFTER)
		return false;
	fprintf(stderr, "jobdeck: stopping with the database unreachable: %zu bytes of output and %zu job end%s"
		" not written; the jobs are handed over after the heartbeat timeout\n",
		r->pending.len, r->nends, r->nends == 1 ? "" : "s");
	sb_reset(&r->pending);
	for (size_t i = 0; i < r->nends; i++)
		end_release(&r->ends[i]);
	r->nends = 0;
	return true;
}

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_nsec += (long)ms * 1000000L;
	ts->tv_sec += ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

/* Writes the pending output (mu held on entry and exit; released while writing). */
static void flush_locked(runner *r)
{
	strbuf out = r->pending;
	int64_t job = r->job;
	sb_init(&r->pending);
	r->pending_since = 0;
	r->flushing = true;
	pthread_mutex_unlock(&r->mu);
	int rc = r->cmdline ? jobs_run_output(r->d, job, out.buf, out.len)
			    : jobs_output_add(r->d, job, r->worker, out.buf, out.len);
	enum db_fail why = db_failure(r->d);
	pthread_mutex_lock(&r->mu);
	r->flushing = false;
	jd_time now = jd_now();
	if (rc < 0 && why == DB_FAIL_NOTFOUND && r->job == job)
		r->lost = true;   /* the output is dropped: the job is someone else's now */
	if (rc < 0 && why != DB_FAIL_NOTFOUND) {
		/* keep it, in order, ahead of what came meanwhile */
		sb_add(&out, r->pending.buf, r->pending.len);
		sb_release(&r->pending);
		r->pending = out;
		r->pending_since = now - FLUSH_AGE;
		r->next_try = now + RETRY_AFTER;
		return;
	}
	sb_release(&out);
	if (rc == 0)
		r->last_beat = now;
	pthread_cond_broadcast(&r->done);
}

static void end_release(job_end *e)
{
	free(e->note);
	free(e->download_path);
}

/* Writes the oldest pending ends in one statement (mu held on entry and exit; released while
 * writing). Ends the database did not take stay, in order, and are retried. */
static void write_ends_locked(runner *r)
{
	size_t n = r->nends < ENDS_BATCH ? r->nends : ENDS_BATCH;
	job_end *batch = xcalloc(n, sizeof *batch);
	memcpy(batch, r->ends, n * sizeof *batch);
	pthread_mutex_unlock(&r->mu);
	bool *recorded = xcalloc(n, sizeof *recorded);
	int rc = jobs_end_many(r->d, batch, n, r->worker, recorded);
	if (rc < 0 && r->hooks.stalled && !r->ends_stalled)
		r->hooks.stalled(r->hooks.ctx, n, db_error(r->d));
	if (rc >= 0 && r->hooks.ended)
		for (size_t i = 0; i < n; i++)
			r->hooks.ended(r->hooks.ctx, &batch[i], recorded[i]);
	free(recorded);
	pthread_mutex_lock(&r->mu);
	if (rc < 0) {
		free(batch);
		r->ends_stalled = true;
		r->next_try = jd_now() + RETRY_AFTER;
		return;
	}
	r->ends_stalled = false;
	for (size_t i = 0; i < n; i++)
		end_release(&batch[i]);
	free(batch);
	r->nends -= n;
	memmove(r->ends, r->ends + n, r->nends * sizeof *r->ends);
	pthread_cond_broadcast(&r->done);
}

/* Which channels spoke, of the ones the thread listens on. */
struct heard {
	bool cancel, other;
};

static void on_notify(void *ctx, const char *channel, const char *payload)
{
	struct heard *h = ctx;
	(void)payload;
	if (strcmp(channel, "jobdeck_cancel") == 0)
		h->cancel = true;
	else
		h->other = true;
}

static void *thread_main(void *arg)
{
	runner *r = arg;
	pthread_mutex_lock(&r->mu);
	while (!r->quit || (((r->job && r->pending.len) || r->nends) && !giving_up(r))) {
		struct timespec ts;
		deadline_in(&ts, TICK_MS);
		bool ready = jd_now() >= r->next_try;
		if (!((r->flush_now && r->pending.len && ready) || (r->nends && ready)))
			pthread_cond_timedwait(&r->cv, &r->mu, &ts);
		jd_time now = jd_now();
		if (r->hooks.tick && now >= r->next_tick) {
			r->next_tick = now + TICK_MS * 1000 / 2;
			pthread_mutex_unlock(&r->mu);
			r->hooks.tick(r->hooks.ctx, r->d);
			pthread_mutex_lock(&r->mu);
		}
		/* ends do not wait, and do not hold up the rest of the round either: under steady
		 * load there are always some, and the heartbeat and the sweep must still come */
		if (r->nends && now >= r->next_try)
			write_ends_locked(r);
		if (r->job && r->pending.len && now >= r->next_try &&
		    (r->flush_now || r->quit || r->pending.len >= CHUNK_MAX || now - r->pending_since >= FLUSH_AGE)) {
			flush_locked(r);
			if (!r->pending.len)
				r->flush_now = false;
			continue;
		}
		if (r->flush_now && (!r->pending.len || !r->job)) {
			r->flush_now = false;
			pthread_cond_broadcast(&r->done);
		}
		if (r->job && now - r->last_beat >= r->beat && now >= r->next_try) {
			int64_t job = r->job;
			pthread_mutex_unlock(&r->mu);
			char by[sizeof r->cancel_by];
			int rc = r->cmdline ? jobs_run_heartbeat(r->d, job, by, sizeof by)
					    : jobs_heartbeat(r->d, job, r->worker, by, sizeof by);
			enum db_fail why = db_failure(r->d);
			pthread_mutex_lock(&r->mu);
			if (rc == 0) {
				r->last_beat = now;
				if (by[0] && r->job == job)
					memcpy(r->cancel_by, by, sizeof by);
			} else if (why == DB_FAIL_NOTFOUND) {
				if (r->job == job)
					r->lost = true;
				r->last_beat = now;
			} else {
				r->next_try = now + RETRY_AFTER;
			}
			pthread_cond_broadcast(&r->done);
		}
		/* a cancel is announced on jobdeck_cancel (db/045); the heartbeat is the fallback */
		if (!r->quit && now >= r->next_listen) {
			r->next_listen = now + TICK_MS * 1000;
			int64_t job = r->cancel_by[0] ? 0 : r->job;
			pthread_mutex_unlock(&r->mu);
			char by[sizeof r->cancel_by];
			struct heard h = { false, false };
			if (r->hooks.listen && !r->listening)
				r->listening = db_listen(r->d, r->hooks.listen) == 0;
			db_notifies(r->d, on_notify, &h);
			bool asked = h.cancel && job && jobs_cancel_requested(r->d, job, by, sizeof by) == 1;
			if (h.other && r->hooks.notified)
				r->hooks.notified(r->hooks.ctx, r->d);
			pthread_mutex_lock(&r->mu);
			if (asked && r->job == job)
				memcpy(r->cancel_by, by, sizeof by);
		}
		if (r->hooks.periodic && now >= r->next_periodic && !r->quit) {
			pthread_mutex_unlock(&r->mu);
			r->hooks.periodic(r->hooks.ctx, r->d);
			pthread_mutex_lock(&r->mu);
			r->next_periodic = jd_now() + r->every;
			pthread_cond_broadcast(&r->done);
		}
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

runner *runner_new(const char *conninfo, const char *worker, double beat_s, bool cmdline)
{
	runner *r = xcalloc(1, sizeof *r);
	r->cmdline = cmdline;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	pthread_cond_init(&r->done, NULL);
	r->d = db_open(conninfo);
	db_listen(r->d, "jobdeck_cancel");
	r->worker = xstrdup(worker);
	r->beat = (jd_time)(beat_s * 1e6);
	sb_init(&r->pending);
	/* the thread takes no signals: the process's handlers run on the main thread */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&r->thread, NULL, thread_main, r) != 0) {
		fputs("jobdeck: cannot start a thread\n", stderr);
		exit(1);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

void runner_set_hooks(runner *r, const runner_hooks *h)
{
	pthread_mutex_lock(&r->mu);
	r->hooks = *h;
	r->every = (jd_time)(h->every_s * 1e6);
	r->next_periodic = jd_now() + r->every / 4;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void runner_finish(runner *r, const job_end *e)
{
	pthread_mutex_lock(&r->mu);
	while (r->nends >= ENDS_MAX) {
		pthread_cond_signal(&r->cv);
		struct timespec ts;
		deadline_in(&ts, 200);
		pthread_cond_timedwait(&r->done, &r->mu, &ts);
	}
	if (!r->ends)
		r->ends = xcalloc(ENDS_MAX, sizeof *r->ends);
	job_end *c = &r->ends[r->nends++];
	*c = *e;
	c->note = e->note ? xstrdup(e->note) : NULL;
	c->download_path = e->download_path ? xstrdup(e->download_path) : NULL;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void runner_free(runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->quit = true;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	pthread_cond_destroy(&r->done);
	db_close(r->d);
	sb_release(&r->pending);
	free(r->ends);
	free(r->worker);
	free(r);
}

void runner_begin(runner *r, int64_t job)
{
	pthread_mutex_lock(&r->mu);
	r->job = job;
	r->lost = false;
	r->cancel_by[0] = '\0';
	r->last_beat = jd_now();
	r->next_try = 0;
	sb_reset(&r->pending);
	r->pending_since = 0;
	pthread_mutex_unlock(&r->mu);
}

void runner_write(runner *r, const void *data, size_t n)
{
	if (n == 0)
		return;
	pthread_mutex_lock(&r->mu);
	if (r->lost && !r->cmdline) {
		pthread_mutex_unlock(&r->mu);
		return;
	}
	while (r->pending.len >= CHUNK_MAX && r->job) {
		r->flush_now = true;
		pthread_cond_signal(&r->cv);
		struct timespec ts;
		deadline_in(&ts, 200);
		pthread_cond_timedwait(&r->done, &r->mu, &ts);
	}
	if (!r->pending.len)
		r->pending_since = jd_now();
	sb_add(&r->pending, data, n);
	if (r->pending.len >= CHUNK_MAX) {
		r->flush_now = true;
		pthread_cond_signal(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
}

void runner_end(runner *r)
{
	pthread_mutex_lock(&r->mu);
	while (r->job && (r->pending.len || r->flushing) && !(!r->flushing && giving_up(r))) {
		r->flush_now = true;
		pthread_cond_signal(&r->cv);
		struct timespec ts;
		deadline_in(&ts, 200);
		pthread_cond_timedwait(&r->done, &r->mu, &ts);
	}
	r->job = 0;
	pthread_mutex_unlock(&r->mu);
}

bool runner_cancelled(runner *r, char *who, size_t n)
{
	pthread_mutex_lock(&r->mu);
	bool moved = r->lost && !r->cmdline;
	bool asked = r->cancel_by[0] != '\0' || moved;
	if (asked && n)
		snprintf(who, n, "%s", moved ? RUNNER_MOVED : r->cancel_by);
	pthread_mutex_unlock(&r->mu);
	return asked;
}

void runner_set_stop_flag(runner *r, volatile sig_atomic_t *flag)
{
	pthread_mutex_lock(&r->mu);
	r->stop_flag = flag;
	pthread_mutex_unlock(&r->mu);
}

bool runner_lost(runner *r)
{
	pthread_mutex_lock(&r->mu);
	bool lost = r->lost;
	pthread_mutex_unlock(&r->mu);
	return lost;
}
