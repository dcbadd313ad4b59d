/* cmd_run.c — `jobdeck run`: the command around run_command (src/run.c). */
#include <stdio.h>
#include <unistd.h>

#include "kit.h"
#include "run.h"
#include "util.h"

struct run_opts {
	const char *name;
	int64_t object;
};

enum { OPT_NAME = OPT_LONG(1), OPT_OBJECT };

static int run_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct run_opts *o = state;
	if (key == OPT_NAME)
		o->name = value;
	else if ((o->object = parse_count(value)) <= 0)
		return cli_usage_error(c->cmd->name, "--object takes a record id, not '%s'", value);
	return EXIT_OK;
}

static int run_run(cmd_ctx *c, void *state)
{
	struct run_opts *o = state;
	run_request r = { o->name, c->args, o->object, STDOUT_FILENO };
	run_outcome out;
	run_command(c->d, &r, &out);
	if (out.message[0])
		cli_error("%s", out.message);
	if (out.cancelled_by[0])
		cli_error("run: cancelled by %s", out.cancelled_by);
	return out.status;
}

static const cmd_option run_options[] = {
	{ "name", OPT_NAME, "NAME", "the job's name (default: the command line)" },
	{ "object", OPT_OBJECT, "ID", "the record the job concerns" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_run = {
	.name = "run",
	.summary = "run a command here as a command-line job",
	.synopsis = "[--name NAME] [--object ID] -- COMMAND [ARGS...]",
	.about = "Runs COMMAND here and records it as a command-line job (no user; administrators\n"
		"see it). Its output shows here and is kept as the job's console output; its exit\n"
		"status decides Completed or Error and is run's exit status. Needs an\n"
		"administrator's (or a worker's) database role.\n",
	.options = run_options,
	.min_args = 1,
	.max_args = -1,
	.stop_at_args = true,
	.connects = true,
	.state_size = sizeof(struct run_opts),
	.option = run_option,
	.run = run_run,
};
