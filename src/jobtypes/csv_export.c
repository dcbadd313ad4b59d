/* csv_export.c — writes a record and its descendants to a CSV file in the downloads folder.
 *
 *   --object ID
 *
 * Columns: identifier,title,level,publication_status,parent_identifier — the format
 * csv-import reads, so an export imports back with its hierarchy. Rows stream from the
 * database in single-row mode, so a large tree does not grow the worker. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobtypes/jobtypes.h"

static void put(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") || (*s == ' ') || (*s && s[strlen(s) - 1] == ' '))
		csv_fwrite(f, s, strlen(s));
	else
		fputs(s, f);
	fputs(last ? "\r\n" : ",", f);
}

static void head(tree_file *t)
{
	fputs("identifier,title,level,publication_status,parent_identifier\r\n", t->f);
}

static int row(void *ctx, const db_res *r)
{
	tree_file *t = ctx;
	for (int c = 0; c < 5; c++)
		put(t->f, db_get(r, 0, c), c == 4);
	t->rows++;
	return ferror(t->f) ? 1 : 0;
}

int jobtype_csv_export(job_ctx *j)
{
	char *ident, *title, *path;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	job_printf(j, "Exporting %s (%s) and its descendants\n", ident, title);
	tree_file t = { .identifier = ident, .title = title };
	int rc = job_tree_file(j, "export", "csv",
			       "SELECT t.identifier, t.title, t.level, t.publication_status,"
			       "       coalesce(pr.identifier, '')"
			       "  FROM t LEFT JOIN jobdeck.records pr ON pr.id = t.parent_id AND t.depth > 0"
			       " ORDER BY t.path",
			       head, row, NULL, &t, &path);
	if (rc == 0) {
		char size[32];
		job_size_text(j->download_size, size, sizeof size);
		job_note(j, "Exported %lld record%s to %s (%s)", (long long)t.rows, t.rows == 1 ? "" : "s",
			 job_download_name(j), size);
		job_printf(j, "%s\n", j->note.buf);
		free(path);
	}
	free(ident);
	free(title);
	return rc;
}
