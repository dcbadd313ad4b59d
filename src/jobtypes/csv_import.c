/* csv_import.c — imports archival records from a CSV file under a parent record.
 *
 *   --object PARENT --param file=PATH
 *
 * The first row names the columns: identifier and title (required), level, publication_status
 * and parent_identifier (optional; empty means the job's parent). Records whose identifier
 * already exists are skipped, each skip reported in the console output. A malformed row ends
 * the job as Error naming its line, and then nothing is imported (one transaction). */
#include <csv.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobtypes/jobtypes.h"

enum { COL_IDENTIFIER, COL_TITLE, COL_LEVEL, COL_STATUS, COL_PARENT, NCOLS };
static const char *const col_names[NCOLS] = {
	"identifier", "title", "level", "publication_status", "parent_identifier"
};

struct imp {
	job_ctx *j;
	char parent[24];
	int col[NCOLS];            /* field index of each column, -1 when absent */
	size_t ncols;              /* fields per row, from the header */
	bool header_done;
	strbuf *fields;
	size_t nf, cap;
	long line, row_line;
	int64_t imported, skipped;
	bool failed;
};

static void field_cb(void *s, size_t len, void *data)
{
	struct imp *m = data;
	if (m->failed)
		return;
	if (m->nf == 0)
		m->row_line = m->line;
	if (m->nf == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->fields = xrealloc(m->fields, m->cap * sizeof *m->fields);
		for (size_t i = m->nf; i < m->cap; i++)
			sb_init(&m->fields[i]);
	}
	sb_reset(&m->fields[m->nf]);
	sb_add(&m->fields[m->nf], s ? s : "", s ? len : 0);
	m->nf++;
}

static const char *field(struct imp *m, int c)
{
	if (m->col[c] < 0)
		return "";
	const strbuf *f = &m->fields[m->col[c]];
	return f->buf ? f->buf : "";
}

static void bad(struct imp *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct imp *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	job_fail(m->j, "Line %ld: %s; nothing was imported", m->row_line, s ? s : "malformed row");
	free(s);
	m->failed = true;
}

static void header(struct imp *m)
{
	for (int c = 0; c < NCOLS; c++)
		m->col[c] = -1;
	for (size_t i = 0; i < m->nf; i++) {
		const char *name = m->fields[i].buf ? m->fields[i].buf : "";
		int c;
		for (c = 0; c < NCOLS; c++)
			if (strcasecmp(name, col_names[c]) == 0)
				break;
		if (c == NCOLS) {
			bad(m, "unknown column '%s' (expected identifier, title, level, publication_status,"
			       " parent_identifier)", name);
			return;
		}
		if (m->col[c] >= 0) {
			bad(m, "column '%s' appears twice", col_names[c]);
			return;
		}
		m->col[c] = (int)i;
	}
	if (m->col[COL_IDENTIFIER] < 0 || m->col[COL_TITLE] < 0) {
		bad(m, "the header must name the columns identifier and title");
		return;
	}
	m->ncols = m->nf;
	m->header_done = true;
}

static void record(struct imp *m)
{
	if (m->nf != m->ncols) {
		bad(m, "expected %zu fields, found %zu", m->ncols, m->nf);
		return;
	}
	const char *id = field(m, COL_IDENTIFIER), *title = field(m, COL_TITLE);
	const char *level = field(m, COL_LEVEL), *status = field(m, COL_STATUS);
	const char *parent_ident = field(m, COL_PARENT);
	if (!*id) {
		bad(m, "the identifier is empty");
		return;
	}
	if (!*title) {
		bad(m, "the title of %s is empty", id);
		return;
	}
	if (*status && strcmp(status, "Published") != 0 && strcmp(status, "Draft") != 0) {
		bad(m, "publication_status must be Published or Draft, not '%s'", status);
		return;
	}
	const char *p[] = { m->parent, id, title, *level ? level : "File", *status ? status : "Draft",
			    *parent_ident ? parent_ident : NULL };
	db_res *r;
	if (db_exec(m->j->d,
		    "WITH p AS (SELECT CASE WHEN $6::text IS NULL THEN $1::bigint"
		    "                       ELSE (SELECT id FROM jobdeck.records WHERE identifier = $6) END AS id)"
		    "INSERT INTO jobdeck.records (parent_id, identifier, title, level, publication_status)"
		    " SELECT p.id, $2, $3, $4, $5 FROM p WHERE p.id IS NOT NULL"
		    " ON CONFLICT (identifier) DO NOTHING"
		    " RETURNING id, (SELECT id FROM p)",
		    6, p, &r) < 0) {
		bad(m, "%s", db_error(m->j->d));
		return;
	}
	int rows = db_rows(r);
	db_res_free(r);
	if (rows == 1) {
		m->imported++;
		if (m->imported % 1000 == 0)
			job_printf(m->j, "%lld records imported so far\n", (long long)m->imported);
		return;
	}
	if (*parent_ident) {
		const char *q[] = { parent_ident };
		if (db_exec(m->j->d, "SELECT 1 FROM jobdeck.records WHERE identifier = $1", 1, q, &r) < 0) {
			bad(m, "%s", db_error(m->j->d));
			return;
		}
		rows = db_rows(r);
		db_res_free(r);
		if (rows == 0) {
			bad(m, "parent %s does not exist", parent_ident);
			return;
		}
	}
	m->skipped++;
	job_printf(m->j, "Line %ld: skipped %s: a record with this identifier already exists\n", m->row_line, id);
}

