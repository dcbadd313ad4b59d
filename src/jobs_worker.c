/* jobs_worker.c — see jobs_worker.h. */
#include "jobs_worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* info without the waiting notes, order kept */
#define DROP_WAITING(col) \
	"array(SELECT n FROM unnest(" col ") WITH ORDINALITY AS u(n, o)" \
	" WHERE n NOT LIKE '" JOBS_WAITING_NOTE "%' ORDER BY o)"

static void id_text(char *buf, size_t n, int64_t id)
{
	snprintf(buf, n, "%lld", (long long)id);
}

/* ==== claim, heartbeat, end ==== */

int jobs_claim(db *d, int64_t id, const char *worker, const char *ns, double timeout_s, job_claim *out)
{
	char ids[24], secs[32];
	id_text(ids, sizeof ids, id);
	snprintf(secs, sizeof secs, "%.3f", timeout_s);
	const char *p[] = { ids, worker, ns, secs };
	static const char sql[] =
		"WITH c AS ("
		"  UPDATE jobdeck.jobs SET worker = $2, attempts = attempts + 1, started_at = now(),"
		"         heartbeat_at = now()"   /* no indexed column: a HOT update (db/041) */
		"   WHERE id = $1::bigint AND status = 'Running' AND namespace = $3"
		"     AND attempts < max_attempts"
		"     AND (worker IS NULL OR heartbeat_at < now() - make_interval(secs => $4::float8))"
		"  RETURNING id, type, name, coalesce(object_id, 0) AS object_id, attempts, max_attempts,"
		"            username IS NULL AS cmdline, params)"
		"SELECT c.id, c.type, c.name, c.object_id, c.attempts, c.max_attempts, c.cmdline, k.key, k.value"
		"  FROM c LEFT JOIN LATERAL jsonb_each_text(c.params) k ON true";
	db_res *r;
	memset(out, 0, sizeof *out);
	if (db_exec_prepared(d, "jobdeck_claim", sql, 4, p, &r) < 0)
		return -1;
	int n = db_rows(r);
	if (n == 0) {
		db_res_free(r);
		return 0;
	}
	out->id = db_int(r, 0, 0);
	out->type = db_dup(r, 0, 1);
	out->name = db_dup(r, 0, 2);
	out->object_id = db_int(r, 0, 3);
	out->attempts = (int)db_int(r, 0, 4);
	out->max_attempts = (int)db_int(r, 0, 5);
	out->cmdline = strcmp(db_get(r, 0, 6), "t") == 0;
	if (!db_isnull(r, 0, 7)) {
		out->keys = xcalloc((size_t)n, sizeof *out->keys);
		out->values = xcalloc((size_t)n, sizeof *out->values);
		for (int i = 0; i < n; i++) {
			out->keys[i] = db_dup(r, i, 7);
			out->values[i] = xstrdup(db_isnull(r, i, 8) ? "" : db_get(r, i, 8));
		}
		out->nparams = (size_t)n;
	}
	db_res_free(r);
	return 1;
}

void job_claim_release(job_claim *c)
{
	free(c->type);
	free(c->name);
	for (size_t i = 0; i < c->nparams; i++) {
		free(c->keys[i]);
		free(c->values[i]);
	}
	free(c->keys);
	free(c->values);
	memset(c, 0, sizeof *c);
}

const char *job_claim_param(const job_claim *c, const char *key)
{
	for (size_t i = 0; i < c->nparams; i++)
		if (strcmp(c->keys[i], key) == 0)
			return c->values[i];
	return NULL;
}

static int one_row(db *d, int64_t id, const char *name, const char *sql, int n, const char *const *p)
{
	db_res *r;
	if (db_exec_prepared(d, name, sql, n, p, &r) < 0)
		return -1;
	int rows = db_rows(r);
	db_res_free(r);
	if (rows == 0) {
		db_set_error(d, DB_FAIL_NOTFOUND, "job %lld is no longer this worker's", (long long)id);
		return -1;
	}
	return 0;
}

