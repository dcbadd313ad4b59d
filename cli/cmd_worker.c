/* cmd_worker.c — `jobdeck worker`: the command around the worker service (src/worker.c). */
#include <string.h>

#include "kit.h"
#include "util.h"
#include "worker.h"

enum { OPT_TYPES = OPT_LONG(1), OPT_CONCURRENCY, OPT_MAX_JOBS, OPT_ID };

static int worker_option(cmd_ctx *c, void *state, int key, const char *value)
{
	worker_options *o = state;
	int64_t n;
	switch (key) {
	case OPT_TYPES:
		o->types = value;
		return EXIT_OK;
	case OPT_CONCURRENCY:
		if ((n = parse_count(value)) < 1 || n > 256)
			return cli_usage_error(c->cmd->name, "--concurrency takes 1 to 256, not '%s'", value);
		o->concurrency = (int)n;
		return EXIT_OK;
	case OPT_MAX_JOBS:
		if ((o->max_jobs = parse_count(value)) < 0)
			return cli_usage_error(c->cmd->name, "--max-jobs takes a whole number, not '%s'", value);
		return EXIT_OK;
	default:
		if (!*value || strlen(value) > 100)
			return cli_usage_error(c->cmd->name, "--id takes a name of 1 to 100 characters");
		o->id = value;
		return EXIT_OK;
	}
}

static int worker_cmd_run(cmd_ctx *c, void *state)
{
	worker *w;
	char err[600];
	int rc = worker_prepare(state, &w, err, sizeof err);
	if (rc == WORKER_EUSAGE)
		return cli_usage_error(c->cmd->name, "%s", err);
	if (rc < 0) {
		cli_error("worker: %s", err);
		return EXIT_RUNTIME;
	}
	rc = worker_run(w);
	worker_free(w);
	return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}

static const cmd_option worker_options_[] = {
	{ "types", OPT_TYPES, "T,...", "only these types, tasks, or 'command' for every task" },
	{ "concurrency", OPT_CONCURRENCY, "N", "run N jobs at once, in N processes" },
	{ "max-jobs", OPT_MAX_JOBS, "N", "each process stops after N jobs" },
	{ "id", OPT_ID, "NAME", "the worker's name in the jobs it runs (default HOST:PID)" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_worker = {
	.name = "worker",
	.summary = "run jobs from gearmand",
	.synopsis = "[--types T,...] [--concurrency N] [--max-jobs N] [--id NAME]",
	.about = "Runs jobs that gearmand hands over: every built-in type and every task of the task\n"
		"file (JOBDECK_CONFIG, default /etc/jobdeck/tasks.conf), or only the --types given.\n\n"
		"Connect as a role in jobdeck_worker. Gearman functions are NAMESPACE:TYPE with\n"
		"JOBDECK_NAMESPACE (default jobdeck) on JOBDECK_GEARMAN (host:port,...). A job whose\n"
		"worker is silent for JOBDECK_HEARTBEAT_TIMEOUT seconds (default 60) is retried or\n"
		"ended as Error by the workers' sweep. SIGTERM finishes the current job, then exits.\n",
	.options = worker_options_,
	.state_size = sizeof(worker_options),
	.option = worker_option,
	.run = worker_cmd_run,
};
