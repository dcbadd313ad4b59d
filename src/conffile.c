/* conffile.c — see conffile.h. */
#include "conffile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *conf_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int conf_bad(const conf_where *w, const char *fmt, ...)
{
	int k = snprintf(w->err, w->errlen, "%s:%d: ", w->origin, w->line);
	if (k < 0 || (size_t)k >= w->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err + k, w->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

static int one_line(char *line, conf_section_fn section, conf_setting_fn setting, void *ctx,
		    const conf_where *w)
{
	if (*line == '[') {
		char *end = strchr(line, ']');
		if (!end || conf_trim(end + 1)[0])
			return conf_bad(w, "expected [SECTION], found %s", line);
		*end = '\0';
		return section(ctx, conf_trim(line + 1), w);
	}
	char *eq = strchr(line, '=');
	if (!eq)
		return conf_bad(w, "expected KEY = VALUE");
	*eq = '\0';
	return setting(ctx, conf_trim(line), conf_trim(eq + 1), w);
}

int conf_parse(const char *text, const char *origin, conf_section_fn section, conf_setting_fn setting,
	       void *ctx, char *err, size_t errlen)
{
	char *copy = xstrdup(text), *p = copy;
	conf_where w = { origin, 0, err, errlen };
	int rc = 0;
	while (p && rc == 0) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *line = conf_trim(p);
		p = nl ? nl + 1 : NULL;
		w.line++;
		if (*line && *line != '#' && *line != ';')
			rc = one_line(line, section, setting, ctx, &w);
	}
	free(copy);
	return rc;
}

int conf_read(const char *path, const char *what, bool missing_ok, strbuf *out, char *err, size_t errlen)
{
	sb_adds(out, "");
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && missing_ok)
			return 1;
		snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(errno));
		return -1;
	}
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(out, buf, n);
	int bad = ferror(f) ? errno : 0;
	fclose(f);
	if (bad) {
		/* a folder opens but does not read: EISDIR */
		snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(bad));
		return -1;
	}
	return 0;
}
