/* jobs.c — see jobs.h. */
#include "jobs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "filter.h"
#include "jobs_worker.h"

/* ==== names ==== */

static const char *const status_names[] = { "Running", "Completed", "Error" };
static const char *const tab_names[] = { "All jobs", "Active jobs", "Failed jobs" };

/* Sort columns: the SQL expression, the type its key is cast back to, and a label. */
static const struct {
	const char *expr, *type, *label;
} sorts[JOBS_NSORTS] = {
	[JOBS_SORT_START]  = { "created_at", "timestamptz", "Start date" },
	[JOBS_SORT_END]    = { "coalesce(completed_at, 'infinity')", "timestamptz", "End date" },
	[JOBS_SORT_NAME]   = { "name", "text", "Job name" },
	[JOBS_SORT_STATUS] = { "status", "jobdeck.job_status", "Status" },
	[JOBS_SORT_USER]   = { "coalesce(username, '')", "text", "User" },
};

const char *job_status_name(job_status s) { return (unsigned)s < ARRAY_SIZE(status_names) ? status_names[s] : "?"; }
const char *jobs_tab_name(jobs_tab t) { return (unsigned)t < ARRAY_SIZE(tab_names) ? tab_names[t] : "?"; }
const char *jobs_sort_name(jobs_sort s) { return (unsigned)s < JOBS_NSORTS ? sorts[s].label : "?"; }

int job_status_parse(const char *s, job_status *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (job_status)i;
			return 0;
		}
	return -1;
}

/* ==== parameters ==== */

void job_params_add(job_params *p, const char *key, size_t keylen, const char *val)
{
	p->keys = xrealloc(p->keys, (p->n + 1) * sizeof *p->keys);
	p->vals = xrealloc(p->vals, (p->n + 1) * sizeof *p->vals);
	p->keys[p->n] = xasprintf("%.*s", (int)keylen, key);
	p->vals[p->n++] = xstrdup(val);
}

const char *job_params_get(const job_params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->vals[i];
	return NULL;
}

void job_params_release(job_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->vals[i]);
	}
	free(p->keys);
	free(p->vals);
	memset(p, 0, sizeof *p);
}

/* ==== rows ==== */

void job_row_release(job_row *r)
{
	free(r->name);
	free(r->type);
	free(r->username);
	free(r->info);
	free(r->first_info);
	free(r->download_path);
	free(r->sort_key);
	memset(r, 0, sizeof *r);
}

void job_list_release(job_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		job_row_release(&l->rows[i]);
	free(l->rows);
	l->rows = NULL;
	l->n = 0;
}

void job_row_copy(job_row *dst, const job_row *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
	dst->type = xstrdup(src->type);
	dst->username = xstrdup(src->username);
	dst->info = xstrdup(src->info);
	dst->first_info = xstrdup(src->first_info);
	dst->download_path = xstrdup(src->download_path);
	dst->sort_key = xstrdup(src->sort_key);
}

/* The columns every row query selects, in the order row_from reads them. %s: sort expr.
 * The sort key needs its own name: unnamed, "(created_at)::text" would be called
 * created_at, and ORDER BY created_at would then sort by that text instead of using the
 * index — a sort of the whole table for every page. */
#define ROW_COLUMNS \
	"id, name, type, status, username, coalesce(object_id, 0), " \
	"array_to_string(jobdeck.job_notes(info, started_at), ' | '), " \
	"coalesce((jobdeck.job_notes(info, started_at))[1], ''), download_path, coalesce(download_size, 0), " \
	"(extract(epoch FROM created_at) * 1000000)::bigint, " \
	"(extract(epoch FROM started_at) * 1000000)::bigint, " \
	"(extract(epoch FROM completed_at) * 1000000)::bigint, " \
	"(%s)::text AS sort_key"
#define ROW_NCOLS 14

static void row_from(job_row *r, const db_res *res, int i)
{
	memset(r, 0, sizeof *r);
	r->id = db_int(res, i, 0);
	r->name = db_dup(res, i, 1);
	r->type = db_dup(res, i, 2);
	if (job_status_parse(db_get(res, i, 3), &r->status) < 0)
		r->status = JOB_ERROR;
	r->username = db_dup(res, i, 4);
	r->object_id = db_int(res, i, 5);
	r->info = xstrdup(db_get(res, i, 6));
	r->first_info = xstrdup(db_get(res, i, 7));
	r->download_path = db_dup(res, i, 8);
	r->download_size = db_int(res, i, 9);
	r->created_at = db_time(res, i, 10);
	r->started_at = db_time(res, i, 11);
	r->completed_at = db_time(res, i, 12);
	r->sort_key = xstrdup(db_get(res, i, 13));
}

/* ==== building the page query ==== */

/* Field terms a filter may have (each takes a parameter). */
#define FILTER_TERMS_MAX 8
#define QB_MAXPARAMS (FILTER_TERMS_MAX + 6)

/* Parameters for one query; the strings are owned by the builder. */
struct qb {
	strbuf sql;
	const char *params[QB_MAXPARAMS];
	char *owned[QB_MAXPARAMS];
	int n;
	bool filter;           /* a text filter is part of it */
	bool common_filter;    /* a filter matching many jobs: see page() */
};

static int qb_param(struct qb *b, const char *value, bool own)
{
	if (b->n == QB_MAXPARAMS) {   /* qb_where holds field terms to fewer */
		if (own)
			free((char *)value);
		return b->n;
	}
	b->params[b->n] = value;
	b->owned[b->n] = own ? (char *)value : NULL;
	return ++b->n;
}

static void qb_release(struct qb *b)
{
	for (int i = 0; i < b->n; i++)
		free(b->owned[i]);
	sb_release(&b->sql);
}

/* '%text%' with LIKE's wildcards in the text taken literally. */
static char *like_pattern(const char *s)
{
	strbuf sb = STRBUF_INIT;
	sb_addc(&sb, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			sb_addc(&sb, '\\');
		sb_addc(&sb, *s);
	}
	sb_addc(&sb, '%');
	return sb_detach(&sb);
}

/* How many candidates a filter may have for the trigram index to be worth using. */
#define FILTER_CANDIDATES_MAX 2000

/* The ids of the jobs a filter pattern can match, as an array literal ("{1,2}"), from the
 * trigram index (db/030); NULL when the filter is too common to narrow the search, or the
 * database cannot say. A superset: the page query still applies the filter itself. */
