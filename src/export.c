/* export.c — see export.h. */
#include "export.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "jsonout.h"
#include "text.h"

void export_field(FILE *f, const char *s, int last)
{
	if (!s)
		s = "";
	int formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	if (formula || strpbrk(s, ",\"\r\n") || (s[0] == ' ') || (*s && s[strlen(s) - 1] == ' ')) {
		if (formula) {
			/* the apostrophe goes inside the quotes, so the cell reads '=…, inert */
			size_t n = strlen(s);
			char *t = xmalloc(n + 2);
			t[0] = '\'';
			memcpy(t + 1, s, n + 1);
			csv_fwrite(f, t, n + 1);
			free(t);
		} else {
			csv_fwrite(f, s, strlen(s));
		}
	} else {
		fputs_unlocked(s, f);
	}
	fputs_unlocked(last ? "\r\n" : ",", f);
}

static char *put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

/* What fmt_iso8601 writes ("2026-11-28T10:15:03+01:00", "" for none), without strftime
 * and printf, which were a fifth of the time of exporting a million jobs. */
static void iso_time(jd_time t, char out[40])
{
	struct tm tm;
	if (t == JD_TIME_NONE) {
		out[0] = '\0';
		return;
	}
	time_t secs = (time_t)(t >= 0 ? t / 1000000 : -((-t + 999999) / 1000000));
	if (!localtime_r(&secs, &tm)) {
		out[0] = '\0';
		return;
	}
	long off = tm.tm_gmtoff < 0 ? -tm.tm_gmtoff : tm.tm_gmtoff;
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 || off >= 100 * 3600) {
		fmt_iso8601(t, out, 40);
		return;
	}
	char *p = put_digits(out, tm.tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = tm.tm_gmtoff < 0 ? '-' : '+';
	p = put_digits(p, (int)(off / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(off / 60 % 60), 2);
	*p = '\0';
}

/* One cell; with clean (a strbuf to work in), through the sanitiser first, for a terminal. */
static void put_cell(FILE *f, const char *s, int last, strbuf *clean)
{
	if (clean && s) {
		sb_reset(clean);
		text_sanitize((const unsigned char *)s, strlen(s), clean, 0);
		s = clean->buf ? clean->buf : "";
	}
	export_field(f, s, last);
}

static void write_row(FILE *f, const job_row *r, strbuf *clean)
{
	char start[40], end[40];
	iso_time(r->created_at, start);
	iso_time(r->completed_at, end);
	export_field(f, start, 0);
	export_field(f, end, 0);
	put_cell(f, r->name, 0, clean);
	export_field(f, job_status_name(r->status), 0);
	put_cell(f, r->info, 0, clean);
	/* decided per row: a command-line job never inherits the previous row's user */
	put_cell(f, r->username ? r->username : JOBS_CMDLINE_USER, 1, clean);
}

void export_row(FILE *f, const job_row *r)
{
	write_row(f, r, NULL);
}

struct sink {
	FILE *f;
	int64_t rows;
	strbuf *clean;          /* NULL: exact bytes */
};

static int sink_row(void *ctx, const job_row *r)
{
	struct sink *s = ctx;
	write_row(s->f, r, s->clean);
	s->rows++;
	return ferror(s->f) ? 1 : 0;
}

/* export_csv, with every job-controlled cell sanitised when clean. */
static int export_stream(db *d, const jobs_query *q, FILE *f, int clean, int64_t *rows)
{
	strbuf sb = STRBUF_INIT;
	struct sink s = { f, 0, clean ? &sb : NULL };
	fputs(EXPORT_HEADER "\r\n", f);
	int rc = jobs_each_brief(d, q, sink_row, &s);
	sb_release(&sb);
	*rows = s.rows;
	if (rc == 0 && (ferror(f) || fflush(f) != 0)) {
		db_set_error(d, DB_FAIL_QUERY, "write failed: %s", strerror(errno));
		return -1;
	}
	return rc;
}

int export_csv(db *d, const jobs_query *q, FILE *f, int64_t *rows)
{
	return export_stream(d, q, f, 0, rows);
}

struct json_sink {
	FILE *f;
	int64_t rows;
};

static int json_row(void *ctx, const job_detail *j)
{
	struct json_sink *s = ctx;
	jsonout_job(s->f, j);
	s->rows++;
	return ferror(s->f) ? 1 : 0;
}

int export_json(db *d, const jobs_query *q, FILE *f, int64_t *rows)
{
	struct json_sink s = { f, 0 };
	int rc = jobs_each_detail(d, q, 0, json_row, &s);
	*rows = s.rows;
	if (rc == 0 && (ferror(f) || fflush(f) != 0)) {
		db_set_error(d, DB_FAIL_QUERY, "write failed: %s", strerror(errno));
		return -1;
	}
	return rc;
}

/* One export to f; JSON to a terminal through the sanitising stream. */
static int export_to(db *d, const jobs_query *q, export_format fmt, FILE *f, int screen, int64_t *rows)
{
	if (fmt == EXPORT_CSV)
		return export_stream(d, q, f, screen, rows);
	FILE *s = screen ? jsonout_screen(f) : NULL;
	int rc = export_json(d, q, s ? s : f, rows);
	if (s)
		fclose(s);
	return rc;
}

void export_default_name(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(out, n, "jobdeck-job-history-%Y-%m-%d.csv", &tm);
}

void export_default_path(char *out, size_t n)
{
	char name[64];
	const char *dir = config_export_dir();
	export_default_name(name, sizeof name);
	if (dir && *dir)
		snprintf(out, n, "%s/%s", dir, name);
	else
		snprintf(out, n, "%s", name);
}

export_path_rule export_path_check(const char *path, bool stdout_is_screen)
{
	if (strcmp(path, "-") == 0)
		return stdout_is_screen ? EXPORT_PATH_SCREEN : EXPORT_PATH_WRITE;
	return access(path, F_OK) == 0 ? EXPORT_PATH_EXISTS : EXPORT_PATH_WRITE;
}

int export_to_path(db *d, const jobs_query *q, const char *path, int force, int64_t *rows,
		   char *err, size_t errlen)
{
	return export_to_path_as(d, q, EXPORT_CSV, path, force, rows, err, errlen);
}

int export_to_path_as(db *d, const jobs_query *q, export_format fmt, const char *path, int force,
		      int64_t *rows, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0) {
		/* on a terminal the cells are read, not parsed: escapes in them must not act;
		 * to a pipe or a file the bytes stay exact */
		if (export_to(d, q, fmt, stdout, isatty(fileno(stdout)), rows) < 0) {
			snprintf(err, errlen, "%s", db_error(d));
			return -1;
		}
		return 0;
	}
	if (!force && access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s already exists (use --force to overwrite)", path);
		return -1;
	}
	/* written beside the target, then moved into place: no half-written file under the name */
	whole_file w;
	int fd = whole_file_open(&w, path, err, errlen);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	int rc = export_to(d, q, fmt, f, 0, rows);
	if (rc < 0)
		snprintf(err, errlen, "%s", db_error(d));
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	return whole_file_done(&w, path, force, rc, err, errlen);
}
