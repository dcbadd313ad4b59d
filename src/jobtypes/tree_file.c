/* tree_file.c — downloads made from a record's tree, written whole or not at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobtypes/jobtypes.h"

/* Each row goes to the type's own function, unless the job was cancelled meanwhile. */
struct rows {
	job_ctx *j;
	db_row_fn row;
	tree_file *t;
	bool cancelled;
};

static int each_row(void *ctx, const db_res *res)
{
	struct rows *r = ctx;
	if (job_cancelled(r->j)) {
		r->cancelled = true;
		return 1;
	}
	return r->row(r->t, res);
}

int job_tree_file(job_ctx *j, const char *stem, const char *ext, const char *select,
		  void (*head)(tree_file *t), db_row_fn row, void (*tail)(tree_file *t), tree_file *t,
		  char **path)
{
	char *final = job_file_path(j, stem, ext);
	char *tmp = xasprintf("%s.part", final);
	int rc = -1;
	*path = NULL;
	t->rows = 0;
	t->f = fopen(tmp, "w");
	if (!t->f) {
		job_fail(j, "Cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (head)
		head(t);
	const char *p[] = { DB_INT(j->job->object_id) };
	char *sql = xasprintf(JOBTYPES_TREE_SQL " %s", select);
	struct rows rows = { j, row, t, false };
	int s = db_stream(j->d, sql, 1, p, each_row, &rows);
	free(sql);
	if (tail)
		tail(t);
	int werr = ferror(t->f);
	if (fclose(t->f) != 0)
		werr = 1;
	t->f = NULL;
	if (rows.cancelled)
		job_fail(j, "Cancelled by %s after %lld record%s; no file was kept", job_cancelled(j),
			 (long long)t->rows, t->rows == 1 ? "" : "s");
	else if (s < 0)
		job_fail(j, "Could not read the records: %s", db_error(j->d));
	else if (werr || s > 0 || rename(tmp, final) < 0 || job_set_download(j, final) < 0)
		job_fail(j, "Cannot write %s: %s", final, strerror(errno));
	else
		rc = 0;
	if (rc < 0)
		unlink(tmp);
out:
	free(tmp);
	if (rc == 0)
		*path = final;
	else
		free(final);
	return rc;
}
