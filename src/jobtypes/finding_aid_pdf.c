/* finding_aid_pdf.c — the finding aid as a PDF (finding-aid --param format=pdf), laid out by
 * pango on cairo.
 *
 * A title page (the record's title, identifier, when it was made, how many records), a table
 * of contents of the upper levels with page numbers (down to depth 2, or less when that would
 * list more than TOC_MAX records), then every record of the hierarchy,
 * indented by depth: title (wrapped), identifier, level of description and publication status.
 * Pango shapes each title, so wide (CJK) and right-to-left titles come out as written, with
 * fontconfig finding a font that has their glyphs.
 *
 * Page numbers of the contents are known only once the body is laid out, so the tree is read
 * twice, inside one REPEATABLE READ transaction (both readings see the same records): first
 * laid out without drawing, writing the contents lines to a temporary file, then drawn. Rows
 * stream and the layouts are reused, so memory stays flat however large the tree.
 *
 * Each job has a font map of its own; when the last PDF job of the process ends, cairo's
 * and fontconfig's caches are let go as well, so a worker holds nothing for PDFs between
 * them (and a leak checker finds nothing left at exit). */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobtypes/jobtypes.h"
#include "text.h"

#define PAGE_W 595.28          /* A4, in points */
#define PAGE_H 841.89
#define MARGIN 56.0
#define BOTTOM (PAGE_H - MARGIN - 20.0)   /* room for the footer */
#define WIDTH (PAGE_W - 2 * MARGIN)
#define INDENT 14.0
#define INDENT_DEPTH 12        /* deeper levels indent no further: text keeps some width */
#define TOC_DEPTH 2            /* the contents list levels 0 to this depth at most, */
#define TOC_MAX 600            /* and fewer when that would list more records than this */
#define TITLE_MAX 2000         /* characters of a title laid out: an entry fits a page */
#define FONT "DejaVu Sans"

struct pdf {
	tree_file t;             /* first: the hooks get &t */
	job_ctx *j;
	PangoFontMap *fonts;
	PangoContext *pc;        /* of fonts, updated for the surface being drawn */
	cairo_surface_t *s;
	cairo_t *cr;
	PangoLayout *title, *meta, *line, *foot;
	bool draw;               /* false while measuring */
	double y;
	int page;                /* the current page, counting from 1 */
	int pages;               /* all of them (known when drawing) */
	int toc_pages;
	int toc_depth;
	int body_pages;          /* measured */
	FILE *toc;               /* contents lines: depth \t body page \t identifier \t title \n */
	int64_t toc_lines;
	double toc_h;            /* height of a contents line */
	char when[40];
	int64_t measured;        /* records laid out while measuring */
	bool cancelled;
	bool failed;             /* cairo reported an error */
};

/* Text fit for a page: valid UTF-8 (U+FFFD for what is not), control characters as spaces,
 * at most max characters. */
static void clean(const char *s, size_t max, strbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), chars = 0;
	sb_reset(out);
	while (n > 0) {
		if (chars++ == max) {
			sb_adds(out, "\xe2\x80\xa6");
			break;
		}
		unsigned cp;
		int k = text_utf8_decode(p, n, &cp);
		if (k <= 0) {
			sb_adds(out, "\xef\xbf\xbd");
			p++;
			n--;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
			sb_addc(out, ' ');
		else
			sb_add(out, (const char *)p, (size_t)k);
		p += k;
		n -= (size_t)k;
	}
	if (!out->buf)
		sb_adds(out, "");
}

static PangoLayout *layout(struct pdf *p, const char *font, double width, PangoWrapMode wrap)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, wrap);
	return l;
}