static char *filter_candidates(db *d, const char *pattern)
{
	char cap[16];
	snprintf(cap, sizeof cap, "%d", FILTER_CANDIDATES_MAX);
	const char *p[] = { pattern, cap };
	db_res *r;
	if (db_exec(d, "SELECT jobdeck.job_filter_ids($1, $2::integer)::text", 2, p, &r) < 0)
		return NULL;
	char *ids = db_rows(r) == 1 ? db_dup(r, 0, 0) : NULL;
	db_res_free(r);
	return ids;
}

/* The SQL condition of one field term, with its value as parameter k. */
static void qb_term(struct qb *b, const filter_term *t)
{
	char time[40];
	int k;
	strbuf *sql = &b->sql;
	sb_adds(sql, t->negated ? " AND NOT coalesce(" : " AND (");
	switch (t->field) {
	case FILTER_USER:
		if (t->cmdline) {
			sb_adds(sql, "username IS NULL");
		} else {
			k = qb_param(b, xstrdup(t->value), true);
			sb_addf(sql, "username = $%d", k);
		}
		break;
	case FILTER_TYPE:
		k = qb_param(b, xstrdup(t->value), true);
		sb_addf(sql, "type = $%d OR jobdeck.job_route(type, params) = $%d"
			     " OR (type = 'command' AND params->>'task' = $%d)", k, k, k);
		break;
	case FILTER_STATUS:
		k = qb_param(b, xstrdup(t->value), true);
		sb_addf(sql, "status = $%d::jobdeck.job_status", k);
		break;
	case FILTER_SINCE:
		snprintf(time, sizeof time, "%.6f", (double)t->since / 1e6);
		k = qb_param(b, xstrdup(time), true);
		sb_addf(sql, "created_at >= to_timestamp($%d::float8)", k);
		break;
	case FILTER_RECORD:
		k = qb_param(b, xstrdup(t->value), true);
		sb_addf(sql, "object_id IN (SELECT id FROM jobdeck.records WHERE identifier = $%d"
			     " OR ($%d ~ '^[0-9]{1,18}$' AND id = $%d::bigint))", k, k, k);
		break;
	}
	sb_adds(sql, t->negated ? ", false)" : ")");
}

/* The free text of a filter: its words must stand in the name, the info, the user or the type.
 * A filter costs one extra round trip for its candidate ids: ILIKE cannot use an index under
 * row-level security, id = ANY(...) can. */
static void qb_text(struct qb *b, db *d, const char *text)
{
	b->filter = true;
	int k = qb_param(b, like_pattern(text), true);
	sb_addf(&b->sql,
		" AND (name ILIKE $%d OR array_to_string(info, ' ') ILIKE $%d"
		" OR coalesce(username, '" JOBS_CMDLINE_USER "') ILIKE $%d"
		" OR type ILIKE $%d)", k, k, k, k);
	char *ids = filter_candidates(d, b->params[k - 1]);
	if (ids)
		sb_addf(&b->sql, " AND id = ANY($%d::bigint[])", qb_param(b, ids, true));
	else
		b->common_filter = true;
}

/* Parses a filter for a query: filter_parse, and no more terms than a query holds. */
static int parse_filter(const char *text, filter *f, char *err, size_t errlen)
{
	if (filter_parse(text, jd_now(), f, err, errlen) < 0)
		return -1;
	if (f->nterms > FILTER_TERMS_MAX) {
		snprintf(err, errlen, "a filter takes %d field terms at most", FILTER_TERMS_MAX);
		return -1;
	}
	return 0;
}

int jobs_filter_check(const char *text, char *err, size_t errlen)
{
	filter f;
	int rc = parse_filter(text, &f, err, errlen);
	filter_release(&f);
	return rc;
}

/* The WHERE clause shared by pages, streams and counts: tab, filter, and the caller's own
 * jobs when not an administrator (row-level security enforces that anyway; saying it here
 * lets the planner use the per-user index). 0, or -1 with db_error() for a filter that does
 * not parse (jobs_filter_check tells first). */
static int qb_where(struct qb *b, db *d, const jobs_query *q)
{
	sb_adds(&b->sql, " WHERE true");
	if (q->tab == JOBS_TAB_ACTIVE)
		sb_adds(&b->sql, " AND status = 'Running'");
	else if (q->tab == JOBS_TAB_FAILED)
		sb_adds(&b->sql, " AND status = 'Error'");
	if (!db_is_admin(d))
		sb_adds(&b->sql, " AND username = current_user");
	if (!q->filter || !*q->filter)
		return 0;
	filter f;
	char err[300];
	if (parse_filter(q->filter, &f, err, sizeof err) < 0) {
		filter_release(&f);
		db_set_error(d, DB_FAIL_QUERY, "filter: %s", err);
		return -1;
	}
	for (size_t i = 0; i < f.nterms; i++)
		qb_term(b, &f.terms[i]);
	if (f.text)
		qb_text(b, d, f.text);
	filter_release(&f);
	return 0;
}

static int qb_select(struct qb *b, db *d, const jobs_query *q)
{
	jobs_sort s = (unsigned)q->sort < JOBS_NSORTS ? q->sort : JOBS_SORT_START;
	sb_addf(&b->sql, "SELECT " ROW_COLUMNS " FROM jobdeck.jobs", sorts[s].expr);
	return qb_where(b, d, q);
}

/* Adds the keyset condition and ORDER BY. forward: in the query's order (descending
 * unless q->ascending); otherwise the reverse. */
