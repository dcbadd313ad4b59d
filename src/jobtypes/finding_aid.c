/* finding_aid.c — generates a finding aid for a record's hierarchy as an RTF document (or a
 * PDF: finding_aid_pdf.c).
 *
 *   --object ID [--param format=rtf|pdf]
 *
 * The document opens with the record's title, then lists the record and every descendant,
 * indented by depth, with level, title, identifier and publication status. Text is escaped
 * for RTF (\uN? for characters beyond ASCII), so any title comes out as written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobtypes/jobtypes.h"
#include "text.h"

void jobtype_rtf_escape(const char *s, strbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n > 0) {
		unsigned cp;
		int k = text_utf8_decode(p, n, &cp);
		if (k <= 0) {
			sb_addc(out, '?');
			p++;
			n--;
			continue;
		}
		p += k;
		n -= (size_t)k;
		if (cp == '\\' || cp == '{' || cp == '}') {
			sb_addc(out, '\\');
			sb_addc(out, (char)cp);
		} else if (cp == '\n') {
			sb_adds(out, "\\line ");
		} else if (cp == '\t') {
			sb_adds(out, "\\tab ");
		} else if (cp < 0x20 || cp == 0x7f) {
			/* control characters have no place in a document */
		} else if (cp < 0x80) {
			sb_addc(out, (char)cp);
		} else if (cp < 0x10000) {
			sb_addf(out, "\\u%d?", (int)(short)(unsigned short)cp);
		} else {
			unsigned v = cp - 0x10000;
			unsigned hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
			sb_addf(out, "\\u%d?\\u%d?", (int)(short)(unsigned short)hi, (int)(short)(unsigned short)lo);
		}
	}
}

static void esc(FILE *f, const char *s)
{
	strbuf sb = STRBUF_INIT;
	jobtype_rtf_escape(s, &sb);
	fwrite(sb.buf ? sb.buf : "", 1, sb.len, f);
	sb_release(&sb);
}

static int entry(void *ctx, const db_res *r)
{
	tree_file *a = ctx;
	int depth = (int)db_int(r, 0, 4);
	int indent = depth * 400;
	fprintf(a->f, "{\\pard\\li%d\\sb%d\\keepn\\f1\\fs%d\\b ", indent, depth ? 160 : 320, depth ? 22 : 28);
	esc(a->f, db_get(r, 0, 2));
	fputs(": ", a->f);
	esc(a->f, db_get(r, 0, 1));
	fputs("\\b0\\par}\n", a->f);
	fprintf(a->f, "{\\pard\\li%d\\fs20 Reference code: ", indent);
	esc(a->f, db_get(r, 0, 0));
	fputs("\\tab Publication status: ", a->f);
	esc(a->f, db_get(r, 0, 3));
	fputs("\\par}\n", a->f);
	a->rows++;
	return ferror(a->f) ? 1 : 0;
}

static void head(tree_file *t)
{
	char when[40];
	fmt_local(jd_now(), when, sizeof when);
	fputs("{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n"
	      "{\\fonttbl{\\f0\\froman Times New Roman;}{\\f1\\fswiss Helvetica;}}\n{\\info{\\title ", t->f);
	esc(t->f, t->title);
	fputs("}}\n\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440\n"
	      "{\\pard\\qc\\f1\\fs36\\b Finding aid\\b0\\par}\n{\\pard\\qc\\sb120\\f1\\fs30 ", t->f);
	esc(t->f, t->title);
	fputs("\\par}\n{\\pard\\qc\\sb60\\fs20 ", t->f);
	esc(t->f, t->identifier);
	fprintf(t->f, " \\emdash  generated %s\\par}\n", when);
}

static void tail(tree_file *t)
{
	fputs("}\n", t->f);
}

int jobtype_finding_aid(job_ctx *j)
{
	char *ident, *title, *path;
	if (job_record(j, j->job->object_id, &ident, &title) < 0)
		return -1;
	const char *format = job_param(j, "format");
	bool pdf = format && strcasecmp(format, "pdf") == 0;
	job_printf(j, "Generating a%s finding aid for %s (%s)\n", pdf ? " PDF" : "n RTF", ident, title);
	if (pdf) {
		int prc = jobtype_finding_aid_pdf(j, ident, title);
		free(ident);
		free(title);
		return prc;
	}
	tree_file t = { .identifier = ident, .title = title };
	int rc = job_tree_file(j, "finding-aid", "rtf",
			       "SELECT identifier, title, level, publication_status, depth FROM t ORDER BY path",
			       head, entry, tail, &t, &path);
	if (rc == 0) {
		char size[32];
		job_size_text(j->download_size, size, sizeof size);
		job_note(j, "Finding aid for %s (%lld record%s): %s (%s)", ident, (long long)t.rows,
			 t.rows == 1 ? "" : "s", job_download_name(j), size);
		job_printf(j, "%s\n", j->note.buf);
		free(path);
	}
	free(ident);
	free(title);
	return rc;
}
