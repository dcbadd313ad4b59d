/* bulk.c — see bulk.h. */
#include "bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "util.h"

#define BATCH 1000

static const char *const verbs[] = { [BULK_CLEAR] = "clear", [BULK_CANCEL] = "cancel", [BULK_RETRY] = "retry" };
static const char *const done_words[] = { [BULK_CLEAR] = "cleared", [BULK_CANCEL] = "cancelled", [BULK_RETRY] = "retried" };
static const char *const skip_words[] = {
	[SKIP_RUNNING] = "running", [SKIP_NOT_RUNNING] = "not running", [SKIP_NOT_FAILED] = "not failed",
	[SKIP_NOT_YOURS] = "someone else's", [SKIP_CMDLINE] = "command-line runs", [SKIP_GONE] = "gone",
};

const char *bulk_verb(bulk_action a) { return verbs[a]; }

void bulk_plan_release(bulk_plan *p)
{
	free(p->ids);
	memset(p, 0, sizeof *p);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Why job row i may not be acted on, or -1 when it may. */
static int skip_reason(bulk_action a, const db_res *r, int i, bool admin)
{
	const char *st = db_get(r, i, 1);
	bool cmdline = db_get(r, i, 2)[0] == 't', mine = db_get(r, i, 3)[0] == 't';
	bool allowed = a == BULK_CLEAR ? mine || (cmdline && admin) : mine || admin;
	switch (a) {
	case BULK_CLEAR:
		if (strcmp(st, "Running") == 0)
			return SKIP_RUNNING;
		break;
	case BULK_CANCEL:
		if (strcmp(st, "Running") != 0)
			return SKIP_NOT_RUNNING;
		break;
	case BULK_RETRY:
		if (strcmp(st, "Error") != 0)
			return SKIP_NOT_FAILED;
		if (db_get(r, i, 4)[0] == 't')
			return SKIP_CMDLINE;
		break;
	}
	return allowed ? -1 : SKIP_NOT_YOURS;
}

/* Classifies n ids (sorted) into the plan. */
static int classify(db *d, const int64_t *ids, size_t n, bulk_plan *p)
{
	char *arr = db_int_array(ids, n);
	const char *params[] = { arr };
	db_res *r;
	int rc = db_exec(d, "SELECT id, status, username IS NULL, username IS NOT DISTINCT FROM current_user,"
			    "       type = 'cmdline'"
			    "  FROM jobdeck.jobs WHERE id = ANY($1::bigint[]) ORDER BY id", 1, params, &r);
	free(arr);
	if (rc < 0)
		return -1;
	bool admin = db_is_admin(d);
	p->ids = xrealloc(p->ids, (p->n + n + 1) * sizeof *p->ids);
	p->skipped[SKIP_GONE] += (int64_t)n - db_rows(r);
	for (int i = 0; i < db_rows(r); i++) {
		int why = skip_reason(p->action, r, i, admin);
		if (why >= 0)
			p->skipped[why]++;
		else
			p->ids[p->n++] = db_int(r, i, 0);
	}
	db_res_free(r);
	return 0;
}

int bulk_plan_ids(db *d, bulk_action a, const int64_t *ids, size_t n, bulk_plan *p)
{
	memset(p, 0, sizeof *p);
	p->action = a;
	int64_t *v = xcalloc(n ? n : 1, sizeof *v);
	memcpy(v, ids, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_id);
	size_t k = 0;   /* without repeats */
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	int rc = 0;
	for (size_t i = 0; i < k && rc == 0; i += BATCH)
		rc = classify(d, v + i, k - i < BATCH ? k - i : BATCH, p);
	free(v);
	if (rc < 0)
		bulk_plan_release(p);
	return rc;
}

int bulk_plan_query(db *d, bulk_action a, const jobs_query *q, bulk_plan *p)
{
	int64_t *ids;
	size_t n;
	memset(p, 0, sizeof *p);
	if (jobs_ids(d, q, &ids, &n) < 0)
		return -1;
	int rc = bulk_plan_ids(d, a, ids, n, p);
	free(ids);
	return rc;
}

void bulk_skips_text(const bulk_plan *p, char *out, size_t n)
{
	strbuf sb = STRBUF_INIT;
	for (int k = 0; k < SKIP_N; k++)
		if (p->skipped[k])
			sb_addf(&sb, "%s%lld %s", sb.len ? ", " : "", (long long)p->skipped[k], skip_words[k]);
	snprintf(out, n, "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
}

void bulk_plan_text(const bulk_plan *p, char *out, size_t n)
{
	char skips[300];
	int64_t skipped = 0;
	for (int k = 0; k < SKIP_N; k++)
		skipped += p->skipped[k];
	bulk_skips_text(p, skips, sizeof skips);
	if (skipped)
		snprintf(out, n, "%zu job%s will be %s; %lld skipped: %s", p->n, p->n == 1 ? "" : "s",
			 done_words[p->action], (long long)skipped, skips);
	else
		snprintf(out, n, "%zu job%s will be %s", p->n, p->n == 1 ? "" : "s", done_words[p->action]);
}

/* ==== doing it ==== */

static int cancel_batch(db *d, const int64_t *ids, size_t n, bulk_result *r)
{
	char *arr = db_int_array(ids, n);
	const char *params[] = { arr };
	db_res *res;
	int rc = db_exec(d, "SELECT jobdeck.job_cancel(id) FROM unnest($1::bigint[]) id", 1, params, &res);
	free(arr);
	if (rc < 0)
		return -1;
	for (int i = 0; i < db_rows(res); i++) {
		const char *o = db_get(res, i, 0);
		if (strcmp(o, "cancelled") == 0 || strncmp(o, "requested", 9) == 0)
			r->done++;
		else
			r->refused++;
	}
	db_res_free(res);
	return 0;
}

static int cmp_route(const void *a, const void *b)
{
	const jobs_retry_result *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);
	return c ? c : strcmp(x->route, y->route);
}

/* Hands the new jobs of a retry to gearmand, those of one function at a time (pipelined). */
static void hand_over(queue *q, jobs_retry_result *v, size_t n, bulk_result *r)
{
	int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
	bool *ok = xcalloc(n ? n : 1, sizeof *ok);
	qsort(v, n, sizeof *v, cmp_route);
	for (size_t i = 0, j; i < n; i = j) {
		size_t k = 0;
		for (j = i; j < n && cmp_route(&v[i], &v[j]) == 0; j++)
			if (v[j].outcome == JOBS_RETRY_DONE)
				ids[k++] = v[j].new_id;
		if (!k)
			continue;
		char fn[256];
		queue_function(v[i].ns, v[i].route, fn, sizeof fn);
		r->queued_failed += (int64_t)(k - queue_submit_many(q, fn, ids, k, 5000, ok, r->error, sizeof r->error));
	}
	free(ok);
	free(ids);
}

void bulk_hand_over(const char *servers, jobs_retry_result *v, size_t n, bulk_result *r)
{
	queue *q = queue_open(servers);
	hand_over(q, v, n, r);
	queue_close(q);
}

static int retry_batch(db *d, queue *q, const int64_t *ids, size_t n, bulk_result *r)
{
	jobs_retry_result *v;
	size_t k;
	if (jobs_retry(d, ids, n, &v, &k) < 0)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if (v[i].outcome == JOBS_RETRY_DONE)
			r->done++;
		else
			r->refused++;
	}
	hand_over(q, v, k, r);
	free(v);
	return 0;
}

int bulk_run(db *d, const bulk_plan *p, const char *servers, bulk_result *r)
{
	memset(r, 0, sizeof *r);
	queue *q = p->action == BULK_RETRY ? queue_open(servers) : NULL;
	int rc = 0;
	for (size_t i = 0; i < p->n && rc == 0; i += BATCH) {
		size_t n = p->n - i < BATCH ? p->n - i : BATCH;
		int64_t removed;
		switch (p->action) {
		case BULK_CLEAR:
			if ((rc = jobs_clear_ids(d, p->ids + i, n, &removed)) == 0) {
				r->done += removed;
				r->refused += (int64_t)n - removed;
			}
			break;
		case BULK_CANCEL:
			rc = cancel_batch(d, p->ids + i, n, r);
			break;
		case BULK_RETRY:
			rc = retry_batch(d, q, p->ids + i, n, r);
			break;
		}
	}
	if (q)
		queue_close(q);
	return rc;
}