static void qb_order(struct qb *b, const jobs_query *q, const jobs_cursor *after, bool forward, bool inclusive)
{
	jobs_sort s = (unsigned)q->sort < JOBS_NSORTS ? q->sort : JOBS_SORT_START;
	bool desc = q->ascending ? !forward : forward;
	/* among equal keys the newest job comes first, either way the column is sorted (the
	 * start date, indexed with the id, keeps the one direction: its ties are rare) */
	bool id_desc = s == JOBS_SORT_START ? desc : forward;
	if (after && after->key) {
		int k = qb_param(b, xstrdup(after->key), true);
		int i = qb_param(b, xasprintf("%lld", (long long)after->id), true);
		const char *op = desc ? (inclusive ? "<=" : "<") : (inclusive ? ">=" : ">");
		if (id_desc == desc) {
			sb_addf(&b->sql, " AND (%s, id) %s ($%d::%s, $%d::bigint)", sorts[s].expr, op, k,
				sorts[s].type, i);
		} else {
			const char *id_op = id_desc ? (inclusive ? "<=" : "<") : (inclusive ? ">=" : ">");
			sb_addf(&b->sql, " AND (%s %s $%d::%s OR (%s = $%d::%s AND id %s $%d::bigint))",
				sorts[s].expr, desc ? "<" : ">", k, sorts[s].type, sorts[s].expr, k,
				sorts[s].type, id_op, i);
		}
	}
	sb_addf(&b->sql, " ORDER BY %s %s, id %s", sorts[s].expr, desc ? "DESC" : "ASC", id_desc ? "DESC" : "ASC");
}

static int fetch_rows(db *d, struct qb *b, bool reverse, job_list *out)
{
	db_res *r;
	out->rows = NULL;
	out->n = 0;
	int rc;
	if (b->common_filter) {
		rc = db_exec_setting(d, "enable_sort", "off", b->sql.buf, b->n, b->params, &r);   /* see page() */
	} else if (b->filter) {
		/* planned for its values: a plan for any pattern and any candidates can be slow */
		rc = db_exec(d, b->sql.buf, b->n, b->params, &r);
	} else {
		/* a dashboard asks for the same few shapes of page again and again: each is prepared
		 * once per connection, so it is planned once (a third of the time of a page) */
		rc = db_exec_prepared(d, b->sql.buf, b->n, b->params, &r);
	}
	if (rc < 0)
		return -1;
	int n = db_rows(r);
	out->rows = n ? xcalloc((size_t)n, sizeof *out->rows) : NULL;
	out->n = (size_t)n;
	for (int i = 0; i < n; i++)
		row_from(&out->rows[reverse ? n - 1 - i : i], r, i);
	db_res_free(r);
	return 0;
}

/* A page of a common filter is found fastest by reading the ordered index until enough
 * rows match. But under row-level security the planner may not use the statistics to see
 * that ILIKE matches often (they could leak what the caller may not read), guesses a handful
 * of rows and sorts the whole table instead: 200 ms at 100,000 jobs. So such a page is read
 * with sorting disabled for that one statement (sent together with the setting). */
static int page(db *d, const jobs_query *q, const jobs_cursor *after, bool forward, bool inclusive,
		int limit, job_list *out)
{
	struct qb b = { .sql = STRBUF_INIT };
	out->rows = NULL;
	out->n = 0;
	int rc = qb_select(&b, d, q);
	if (rc == 0) {
		qb_order(&b, q, after, forward, inclusive);
		sb_addf(&b.sql, " LIMIT %d", limit > 0 ? limit : 1);
		rc = fetch_rows(d, &b, !forward, out);
	}
	qb_release(&b);
	return rc;
}

int jobs_page(db *d, const jobs_query *q, const jobs_cursor *after, bool backward, int limit, job_list *out)
{
	return page(d, q, after, !backward, false, limit, out);
}

int jobs_page_last(db *d, const jobs_query *q, int limit, job_list *out)
{
	return page(d, q, NULL, false, false, limit, out);
}

int jobs_page_at(db *d, const jobs_query *q, int64_t id, int limit, job_list *out)
{
	jobs_sort s = (unsigned)q->sort < JOBS_NSORTS ? q->sort : JOBS_SORT_START;
	char *sql = xasprintf("SELECT (%s)::text FROM jobdeck.jobs WHERE id = $1", sorts[s].expr);
	const char *p[] = { DB_INT(id) };
	db_res *r;
	int rc = db_exec(d, sql, 1, p, &r);
	free(sql);
	if (rc < 0)
		return -1;
	if (db_rows(r) == 0) {
		db_res_free(r);
		return jobs_page(d, q, NULL, false, limit, out);
	}
	jobs_cursor at = { db_dup(r, 0, 0), id };
	db_res_free(r);
	rc = page(d, q, &at, true, true, limit, out);
	free(at.key);
	return rc;
}

struct each_ctx {
	int (*fn)(void *ctx, const job_row *r);
	void *ctx;
};

static int each_row(void *ctx, const db_res *res)
{
	struct each_ctx *e = ctx;
	job_row r;
	row_from(&r, res, 0);
	int stop = e->fn(e->ctx, &r);
	job_row_release(&r);
	return stop;
}

/* What jobs_each_brief reads. The epochs go through date_part, a float8: exact to the
 * microsecond for any date a job has, and cheaper than extract, which is numeric. */
#define BRIEF_COLUMNS \
	"name, status, username, array_to_string(jobdeck.job_notes(info, started_at), ' | '), " \
	"(date_part('epoch', created_at) * 1000000)::bigint, " \
	"(date_part('epoch', completed_at) * 1000000)::bigint"

/* Fills a brief row with pointers into the result: nothing to copy, nothing to free. */
static int each_brief_row(void *ctx, const db_res *res)
{
	struct each_ctx *e = ctx;
	job_row r;
	memset(&r, 0, sizeof r);
	r.name = (char *)db_get(res, 0, 0);
	if (job_status_parse(db_get(res, 0, 1), &r.status) < 0)
		r.status = JOB_ERROR;
	r.username = db_isnull(res, 0, 2) ? NULL : (char *)db_get(res, 0, 2);
	r.info = (char *)db_get(res, 0, 3);
	r.first_info = (char *)"";
	r.created_at = db_time(res, 0, 4);
	r.started_at = JD_TIME_NONE;
	r.completed_at = db_time(res, 0, 5);
	return e->fn(e->ctx, &r);
}

/* Streams `SELECT columns FROM jobs` for the query, in its order, through fn. */
static int stream(db *d, const jobs_query *q, const char *columns, db_row_fn fn, void *ctx)
{
	struct qb b = { .sql = STRBUF_INIT };
	sb_addf(&b.sql, "SELECT %s FROM jobdeck.jobs", columns);
	int rc = qb_where(&b, d, q);
	if (rc == 0) {
		qb_order(&b, q, NULL, true, false);
		rc = db_stream(d, b.sql.buf, b.n, b.params, fn, ctx) < 0 ? -1 : 0;
	}
	qb_release(&b);
	return rc;
}