static void row_cb(int c, void *data)
{
	(void)c;
	struct imp *m = data;
	if (!m->failed) {
		if (!m->header_done)
			header(m);
		else
			record(m);
	}
	m->nf = 0;
}

int jobtype_csv_import(job_ctx *j)
{
	const char *path = job_param(j, "file");
	if (!path || !*path)
		return job_fail(j, "No file: csv-import needs --param file=PATH");
	if (!j->job->object_id)
		return job_fail(j, "No parent record: csv-import needs --object PARENT");
	char *pident, *ptitle;
	if (job_record(j, j->job->object_id, &pident, &ptitle) < 0)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f) {
		int rc = job_fail(j, "Cannot read %s: %s", path, strerror(errno));
		free(pident);
		free(ptitle);
		return rc;
	}
	struct imp m = { .j = j };
	snprintf(m.parent, sizeof m.parent, "%lld", (long long)j->job->object_id);
	struct csv_parser p;
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	job_printf(j, "Importing %s under %s (%s)\n", path, pident, ptitle);
	int rc = -1;
	if (db_exec(j->d, "BEGIN", 0, NULL, NULL) < 0) {
		job_fail(j, "Could not start the import: %s", db_error(j->d));
		goto out;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!m.failed && (n = getline(&line, &cap, f)) > 0) {
		if (job_cancelled(j)) {
			job_fail(j, "Cancelled by %s at line %lld; nothing was imported", job_cancelled(j),
				 (long long)m.line + 1);
			m.failed = true;
			break;
		}
		m.line++;
		if (m.nf == 0)
			m.row_line = m.line;
		if (csv_parse(&p, line, (size_t)n, field_cb, row_cb, &m) != (size_t)n && !m.failed) {
			m.row_line = m.line;
			bad(&m, "malformed CSV (%s)", csv_strerror(csv_error(&p)));
		}
	}
	free(line);
	if (!m.failed && ferror(f))
		job_fail(j, "Cannot read %s: %s; nothing was imported", path, strerror(errno)), m.failed = true;
	if (!m.failed && csv_fini(&p, field_cb, row_cb, &m) != 0 && !m.failed) {
		m.row_line = m.line;
		bad(&m, "malformed CSV at the end of the file (%s)", csv_strerror(csv_error(&p)));
	}
	if (!m.failed && !m.header_done) {
		m.row_line = 1;
		bad(&m, "the file is empty; expected a header row");
	}
	if (m.failed) {
		db_exec(j->d, "ROLLBACK", 0, NULL, NULL);
		goto out;
	}
	if (db_exec(j->d, "COMMIT", 0, NULL, NULL) < 0) {
		job_fail(j, "Could not commit the import: %s", db_error(j->d));
		goto out;
	}
	job_note(j, "Imported %lld record%s under %s; skipped %lld that already existed",
		 (long long)m.imported, m.imported == 1 ? "" : "s", pident, (long long)m.skipped);
	job_printf(j, "%s\n", j->note.buf);
	rc = 0;
out:
	csv_free(&p);
	fclose(f);
	for (size_t i = 0; i < m.cap; i++)
		sb_release(&m.fields[i]);
	free(m.fields);
	free(pident);
	free(ptitle);
	return rc;
}
