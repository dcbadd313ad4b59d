/* csv_export.c — writes a record and its descendants to a CSV file in the downloads folder.
 *
 *   --object ID
 *
 * Columns: identifier,title,level,publication_status,parent_identifier — the format
 * csv-import reads, so an export imports back with its hierarchy. Rows stream from the
 * database in single-row mode, so a large tree does not grow the worker. */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobtypes/jobtypes.h"

struct out {
	FILE *f;
	int64_t rows;
};

static void put(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") || (*s == ' ') || (*s && s[strlen(s) - 1] == ' '))
		csv_fwrite(f, s, strlen(s));
	else
		fputs(s, f);
	fputs(last ? "\r\n" : ",", f);
}

static int row(void *ctx, const db_res *r)
{
	struct out *o = ctx;
	for (int c = 0; c < 5; c++)
		put(o->f, db_get(r, 0, c), c == 4);
	o->rows++;
	return ferror(o->f) ? 1 : 0;
}

int jobtype_csv_export(job_ctx *j)
{
	char *ident, *title;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	char *path = job_file_path(j, "export", "csv");
	char *tmp = xasprintf("%s.part", path);
	int rc = -1;
	FILE *f = fopen(tmp, "w");
	if (!f) {
		job_fail(j, "Cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	job_printf(j, "Exporting %s (%s) and its descendants\n", ident, title);
	fputs("identifier,title,level,publication_status,parent_identifier\r\n", f);
	struct out o = { f, 0 };
	char ids[24];
	snprintf(ids, sizeof ids, "%lld", (long long)j->job->object_id);
	const char *p[] = { ids };
	int s = db_stream(j->d,
			  JOBTYPES_TREE_SQL " SELECT t.identifier, t.title, t.level, t.publication_status,"
			  "        coalesce(pr.identifier, '')"
			  "   FROM t LEFT JOIN jobdeck.records pr ON pr.id = t.parent_id AND t.depth > 0"
			  "  ORDER BY t.path",
			  1, p, row, &o);
	int werr = ferror(f);
	if (fclose(f) != 0)
		werr = 1;
	if (s < 0) {
		job_fail(j, "Could not read the records: %s", db_error(j->d));
		unlink(tmp);
		goto out;
	}
	if (werr || s > 0) {
		job_fail(j, "Cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) < 0 || job_set_download(j, path) < 0) {
		job_fail(j, "Cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	char size[32];
	job_size_text(j->download_size, size, sizeof size);
	job_note(j, "Exported %lld record%s to %s (%s)", (long long)o.rows, o.rows == 1 ? "" : "s", path, size);
	job_printf(j, "%s\n", j->note.buf);
	rc = 0;
out:
	free(ident);
	free(title);
	free(path);
	free(tmp);
	return rc;
}