int jobs_each_brief(db *d, const jobs_query *q, int (*fn)(void *ctx, const job_row *r), void *ctx)
{
	struct each_ctx e = { fn, ctx };
	return stream(d, q, BRIEF_COLUMNS, each_brief_row, &e);
}

int jobs_each(db *d, const jobs_query *q, int (*fn)(void *ctx, const job_row *r), void *ctx)
{
	jobs_sort s = (unsigned)q->sort < JOBS_NSORTS ? q->sort : JOBS_SORT_START;
	char *columns = xasprintf(ROW_COLUMNS, sorts[s].expr);
	struct each_ctx e = { fn, ctx };
	int rc = stream(d, q, columns, each_row, &e);
	free(columns);
	return rc;
}

struct ids_ctx {
	int64_t *v;
	size_t n, cap;
};

static int each_id(void *ctx, const db_res *res)
{
	struct ids_ctx *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = db_int(res, 0, 0);
	return 0;
}

int jobs_ids(db *d, const jobs_query *q, int64_t **ids, size_t *n)
{
	struct ids_ctx c = { NULL, 0, 0 };
	int rc = stream(d, q, "id", each_id, &c);
	if (rc < 0) {
		free(c.v);
		c.v = NULL;
		c.n = 0;
	}
	*ids = c.v;
	*n = c.n;
	return rc;
}

/* ==== one job ==== */

static int not_found(db *d, int64_t id)
{
	db_set_error(d, DB_FAIL_NOTFOUND, "job %lld not found", (long long)id);
	return -1;
}

/* Splits a PostgreSQL text[] literal ({a,"b c"}) into its elements. */
static size_t split_array(const char *s, char ***out)
{
	size_t n = 0, cap = 0;
	char **v = NULL;
	if (*s == '{')
		s++;
	while (*s && *s != '}') {
		strbuf e = STRBUF_INIT;
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				sb_addc(&e, *s);
			}
			if (*s == '"')
				s++;
		} else {
			for (; *s && *s != ',' && *s != '}'; s++)
				sb_addc(&e, *s);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = sb_detach(&e);
		if (*s == ',')
			s++;
	}
	*out = v;
	return n;
}

int jobs_get(db *d, int64_t id, job_detail *out)
{
	const char *p[] = { DB_INT(id) };
	char *sql = xasprintf("SELECT " ROW_COLUMNS ", j.params::text, jobdeck.job_notes(j.info, j.started_at)::text, r.identifier, r.title,"
			      " j.worker, j.namespace, j.attempts, j.max_attempts,"
			      " (extract(epoch FROM j.queued_at) * 1000000)::bigint,"
			      " (extract(epoch FROM j.heartbeat_at) * 1000000)::bigint, j.output_bytes,"
			      " CASE WHEN j.status = 'Running' THEN j.cancel_requested_by END"
			      " FROM jobdeck.jobs j LEFT JOIN LATERAL (SELECT identifier, title"
			      "   FROM jobdeck.records WHERE records.id = j.object_id) r ON true"
			      " WHERE j.id = $1::bigint", "j.created_at");
	db_res *r;
	int rc = db_exec(d, sql, 1, p, &r);
	free(sql);
	if (rc < 0)
		return -1;
	if (db_rows(r) == 0) {
		db_res_free(r);
		return not_found(d, id);
	}
	memset(out, 0, sizeof *out);
	row_from(&out->row, r, 0);
	int c = ROW_NCOLS;
	out->params = db_dup(r, 0, c++);
	out->nnotes = split_array(db_get(r, 0, c++), &out->notes);
	out->record_identifier = db_dup(r, 0, c++);
	out->record_title = db_dup(r, 0, c++);
	out->worker = db_dup(r, 0, c++);
	out->namespace_ = db_dup(r, 0, c++);
	out->attempts = (int)db_int(r, 0, c++);
	out->max_attempts = (int)db_int(r, 0, c++);
	out->queued_at = db_time(r, 0, c++);
	out->heartbeat_at = db_time(r, 0, c++);
	out->output_bytes = db_int(r, 0, c++);
	out->cancel_requested_by = db_dup(r, 0, c++);
	db_res_free(r);
	return 0;
}

/* What jobs_each_detail reads: a job's every field, the record through a scalar subquery
 * (a join would make the filter's bare column names ambiguous). */
#define DETAIL_COLUMNS \
	"id, name, type, status, username, coalesce(object_id, 0), download_path, coalesce(download_size, 0)," \
	" (extract(epoch FROM created_at) * 1000000)::bigint," \
	" (extract(epoch FROM started_at) * 1000000)::bigint," \
	" (extract(epoch FROM completed_at) * 1000000)::bigint," \
	" params::text, jobdeck.job_notes(info, started_at)::text," \
	" (SELECT r.identifier FROM jobdeck.records r WHERE r.id = jobs.object_id)," \
	" (SELECT r.title FROM jobdeck.records r WHERE r.id = jobs.object_id)," \
	" worker, namespace, attempts, max_attempts," \
	" (extract(epoch FROM queued_at) * 1000000)::bigint," \
	" (extract(epoch FROM heartbeat_at) * 1000000)::bigint, output_bytes," \
	" CASE WHEN status = 'Running' THEN cancel_requested_by END"

struct each_detail_ctx {
	int (*fn)(void *ctx, const job_detail *j);
	void *ctx;
};

static int each_detail_row(void *ctx, const db_res *res)
{
	struct each_detail_ctx *e = ctx;
	job_detail j;
	memset(&j, 0, sizeof j);
	int c = 0;
	j.row.id = db_int(res, 0, c++);
	j.row.name = db_dup(res, 0, c++);
	j.row.type = db_dup(res, 0, c++);
	if (job_status_parse(db_get(res, 0, c++), &j.row.status) < 0)
		j.row.status = JOB_ERROR;
	j.row.username = db_dup(res, 0, c++);
	j.row.object_id = db_int(res, 0, c++);
	j.row.download_path = db_dup(res, 0, c++);
	j.row.download_size = db_int(res, 0, c++);
	j.row.created_at = db_time(res, 0, c++);
	j.row.started_at = db_time(res, 0, c++);
	j.row.completed_at = db_time(res, 0, c++);
	j.params = db_dup(res, 0, c++);
	j.nnotes = split_array(db_get(res, 0, c++), &j.notes);
	j.row.info = xstrdup("");
	j.row.first_info = xstrdup(j.nnotes ? j.notes[0] : "");
	j.record_identifier = db_dup(res, 0, c++);
	j.record_title = db_dup(res, 0, c++);
	j.worker = db_dup(res, 0, c++);
	j.namespace_ = db_dup(res, 0, c++);
	j.attempts = (int)db_int(res, 0, c++);
	j.max_attempts = (int)db_int(res, 0, c++);
	j.queued_at = db_time(res, 0, c++);
	j.heartbeat_at = db_time(res, 0, c++);
	j.output_bytes = db_int(res, 0, c++);
	j.cancel_requested_by = db_dup(res, 0, c++);
	int stop = e->fn(e->ctx, &j);
	job_detail_release(&j);
	return stop;
}

