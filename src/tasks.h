/* tasks.h — the worker's task file: external commands an administrator allows jobs to run.
 *
 * The file (JOBDECK_CONFIG, default /etc/jobdeck/tasks.conf) is a list of sections:
 *
 *   # comment
 *   [task reindex]
 *   description = Rebuild the search index      job name shown when none is given
 *   command     = /usr/local/bin/reindex         absolute path; run directly, never by a shell
 *   args        = --scope {scope} --job {job}    words split on blanks ("..." keeps blanks)
 *   env         = REINDEX_MODE={mode}            repeatable; NAME=VALUE
 *   params      = scope, mode                    optional: the only parameters accepted
 *
 * In args and env, {NAME} is replaced by the job parameter NAME, {job} by the job id,
 * {object} by the related record's id and {output} by a file path in the downloads folder the
 * command may write (it becomes the job's download). A replaced value always stays one
 * argument: nothing is split, globbed or interpreted. Every parameter also reaches the command
 * as JOBDECK_PARAM_<NAME> in its environment. A task NAME is made of letters, digits, '.',
 * '_' and '-'; jobs name it as their type (jobdeck submit reindex) or as
 * `jobdeck submit command --param task=reindex`. */
#ifndef JOBDECK_TASKS_H
#define JOBDECK_TASKS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef struct task {
	char *name;
	char *description;     /* NULL: none given */
	char *command;
	char **args;
	size_t nargs;
	char **env;            /* NAME=VALUE templates */
	size_t nenv;
	char **params;         /* accepted parameter names; only when restricted */
	size_t nparams;
	bool restricted;       /* a params line was given */
} task;

typedef struct tasks {
	task *v;
	size_t n;
} tasks;

/* Parses the text of a task file. origin names it in messages ("tasks.conf:12: ..."). 0, or
 * -1 with one line in err; out is filled either way and must be released. */
int tasks_parse(const char *text, const char *origin, tasks *out, char *err, size_t errlen);
/* Reads and parses path. A file that does not exist is an empty list when missing_ok. */
int tasks_load(const char *path, bool missing_ok, tasks *out, char *err, size_t errlen);
void tasks_release(tasks *t);
const task *tasks_find(const tasks *t, const char *name);
/* true when the task accepts a parameter of that name. */
bool task_accepts(const task *t, const char *param);
/* true for a valid task or job-type name (letters, digits, . _ -; 1 to 64 characters). */
bool tasks_valid_name(const char *name);

/* Expands the {NAME} placeholders of tmpl through lookup (which returns NULL for an unknown
 * name) into out. 0, or -1 with the missing name copied into missing. */
typedef const char *(*tasks_lookup_fn)(void *ctx, const char *name);
int tasks_expand(const char *tmpl, tasks_lookup_fn lookup, void *ctx, strbuf *out, char *missing,
		 size_t n);

#endif
