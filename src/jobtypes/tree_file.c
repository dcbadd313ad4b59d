/* tree_file.c — downloads made from a record's tree, written whole or not at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobtypes/jobtypes.h"

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
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)j->job->object_id);
	const char *p[] = { ids };
	char *sql = xasprintf(JOBTYPES_TREE_SQL " %s", select);
	int s = db_stream(j->d, sql, 1, p, row, t);
	free(sql);
	if (tail)
		tail(t);
	int werr = ferror(t->f);
	if (fclose(t->f) != 0)
		werr = 1;
	t->f = NULL;
	if (s < 0)
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
