/* workers.c — see workers.h. */
#include "workers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {
	[WORKER_IDLE] = "idle", [WORKER_BUSY] = "busy", [WORKER_PAUSED] = "paused",
	[WORKER_LOST] = "lost", [WORKER_STOPPED] = "stopped",
};

const char *worker_state_name(worker_state s)
{
	return (unsigned)s < ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

/* ==== a worker process ==== */

/* Appends s as a quoted element of a PostgreSQL array literal: a backslash before each quote
 * and backslash, every other byte as it is. */
static void add_array_element(strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

int workers_beat(db *d, const worker_beat *b)
{
	strbuf routes = STRBUF_INIT;
	sb_addc(&routes, '{');
	for (size_t i = 0; i < b->nroutes; i++) {
		sb_addf(&routes, "%s", i ? "," : "");
		add_array_element(&routes, b->routes[i]);
	}
	sb_addc(&routes, '}');
	const char *p[] = { b->id, b->host, DB_INT(b->pid), b->ns, routes.buf, DB_INT(b->concurrency),
			    DB_INT(b->completed), DB_INT(b->failed) };
	int rc = db_exec_prepared(d, "SELECT jobdeck.worker_beat($1, $2, $3::integer, $4, $5::text[], $6::integer,"
				     " $7::bigint, $8::bigint)", 8, p, NULL);
	sb_release(&routes);
	return rc;
}

int workers_stop(db *d, const char *id)
{
	const char *p[] = { id };
	return db_exec(d, "SELECT jobdeck.worker_stop($1)", 1, p, NULL);
}

/* ==== reading them ==== */

void worker_list_release(worker_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		worker_row *w = &l->v[i];
		free(w->id);
		free(w->host);
		free(w->ns);
		free(w->routes);
		free(w->current);
		free(w->routes_json);
		free(w->current_json);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int workers_list(db *d, double timeout_s, worker_list *out)
{
	char secs[32];
	snprintf(secs, sizeof secs, "%.3f", timeout_s);
	const char *p[] = { secs };
	static const char sql[] =
		"SELECT w.id, w.host, w.namespace, w.pid, w.concurrency, array_to_string(w.routes, ', '),"
		"       CASE WHEN w.stopped_at IS NOT NULL THEN 4"
		"            WHEN w.heartbeat_at < now() - make_interval(secs => $1::float8) THEN 3"
		"            WHEN r.ids <> '' THEN 1"
		"            WHEN NOT EXISTS (SELECT 1 FROM unnest(w.routes) x(route)"
		"                              WHERE NOT EXISTS (SELECT 1 FROM jobdeck.paused p"
		"                                                 WHERE p.namespace = w.namespace AND p.route = x.route))"
		"            THEN 2 ELSE 0 END,"
		"       r.ids, w.jobs_completed, w.jobs_failed,"
		"       (extract(epoch FROM w.started_at) * 1000000)::bigint,"
		"       (extract(epoch FROM w.heartbeat_at) * 1000000)::bigint,"
		"       array_to_json(w.routes)::text, r.ids_json"
		"  FROM jobdeck.workers w,"
		"       LATERAL (SELECT coalesce(string_agg(j.id::text, ', ' ORDER BY j.id), '') AS ids,"
		"                       coalesce(json_agg(j.id ORDER BY j.id), '[]')::text AS ids_json"
		"                  FROM jobdeck.jobs j WHERE j.status = 'Running' AND j.worker = w.id) r"
		" WHERE w.stopped_at IS NULL OR w.heartbeat_at > now() - interval '1 day'"
		" ORDER BY w.stopped_at IS NOT NULL, w.started_at DESC, w.id";
	db_res *r;
	out->v = NULL;
	out->n = 0;
	if (db_exec(d, sql, 1, p, &r) < 0)
		return -1;
	size_t n = (size_t)db_rows(r);
	out->v = xcalloc(n ? n : 1, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		worker_row *w = &out->v[i];
		int k = (int)i;
		w->id = db_dup(r, k, 0);
		w->host = db_dup(r, k, 1);
		w->ns = db_dup(r, k, 2);
		w->pid = (int)db_int(r, k, 3);
		w->concurrency = (int)db_int(r, k, 4);
		w->routes = db_dup(r, k, 5);
		w->state = (worker_state)db_int(r, k, 6);
		w->current = db_dup(r, k, 7);
		w->completed = db_int(r, k, 8);
		w->failed = db_int(r, k, 9);
		w->started_at = db_time(r, k, 10);
		w->heartbeat_at = db_time(r, k, 11);
		w->routes_json = db_dup(r, k, 12);
		w->current_json = db_dup(r, k, 13);
	}
	out->n = n;
	db_res_free(r);
	return 0;
}

int workers_throughput(db *d, throughput *t)
{
	memset(t, 0, sizeof *t);
	db_res *r;
	/* minute 0 is the oldest of the last hour, 59 the one now */
	if (db_exec(d,
		    "SELECT 59 - floor(extract(epoch FROM date_trunc('minute', now()) - date_trunc('minute', completed_at)) / 60)::int,"
		    "       status, count(*)"
		    "  FROM jobdeck.jobs"
		    " WHERE completed_at > date_trunc('minute', now()) - interval '59 minutes' AND status <> 'Running'"
		    " GROUP BY 1, 2",
		    0, NULL, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++) {
		int64_t m = db_int(r, i, 0), n = db_int(r, i, 2);
		if (m < 0 || m >= THROUGHPUT_MINUTES)
			continue;
		if (strcmp(db_get(r, i, 1), "Completed") == 0)
			t->completed[m] += n;
		else
			t->failed[m] += n;
	}
	db_res_free(r);
	/* jobs created in the last 15 minutes and started: found through the creation index */
	if (db_exec(d,
		    "SELECT count(*),"
		    "       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY w), 0),"
		    "       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY w), 0)"
		    "  FROM (SELECT extract(epoch FROM started_at - coalesce(queued_at, created_at)) AS w"
		    "          FROM jobdeck.jobs"
		    "         WHERE created_at > now() - interval '15 minutes' AND started_at IS NOT NULL) s",
		    0, NULL, &r) < 0)
		return -1;
	t->waited = db_int(r, 0, 0);
	t->wait_p50 = strtod(db_get(r, 0, 1), NULL);
	t->wait_p95 = strtod(db_get(r, 0, 2), NULL);
	db_res_free(r);
	return 0;
}

void workers_sparkline(const int64_t *v, size_t n, strbuf *out)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (size_t i = 0; i < n; i++) {
		if (v[i] <= 0) {
			sb_addc(out, ' ');
			continue;
		}
		int64_t k = (v[i] * 8 + max - 1) / max;   /* 1..8: any job shows */
		sb_adds(out, bars[k > 8 ? 7 : k - 1]);
	}
}
