/* complete.c — `jobdeck __complete WHAT [ARG...]`: the words the shell completion offers
 * (dist/bash-completion/jobdeck), from the program's own tables so the script lists nothing
 * itself. Hidden: not in the command table, the help or the man page. One word a line; with
 * nothing to offer (or an unknown question) nothing, and exit 0: a completion stays quiet.
 *
 *   commands              the commands
 *   options CMD           CMD's options, "--name" or "--name ARG", short forms "-o ARG" too
 *   types                 the job types and the task file's tasks
 *   tasks                 the task file's tasks
 *   params TYPE           the parameters TYPE takes (a task's: its params line, if any)
 *   values TYPE KEY       the values a parameter takes, when they are a list
 *   settings              the settings file's keys */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "jobtypes/jobtypes.h"
#include "kit.h"
#include "prefs.h"
#include "tasks.h"

/* The task file, as the commands find it; empty when it cannot be read. */
static void load_tasks(tasks *t)
{
	char err[512];
	if (tasks_load(config_tasks_file(), true, t, err, sizeof err) < 0)
		tasks_release(t);
}

static void put_option(const char *dashes, const char *name, const char *arg)
{
	printf("%s%s%s%s\n", dashes, name, arg ? " " : "", arg ? arg : "");
}

static void options(const char *name)
{
	const command *cmd = command_find(name);
	if (!cmd)
		return;
	for (const cmd_option *o = cmd->options; o && o->name; o++) {
		put_option("--", o->name, o->arg);
		if (o->key > 0 && o->key < 256) {
			char k[2] = { (char)o->key, '\0' };
			put_option("-", k, o->arg);
		}
	}
	put_option("--", "help", NULL);
}

static void params(const char *type, const tasks *t)
{
	const jobtype *jt = jobtype_find(type);
	const task *tk = jt ? NULL : tasks_find(t, type);
	if (jt) {
		for (const jobparam *p = jt->params; p->name; p++)
			puts(p->name);
	} else if (tk) {
		for (size_t i = 0; i < tk->nparams; i++)
			puts(tk->params[i]);
	}
}

static void values(const char *type, const char *key, const tasks *t)
{
	const jobtype *jt = jobtype_find(type);
	const jobparam *p = jt ? jobtype_param(jt, key) : NULL;
	if (!p)
		return;
	if (jt->open_params && strcmp(key, "task") == 0) {
		for (size_t i = 0; i < t->n; i++)
			puts(t->v[i].name);
	} else if (p->kind == PARAM_CHOICE) {
		for (const char *const *c = p->choices; *c; c++)
			puts(*c);
	} else if (p->kind == PARAM_FLAG) {
		puts("1");
		puts("0");
	} else if (p->kind == PARAM_FILE) {
		puts("FILE");   /* the script completes file names */
	}
}

int cli_complete(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	tasks t = { NULL, 0 };
	if (strcmp(what, "commands") == 0) {
		for (size_t i = 0; i < ncommands; i++)
			puts(commands[i]->name);
	} else if (strcmp(what, "options") == 0 && argc > 2) {
		options(argv[2]);
	} else if (strcmp(what, "types") == 0 || strcmp(what, "tasks") == 0) {
		if (what[1] == 'y')
			for (size_t i = 0; i < jobtypes_count; i++)
				puts(jobtypes[i].name);
		load_tasks(&t);
		for (size_t i = 0; i < t.n; i++)
			puts(t.v[i].name);
	} else if (strcmp(what, "params") == 0 && argc > 2) {
		load_tasks(&t);
		params(argv[2], &t);
	} else if (strcmp(what, "values") == 0 && argc > 3) {
		load_tasks(&t);
		values(argv[2], argv[3], &t);
	} else if (strcmp(what, "settings") == 0) {
		for (size_t i = 0; i < prefs_nkeys; i++)
			puts(prefs_keys[i].name);
	}
	tasks_release(&t);
	return EXIT_OK;
}
