/* cmd_admin.c — the commands that set an installation up: migrate, user, demo-seed. */
#include <stdio.h>
#include <string.h>

#include "kit.h"
#include "migrate.h"

extern const char demo_seed_sql[];

/* ==== migrate ==== */

static int migrate_run_cmd(cmd_ctx *c, void *state)
{
	(void)state;
	int applied;
	if (migrate_run(c->d, &applied) < 0)
		return cli_db_fail(c->d);
	if (applied)
		printf("applied %d migration%s; schema at version %d\n", applied, applied == 1 ? "" : "s",
		       migrate_version(c->d));
	else
		printf("schema up to date at version %d\n", migrate_version(c->d));
	return EXIT_OK;
}

const command cmd_migrate = {
	.name = "migrate",
	.summary = "create or update the database schema",
	.synopsis = "",
	.about = "Creates or updates the jobdeck schema in the database. Safe to run again: each\n"
		"migration runs once, in its own transaction, and the job types' declared parameters\n"
		"are written again. Needs a role that may create roles and schemas (the database owner\n"
		"or a superuser); that role owns the schema and its functions.\n",
	.connects = true,
	.run = migrate_run_cmd,
};

/* ==== user ==== */

static int user_option(cmd_ctx *c, void *state, int key, const char *value)
{
	(void)c;
	(void)key;
	(void)value;
	*(bool *)state = true;
	return EXIT_OK;
}

static int user_run(cmd_ctx *c, void *state)
{
	bool admin = *(bool *)state;
	if (strcmp(c->args[0], "add") != 0)
		return cli_usage_error(c->cmd->name, "expected: user add NAME [--admin]");
	const char *name = c->args[1];
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	const char *p[] = { name, admin ? "t" : "f" };
	int rc = db_exec(d, "SELECT jobdeck.user_add($1, $2::boolean)", 2, p, NULL);
	if (rc < 0)
		cli_db_fail(d);
	else
		printf("added %s %s\n", admin ? "administrator" : "user", name);
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

static const cmd_option user_options[] = {
	{ "admin", OPT_LONG(1), NULL, "an administrator" },
	{ NULL, 0, NULL, NULL },
};

/* user connects itself: a wrong sub-command is a usage error before it does */
const command cmd_user = {
	.name = "user",
	.summary = "add a user (administrators)",
	.synopsis = "add NAME [--admin]",
	.about = "Creates a login role NAME that may use jobdeck, as an administrator with --admin.\n"
		"Only administrators may add users; the database checks this itself.\n",
	.options = user_options,
	.min_args = 2,
	.max_args = 2,
	.state_size = sizeof(bool),
	.option = user_option,
	.run = user_run,
};

/* ==== demo-seed ==== */

static int seed_run(cmd_ctx *c, void *state)
{
	(void)state;
	if (db_script(c->d, demo_seed_sql) < 0)
		return cli_db_fail(c->d);
	printf("demo data loaded: users admin, alice, bob, worker\n");
	return EXIT_OK;
}

const command cmd_demo_seed = {
	.name = "demo-seed",
	.summary = "load demonstration users, records and jobs",
	.synopsis = "",
	.about = "Loads demonstration data: login roles admin (administrator), alice, bob and worker,\n"
		"a tree of archival records, and a few hundred past jobs with console output.\n"
		"Run as the database owner after 'jobdeck migrate'. Replaces earlier demo data.\n",
	.connects = true,
	.run = seed_run,
};