int jobs_heartbeat(db *d, int64_t id, const char *worker)
{
	char ids[24];
	id_text(ids, sizeof ids, id);
	const char *p[] = { ids, worker };
	return one_row(d, id, "jobdeck_heartbeat",
		       "UPDATE jobdeck.jobs SET heartbeat_at = now()"
		       " WHERE id = $1::bigint AND worker = $2 AND status = 'Running' RETURNING id",
		       2, p);
}

int jobs_end(db *d, int64_t id, const char *worker, job_status st, const char *note,
	     const char *download_path, int64_t download_size)
{
	char ids[24], size[24];
	id_text(ids, sizeof ids, id);
	snprintf(size, sizeof size, "%lld", (long long)download_size);
	const char *p[] = { ids, worker, job_status_name(st), note, download_path, download_path ? size : NULL };
	return one_row(d, id, "jobdeck_end",
		       "UPDATE jobdeck.jobs SET status = $3::jobdeck.job_status, completed_at = now(),"
		       " info = " DROP_WAITING("info") " || CASE WHEN $4::text IS NULL THEN '{}'::text[]"
		       "                                       ELSE ARRAY[$4::text] END,"
		       " download_path = coalesce($5, download_path),"
		       " download_size = coalesce($6::bigint, download_size)"
		       " WHERE id = $1::bigint AND status = 'Running' AND worker IS NOT DISTINCT FROM $2"
		       " RETURNING id",
		       6, p);
}

int jobs_mark_queued(db *d, int64_t id)
{
	char ids[24];
	id_text(ids, sizeof ids, id);
	const char *p[] = { ids };
	return db_exec(d, "UPDATE jobdeck.jobs SET queued_at = now() WHERE id = $1::bigint", 1, p, NULL);
}

/* ==== many jobs at once ==== */

/* ids as a PostgreSQL array literal; caller frees */
static char *id_array(const int64_t *ids, size_t n)
{
	strbuf sb = STRBUF_INIT;
	sb_addc(&sb, '{');
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%lld", i ? "," : "", (long long)ids[i]);
	sb_addc(&sb, '}');
	return sb.buf;
}

