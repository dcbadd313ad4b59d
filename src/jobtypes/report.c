/* report.c — reports over a record and its descendants, as CSV or one printable HTML file.
 *
 *   report --object ID --param kind=file-list|item-list|storage-locations|box-labels
 *          [--param format=html|csv]
 *
 * file-list, item-list: the records at that level of description (File, Item), parents
 * first, with reference code, title, dates and their container (db/061).
 * storage-locations: each container that holds any of them, with its type, location, how
 * many records it holds and the first and last reference code.
 * box-labels: the same containers as labels to print and cut out, naming the fonds.
 *
 * CSV cells go through export_field (formulas neutralised, as the job history export). HTML
 * is one file with its style inside and nothing fetched, escaped for any title. Rows stream
 * (job_tree_file), so the worker stays small however large the tree. A tree with nothing to
 * report completes with a note saying so, and keeps no file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "export.h"
#include "jobtypes/jobtypes.h"

enum kind { FILE_LIST, ITEM_LIST, STORAGE, LABELS };

static const struct kind_def {
	const char *name, *heading, *none;     /* none: what there was not */
	const char *cols[7];
	const char *select;
} kinds[] = {
/* a list of the descendants at one level (a lower-case SQL literal) with their containers */
#define LEVEL_LIST(level) \
	{ "Reference code", "Title", "Dates", "Container", "Container type", "Location", NULL }, \
	"SELECT t.identifier, t.title, r.dates, coalesce(c.name, ''), coalesce(c.type, '')," \
	"       coalesce(c.location, '')" \
	"  FROM t JOIN jobdeck.records r ON r.id = t.id" \
	"  LEFT JOIN jobdeck.containers c ON c.id = r.container_id" \
	" WHERE lower(t.level) = '" level "' ORDER BY t.path"
	[FILE_LIST] = { "file-list", "File list", "No records at the level File", LEVEL_LIST("file") },
	[ITEM_LIST] = { "item-list", "Item list", "No records at the level Item", LEVEL_LIST("item") },
#undef LEVEL_LIST
	[STORAGE] = { "storage-locations", "Storage locations", "No records in a container",
		      { "Location", "Container", "Container type", "Records", "First", "Last", NULL },
		      "SELECT c.location, c.name, c.type, count(*)::text, min(t.identifier), max(t.identifier)"
		      "  FROM t JOIN jobdeck.records r ON r.id = t.id"
		      "  JOIN jobdeck.containers c ON c.id = r.container_id"
		      " GROUP BY c.id ORDER BY c.location, c.name" },
	[LABELS] = { "box-labels", "Box labels", "No records in a container",
		     { "Container", "Container type", "Location", "Records", "First", "Last", NULL },
		     "SELECT c.name, c.type, c.location, count(*)::text, min(t.identifier), max(t.identifier)"
		     "  FROM t JOIN jobdeck.records r ON r.id = t.id"
		     "  JOIN jobdeck.containers c ON c.id = r.container_id"
		     " GROUP BY c.id ORDER BY c.name" },
};

struct rep {
	tree_file t;            /* first: the hooks get &t */
	const struct kind_def *k;
	enum kind kind;
	bool csv;
	char when[40];
};

static int ncols(const struct kind_def *k)
{
	int n = 0;
	while (k->cols[n])
		n++;
	return n;
}

/* HTML text: & < > " ' escaped, control characters but tab and newline left out. */
static void html(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n')
				fputc(*p, f);
		}
	}
}

static void head(tree_file *t)
{
	struct rep *r = (struct rep *)t;
	int n = ncols(r->k);
	if (r->csv) {
		for (int c = 0; c < n; c++)
			export_field(t->f, r->k->cols[c], c == n - 1);
		return;
	}
	fputs("<!doctype html>\n<html><head><meta charset=\"utf-8\">\n<title>", t->f);
	fputs(r->k->heading, t->f);
	fputs(": ", t->f);
	html(t->f, t->title);
	fputs("</title>\n<style>\n"
	      "body{font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:10pt;margin:1.5cm;color:#000}\n"
	      "h1{font-size:16pt;margin:0}h2{font-size:12pt;font-weight:normal;margin:.3em 0 1em}\n"
	      "p.made{color:#555;font-size:9pt}\n"
	      "table{border-collapse:collapse;width:100%}\n"
	      "th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}\n"
	      "th{background:#eee}thead{display:table-header-group}tr{page-break-inside:avoid}\n"
	      ".labels{display:flex;flex-wrap:wrap;gap:.5cm}\n"
	      ".label{border:2px solid #000;width:8.5cm;min-height:5cm;padding:.4cm;box-sizing:border-box;"
	      "page-break-inside:avoid}\n"
	      ".label .box{font-size:20pt;font-weight:bold}.label .fonds{font-size:11pt;margin:.3em 0}\n"
	      ".label .range{font-size:10pt}.label .where{font-size:9pt;color:#333;margin-top:.4em}\n"
	      "@page{size:A4;margin:1.5cm}@media print{body{margin:0}}\n"
	      "</style></head><body>\n<h1>", t->f);
	fputs(r->k->heading, t->f);
	fputs("</h1>\n<h2>", t->f);
	html(t->f, t->identifier);
	fputs(" \xe2\x80\x94 ", t->f);
	html(t->f, t->title);
	fputs("</h2>\n<p class=\"made\">Made ", t->f);
	html(t->f, r->when);
	fputs("</p>\n", t->f);
	if (r->kind == LABELS) {
		fputs("<div class=\"labels\">\n", t->f);
		return;
	}
	fputs("<table><thead><tr>", t->f);
	for (int c = 0; c < n; c++) {
		fputs("<th>", t->f);
		fputs(r->k->cols[c], t->f);
		fputs("</th>", t->f);
	}
	fputs("</tr></thead>\n<tbody>\n", t->f);
}

