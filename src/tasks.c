/* tasks.c — see tasks.h. */
#include "tasks.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"

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

/* What the parse builds: the list, and the task its settings go to. */
struct parse_state {
	tasks *out;
	task *cur;
};

/* A "[task NAME]" line: a new task in out. */
static int section(void *ctx, char *inner, const conf_where *w)
{
	struct parse_state *ps = ctx;
	tasks *out = ps->out;
	if (strncmp(inner, "task", 4) != 0 || (inner[4] != ' ' && inner[4] != '\t'))
		return conf_bad(w, "expected [task NAME], found [%s]", inner);
	char *name = conf_trim(inner + 4);
	if (!tasks_valid_name(name))
		return conf_bad(w, "task name '%s' must be letters, digits, '.', '_' or '-'", name);
	if (tasks_find(out, name))
		return conf_bad(w, "task '%s' is defined twice", name);
	out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
	ps->cur = &out->v[out->n++];
	memset(ps->cur, 0, sizeof *ps->cur);
	ps->cur->name = xstrdup(name);
	return 0;
}

/* A "KEY = VALUE" line of the current task. */
static int setting(void *ctx, char *key, char *val, const conf_where *w)
{
	task *cur = ((struct parse_state *)ctx)->cur;
	if (!cur)
		return conf_bad(w, "'%s' outside a [task NAME] section", key);
	if (strcmp(key, "description") == 0) {
		free(cur->description);
		cur->description = xstrdup(val);
	} else if (strcmp(key, "command") == 0) {
		if (val[0] != '/')
			return conf_bad(w, "command must be an absolute path");
		free(cur->command);
		cur->command = xstrdup(val);
	} else if (strcmp(key, "args") == 0) {
		if (split_words(val, &cur->args, &cur->nargs) < 0)
			return conf_bad(w, "unterminated quote in args");
	} else if (strcmp(key, "env") == 0) {
		char *e = strchr(val, '=');
		if (!e || e == val)
			return conf_bad(w, "env needs NAME=VALUE");
		push(&cur->env, &cur->nenv, xstrdup(val));
	} else if (strcmp(key, "params") == 0) {
		char *save = NULL;
		cur->restricted = true;
		for (char *tok = strtok_r(val, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
			push(&cur->params, &cur->nparams, xstrdup(tok));
	} else {
		return conf_bad(w, "unknown setting '%s'", key);
	}
	return 0;
}

int tasks_parse(const char *text, const char *origin, tasks *out, char *err, size_t errlen)
{
	out->v = NULL;
	out->n = 0;
	struct parse_state ps = { out, NULL };
	int rc = conf_parse(text, origin, section, setting, &ps, err, errlen);
	for (size_t i = 0; rc == 0 && i < out->n; i++)
		if (!out->v[i].command) {
			snprintf(err, errlen, "%s: task '%s' has no command", origin, out->v[i].name);
			rc = -1;
		}
	return rc;
}

int tasks_load(const char *path, bool missing_ok, tasks *out, char *err, size_t errlen)
{
	out->v = NULL;
	out->n = 0;
	strbuf sb = STRBUF_INIT;
	int rc = conf_read(path, "the task file", missing_ok, &sb, err, errlen);
	if (rc == 0)
		rc = tasks_parse(sb.buf, path, out, err, errlen);
	sb_release(&sb);
	return rc < 0 ? -1 : 0;
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
