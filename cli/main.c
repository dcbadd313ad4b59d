/* main.c — the entry point: global options, and each command through the kit (kit.h). */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "kit.h"
#include "util.h"

extern const command cmd_dashboard, cmd_list, cmd_show, cmd_clear, cmd_cancel, cmd_retry, cmd_export, cmd_download,
	cmd_submit, cmd_run, cmd_worker, cmd_workers, cmd_queues, cmd_metrics, cmd_pause, cmd_resume, cmd_prune,
	cmd_migrate, cmd_user, cmd_demo_seed;

const command *const commands[] = {
	&cmd_dashboard, &cmd_list, &cmd_show, &cmd_clear, &cmd_cancel, &cmd_retry, &cmd_export, &cmd_download,
	&cmd_submit, &cmd_run, &cmd_worker, &cmd_workers, &cmd_queues, &cmd_metrics, &cmd_pause, &cmd_resume,
	&cmd_prune, &cmd_migrate,
	&cmd_user, &cmd_demo_seed,
};
const size_t ncommands = ARRAY_SIZE(commands);

const command *command_find(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: jobdeck [--db CONNINFO] [COMMAND] [ARGS...]\n\n"
		   "Asynchronous jobs through Gearman, kept in PostgreSQL, watched from a terminal.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < ncommands; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\nWith no command, opens the dashboard. 'jobdeck COMMAND --help' tells more.\n"
		   "The database is found by libpq's conventions (PGHOST, PGDATABASE, PGUSER, PGSERVICE,\n"
		   ".pgpass) or --db.\n\n"
		   "Options:\n"
		   "      --db CONNINFO        the database, as a libpq connection string or URI\n"
		   "  -h, --help               this help\n"
		   "  -V, --version            the version\n"
		   "\nEnvironment:\n");
	config_print(f);
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
	const char *first = argc >= 2 ? argv[1] : "";
	if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 || strcmp(first, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
		printf("jobdeck %s\n", JOBDECK_VERSION);
		return EXIT_OK;
	}
	/* No command, or only options: the dashboard, with those options. */
	if (argc < 2 || first[0] == '-') {
		argv[0] = "dashboard";
		return kit_run(&cmd_dashboard, argc, argv);
	}
	if (strcmp(first, "__complete") == 0)
		return cli_complete(argc - 1, argv + 1);
	const command *cmd = command_find(first);
	if (cmd)
		return kit_run(cmd, argc - 1, argv + 1);
	fprintf(stderr, "jobdeck: unknown command '%s'\n", first);
	usage(stderr);
	return EXIT_USAGE;
}