static int row(void *ctx, const db_res *res)
{
	struct rep *r = ctx;
	FILE *f = r->t.f;
	int n = ncols(r->k);
	r->t.rows++;
	if (r->csv) {
		for (int c = 0; c < n; c++)
			export_field(f, db_get(res, 0, c), c == n - 1);
	} else if (r->kind == LABELS) {
		fputs("<div class=\"label\"><div class=\"box\">", f);
		html(f, db_get(res, 0, 0));
		fputs("</div>\n<div class=\"fonds\">", f);
		html(f, r->t.identifier);
		fputs(" \xe2\x80\x94 ", f);
		html(f, r->t.title);
		fputs("</div>\n<div class=\"range\">", f);
		html(f, db_get(res, 0, 4));
		if (strcmp(db_get(res, 0, 4), db_get(res, 0, 5)) != 0) {
			fputs(" to ", f);
			html(f, db_get(res, 0, 5));
		}
		fputs(" (", f);
		html(f, db_get(res, 0, 3));
		fputs(strcmp(db_get(res, 0, 3), "1") == 0 ? " record)" : " records)", f);
		fputs("</div>\n<div class=\"where\">", f);
		html(f, db_get(res, 0, 1));
		if (*db_get(res, 0, 2)) {
			fputs(" \xc2\xb7 ", f);
			html(f, db_get(res, 0, 2));
		}
		fputs("</div></div>\n", f);
	} else {
		fputs("<tr>", f);
		for (int c = 0; c < n; c++) {
			fputs("<td>", f);
			html(f, db_get(res, 0, c));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	return ferror(f) ? 1 : 0;
}

static void tail(tree_file *t)
{
	struct rep *r = (struct rep *)t;
	if (r->csv)
		return;
	if (r->kind == LABELS)
		fputs("</div>\n", t->f);
	else
		fputs("</tbody></table>\n", t->f);
	fprintf(t->f, "<p class=\"made\">%lld %s</p>\n</body></html>\n", (long long)t->rows,
		r->kind == FILE_LIST || r->kind == ITEM_LIST ? (t->rows == 1 ? "record" : "records")
							    : (t->rows == 1 ? "container" : "containers"));
}

int jobtype_report(job_ctx *j)
{
	const char *kv = job_param(j, "kind"), *fv = job_param(j, "format");
	int kind = -1;
	for (size_t i = 0; kv && i < ARRAY_SIZE(kinds); i++)
		if (strcasecmp(kv, kinds[i].name) == 0)
			kind = (int)i;
	if (kind < 0)
		return job_fail(j, "kind must be file-list, item-list, storage-locations or box-labels, not '%s'",
				kv ? kv : "");
	char *ident, *title, *path;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	struct rep r = { .t = { .identifier = ident, .title = title }, .k = &kinds[kind], .kind = kind,
			 .csv = fv && strcasecmp(fv, "csv") == 0 };
	fmt_local(jd_now(), r.when, sizeof r.when);
	job_printf(j, "%s of %s (%s) and its descendants, as %s\n", r.k->heading, ident, title,
		   r.csv ? "CSV" : "HTML");
	int rc = job_tree_file(j, r.k->name, r.csv ? "csv" : "html", r.k->select, head, row, tail, &r.t, &path);
	if (rc == 0 && r.t.rows == 0) {
		unlink(path);
		free(j->download_path);
		j->download_path = NULL;
		j->download_size = 0;
		job_note(j, "%s under %s (%s): nothing to report, no file was written", r.k->none, ident, title);
		job_printf(j, "%s\n", j->note.buf);
	} else if (rc == 0) {
		char size[32];
		job_size_text(j->download_size, size, sizeof size);
		job_note(j, "%s of %s (%lld %s): %s (%s)", r.k->heading, ident, (long long)r.t.rows,
			 kind <= ITEM_LIST ? (r.t.rows == 1 ? "record" : "records")
					   : (r.t.rows == 1 ? "container" : "containers"),
			 job_download_name(j), size);
		job_printf(j, "%s\n", j->note.buf);
	}
	if (rc == 0)
		free(path);
	free(ident);
	free(title);
	return rc;
}
