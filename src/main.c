/* main.c — argument parsing and subcommand dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "util.h"

static const struct command {
	const char *name;
	cli_fn fn;
	const char *summary;
} commands[] = {
	{ "dashboard", cmd_dashboard, "the terminal dashboard (the default)" },
	{ "list",      cmd_list,      "list jobs as a table" },
	{ "show",      cmd_show,      "one job's details and console output" },
	{ "clear",     cmd_clear,     "remove your inactive jobs" },
	{ "cancel",    cmd_cancel,    "cancel jobs that are waiting or running" },
	{ "export",    cmd_export,    "write the job history as CSV" },
	{ "submit",    cmd_submit,    "queue a job for the workers" },
	{ "run",       cmd_run,       "run a command here as a command-line job" },
	{ "worker",    cmd_worker,    "run jobs from gearmand" },
	{ "migrate",   cmd_migrate,   "create or update the database schema" },
	{ "user",      cmd_user,      "add a user (administrators)" },
	{ "demo-seed", cmd_demo_seed, "load demonstration users, records and jobs" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: jobdeck [--db CONNINFO] [COMMAND] [ARGS...]\n\n"
		   "Asynchronous jobs through Gearman, kept in PostgreSQL, watched from a terminal.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nWith no command, opens the dashboard. 'jobdeck COMMAND --help' tells more.\n"
		   "The database is found by libpq's conventions (PGHOST, PGDATABASE, PGUSER, PGSERVICE,\n"
		   ".pgpass) or --db; gearmand by JOBDECK_GEARMAN (host:port,...).\n");
}

/* Takes --db CONNINFO (or --db=CONNINFO) out of argv wherever it stands before "--". */
static int take_db_option(int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc)
				return -1;
			config_conninfo = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			config_conninfo = argv[i] + 5;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	argc = take_db_option(argc, argv);
	if (argc < 0) {
		fprintf(stderr, "jobdeck: --db needs a connection string\n");
		return EXIT_USAGE;
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "help") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("jobdeck %s\n", JOBDECK_VERSION);
		return EXIT_OK;
	}
	/* No command, or only options: the dashboard, which parses those options itself. */
	if (argc < 2 || argv[1][0] == '-') {
		argv[0] = "dashboard";
		return cmd_dashboard(argc, argv);
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "jobdeck: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