int jobs_create_many(db *d, const job_new *j, size_t n, int64_t *ids)
{
	char obj[24], attempts[16], count[24];
	snprintf(obj, sizeof obj, "%lld", (long long)j->object_id);
	snprintf(attempts, sizeof attempts, "%d", j->max_attempts > 0 ? j->max_attempts : 3);
	snprintf(count, sizeof count, "%zu", n);
	const char *p[] = {
		j->name, j->type, j->params_json ? j->params_json : "{}", j->object_id ? obj : NULL,
		j->cmdline ? "t" : "f", j->info, j->namespace_ ? j->namespace_ : "jobdeck", attempts, count,
	};
	db_res *r;
	if (db_exec(d,
		    "INSERT INTO jobdeck.jobs (name, type, params, object_id, username, info, namespace, max_attempts)"
		    " SELECT $1, $2, $3::jsonb, $4::bigint,"
		    "        CASE WHEN $5::boolean THEN NULL ELSE current_user END,"
		    "        CASE WHEN $6::text IS NULL THEN '{}' ELSE ARRAY[$6::text] END, $7, $8::integer"
		    "   FROM generate_series(1, $9::integer)"
		    " RETURNING id",
		    9, p, &r) < 0)
		return -1;
	if ((size_t)db_rows(r) != n) {
		db_res_free(r);
		db_set_error(d, DB_FAIL_QUERY, "recorded a different number of jobs than asked for");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		ids[i] = db_int(r, (int)i, 0);
	db_res_free(r);
	return 0;
}

int jobs_mark_queued_many(db *d, const int64_t *ids, size_t n)
{
	char *arr = id_array(ids, n);
	const char *p[] = { arr };
	int rc = db_exec(d, "UPDATE jobdeck.jobs SET queued_at = now() WHERE id = ANY($1::bigint[])", 1, p, NULL);
	free(arr);
	return rc;
}

int jobs_fail_unqueued_many(db *d, const int64_t *ids, size_t n, const char *note)
{
	char *arr = id_array(ids, n);
	const char *p[] = { arr, note };
	int rc = db_exec(d,
			 "UPDATE jobdeck.jobs SET status = 'Error', completed_at = now(),"
			 " info = " DROP_WAITING("info") " || $2::text"
			 " WHERE id = ANY($1::bigint[]) AND status = 'Running' AND worker IS NULL",
			 2, p, NULL);
	free(arr);
	return rc;
}

/* ==== the sweep ==== */

static int lock_call(db *d, const char *ns, const char *fn)
{
	char *sql = xasprintf("SELECT pg_catalog.%s(pg_catalog.hashtext('jobdeck-sweep:' || $1))", fn);
	const char *p[] = { ns };
	db_res *r;
	int rc = db_exec(d, sql, 1, p, &r);
	free(sql);
	if (rc < 0)
		return -1;
	rc = strcmp(db_get(r, 0, 0), "t") == 0;
	db_res_free(r);
	return rc;
}

int jobs_sweep_lock(db *d, const char *ns) { return lock_call(d, ns, "pg_try_advisory_lock"); }
int jobs_sweep_unlock(db *d, const char *ns) { return lock_call(d, ns, "pg_advisory_unlock") < 0 ? -1 : 0; }

void jobs_requeue_list_release(jobs_requeue_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].type);
		free(l->v[i].task);
		free(l->v[i].note);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void requeue_add(jobs_requeue_list *l, const db_res *r, int i, int idc)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	jobs_requeue *q = &l->v[l->n++];
	q->id = db_int(r, i, idc);
	q->type = db_dup(r, i, idc + 1);
	q->task = db_dup(r, i, idc + 2);
	q->note = db_cols(r) > idc + 3 ? db_dup(r, i, idc + 3) : NULL;
}