static double height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y, double grey)
{
	if (!p->draw)
		return;
	cairo_set_source_rgb(p->cr, grey, grey, grey);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static cairo_status_t null_write(void *closure, const unsigned char *data, unsigned int len)
{
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t file_write(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void open_surface(struct pdf *p, FILE *f)
{
	p->s = f ? cairo_pdf_surface_create_for_stream(file_write, f, PAGE_W, PAGE_H)
		 : cairo_pdf_surface_create_for_stream(null_write, NULL, PAGE_W, PAGE_H);
	if (f) {
		cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_TITLE, p->t.title);
		cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATOR, "jobdeck");
	}
	p->cr = cairo_create(p->s);
	pango_cairo_update_context(p->cr, p->pc);
	p->title = layout(p, FONT " Bold 10.5", WIDTH, PANGO_WRAP_WORD_CHAR);
	p->meta = layout(p, FONT " 8.5", WIDTH, PANGO_WRAP_WORD_CHAR);
	p->line = layout(p, FONT " 10", WIDTH, PANGO_WRAP_WORD_CHAR);
	p->foot = layout(p, FONT " 8.5", WIDTH, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(p->line, "Xg", -1);
	p->toc_h = height(p->line) + 3;
}

static void close_surface(struct pdf *p)
{
	g_object_unref(p->title);
	g_object_unref(p->meta);
	g_object_unref(p->line);
	g_object_unref(p->foot);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->s);
	cairo_surface_destroy(p->s);
	p->s = NULL;
	p->cr = NULL;
}

/* Ends the page: its footer, then the next page. */
static void next_page(struct pdf *p)
{
	if (p->draw) {
		char num[64];
		strbuf sb = STRBUF_INIT;
		clean(p->t.identifier, 80, &sb);
		sb_adds(&sb, " \xe2\x80\x94 finding aid");
		/* a layout of its own: an entry's layouts are set when it starts a page */
		pango_layout_set_alignment(p->foot, PANGO_ALIGN_LEFT);
		pango_layout_set_text(p->foot, sb.buf, -1);
		show(p, p->foot, MARGIN, PAGE_H - MARGIN, 0.4);
		snprintf(num, sizeof num, "Page %d of %d", p->page, p->pages);
		pango_layout_set_alignment(p->foot, PANGO_ALIGN_RIGHT);
		pango_layout_set_text(p->foot, num, -1);
		show(p, p->foot, MARGIN, PAGE_H - MARGIN, 0.4);
		sb_release(&sb);
		cairo_show_page(p->cr);
	}
	p->page++;
	p->y = MARGIN;
}

/* One record of the body: its title, then identifier, level and status, indented by depth.
 * An entry that does not fit what is left of the page starts the next one. */
static int entry(void *ctx, const db_res *r)
{
	struct pdf *p = ctx;
	int depth = (int)db_int(r, 0, 4);
	double indent = (depth < INDENT_DEPTH ? depth : INDENT_DEPTH) * INDENT;
	strbuf sb = STRBUF_INIT;
	clean(db_get(r, 0, 1), TITLE_MAX, &sb);
	pango_layout_set_width(p->title, (int)((WIDTH - indent) * PANGO_SCALE));
	pango_layout_set_text(p->title, sb.buf, -1);
	clean(db_get(r, 0, 0), 200, &sb);
	sb_adds(&sb, "  \xc2\xb7  ");
	strbuf more = STRBUF_INIT;
	clean(db_get(r, 0, 2), 200, &more);
	sb_adds(&sb, more.buf);
	sb_adds(&sb, "  \xc2\xb7  ");
	clean(db_get(r, 0, 3), 200, &more);
	sb_adds(&sb, more.buf);
	pango_layout_set_width(p->meta, (int)((WIDTH - indent) * PANGO_SCALE));
	pango_layout_set_text(p->meta, sb.buf, -1);
	double gap = depth == 0 ? 0 : depth == 1 ? 10 : 5;
	double th = height(p->title), h = gap + th + 1 + height(p->meta);
	if (p->y + h > BOTTOM && p->y > MARGIN)
		next_page(p);
	else
		p->y += gap;
	show(p, p->title, MARGIN + indent, p->y, 0);
	show(p, p->meta, MARGIN + indent, p->y + th + 1, 0.35);
	p->y += th + 1 + height(p->meta);
	if (!p->draw && depth <= p->toc_depth) {
		/* the contents line: tabs and newlines cannot be in cleaned text */
		clean(db_get(r, 0, 1), 300, &more);
		clean(db_get(r, 0, 0), 200, &sb);
		fprintf(p->toc, "%d\t%d\t%s\t%s\n", depth, p->page, sb.buf, more.buf);
		p->toc_lines++;
	}
	sb_release(&sb);
	sb_release(&more);
	p->t.rows++;
	if (p->draw)
		return ferror(p->t.f) ? 1 : 0;
	return p->toc && ferror(p->toc) ? 1 : 0;
}

/* Lines of contents on each page (the first has the heading). */
static int64_t toc_per_page(const struct pdf *p, bool first)
{
	double top = MARGIN + (first ? 40 : 0);
	return (int64_t)((BOTTOM - top) / p->toc_h);
}

static int toc_page_count(const struct pdf *p)
{
	int64_t first = toc_per_page(p, true), rest = toc_per_page(p, false);
	if (p->toc_lines <= first)
		return 1;
	return 1 + (int)((p->toc_lines - first + rest - 1) / rest);
}

static void title_page(struct pdf *p)
{
	strbuf sb = STRBUF_INIT;
	PangoLayout *big = layout(p, FONT " Bold 22", WIDTH, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(big, PANGO_ALIGN_CENTER);
	pango_layout_set_text(big, "Finding aid", -1);
	show(p, big, MARGIN, 200, 0.3);
	double y = 200 + height(big) + 30;
	PangoFontDescription *fd = pango_font_description_from_string(FONT " Bold 18");
	pango_layout_set_font_description(big, fd);
	pango_font_description_free(fd);
	clean(p->t.title, TITLE_MAX, &sb);
	pango_layout_set_text(big, sb.buf, -1);
	show(p, big, MARGIN, y, 0);
	y += height(big) + 24;
	PangoLayout *l = layout(p, FONT " 12", WIDTH, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	clean(p->t.identifier, 200, &sb);
	pango_layout_set_text(l, sb.buf, -1);
	show(p, l, MARGIN, y, 0.2);
	y += height(l) + 10;
	sb_reset(&sb);
	sb_addf(&sb, "Made %s \xc2\xb7 %lld record%s", p->when, (long long)p->measured, p->measured == 1 ? "" : "s");
	pango_layout_set_text(l, sb.buf, -1);
	show(p, l, MARGIN, y, 0.35);
	g_object_unref(big);
	g_object_unref(l);
	sb_release(&sb);
	next_page(p);
}

/* The contents, from the lines the measuring wrote: title left, page number right. */
static void contents(struct pdf *p)
{
	PangoLayout *head = layout(p, FONT " Bold 16", WIDTH, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(head, "Contents", -1);
	show(p, head, MARGIN, p->y, 0);
	g_object_unref(head);
	p->y += 40;
	int64_t on_page = 0, cap = toc_per_page(p, true);
	int body_first = 2 + p->toc_pages;
	char *line = NULL;
	size_t n = 0;
	rewind(p->toc);
	pango_layout_set_ellipsize(p->line, PANGO_ELLIPSIZE_END);
	pango_layout_set_wrap(p->line, PANGO_WRAP_CHAR);
	while (getline(&line, &n, p->toc) > 0) {
		int depth = 0, page = 0, used = 0;
		if (sscanf(line, "%d\t%d\t%n", &depth, &page, &used) < 2)
			continue;
		char *ident = line + used, *title = strchr(ident, '\t');
		if (!title)
			continue;
		*title++ = '\0';
		title[strcspn(title, "\n")] = '\0';
		if (on_page == cap) {
			next_page(p);
			on_page = 0;
			cap = toc_per_page(p, false);
		}
		double indent = depth * INDENT;
		char num[24];
		snprintf(num, sizeof num, "%d", body_first + page - 1);
		pango_layout_set_ellipsize(p->line, PANGO_ELLIPSIZE_NONE);
		pango_layout_set_alignment(p->line, PANGO_ALIGN_RIGHT);
		pango_layout_set_width(p->line, (int)(WIDTH * PANGO_SCALE));
		pango_layout_set_text(p->line, num, -1);
		show(p, p->line, MARGIN, p->y, 0);
		strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s  %s", ident, title);
		pango_layout_set_ellipsize(p->line, PANGO_ELLIPSIZE_END);
		pango_layout_set_alignment(p->line, PANGO_ALIGN_LEFT);
		pango_layout_set_width(p->line, (int)((WIDTH - indent - 40) * PANGO_SCALE));
		pango_layout_set_text(p->line, sb.buf, -1);
		show(p, p->line, MARGIN + indent, p->y, 0);
		sb_release(&sb);
		p->y += p->toc_h;
		on_page++;
	}
	free(line);
	pango_layout_set_ellipsize(p->line, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_wrap(p->line, PANGO_WRAP_WORD_CHAR);
	next_page(p);
}

static void head(tree_file *t)
{
	struct pdf *p = (struct pdf *)t;
	p->draw = true;
	open_surface(p, t->f);
	p->page = 1;
	p->y = MARGIN;
	p->pages = 1 + p->toc_pages + p->body_pages;
	title_page(p);
	contents(p);
	t->rows = 0;
}

static void tail(tree_file *t)
{
	struct pdf *p = (struct pdf *)t;
	if (!p->cr)
		return;
	next_page(p);
	cairo_surface_flush(p->s);
	cairo_status_t st = cairo_surface_status(p->s);
	close_surface(p);
	if (st != CAIRO_STATUS_SUCCESS)
		p->failed = true;
}

/* Reads the tree once without drawing: pages of the body, and the contents lines. */
static int measure_row(void *ctx, const db_res *r)
{
	struct pdf *p = ctx;
	if (job_cancelled(p->j)) {
		p->cancelled = true;
		return 1;
	}
	return entry(p, r);
}

static int measure(struct pdf *p, const char *select)
{
	job_ctx *j = p->j;
	p->toc = tmpfile();
	if (!p->toc)
		return job_fail(j, "Cannot make a temporary file: %s", strerror(errno));
	p->draw = false;
	open_surface(p, NULL);
	p->page = 1;
	p->y = MARGIN;
	const char *prm[] = { DB_INT(j->job->object_id) };
	char *sql = xasprintf(JOBTYPES_TREE_SQL " %s", select);
	int s = db_stream(j->d, sql, 1, prm, measure_row, p);
	free(sql);
	close_surface(p);
	p->body_pages = p->page;
	p->measured = p->t.rows;
	p->toc_pages = toc_page_count(p);
	if (p->cancelled)
		return job_fail(j, "Cancelled by %s after laying out %lld record%s; no file was kept",
				job_cancelled(j), (long long)p->t.rows, p->t.rows == 1 ? "" : "s");
	if (s < 0)
		return job_fail(j, "Could not read the records: %s", db_error(j->d));
	if (s > 0 || fflush(p->toc) != 0)
		return job_fail(j, "Cannot write the contents: %s", strerror(errno));
	return 0;
}

/* PDF jobs running in this process: the last to end lets the shared caches go. */
static pthread_mutex_t fonts_mu = PTHREAD_MUTEX_INITIALIZER;
static int fonts_users;

static void fonts_open(struct pdf *p)
{
	pthread_mutex_lock(&fonts_mu);
	fonts_users++;
	pthread_mutex_unlock(&fonts_mu);
	p->fonts = pango_cairo_font_map_new();
	p->pc = pango_font_map_create_context(p->fonts);
}

static void fonts_close(struct pdf *p)
{
	g_object_unref(p->pc);
	g_object_unref(p->fonts);
	pthread_mutex_lock(&fonts_mu);
	if (--fonts_users == 0) {
		cairo_debug_reset_static_data();
		FcFini();
	}
	pthread_mutex_unlock(&fonts_mu);
}

int jobtype_finding_aid_pdf(job_ctx *j, const char *ident, const char *title)
{
	static const char select[] =
		"SELECT identifier, title, level, publication_status, depth FROM t ORDER BY path";
	struct pdf p = { .t = { .identifier = ident, .title = title }, .j = j };
	fmt_local(jd_now(), p.when, sizeof p.when);
	char *path = NULL;
	if (db_exec(j->d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL) < 0)
		return job_fail(j, "Could not read the records: %s", db_error(j->d));
	/* the contents go as deep as keeps them to a few pages */
	const char *prm[] = { DB_INT(j->job->object_id) };
	db_res *r;
	if (db_exec(j->d, JOBTYPES_TREE_SQL " SELECT count(*) FILTER (WHERE depth <= 1),"
					    " count(*) FILTER (WHERE depth <= 2) FROM t", 1, prm, &r) < 0) {
		job_fail(j, "Could not read the records: %s", db_error(j->d));
		db_exec(j->d, "ROLLBACK", 0, NULL, NULL);
		return -1;
	}
	p.toc_depth = db_int(r, 0, 1) <= TOC_MAX ? TOC_DEPTH : db_int(r, 0, 0) <= TOC_MAX ? 1 : 0;
	db_res_free(r);
	fonts_open(&p);
	int rc = measure(&p, select);
	if (rc == 0) {
		job_printf(j, "Laid out %lld record%s on %d pages; writing the PDF\n", (long long)p.measured,
			   p.measured == 1 ? "" : "s", 1 + p.toc_pages + p.body_pages);
		rc = job_tree_file(j, "finding-aid", "pdf", select, head, entry, tail, &p.t, &path);
	}
	if (rc == 0 && p.failed) {
		unlink(path);
		free(path);
		free(j->download_path);
		j->download_path = NULL;
		rc = job_fail(j, "Could not make the PDF: cairo reported an error; no file was kept");
	}
	fonts_close(&p);
	db_exec(j->d, rc == 0 ? "COMMIT" : "ROLLBACK", 0, NULL, NULL);
	if (p.toc)
		fclose(p.toc);
	if (rc == 0) {
		char size[32];
		job_size_text(j->download_size, size, sizeof size);
		job_note(j, "Finding aid for %s (%lld record%s, %d pages): %s (%s)", ident, (long long)p.t.rows,
			 p.t.rows == 1 ? "" : "s", p.pages, job_download_name(j), size);
		job_printf(j, "%s\n", j->note.buf);
		free(path);
	}
	return rc;
}
