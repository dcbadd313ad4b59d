/* util.h — allocation that never returns NULL, a growable string, small time helpers. */
#ifndef JOBDECK_UTIL_H
#define JOBDECK_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation: on failure these print one line and exit(1); they never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);          /* NULL in, NULL out */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable byte buffer, always NUL-terminated. Embedded: sb_init / sb_release. */
typedef struct strbuf {
	char *buf;
	size_t len, cap;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }
void sb_init(strbuf *sb);
void sb_release(strbuf *sb);
void sb_reset(strbuf *sb);
void sb_add(strbuf *sb, const void *data, size_t len);
void sb_adds(strbuf *sb, const char *s);
void sb_addc(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_detach(strbuf *sb);           /* caller frees; sb is reset */

/* Times are microseconds since the Unix epoch, as the database hands them over. */
typedef int64_t jd_time;
#define JD_TIME_NONE INT64_MIN

jd_time jd_now(void);
/* "2026-11-28 10:15:03" in local time; "N/A" for JD_TIME_NONE. */
void fmt_local(jd_time t, char *out, size_t n);
/* "2026-11-28T10:15:03+01:00" (ISO 8601 with offset, local zone); "" for JD_TIME_NONE. */
void fmt_iso8601(jd_time t, char *out, size_t n);
/* "3h 02m", "45s", "1.2s" */
void fmt_duration(jd_time usec, char *out, size_t n);
/* "12.3 MB" */
void fmt_size(int64_t bytes, char *out, size_t n);

/* SIGINT, SIGTERM and SIGHUP call fn (which should only set a flag), SIGPIPE is ignored:
 * how a process that stops cleanly (a worker, a follow, the dashboard) takes signals. */
void signals_on_stop(void (*fn)(int sig));

/* Parses a span such as 90s, 30m, 12h, 2d or 1w into µs; -1 when it is not one. */
jd_time parse_span(const char *s);

/* Parses a whole non-negative decimal number; -1 when it is not one. */
int64_t parse_count(const char *s);

/* A file that appears under its name only when whole: written beside path under a temporary
 * name, then moved there — by link(), which never replaces a file, or by rename() when
 * replace. whole_file_open: the descriptor to write, or -1 with err. whole_file_done: the
 * caller has closed the descriptor; rc is how the writing went (0 or -1, err already set);
 * moves the file when rc is 0, removes the temporary name always; returns 0 or -1 with err. */
typedef struct whole_file {
	char *tmp;
	int fd;
} whole_file;
int whole_file_open(whole_file *w, const char *path, char *err, size_t errlen);
int whole_file_done(whole_file *w, const char *path, bool replace, int rc, char *err, size_t errlen);

#endif