int jobs_sweep_stale(db *d, const char *ns, double timeout_s, jobs_requeue_list *out, int64_t *failed)
{
	char secs[32];
	snprintf(secs, sizeof secs, "%.3f", timeout_s);
	const char *p[] = { ns, secs };
	static const char sql[] =
		"WITH s AS ("
		"  SELECT id, worker AS w,"
		"         to_char(heartbeat_at, 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS hb,"
		"         attempts < max_attempts AND type <> '" JOBS_TYPE_CMDLINE "' AS again"
		"    FROM jobdeck.jobs"
		"   WHERE status = 'Running' AND namespace = $1 AND worker IS NOT NULL"
		"     AND heartbeat_at < now() - make_interval(secs => $2::float8)"
		"   FOR UPDATE SKIP LOCKED),"
		" o AS ("    /* command-line runs whose runner died before it claimed them */
		"  SELECT id FROM jobdeck.jobs"
		"   WHERE status = 'Running' AND namespace = $1 AND worker IS NULL"
		"     AND type = '" JOBS_TYPE_CMDLINE "'"
		"     AND created_at < now() - make_interval(secs => $2::float8)"
		"   FOR UPDATE SKIP LOCKED),"
		" r AS ("
		"  UPDATE jobdeck.jobs j SET worker = NULL, heartbeat_at = NULL, queued_at = NULL, started_at = NULL,"
		"         info = ARRAY['" JOBS_WAITING_NOTE "'] || " DROP_WAITING("j.info")
		"    FROM s WHERE j.id = s.id AND s.again"
		"  RETURNING j.id, j.type, j.params->>'task' AS task,"
		"            format('Attempt %s of %s lost: worker %s stopped responding (last heard from %s);"
		" trying again', j.attempts, j.max_attempts, s.w, s.hb) AS note),"
		" f AS ("
		"  UPDATE jobdeck.jobs j SET status = 'Error', completed_at = now(),"
		"         info = " DROP_WAITING("j.info") " || CASE WHEN j.type = '" JOBS_TYPE_CMDLINE "'"
		"           THEN format('The command-line run on %s was lost (last heard from %s)', s.w, s.hb)"
		"           ELSE format('Worker %s was lost (last heard from %s); gave up after %s attempt%s',"
		"                       s.w, s.hb, j.attempts, CASE WHEN j.attempts = 1 THEN '' ELSE 's' END) END"
		"    FROM s WHERE j.id = s.id AND NOT s.again"
		"  RETURNING j.id),"
		" g AS ("
		"  UPDATE jobdeck.jobs j SET status = 'Error', completed_at = now(),"
		"         info = " DROP_WAITING("j.info") " || 'The command-line run ended before it started'::text"
		"    FROM o WHERE j.id = o.id"
		"  RETURNING j.id)"
		"SELECT 0, id, type, task, note FROM r"
		" UNION ALL SELECT 1, id, NULL, NULL, NULL FROM f"
		" UNION ALL SELECT 1, id, NULL, NULL, NULL FROM g";
	db_res *r;
	out->v = NULL;
	out->n = 0;
	*failed = 0;
	if (db_exec(d, sql, 2, p, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++) {
		if (db_int(r, i, 0) == 0)
			requeue_add(out, r, i, 1);
		else
			(*failed)++;
	}
	db_res_free(r);
	return 0;
}

int jobs_sweep_waiting(db *d, const char *ns, double older_s, jobs_waiting_fn fn, void *ctx)
{
	char secs[32];
	snprintf(secs, sizeof secs, "%.3f", older_s);
	const char *p[] = { ns, secs };
	db_res *r;
	if (db_exec(d,
		    "SELECT type, CASE WHEN type = 'command' THEN params->>'task' END AS task, count(*)"
		    "  FROM jobdeck.jobs WHERE status = 'Running' AND namespace = $1 AND worker IS NULL"
		    "   AND type <> '" JOBS_TYPE_CMDLINE "'"
		    "   AND coalesce(queued_at, created_at) < now() - make_interval(secs => $2::float8)"
		    " GROUP BY 1, 2",
		    2, p, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++)
		fn(ctx, db_get(r, i, 0), db_isnull(r, i, 1) ? NULL : db_get(r, i, 1), db_int(r, i, 2));
	db_res_free(r);
	return 0;
}

int jobs_sweep_unqueued(db *d, const char *ns, const char *type, const char *task, double older_s,
			int limit, jobs_requeue_list *out)
{
	char secs[32], lim[16];
	snprintf(secs, sizeof secs, "%.3f", older_s);
	snprintf(lim, sizeof lim, "%d", limit);
	const char *p[] = { ns, type, task, secs, lim };
	db_res *r;
	out->v = NULL;
	out->n = 0;
	if (db_exec(d,
		    "UPDATE jobdeck.jobs SET queued_at = now() WHERE id IN ("
		    "  SELECT id FROM jobdeck.jobs"
		    "   WHERE status = 'Running' AND namespace = $1 AND worker IS NULL"
		    "     AND type <> '" JOBS_TYPE_CMDLINE "'"
		    "     AND ($2::text IS NULL OR (type = $2 AND"
		    "          (type <> 'command' OR params->>'task' IS NOT DISTINCT FROM $3::text)))"
		    "     AND coalesce(queued_at, created_at) < now() - make_interval(secs => $4::float8)"
		    "   ORDER BY id LIMIT $5::integer FOR UPDATE SKIP LOCKED)"
		    " RETURNING id, type, CASE WHEN type = 'command' THEN params->>'task' END",
		    5, p, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++)
		requeue_add(out, r, i, 0);
	db_res_free(r);
	return 0;
}