int jobs_each_detail(db *d, const jobs_query *q, int64_t limit, int (*fn)(void *ctx, const job_detail *j),
		     void *ctx)
{
	struct qb b = { .sql = STRBUF_INIT };
	struct each_detail_ctx e = { fn, ctx };
	sb_adds(&b.sql, "SELECT " DETAIL_COLUMNS " FROM jobdeck.jobs");
	int rc = qb_where(&b, d, q);
	if (rc == 0) {
		qb_order(&b, q, NULL, true, false);
		if (limit > 0)
			sb_addf(&b.sql, " LIMIT %lld", (long long)limit);
		rc = db_stream(d, b.sql.buf, b.n, b.params, each_detail_row, &e) < 0 ? -1 : 0;
	}
	qb_release(&b);
	return rc;
}

void job_detail_release(job_detail *j)
{
	job_row_release(&j->row);
	free(j->params);
	for (size_t i = 0; i < j->nnotes; i++)
		free(j->notes[i]);
	free(j->notes);
	free(j->record_identifier);
	free(j->record_title);
	free(j->worker);
	free(j->namespace_);
	free(j->cancel_requested_by);
	memset(j, 0, sizeof *j);
}

/* ==== console output ==== */

/* Reads [start, start+len) of the output; start < 0 means the last len bytes. */
static int output_read(db *d, int64_t id, int64_t start, size_t len, job_output *out)
{
	const char *p[] = { DB_INT(id), DB_INT(start), DB_INT((int64_t)len) };
	/* The chunk range [lo, hi) comes from scalar subqueries, so the planner sees plain
	 * parameters: under row-level security a bound such as coalesce(...) or start + len
	 * counts as "leaky" and may not become an index condition, and the output of a big
	 * job was then read whole, row by row, to keep its last 64 KB. */
	static const char sql[] =
		"WITH j AS (SELECT output_bytes AS total,"
		"                  CASE WHEN $2::bigint < 0 THEN greatest(output_bytes - $3::bigint, 0)"
		"                       ELSE $2::bigint END AS start"
		"             FROM jobdeck.jobs WHERE id = $1::bigint),"
		"     b AS (SELECT coalesce((SELECT max(offset_) FROM jobdeck.job_output"
		"                             WHERE job_id = $1::bigint AND offset_ <= j.start), 0) AS lo,"
		"                  j.start + $3::bigint AS hi"
		"             FROM j)"
		"SELECT j.total, j.start, o.offset_, o.data,"
		"       coalesce((SELECT line_at FROM jobdeck.job_output"
		"                  WHERE job_id = $1::bigint AND offset_ = (SELECT lo FROM b)),"
		"                jobdeck.output_lines_before($1::bigint, (SELECT lo FROM b)))"
		"  FROM j LEFT JOIN jobdeck.job_output o"
		"    ON o.job_id = $1::bigint AND o.offset_ >= (SELECT lo FROM b) AND o.offset_ < (SELECT hi FROM b)"
		" ORDER BY o.offset_";
	db_res *r;
	if (db_exec(d, sql, 3, p, &r) < 0)
		return -1;
	if (db_rows(r) == 0) {
		db_res_free(r);
		return not_found(d, id);
	}
	memset(out, 0, sizeof *out);
	out->total = db_int(r, 0, 0);
	int64_t from = db_int(r, 0, 1);
	int64_t to = from + (int64_t)len;
	if (to > out->total)
		to = out->total;
	out->offset = from;
	out->first_line = db_int(r, 0, 4) + 1;
	size_t want = to > from ? (size_t)(to - from) : 0;
	out->data = xmalloc(want + 1);
	for (int i = 0; i < db_rows(r); i++) {
		if (db_isnull(r, i, 2))
			continue;
		int64_t off = db_int(r, i, 2);
		size_t n;
		unsigned char *chunk = db_bytea(r, i, 3, &n);
		/* lines of the chunk that hold from, before from */
		for (int64_t k = 0; off < from && k < from - off && k < (int64_t)n; k++)
			out->first_line += chunk[k] == '\n';
		/* copy the part of [off, off+n) that falls in [from, to) */
		int64_t a = off > from ? off : from;
		int64_t b = off + (int64_t)n < to ? off + (int64_t)n : to;
		if (b > a) {
			memcpy(out->data + (a - from), chunk + (a - off), (size_t)(b - a));
			if ((size_t)(b - from) > out->len)
				out->len = (size_t)(b - from);
		}
		free(chunk);
	}
	out->data[out->len] = '\0';
	db_res_free(r);
	return 0;
}

int jobs_output_tail(db *d, int64_t id, size_t max_bytes, job_output *out)
{
	return output_read(d, id, -1, max_bytes, out);
}

int jobs_output_range(db *d, int64_t id, int64_t offset, size_t len, job_output *out)
{
	return output_read(d, id, offset < 0 ? 0 : offset, len, out);
}

void job_output_release(job_output *o)
{
	free(o->data);
	memset(o, 0, sizeof *o);
}

struct chunk_ctx {
	int (*fn)(void *ctx, const unsigned char *p, size_t n);
	void *ctx;
};

static int each_chunk(void *ctx, const db_res *res)
{
	struct chunk_ctx *c = ctx;
	size_t n;
	unsigned char *p = db_bytea(res, 0, 0, &n);
	int stop = c->fn(c->ctx, p, n);
	free(p);
	return stop;
}

