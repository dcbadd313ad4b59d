/* rights.c — rights statements (db/060): a record's statements passed down to its descendants.
 *
 *   rights-inherit  --object ID [--param mode=replace|add] [--param batch=N]
 *
 * replace (the default): each descendant's statements become a copy of the record's.
 * add: the record's statements are added to each descendant that lacks an identical one.
 * Descendants are done a batch at a time (batch records per statement, 500 by default), each
 * batch reported in the console output, all in one transaction: a failure or a cancel part
 * way rolls back, so nothing is ever half inherited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobtypes/jobtypes.h"

/* The record's descendants (not itself), parents first. */
struct ids {
	int64_t *v;
	size_t n, cap;
};

static int collect(void *ctx, const db_res *r)
{
	struct ids *ids = ctx;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 1024;
		ids->v = xrealloc(ids->v, ids->cap * sizeof *ids->v);
	}
	ids->v[ids->n++] = db_int(r, 0, 0);
	return 0;
}

static const char replace_sql[] =
	"WITH d AS (SELECT unnest($1::bigint[]) AS id),"
	" gone AS (DELETE FROM jobdeck.rights WHERE record_id IN (SELECT id FROM d) RETURNING 1),"
	" made AS (INSERT INTO jobdeck.rights (record_id, basis, act, granted, start_date, end_date, note)"
	"          SELECT d.id, s.basis, s.act, s.granted, s.start_date, s.end_date, s.note"
	"            FROM d CROSS JOIN jobdeck.rights s WHERE s.record_id = $2::bigint"
	"           ORDER BY d.id, s.id RETURNING 1)"
	"SELECT (SELECT count(*) FROM made), (SELECT count(*) FROM gone)";

/* The statements of this batch's records are read before the INSERT's own rows are visible,
 * so "lacks an identical one" is judged against what was there before. */
static const char add_sql[] =
	"WITH d AS (SELECT unnest($1::bigint[]) AS id),"
	" made AS (INSERT INTO jobdeck.rights (record_id, basis, act, granted, start_date, end_date, note)"
	"          SELECT d.id, s.basis, s.act, s.granted, s.start_date, s.end_date, s.note"
	"            FROM d CROSS JOIN jobdeck.rights s"
	"           WHERE s.record_id = $2::bigint AND NOT EXISTS ("
	"                 SELECT 1 FROM jobdeck.rights o WHERE o.record_id = d.id AND o.basis = s.basis"
	"                    AND o.act = s.act AND o.granted = s.granted AND o.note = s.note"
	"                    AND o.start_date IS NOT DISTINCT FROM s.start_date"
	"                    AND o.end_date IS NOT DISTINCT FROM s.end_date)"
	"           ORDER BY d.id, s.id RETURNING 1)"
	"SELECT (SELECT count(*) FROM made), 0";

/* Writes the statements to the descendants, batch records a statement, with a progress line
 * each; written and removed count the rows. -1 with the job failed (cancelled, or the
 * database refused): the caller rolls back, so nothing is changed. */
static int copy_batches(job_ctx *j, const struct ids *ids, bool add, size_t batch, int64_t *written,
			int64_t *removed)
{
	for (size_t at = 0; at < ids->n; at += batch) {
		const char *who = job_cancelled(j);
		if (who)
			return job_fail(j, "Cancelled by %s after %zu of %zu records; nothing was changed", who, at, ids->n);
		size_t n = ids->n - at < batch ? ids->n - at : batch;
		char *arr = db_int_array(ids->v + at, n);
		const char *q[] = { arr, DB_INT(j->job->object_id) };
		db_res *r;
		int e = db_exec(j->d, add ? add_sql : replace_sql, 2, q, &r);
		free(arr);
		if (e < 0)
			return job_fail(j, "Could not write the rights of %zu records: %s; nothing was changed", n,
					db_error(j->d));
		*written += db_int(r, 0, 0);
		*removed += db_int(r, 0, 1);
		db_res_free(r);
		job_printf(j, "%zu of %zu records done (%lld statements written so far)\n", at + n, ids->n,
			   (long long)*written);
	}
	return 0;
}

int jobtype_rights_inherit(job_ctx *j)
{
	const char *mv = job_param(j, "mode");
	bool add = mv && strcasecmp(mv, "add") == 0;
	const char *bv = job_param(j, "batch");
	int64_t batch = bv ? parse_count(bv) : 500;
	if (batch < 1)
		batch = 500;
	char *ident, *title;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	struct ids ids = { 0 };
	db_res *r = NULL;
	int rc = -1;
	const char *p[] = { DB_INT(j->job->object_id) };
	/* one snapshot: every batch copies the same statements, to the same descendants */
	if (db_exec(j->d, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL, NULL) < 0) {
		job_fail(j, "Could not start: %s", db_error(j->d));
		goto out;
	}
	if (db_exec(j->d, "SELECT count(*) FROM jobdeck.rights WHERE record_id = $1::bigint", 1, p, &r) < 0) {
		job_fail(j, "Could not read the rights of %s: %s", ident, db_error(j->d));
		goto rollback;
	}
	int64_t statements = db_int(r, 0, 0);
	db_res_free(r);
	if (statements == 0) {
		job_note(j, "%s has no rights statements: nothing to inherit, nothing changed", ident);
		job_printf(j, "%s\n", j->note.buf);
		rc = 0;
		goto rollback;
	}
	if (db_stream(j->d, JOBTYPES_TREE_SQL " SELECT id FROM t WHERE depth > 0 ORDER BY path", 1, p, collect,
		      &ids) < 0) {
		job_fail(j, "Could not read the descendants of %s: %s", ident, db_error(j->d));
		goto rollback;
	}
	job_printf(j, "Passing %lld rights statement%s of %s (%s) to %zu descendant%s (%s), %lld at a time\n",
		   (long long)statements, statements == 1 ? "" : "s", ident, title, ids.n, ids.n == 1 ? "" : "s",
		   add ? "add" : "replace", (long long)batch);
	int64_t written = 0, removed = 0;
	if (copy_batches(j, &ids, add, (size_t)batch, &written, &removed) < 0)
		goto rollback;
	if (db_exec(j->d, "COMMIT", 0, NULL, NULL) < 0) {
		job_fail(j, "Could not commit: %s; nothing was changed", db_error(j->d));
		goto out;
	}
	if (add)
		job_note(j, "Added %lld rights statement%s of %s to %zu descendant%s", (long long)written,
			 written == 1 ? "" : "s", ident, ids.n, ids.n == 1 ? "" : "s");
	else
		job_note(j, "Replaced the rights of %zu descendant%s of %s with its %lld statement%s"
			    " (%lld written, %lld removed)", ids.n, ids.n == 1 ? "" : "s", ident,
			 (long long)statements, statements == 1 ? "" : "s", (long long)written, (long long)removed);
	job_printf(j, "%s\n", j->note.buf);
	rc = 0;
	goto out;
rollback:
	db_exec(j->d, "ROLLBACK", 0, NULL, NULL);
out:
	free(ids.v);
	free(ident);
	free(title);
	return rc;
}
