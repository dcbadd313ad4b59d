/* tasks.c — see tasks.h. */
#include "tasks.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static void task_release(task *t)
{
	free(t->name);
	free(t->description);
	free(t->command);
	for (size_t i = 0; i < t->nargs; i++)
		free(t->args[i]);
	free(t->args);
	for (size_t i = 0; i < t->nenv; i++)
		free(t->env[i]);
	free(t->env);
	for (size_t i = 0; i < t->nparams; i++)
		free(t->params[i]);
	free(t->params);
}

void tasks_release(tasks *t)
{
	for (size_t i = 0; i < t->n; i++)
		task_release(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

bool tasks_valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			return false;
	return true;
}

const task *tasks_find(const tasks *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

bool task_accepts(const task *t, const char *param)
{
	if (!t->restricted)
		return true;
	for (size_t i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i], param) == 0)
			return true;
	return false;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Splits an args value into words: blanks separate, "..." keeps blanks (\" and \\ inside). */
static int split_words(const char *s, char ***v, size_t *n)
{
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		strbuf w = STRBUF_INIT;
		sb_adds(&w, "");
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					sb_addc(&w, *s);
				}
				if (*s != '"') {
					sb_release(&w);
					return -1;
				}
				s++;
			} else {
				sb_addc(&w, *s++);
			}
		}
		push(v, n, sb_detach(&w));
	}
	return 0;
}

static int fail(char *err, size_t n, const char *origin, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t n, const char *origin, int line, const char *fmt, ...)
{
	int k = snprintf(err, n, "%s:%d: ", origin, line);
	if (k < 0 || (size_t)k >= n)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

int tasks_parse(const char *text, const char *origin, tasks *out, char *err, size_t errlen)
{
	out->v = NULL;
	out->n = 0;
	char *copy = xstrdup(text);
	char *save = NULL;
	int lineno = 0, rc = 0;
	task *cur = NULL;
	char *p = copy;
	while (p && rc == 0) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *line = trim(p);
		p = nl ? nl + 1 : NULL;
		lineno++;
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (*line == '[') {
			char *end = strchr(line, ']');
			if (!end || trim(end + 1)[0]) {
				rc = fail(err, errlen, origin, lineno, "expected [task NAME]");
				break;
			}
			*end = '\0';
			char *inner = trim(line + 1);
			if (strncmp(inner, "task", 4) != 0 || (inner[4] != ' ' && inner[4] != '\t')) {
				rc = fail(err, errlen, origin, lineno, "expected [task NAME], found [%s]", inner);
				break;
			}
			char *name = trim(inner + 4);
			if (!tasks_valid_name(name)) {
				rc = fail(err, errlen, origin, lineno,
					  "task name '%s' must be letters, digits, '.', '_' or '-'", name);
				break;
			}
			if (tasks_find(out, name)) {
				rc = fail(err, errlen, origin, lineno, "task '%s' is defined twice", name);
				break;
			}
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			cur = &out->v[out->n++];
			memset(cur, 0, sizeof *cur);
			cur->name = xstrdup(name);
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq) {
			rc = fail(err, errlen, origin, lineno, "expected KEY = VALUE");
			break;
		}
		*eq = '\0';
		char *key = trim(line), *val = trim(eq + 1);
		if (!cur) {
			rc = fail(err, errlen, origin, lineno, "'%s' outside a [task NAME] section", key);
			break;
		}
		if (strcmp(key, "description") == 0) {
			free(cur->description);
			cur->description = xstrdup(val);
		} else if (strcmp(key, "command") == 0) {
			if (val[0] != '/') {
				rc = fail(err, errlen, origin, lineno, "command must be an absolute path");
				break;
			}
			free(cur->command);
			cur->command = xstrdup(val);
		} else if (strcmp(key, "args") == 0) {
			if (split_words(val, &cur->args, &cur->nargs) < 0) {
				rc = fail(err, errlen, origin, lineno, "unterminated quote in args");
				break;
			}
		} else if (strcmp(key, "env") == 0) {
			char *e = strchr(val, '=');
			if (!e || e == val) {
				rc = fail(err, errlen, origin, lineno, "env needs NAME=VALUE");
				break;
			}
			push(&cur->env, &cur->nenv, xstrdup(val));
		} else if (strcmp(key, "params") == 0) {
			cur->restricted = true;
			char *list = xstrdup(val);
			for (char *tok = strtok_r(list, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
				push(&cur->params, &cur->nparams, xstrdup(tok));
			free(list);
		} else {
			rc = fail(err, errlen, origin, lineno, "unknown setting '%s'", key);
			break;
		}
	}
	for (size_t i = 0; rc == 0 && i < out->n; i++)
		if (!out->v[i].command) {
			snprintf(err, errlen, "%s: task '%s' has no command", origin, out->v[i].name);
			rc = -1;
		}
	free(copy);
	return rc;
}

int tasks_load(const char *path, bool missing_ok, tasks *out, char *err, size_t errlen)
{
	out->v = NULL;
	out->n = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && missing_ok)
			return 0;
		snprintf(err, errlen, "cannot read the task file %s: %s", path, strerror(errno));
		return -1;
	}
	strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "cannot read the task file %s", path);
		sb_release(&sb);
		return -1;
	}
	int rc = tasks_parse(sb.buf ? sb.buf : "", path, out, err, errlen);
	sb_release(&sb);
	return rc;
}

int tasks_expand(const char *tmpl, tasks_lookup_fn lookup, void *ctx, strbuf *out, char *missing, size_t n)
{
	sb_adds(out, "");
	for (const char *s = tmpl; *s;) {
		if (*s == '{') {
			const char *e = s + 1;
			while (isalnum((unsigned char)*e) || *e == '_' || *e == '-' || *e == '.')
				e++;
			if (*e == '}' && e > s + 1) {
				char name[128];
				snprintf(name, sizeof name, "%.*s", (int)(e - s - 1), s + 1);
				const char *v = lookup(ctx, name);
				if (!v) {
					snprintf(missing, n, "%s", name);
					return -1;
				}
				sb_adds(out, v);
				s = e + 1;
				continue;
			}
		}
		sb_addc(out, *s++);
	}
	return 0;
}