int jobs_output_each(db *d, int64_t id, int (*fn)(void *ctx, const unsigned char *p, size_t n), void *ctx)
{
	const char *p[] = { DB_INT(id) };
	struct chunk_ctx c = { fn, ctx };
	int rc = db_stream(d, "SELECT data FROM jobdeck.job_output WHERE job_id = $1::bigint ORDER BY offset_",
			   1, p, each_chunk, &c);
	return rc < 0 ? -1 : 0;
}

/* ==== searching output ==== */

struct search {
	const char *text;
	size_t len;
	bool fold;              /* compare ASCII letters without case */
	unsigned char *carry;   /* the last len-1 bytes of the chunks so far */
	size_t ncarry;
	int64_t at;             /* the offset of carry[0] */
	int64_t *offsets;
	size_t max, n;
	int64_t total;
};

static bool match_at(const struct search *s, const unsigned char *p)
{
	for (size_t i = 0; i < s->len; i++) {
		unsigned char a = p[i], b = (unsigned char)s->text[i];
		if (s->fold && a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/* Each chunk is searched together with the tail of the ones before it, so a match across a
 * boundary is found once: only matches that end in the new chunk count. */
static int search_chunk(void *ctx, const unsigned char *p, size_t n)
{
	struct search *s = ctx;
	size_t all = s->ncarry + n;
	unsigned char *buf = xmalloc(all + 1);
	memcpy(buf, s->carry, s->ncarry);
	memcpy(buf + s->ncarry, p, n);
	for (size_t i = 0; i + s->len <= all; i++) {
		if (i + s->len <= s->ncarry || !match_at(s, buf + i))
			continue;
		if (s->n < s->max)
			s->offsets[s->n++] = s->at + (int64_t)i;
		s->total++;
	}
	size_t keep = s->len - 1 < all ? s->len - 1 : all;
	memcpy(s->carry, buf + all - keep, keep);
	s->at += (int64_t)(all - keep);
	s->ncarry = keep;
	free(buf);
	return 0;
}

int jobs_output_search(db *d, int64_t id, const char *text, int64_t *offsets, size_t max, size_t *n,
		       int64_t *total)
{
	struct search s = { text, strlen(text), true, NULL, 0, 0, offsets, max, 0, 0 };
	for (const char *c = text; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			s.fold = false;   /* a capital letter: the case counts */
	*n = 0;
	*total = 0;
	if (!s.len)
		return 0;
	s.carry = xmalloc(s.len);
	int rc = jobs_output_each(d, id, search_chunk, &s);
	free(s.carry);
	*n = s.n;
	*total = s.total;
	return rc;
}

/* ==== counts and clearing ==== */

int jobs_counts(db *d, int64_t counts[JOBS_NTABS])
{
	db_res *r;
	memset(counts, 0, sizeof(int64_t) * JOBS_NTABS);
	/* Administrators count everyone's; others their own (row-level security agrees). */
	const char *sql = db_is_admin(d)
		? "SELECT status, sum(n)::bigint FROM jobdeck.job_counts GROUP BY status"
		: "SELECT status, sum(n)::bigint FROM jobdeck.job_counts WHERE username = current_user GROUP BY status";
	if (db_exec(d, sql, 0, NULL, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++) {
		job_status s;
		int64_t n = db_int(r, i, 1);
		if (job_status_parse(db_get(r, i, 0), &s) < 0)
			continue;
		counts[JOBS_TAB_ALL] += n;
		if (s == JOB_RUNNING)
			counts[JOBS_TAB_ACTIVE] += n;
		else if (s == JOB_ERROR)
			counts[JOBS_TAB_FAILED] += n;
	}
	db_res_free(r);
	return 0;
}

int jobs_output_channel(db *d, int64_t id, char *buf, size_t n)
{
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *params[] = { ids };
	db_res *r;
	if (db_exec(d, "SELECT jobdeck.output_channel($1::bigint)", 1, params, &r) < 0)
		return -1;
	int rc = db_rows(r) == 1 && !db_isnull(r, 0, 0) ? 0 : 1;
	if (rc == 0)
		snprintf(buf, n, "%s", db_get(r, 0, 0));
	db_res_free(r);
	return rc;
}

#define CLEARABLE \
	"status <> 'Running' AND (username = current_user OR (username IS NULL AND jobdeck.is_admin()))"

int jobs_clear_count(db *d, int64_t *n)
{
	db_res *r;
	if (db_exec(d, "SELECT coalesce(sum(n), 0)::bigint FROM jobdeck.job_counts WHERE " CLEARABLE,
		    0, NULL, &r) < 0)
		return -1;
	*n = db_int(r, 0, 0);
	db_res_free(r);
	return 0;
}

/* Removes the file job id produced, but only one the job's worker could have recorded: in
 * the downloads folder (a path in the database is never trusted to point anywhere else) and
 * named for that job ("<stem>-<id>.<ext>", see job_file_path), so no job's path can name
 * another job's file. */
static void remove_download(const char *path, int64_t id)
{
	char dir[PATH_MAX], file[PATH_MAX], tail[40];
	if (!realpath(config_downloads_dir(), dir) || !realpath(path, file))
		return;
	size_t n = strlen(dir);
	if (strncmp(file, dir, n) != 0 || file[n] != '/' || strchr(file + n + 1, '/'))
		return;
	const char *dot = strrchr(file + n + 1, '.');
	int k = snprintf(tail, sizeof tail, "-%lld", (long long)id);
	if (!dot || dot - (file + n + 1) < k || strncmp(dot - k, tail, (size_t)k) != 0)
		return;
	unlink(file);
}

/* Jobs per purge statement: about 10,000 output rows, a few tens of milliseconds. */
#define PURGE_BATCH 1000
/* What jobs_clear spends on the output of what it removed before returning. */
#define CLEAR_PURGE_MS 200

int jobs_output_purge(db *d, int budget_ms, int64_t *purged)
{
	char batch[16];
	snprintf(batch, sizeof batch, "%d", PURGE_BATCH);
	const char *p[] = { batch };
	jd_time start = jd_now();
	if (purged)
		*purged = 0;
	for (;;) {
		db_res *r;
		if (db_exec(d, "SELECT jobdeck.output_purge($1::integer)", 1, p, &r) < 0)
			return -1;
		int64_t n = db_int(r, 0, 0);
		db_res_free(r);
		if (purged)
			*purged += n;
		if (n < PURGE_BATCH)
			return 0;
		if (budget_ms > 0 && jd_now() - start >= (jd_time)budget_ms * 1000)
			return 1;
	}
}

int jobs_cancel(db *d, int64_t id, jobs_cancel_result *out)
{
	const char *p[] = { DB_INT(id) };
	db_res *r;
	if (db_exec(d, "SELECT jobdeck.job_cancel($1::bigint)", 1, p, &r) < 0)
		return -1;
	const char *v = db_get(r, 0, 0);
	*out = strcmp(v, "ended") == 0       ? JOBS_CANCEL_ENDED
	       : strcmp(v, "cancelled") == 0 ? JOBS_CANCEL_DONE
	       : strcmp(v, "requested") == 0 ? JOBS_CANCEL_REQUESTED
	       : strcmp(v, "requested run") == 0 ? JOBS_CANCEL_REQUESTED_RUN
					     : JOBS_CANCEL_MISSING;
	db_res_free(r);
	return 0;
}

int jobs_end_lost_runs(db *d, int64_t *n)
{
	db_res *r;
	if (db_exec(d, "SELECT jobdeck.end_lost_runs()", 0, NULL, &r) < 0)
		return -1;
	if (n)
		*n = db_int(r, 0, 0);
	db_res_free(r);
	return 0;
}

/* Removes the files of what a clear or prune returned (removed, job_id, download_path) and
 * reads how many went. */
static int removed_rows(db *d, const char *sql, int n, const char *const *p, int64_t *removed)
{
	db_res *r;
	*removed = 0;
	if (db_exec(d, sql, n, p, &r) < 0)
		return -1;
	if (db_rows(r) > 0)
		*removed = db_int(r, 0, 0);
	for (int i = 0; i < db_rows(r); i++)
		if (!db_isnull(r, i, 2))
			remove_download(db_get(r, i, 2), db_int(r, i, 1));
	db_res_free(r);
	/* the jobs are gone; what output is not deleted now goes with a later purge */
	jobs_output_purge(d, CLEAR_PURGE_MS, NULL);
	return 0;
}

int jobs_clear(db *d, int64_t *removed)
{
	return removed_rows(d, "SELECT removed, job_id, download_path FROM jobdeck.jobs_clear()", 0, NULL, removed);
}

int jobs_clear_ids(db *d, const int64_t *ids, size_t n, int64_t *removed)
{
	char *arr = db_int_array(ids, n);
	const char *p[] = { arr };
	int rc = removed_rows(d, "SELECT removed, job_id, download_path FROM jobdeck.jobs_clear_ids($1::bigint[])",
			      1, p, removed);
	free(arr);
	return rc;
}

int jobs_retry(db *d, const int64_t *ids, size_t n, jobs_retry_result **out, size_t *nout)
{
	char *arr = db_int_array(ids, n);
	const char *p[] = { arr };
	db_res *r;
	*out = NULL;
	*nout = 0;
	int rc = db_exec(d, "SELECT old_id, new_id, outcome, route, namespace FROM jobdeck.job_retry($1::bigint[])",
			 1, p, &r);
	free(arr);
	if (rc < 0)
		return -1;
	size_t k = (size_t)db_rows(r);
	jobs_retry_result *v = xcalloc(k ? k : 1, sizeof *v);
	for (size_t i = 0; i < k; i++) {
		const char *o = db_get(r, (int)i, 2);
		v[i].old_id = db_int(r, (int)i, 0);
		v[i].new_id = db_int(r, (int)i, 1);
		v[i].outcome = strcmp(o, "retried") == 0        ? JOBS_RETRY_DONE
			       : strcmp(o, "not failed") == 0   ? JOBS_RETRY_NOT_FAILED
			       : strcmp(o, "command line") == 0 ? JOBS_RETRY_CMDLINE
								: JOBS_RETRY_MISSING;
		snprintf(v[i].route, sizeof v[i].route, "%s", db_get(r, (int)i, 3));
		snprintf(v[i].ns, sizeof v[i].ns, "%s", db_get(r, (int)i, 4));
	}
	db_res_free(r);
	*out = v;
	*nout = k;
	return 0;
}

/* A time as a timestamptz parameter: seconds since the epoch, with their fraction. */
static const char *time_param(char *buf, size_t n, jd_time t)
{
	snprintf(buf, n, "%.6f", (double)t / 1e6);
	return buf;
}

int jobs_prune(db *d, jd_time before, int status, int batch, int64_t *removed)
{
	char t[40];
	const char *p[] = { time_param(t, sizeof t, before), status < 0 ? NULL : job_status_name((job_status)status),
			    DB_INT(batch) };
	return removed_rows(d, "SELECT removed, job_id, download_path"
			       "  FROM jobdeck.jobs_prune(to_timestamp($1::float8), $2::jobdeck.job_status, $3::integer)",
			    3, p, removed);
}

int jobs_prune_count(db *d, jd_time before, int status, int64_t *n)
{
	char t[40];
	const char *p[] = { time_param(t, sizeof t, before), status < 0 ? NULL : job_status_name((job_status)status) };
	db_res *r;
	if (db_exec(d, "SELECT jobdeck.jobs_prune_count(to_timestamp($1::float8), $2::jobdeck.job_status)", 2, p, &r) < 0)
		return -1;
	*n = db_int(r, 0, 0);
	db_res_free(r);
	return 0;
}

static int pause_call(db *d, const char *fn, const char *ns, const char *route, int64_t *waiting)
{
	char *sql = xasprintf("SELECT jobdeck.%s($1, $2)", fn);
	const char *p[] = { ns, route };
	db_res *r;
	int rc = db_exec(d, sql, 2, p, &r);
	free(sql);
	if (rc < 0)
		return -1;
	if (waiting)
		*waiting = db_int(r, 0, 0);
	db_res_free(r);
	return 0;
}

int jobs_pause(db *d, const char *ns, const char *route, int64_t *waiting)
{
	return pause_call(d, "route_pause", ns, route, waiting);
}

int jobs_resume(db *d, const char *ns, const char *route, int64_t *waiting)
{
	return pause_call(d, "route_resume", ns, route, waiting);
}

int jobs_paused(db *d, const char *ns, void (*fn)(void *ctx, const char *route, const char *by, jd_time at),
		void *ctx)
{
	const char *p[] = { ns };
	db_res *r;
	if (db_exec(d, "SELECT route, paused_by, (extract(epoch FROM paused_at) * 1000000)::bigint"
		       "  FROM jobdeck.paused WHERE namespace = $1 ORDER BY route", 1, p, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++)
		fn(ctx, db_get(r, i, 0), db_get(r, i, 1), db_time(r, i, 2));
	db_res_free(r);
	return 0;
}

/* ==== writing ==== */

#define SUBMIT_SQL "SELECT jobdeck.job_submit($1, $2, $3::jsonb, $4::bigint, $5, $6::boolean, $7::integer)"

int jobs_submit(db *d, const job_new *j, size_t n, bool no_worker, int64_t *ids)
{
	const char *p[] = {
		j->type, j->name, j->params_json ? j->params_json : "{}", j->object_id ? DB_INT(j->object_id) : NULL,
		j->namespace_ ? j->namespace_ : "jobdeck", no_worker ? "t" : "f", DB_INT((int64_t)n),
	};
	db_res *r;
	if (db_exec(d, SUBMIT_SQL, 7, p, &r) < 0)
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

int jobs_submit_check_begin(db *d, const job_new *j)
{
	const char *p[] = {
		j->type, j->name, j->params_json ? j->params_json : "{}", j->object_id ? DB_INT(j->object_id) : NULL,
		j->namespace_ ? j->namespace_ : "jobdeck", "f", "0",
	};
	return db_send(d, SUBMIT_SQL, 7, p);
}

int jobs_submit_check_end(db *d)
{
	return db_wait(d, NULL);
}

int jobs_input_append(db *d, int64_t id, const void *data, size_t len)
{
	const char *p[] = { DB_INT(id), data ? data : "" };
	int lengths[] = { 0, (int)len };
	int formats[] = { 0, 1 };
	return db_exec_bin(d, "SELECT jobdeck.job_input_append($1::bigint, $2::bytea)", 2, p, lengths, formats, NULL);
}

int jobs_input_max(db *d, int64_t *bytes)
{
	db_res *r;
	if (db_exec(d, "SELECT value FROM jobdeck.settings WHERE name = 'input_max_bytes'", 0, NULL, &r) < 0)
		return -1;
	*bytes = db_rows(r) ? db_int(r, 0, 0) : 0;
	db_res_free(r);
	return 0;
}

int jobs_fail_unqueued(db *d, const int64_t *ids, size_t n, const char *reason)
{
	char *arr = db_int_array(ids, n);
	const char *p[] = { arr, reason };
	int rc = db_exec(d, "SELECT jobdeck.job_fail_unqueued($1::bigint[], $2)", 2, p, NULL);
	free(arr);
	return rc;
}

int jobs_run_start(db *d, const job_new *j, const char *runner, int64_t *id)
{
	const char *p[] = { j->name, j->params_json ? j->params_json : "{}", j->object_id ? DB_INT(j->object_id) : NULL,
			    j->namespace_ ? j->namespace_ : "jobdeck", runner };
	db_res *r;
	if (db_exec(d, "SELECT jobdeck.run_start($1, $2::jsonb, $3::bigint, $4, $5)", 5, p, &r) < 0)
		return -1;
	*id = db_int(r, 0, 0);
	db_res_free(r);
	return 0;
}

/* A call that answers with one row when the job was the caller's to change, else none. */
static int one_row(db *d, int64_t id, const char *sql, int n, const char **p, const int *lengths,
		   const int *formats, db_res **out)
{
	p[0] = DB_INT(id);
	db_res *r;
	if (db_exec_bin(d, sql, n, p, lengths, formats, &r) < 0)
		return -1;
	if (db_rows(r) == 0 || db_isnull(r, 0, 0) || strcmp(db_get(r, 0, 0), "f") == 0) {
		db_res_free(r);
		db_set_error(d, DB_FAIL_NOTFOUND, "job %lld is no longer this run's", (long long)id);
		return -1;
	}
	if (out)
		*out = r;
	else
		db_res_free(r);
	return 0;
}

int jobs_run_output(db *d, int64_t id, const void *data, size_t len)
{
	const char *p[] = { NULL, data };
	int lengths[] = { 0, (int)len };
	int formats[] = { 0, 1 };
	return one_row(d, id, "SELECT jobdeck.run_output($1::bigint, $2::bytea)", 2, p, lengths, formats, NULL);
}

int jobs_run_heartbeat(db *d, int64_t id, char *cancel_by, size_t n)
{
	const char *p[] = { NULL };
	db_res *r;
	if (n)
		cancel_by[0] = '\0';
	/* the row is there when the run is still the caller's, whoever asked to cancel it */
	if (one_row(d, id, "SELECT true, cancel_requested_by FROM jobdeck.run_heartbeat($1::bigint)",
		    1, p, NULL, NULL, &r) < 0)
		return -1;
	if (n && !db_isnull(r, 0, 1))
		snprintf(cancel_by, n, "%s", db_get(r, 0, 1));
	db_res_free(r);
	return 0;
}

int jobs_run_end(db *d, int64_t id, job_status st, const char *note)
{
	const char *p[] = { NULL, job_status_name(st), note };
	return one_row(d, id, "SELECT jobdeck.run_end($1::bigint, $2::jobdeck.job_status, $3)", 3, p, NULL,
		       NULL, NULL);
}

int jobs_output_append(db *d, int64_t id, const void *data, size_t len)
{
	return jobs_output_add(d, id, NULL, data, len);
}

/* ==== counts of a filter (ui-detail) ==== */

int jobs_count_upto(db *d, const jobs_query *q, int64_t cap, int64_t *n)
{
	struct qb b = { .sql = STRBUF_INIT };
	sb_addf(&b.sql, "SELECT count(*) FROM (SELECT 1 FROM jobdeck.jobs");
	int rc = qb_where(&b, d, q);
	if (rc == 0) {
		sb_addf(&b.sql, " LIMIT %lld) s", (long long)(cap > 0 ? cap : 1));
		db_res *r;
		rc = db_exec(d, b.sql.buf, b.n, b.params, &r);
		if (rc == 0) {
			*n = db_int(r, 0, 0);
			db_res_free(r);
		}
	}
	qb_release(&b);
	return rc;
}
