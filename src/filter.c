/* filter.c — see filter.h. */
#include "filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const field_names[] = {
	[FILTER_USER] = "user", [FILTER_TYPE] = "type", [FILTER_STATUS] = "status",
	[FILTER_SINCE] = "since", [FILTER_RECORD] = "record",
};

const char *filter_field_name(filter_field f)
{
	return (unsigned)f < ARRAY_SIZE(field_names) ? field_names[f] : "?";
}

void filter_release(filter *f)
{
	for (size_t i = 0; i < f->nterms; i++)
		free(f->terms[i].value);
	free(f->terms);
	free(f->text);
	memset(f, 0, sizeof *f);
}

/* The next word of *s into w: up to a space, with "…" quoting spaces. false at the end. */
static bool next_word(const char **s, strbuf *w)
{
	const char *p = *s;
	while (*p && isspace((unsigned char)*p))
		p++;
	if (!*p)
		return false;
	sb_reset(w);
	bool quoted = false;
	for (; *p && (quoted || !isspace((unsigned char)*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else
			sb_addc(w, *p);
	}
	*s = p;
	if (!w->buf)
		sb_adds(w, "");
	return true;
}

/* since: "2d", "12h", "30m", "90s", "1w", or a date "2026-11-01" (with "T10:00" or " 10:00"). */
static int parse_since(const char *v, jd_time now, jd_time *out)
{
	jd_time span = parse_span(v);
	if (span >= 0) {
		*out = now - span;
		return 0;
	}
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *rest = strptime(v, "%Y-%m-%d", &tm);
	if (rest && (*rest == 'T' || *rest == ' '))
		rest = strptime(rest + 1, "%H:%M", &tm);
	if (!rest || *rest)
		return -1;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);   /* local time, as the dashboard shows times */
	if (t == (time_t)-1)
		return -1;
	*out = (jd_time)t * 1000000;
	return 0;
}

/* Fills term t from field name and value; 0, -1 with err, or 1 when name is no field. */
static int parse_term(const char *name, size_t namelen, const char *value, jd_time now, filter_term *t,
		      char *err, size_t errlen)
{
	size_t f;
	for (f = 0; f < ARRAY_SIZE(field_names); f++)
		if (strlen(field_names[f]) == namelen && strncasecmp(name, field_names[f], namelen) == 0)
			break;
	if (f == ARRAY_SIZE(field_names) || !*value)
		return 1;
	t->field = (filter_field)f;
	t->value = xstrdup(value);
	switch (t->field) {
	case FILTER_STATUS:
		if (strcasecmp(value, "running") && strcasecmp(value, "completed") && strcasecmp(value, "error")) {
			snprintf(err, errlen, "status:%s: a status is running, completed or error", value);
			return -1;
		}
		t->value[0] = (char)toupper((unsigned char)t->value[0]);
		for (char *c = t->value + 1; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		return 0;
	case FILTER_SINCE:
		if (parse_since(value, now, &t->since) < 0) {
			snprintf(err, errlen, "since:%s: give a span (30m, 12h, 2d, 1w) or a date (2026-11-01)", value);
			return -1;
		}
		return 0;
	case FILTER_USER:
		t->cmdline = strcasecmp(value, "Command line") == 0 || strcasecmp(value, "cli") == 0;
		return 0;
	default:
		return 0;
	}
}

int filter_parse(const char *text, jd_time now, filter *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	strbuf w = STRBUF_INIT, free_text = STRBUF_INIT;
	int rc = 0;
	const char *s = text ? text : "";
	while (rc == 0 && next_word(&s, &w)) {
		const char *word = w.buf;
		bool neg = word[0] == '-';
		const char *name = word + neg, *colon = strchr(name, ':');
		int k = 1;
		if (colon) {
			filter_term t;
			memset(&t, 0, sizeof t);
			t.negated = neg;
			k = parse_term(name, (size_t)(colon - name), colon + 1, now, &t, err, errlen);
			if (k <= 0) {
				f->terms = xrealloc(f->terms, (f->nterms + 1) * sizeof *f->terms);
				f->terms[f->nterms++] = t;
			} else {
				free(t.value);
			}
			rc = k < 0 ? -1 : 0;
		}
		if (k == 1) {
			if (free_text.len)
				sb_addc(&free_text, ' ');
			sb_adds(&free_text, word);
		}
	}
	f->text = free_text.len ? sb_detach(&free_text) : NULL;
	sb_release(&free_text);
	sb_release(&w);
	return rc;
}
