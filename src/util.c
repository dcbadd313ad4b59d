/* util.c — see util.h. */
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
	fputs("jobdeck: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		oom();
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* ==== strbuf ==== */

void sb_init(strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_release(strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void sb_grow(strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_add(strbuf *sb, const void *data, size_t len)
{
	sb_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_adds(strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_addf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *sb_detach(strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	sb_init(sb);
	return s;
}

/* ==== time ==== */

jd_time jd_now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (jd_time)tv.tv_sec * 1000000 + tv.tv_usec;
}

static int to_tm(jd_time t, struct tm *tm)
{
	time_t secs = (time_t)(t >= 0 ? t / 1000000 : -((-t + 999999) / 1000000));
	return localtime_r(&secs, tm) ? 0 : -1;
}

void fmt_local(jd_time t, char *out, size_t n)
{
	struct tm tm;
	if (t == JD_TIME_NONE || to_tm(t, &tm) < 0) {
		snprintf(out, n, "N/A");
		return;
	}
	strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

void fmt_iso8601(jd_time t, char *out, size_t n)
{
	struct tm tm;
	char off[8];
	if (t == JD_TIME_NONE || to_tm(t, &tm) < 0) {
		snprintf(out, n, "%s", "");
		return;
	}
	size_t k = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof off, "%z", &tm); /* +hhmm */
	if (k && strlen(off) == 5)
		snprintf(out + k, n - k, "%.3s:%.2s", off, off + 3);
}

void fmt_duration(jd_time usec, char *out, size_t n)
{
	if (usec < 0)
		usec = 0;
	int64_t s = usec / 1000000;
	if (s < 10)
		snprintf(out, n, "%.1fs", (double)usec / 1e6);
	else if (s < 60)
		snprintf(out, n, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(out, n, "%lldm %02llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		snprintf(out, n, "%lldh %02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(out, n, "%lldd %02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
}

void fmt_size(int64_t bytes, char *out, size_t n)
{
	static const char *unit[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1000 && u + 1 < ARRAY_SIZE(unit)) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%lld B", (long long)bytes);
	else
		snprintf(out, n, "%.1f %s", v, unit[u]);
}

void signals_on_stop(void (*fn)(int sig))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

jd_time parse_span(const char *s)
{
	static const struct { char unit; int64_t secs; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 },
	};
	char *end;
	long long n = s ? strtoll(s, &end, 10) : -1;
	if (!s || end == s || n < 0 || !end[0] || end[1] || n > 1000000000)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (units[i].unit == end[0])
			return (jd_time)n * units[i].secs * 1000000;
	return -1;
}

int64_t parse_count(const char *s)
{
	if (!s || !*s)
		return -1;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int whole_file_open(whole_file *w, const char *path, char *err, size_t errlen)
{
	w->tmp = xasprintf("%s.partial-XXXXXX", path);
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		return -1;
	}
	fchmod(w->fd, 0644);
	return w->fd;
}

int whole_file_done(whole_file *w, const char *path, bool replace, int rc, char *err, size_t errlen)
{
	if (rc == 0 && (replace ? rename(w->tmp, path) : link(w->tmp, path)) < 0) {
		snprintf(err, errlen, errno == EEXIST ? "%s already exists (use --force to overwrite)"
						      : "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	unlink(w->tmp);
	free(w->tmp);
	w->tmp = NULL;
	return rc;
}
