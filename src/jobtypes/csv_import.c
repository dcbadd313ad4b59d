/* csv_import.c — imports archival records from a CSV file under a parent record.
 *
 *   --object PARENT --param file=PATH
 *
 * The file travels through the database: `jobdeck submit` reads it with its user's rights
 * and stores it with the job (job_input, db/050), and this reads it from there.
 * The first row names the columns: identifier and title (required), level, publication_status
 * and parent_identifier (optional; empty means the job's parent), and a rights statement for
 * each new record: rights_basis, rights_act, rights_grant (grant or restriction),
 * rights_start, rights_end (YYYY-MM-DD) and rights_note (optional; a row with an empty
 * rights_basis has none); dates (as written: "1890-1895") and the container the record is in:
 * container (its name), container_type and container_location (created with the name, or
 * updated when given). Records whose identifier
 * already exists are skipped, each skip reported in the console output. A malformed row ends
 * the job as Error naming its line, and then nothing is imported (one transaction). */
#include <csv.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobtypes/jobtypes.h"

enum { COL_IDENTIFIER, COL_TITLE, COL_LEVEL, COL_STATUS, COL_PARENT, COL_R_BASIS, COL_R_ACT,
       COL_R_GRANT, COL_R_START, COL_R_END, COL_R_NOTE, COL_DATES, COL_CONTAINER, COL_C_TYPE,
       COL_C_LOCATION, NCOLS };
static const char *const col_names[NCOLS] = {
	"identifier", "title", "level", "publication_status", "parent_identifier", "rights_basis",
	"rights_act", "rights_grant", "rights_start", "rights_end", "rights_note", "dates", "container",
	"container_type", "container_location"
};
static const char *const bases[] = { "copyright", "license", "statute", "policy", "donor", NULL };
static const char *const acts[] = { "disseminate", "replicate", "migrate", "modify", "use", "delete", NULL };

struct imp {
	job_ctx *j;
	char parent[24];
	int col[NCOLS];            /* field index of each column, -1 when absent */
	size_t ncols;              /* fields per row, from the header */
	bool header_done;
	strbuf *fields;
	size_t nf, cap;
	long line, row_line;
	bool line_start;           /* the next byte starts a line */
	int64_t imported, skipped, rights;
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
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	job_fail(m->j, "Line %ld: %s; nothing was imported", m->row_line, s);
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
			       " parent_identifier, rights_basis, rights_act, rights_grant, rights_start, rights_end,"
			       " rights_note, dates, container, container_type, container_location)", name);
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

static bool one_of(const char *v, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(v, *words) == 0)
			return true;
	return false;
}

/* Checks the row's rights columns. *has: the row has a statement; *grant: granted. 0, or -1
 * with the row failed. */
static int rights_check(struct imp *m, bool *has, bool *grant)
{
	static const char *const yes[] = { "grant", "granted", "allow", "yes", "true", "1", NULL };
	static const char *const no[] = { "restriction", "restricted", "restrict", "disallow", "no", "false", "0", NULL };
	const char *basis = field(m, COL_R_BASIS), *act = field(m, COL_R_ACT), *g = field(m, COL_R_GRANT);
	*has = *basis != '\0';
	if (!*has) {
		for (int c = COL_R_ACT; c <= COL_R_NOTE; c++)
			if (*field(m, c)) {
				bad(m, "%s is given without rights_basis", col_names[c]);
				return -1;
			}
		return 0;
	}
	if (!one_of(basis, bases)) {
		bad(m, "rights_basis must be copyright, license, statute, policy or donor, not '%s'", basis);
		return -1;
	}
	if (!one_of(act, acts)) {
		bad(m, "rights_act must be disseminate, replicate, migrate, modify, use or delete, not '%s'", act);
		return -1;
	}
	if (one_of(g, yes))
		*grant = true;
	else if (one_of(g, no))
		*grant = false;
	else {
		bad(m, "rights_grant must be grant or restriction, not '%s'", g);
		return -1;
	}
	return 0;
}

