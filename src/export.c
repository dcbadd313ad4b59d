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
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

void export_row(FILE *f, const job_row *r)
{
	char start[40], end[40];
	fmt_iso8601(r->created_at, start, sizeof start);
	fmt_iso8601(r->completed_at, end, sizeof end);
	export_field(f, start, 0);
	export_field(f, end, 0);
	export_field(f, r->name, 0);
	export_field(f, job_status_name(r->status), 0);
	export_field(f, r->info, 0);
	/* decided per row: a command-line job never inherits the previous row's user */
	export_field(f, r->username ? r->username : JOBS_CMDLINE_USER, 1);
}

struct sink {
	FILE *f;
	int64_t rows;
};

static int sink_row(void *ctx, const job_row *r)
{
	struct sink *s = ctx;
	export_row(s->f, r);
	s->rows++;
	return ferror(s->f) ? 1 : 0;
}

int export_csv(db *d, const jobs_query *q, FILE *f, int64_t *rows)
{
	struct sink s = { f, 0 };
	fputs(EXPORT_HEADER "\r\n", f);
	int rc = jobs_each(d, q, sink_row, &s);
	*rows = s.rows;
	if (rc == 0 && (ferror(f) || fflush(f) != 0)) {
		db_set_error(d, DB_FAIL_QUERY, "write failed: %s", strerror(errno));
		return -1;
	}
	return rc;
}

void export_default_name(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(out, n, "jobdeck-job-history-%Y-%m-%d.csv", &tm);
}

int export_to_path(db *d, const jobs_query *q, const char *path, int force, int64_t *rows,
		   char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0) {
		if (export_csv(d, q, stdout, rows) < 0) {
			snprintf(err, errlen, "%s", db_error(d));
			return -1;
		}
		return 0;
	}
	if (!force && access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s already exists (use --force to overwrite)", path);
		return -1;
	}
	/* Written beside the target, then moved into place: no half-written file under the name. */
	char *tmp = xasprintf("%s.partial-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	fchmod(fd, 0644);
	FILE *f = fdopen(fd, "w");
	int rc = export_csv(d, q, f, rows);
	if (rc < 0)
		snprintf(err, errlen, "%s", db_error(d));
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		/* link() refuses to replace an existing file; rename() replaces it (--force) */
		if (force ? rename(tmp, path) : link(tmp, path)) {
			snprintf(err, errlen, errno == EEXIST ? "%s already exists (use --force to overwrite)"
							      : "cannot write %s: %s", path, strerror(errno));
			rc = -1;
		}
	}
	unlink(tmp);
	free(tmp);
	return rc;
}
