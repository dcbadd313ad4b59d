/* metrics.c — see metrics.h. */
#include "metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "queue.h"
#include "workers.h"

static void help(strbuf *out, const char *name, const char *type, const char *text)
{
	sb_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* A label value: backslash, double quote and newline escaped, as the format asks. */
static void label(strbuf *out, const char *s)
{
	sb_addc(out, '"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			sb_addc(out, '\\');
		if (*s == '\n')
			sb_adds(out, "\\n");
		else
			sb_addc(out, *s);
	}
	sb_addc(out, '"');
}

static void sample(strbuf *out, const char *name, const char *key, const char *value, int64_t n)
{
	sb_adds(out, name);
	if (key) {
		sb_addf(out, "{%s=", key);
		label(out, value);
		sb_addc(out, '}');
	}
	sb_addf(out, " %lld\n", (long long)n);
}

/* The count of each job status in a result of (status, count) rows; 0 for a status it lacks. */
static int64_t count_of(const db_res *r, const char *status)
{
	for (int i = 0; i < db_rows(r); i++)
		if (strcmp(db_get(r, i, 0), status) == 0)
			return db_int(r, i, 1);
	return 0;
}

static int job_metrics(db *d, bool all, strbuf *out)
{
	static const job_status statuses[] = { JOB_RUNNING, JOB_COMPLETED, JOB_ERROR };
	db_res *r;

	/* the counters the triggers keep: no count over the table */
	if (db_exec(d, "SELECT status::text, sum(n)::bigint FROM jobdeck.job_counts GROUP BY status", 0, NULL, &r) < 0)
		return -1;
	help(out, "jobdeck_jobs", "gauge", "Jobs by status.");
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		sample(out, "jobdeck_jobs", "status", job_status_name(statuses[i]),
		       count_of(r, job_status_name(statuses[i])));
	db_res_free(r);

	/* a recent span of completed_at: its BRIN index reads the last page ranges only */
	if (db_exec(d, "SELECT status::text, count(*) FROM jobdeck.jobs"
		       " WHERE completed_at > now() - interval '1 minute' GROUP BY status", 0, NULL, &r) < 0)
		return -1;
	help(out, "jobdeck_jobs_ended_last_minute", "gauge", "Jobs that ended in the last minute, by status.");
	for (size_t i = 1; i < ARRAY_SIZE(statuses); i++)
		sample(out, "jobdeck_jobs_ended_last_minute", "status", job_status_name(statuses[i]),
		       count_of(r, job_status_name(statuses[i])));
	db_res_free(r);

	static const int buckets[] = METRICS_BUCKETS;
	strbuf q = STRBUF_INIT;
	sb_adds(&q, "SELECT ");
	for (size_t i = 0; i < ARRAY_SIZE(buckets); i++)
		sb_addf(&q, "count(*) FILTER (WHERE s <= %d), ", buckets[i]);
	sb_adds(&q, "count(*), coalesce(sum(s), 0)::text"
		    "  FROM (SELECT extract(epoch FROM completed_at - started_at) AS s FROM jobdeck.jobs"
		    "         WHERE completed_at > now() - interval '1 hour' AND started_at IS NOT NULL) d");
	int rc = db_exec(d, q.buf, 0, NULL, &r);
	sb_release(&q);
	if (rc < 0)
		return -1;
	help(out, "jobdeck_job_duration_seconds", "histogram",
	     "How long the jobs that ended in the last hour ran, from start to end.");
	for (size_t i = 0; i < ARRAY_SIZE(buckets); i++) {
		char le[16];
		snprintf(le, sizeof le, "%d", buckets[i]);
		sample(out, "jobdeck_job_duration_seconds_bucket", "le", le, db_int(r, 0, (int)i));
	}
	int n = (int)ARRAY_SIZE(buckets);
	sample(out, "jobdeck_job_duration_seconds_bucket", "le", "+Inf", db_int(r, 0, n));
	sb_addf(out, "jobdeck_job_duration_seconds_sum %s\n", db_get(r, 0, n + 1));
	sample(out, "jobdeck_job_duration_seconds_count", NULL, NULL, db_int(r, 0, n));
	db_res_free(r);

	/* the first job that has not started, reading the running jobs' index (a user's: theirs)
	 * from its oldest end: a long backlog costs no more than a short one */
	if (db_exec(d, all ? "SELECT coalesce((SELECT extract(epoch FROM now() - created_at) FROM jobdeck.jobs"
			     " WHERE status = 'Running' AND started_at IS NULL ORDER BY created_at, id LIMIT 1), 0)::float8"
			   : "SELECT coalesce((SELECT extract(epoch FROM now() - created_at) FROM jobdeck.jobs"
			     " WHERE status = 'Running' AND started_at IS NULL AND username = current_user"
			     " ORDER BY username, created_at, id LIMIT 1), 0)::float8",
		    0, NULL, &r) < 0)
		return -1;
	help(out, "jobdeck_oldest_waiting_job_age_seconds", "gauge",
	     "Seconds since the oldest job that has not started was created (0: none waits).");
	sb_addf(out, "jobdeck_oldest_waiting_job_age_seconds %.3f\n", strtod(db_get(r, 0, 0), NULL));
	db_res_free(r);
	return 0;
}

static int worker_metrics(db *d, double heartbeat_timeout, strbuf *out)
{
	static const worker_state states[] = { WORKER_IDLE, WORKER_BUSY, WORKER_PAUSED, WORKER_LOST, WORKER_STOPPED };
	int64_t n[ARRAY_SIZE(states)] = { 0 };
	worker_list l;
	if (workers_list(d, heartbeat_timeout, &l) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++)
		if ((size_t)l.v[i].state < ARRAY_SIZE(n))
			n[l.v[i].state]++;
	worker_list_release(&l);
	help(out, "jobdeck_workers", "gauge", "Worker processes that beat in the last day, by state.");
	for (size_t i = 0; i < ARRAY_SIZE(states); i++)
		sample(out, "jobdeck_workers", "state", worker_state_name(states[i]), n[states[i]]);
	return 0;
}

/* gearmand's functions of the namespace, summed over the servers */
struct gm {
	const char *prefix;
	char **names;
	queue_fstat *st;
	size_t n;
	strbuf up;             /* the jobdeck_gearmand_up samples */
};

static void gm_function(void *ctx, const char *function, const queue_fstat *st)
{
	struct gm *g = ctx;
	if (strncmp(function, g->prefix, strlen(g->prefix)) != 0)
		return;   /* another installation's */
	size_t i = 0;
	while (i < g->n && strcmp(g->names[i], function) != 0)
		i++;
	if (i == g->n) {
		g->names = xrealloc(g->names, (g->n + 1) * sizeof *g->names);
		g->st = xrealloc(g->st, (g->n + 1) * sizeof *g->st);
		g->names[i] = xstrdup(function);
		memset(&g->st[i], 0, sizeof g->st[i]);
		g->n++;
	}
	g->st[i].total += st->total;
	g->st[i].running += st->running;
	g->st[i].workers += st->workers;
}

static void gm_server(void *sctx, const char *server, const char *error)
{
	sample(&((struct gm *)sctx)->up, "jobdeck_gearmand_up", "server", server, error ? 0 : 1);
}

static void queue_metrics(const char *servers, const char *ns, strbuf *out)
{
	char prefix[100];
	snprintf(prefix, sizeof prefix, "%s:", ns);
	struct gm g = { .prefix = prefix, .up = STRBUF_INIT };
	queue_status_by_server(servers, 2000, gm_server, &g, gm_function, &g);
	help(out, "jobdeck_gearmand_up", "gauge", "1 when the gearmand server answered its status, else 0.");
	sb_add(out, g.up.buf ? g.up.buf : "", g.up.len);
	static const char *const names[] = { "jobdeck_queue_queued", "jobdeck_queue_running", "jobdeck_queue_workers" };
	static const char *const texts[] = {
		"Jobs gearmand holds for a function that no worker has taken yet.",
		"Jobs of a function a worker is running, as gearmand sees them.",
		"Workers connected to gearmand for a function.",
	};
	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		help(out, names[k], "gauge", texts[k]);
		for (size_t i = 0; i < g.n; i++) {
			const queue_fstat *st = &g.st[i];
			sample(out, names[k], "function", g.names[i],
			       k == 0 ? st->total - st->running : k == 1 ? st->running : st->workers);
		}
	}
	for (size_t i = 0; i < g.n; i++)
		free(g.names[i]);
	free(g.names);
	free(g.st);
	sb_release(&g.up);
}

int metrics_collect(db *d, const char *servers, const char *ns, double heartbeat_timeout, strbuf *out)
{
	db_res *r;
	/* administrators and workers read the workers table, and row-level security lets them
	 * see every job: the one privilege says both */
	if (db_exec(d, "SELECT has_table_privilege('jobdeck.workers', 'SELECT')", 0, NULL, &r) < 0)
		return -1;
	bool all = strcmp(db_get(r, 0, 0), "t") == 0;
	db_res_free(r);
	help(out, "jobdeck_scope_all", "gauge",
	     "1 when the job metrics count every job (an administrator or worker scraped), 0 when only the caller's own.");
	sample(out, "jobdeck_scope_all", NULL, NULL, all);
	if (job_metrics(d, all, out) < 0 || (all && worker_metrics(d, heartbeat_timeout, out) < 0))
		return -1;
	queue_metrics(servers, ns, out);
	return 0;
}