static void rights_add(struct imp *m, const char *record_id, bool grant)
{
	char basis[16], act[16];
	snprintf(basis, sizeof basis, "%s", field(m, COL_R_BASIS));
	snprintf(act, sizeof act, "%s", field(m, COL_R_ACT));
	for (char *c = basis; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (char *c = act; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	const char *start = field(m, COL_R_START), *end = field(m, COL_R_END);
	const char *p[] = { record_id, basis, act, grant ? "t" : "f", *start ? start : NULL, *end ? end : NULL,
			    field(m, COL_R_NOTE) };
	if (db_exec(m->j->d,
		    "INSERT INTO jobdeck.rights (record_id, basis, act, granted, start_date, end_date, note)"
		    " VALUES ($1::bigint, $2::jobdeck.rights_basis, $3::jobdeck.rights_act, $4::boolean,"
		    "         $5::date, $6::date, $7)",
		    7, p, NULL) < 0)
		bad(m, "the rights statement of %s: %s", field(m, COL_IDENTIFIER), db_error(m->j->d));
	else
		m->rights++;
}

/* Puts the new record in the row's container, made or updated by its name. */
static void container_set(struct imp *m, const char *record_id)
{
	const char *type = field(m, COL_C_TYPE), *loc = field(m, COL_C_LOCATION);
	const char *p[] = { field(m, COL_CONTAINER), *type ? type : NULL, *loc ? loc : NULL, record_id };
	if (db_exec(m->j->d,
		    "WITH c AS (INSERT INTO jobdeck.containers AS c (name, type, location)"
		    "           VALUES ($1, coalesce($2, 'Box'), coalesce($3, ''))"
		    "           ON CONFLICT (name) DO UPDATE SET type = coalesce($2, c.type),"
		    "                                            location = coalesce($3, c.location)"
		    "           RETURNING id)"
		    "UPDATE jobdeck.records SET container_id = (SELECT id FROM c) WHERE id = $4::bigint",
		    4, p, NULL) < 0)
		bad(m, "the container of %s: %s", field(m, COL_IDENTIFIER), db_error(m->j->d));
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
	bool has_rights = false, grant = false;
	if (rights_check(m, &has_rights, &grant) < 0)
		return;
	if (!*field(m, COL_CONTAINER) && (*field(m, COL_C_TYPE) || *field(m, COL_C_LOCATION))) {
		bad(m, "container_type and container_location need a container");
		return;
	}
	const char *p[] = { m->parent, id, title, *level ? level : "File", *status ? status : "Draft",
			    *parent_ident ? parent_ident : NULL, field(m, COL_DATES) };
	db_res *r;
	if (db_exec(m->j->d,
		    "WITH p AS (SELECT CASE WHEN $6::text IS NULL THEN $1::bigint"
		    "                       ELSE (SELECT id FROM jobdeck.records WHERE identifier = $6) END AS id)"
		    "INSERT INTO jobdeck.records (parent_id, identifier, title, level, publication_status, dates)"
		    " SELECT p.id, $2, $3, $4, $5, $7 FROM p WHERE p.id IS NOT NULL"
		    " ON CONFLICT (identifier) DO NOTHING"
		    " RETURNING id, (SELECT id FROM p)",
		    7, p, &r) < 0) {
		bad(m, "%s", db_error(m->j->d));
		return;
	}
	int rows = db_rows(r);
	char rid[24];
	snprintf(rid, sizeof rid, "%s", rows == 1 ? db_get(r, 0, 0) : "");
	db_res_free(r);
	if (rows == 1) {
		if (has_rights)
			rights_add(m, rid, grant);
		if (!m->failed && *field(m, COL_CONTAINER))
			container_set(m, rid);
		if (m->failed)
			return;
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

/* Feeds a piece of the file to the parser a line at a time, counting lines and checking for
 * a cancel at each. */
static void feed(struct imp *m, struct csv_parser *p, const unsigned char *buf, size_t n)
{
	while (n > 0 && !m->failed) {
		if (m->line_start) {
			if (job_cancelled(m->j)) {
				job_fail(m->j, "Cancelled by %s at line %ld; nothing was imported", job_cancelled(m->j),
					 m->line + 1);
				m->failed = true;
				return;
			}
			m->line++;
			if (m->nf == 0)
				m->row_line = m->line;
			m->line_start = false;
		}
		const unsigned char *nl = memchr(buf, '\n', n);
		size_t k = nl ? (size_t)(nl - buf) + 1 : n;
		if (csv_parse(p, buf, k, field_cb, row_cb, m) != k && !m->failed) {
			m->row_line = m->line;
			bad(m, "malformed CSV (%s)", csv_strerror(csv_error(p)));
		}
		m->line_start = nl != NULL;
		buf += k;
		n -= k;
	}
}

/* The size of the input file stored with the job (db/050), or -1 when none was. */
static int64_t input_size(job_ctx *j)
{
	const char *p[] = { DB_INT(j->job->id) };
	db_res *r;
	if (db_exec(j->d, "SELECT input_bytes FROM jobdeck.jobs WHERE id = $1::bigint", 1, p, &r) < 0)
		return -1;
	int64_t n = db_rows(r) && !db_isnull(r, 0, 0) ? db_int(r, 0, 0) : -1;
	db_res_free(r);
	return n;
}

/* The file is the one the submitting client read with its user's rights and stored with the
 * job: a path in the parameters is only its name. The worker never opens it. */
int jobtype_csv_import(job_ctx *j)
{
	const char *name = job_param(j, "file");
	if (!name || !*name)
		return job_fail(j, "No file: csv-import needs --param file=PATH");
	if (!j->job->object_id)
		return job_fail(j, "No parent record: csv-import needs --object PARENT");
	int64_t size = input_size(j);
	if (size < 0)
		return job_fail(j, "No file was stored with this job: %s is read by the client that submits it"
			       " (jobdeck submit), never from a path by the worker", name);
	char *pident, *ptitle;
	if (job_record(j, j->job->object_id, &pident, &ptitle) < 0)
		return -1;
	struct imp m = { .j = j, .line_start = true };
	snprintf(m.parent, sizeof m.parent, "%lld", (long long)j->job->object_id);
	struct csv_parser p;
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	char sz[32];
	job_size_text(size, sz, sizeof sz);
	job_printf(j, "Importing %s (%s) under %s (%s)\n", name, sz, pident, ptitle);
	int rc = -1;
	if (db_exec(j->d, "BEGIN", 0, NULL, NULL) < 0) {
		job_fail(j, "Could not start the import: %s", db_error(j->d));
		goto out;
	}
	for (int seq = 0; !m.failed; seq++) {
		unsigned char *chunk;
		size_t n;
		int got = jobs_input_chunk(j->d, j->job->id, seq, &chunk, &n);
		if (got < 0) {
			job_fail(j, "Could not read the file from the database: %s; nothing was imported", db_error(j->d));
			m.failed = true;
		}
		if (got <= 0)
			break;
		feed(&m, &p, chunk, n);
		free(chunk);
	}
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
	if (m.rights)
		job_note(j, "Imported %lld record%s under %s, with %lld rights statement%s; skipped %lld that"
			    " already existed", (long long)m.imported, m.imported == 1 ? "" : "s", pident,
			 (long long)m.rights, m.rights == 1 ? "" : "s", (long long)m.skipped);
	else
		job_note(j, "Imported %lld record%s under %s; skipped %lld that already existed",
			 (long long)m.imported, m.imported == 1 ? "" : "s", pident, (long long)m.skipped);
	job_printf(j, "%s\n", j->note.buf);
	rc = 0;
out:
	csv_free(&p);
	for (size_t i = 0; i < m.cap; i++)
		sb_release(&m.fields[i]);
	free(m.fields);
	free(pident);
	free(ptitle);
	return rc;
}
