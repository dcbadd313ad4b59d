/* cmd_submit.c — `jobdeck submit`: the command around the submit service (src/submit.c):
 * options, the ids it prints, the lines it says, and following a job with --wait. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "jobs.h"
#include "jobs_worker.h"
#include "kit.h"
#include "queue.h"
#include "submit.h"
#include "util.h"

#define SUBMIT_CHUNK 500

struct submit_opts {
	submission s;
	bool wait;
};

enum { OPT_OBJECT = OPT_LONG(1), OPT_PARAM, OPT_DESCRIPTION, OPT_WAIT, OPT_COUNT };

static void submit_init(void *state)
{
	submission_init(&((struct submit_opts *)state)->s);
}

static int submit_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct submit_opts *o = state;
	const char *eq;
	switch (key) {
	case OPT_OBJECT:
		if ((o->s.object = parse_count(value)) <= 0)
			return cli_usage_error(c->cmd->name, "--object takes a record id, not '%s'", value);
		return EXIT_OK;
	case OPT_PARAM:
		if (!(eq = strchr(value, '=')) || eq == value)
			return cli_usage_error(c->cmd->name, "--param takes KEY=VALUE, not '%s'", value);
		job_params_add(&o->s.params, value, (size_t)(eq - value), eq + 1);
		return EXIT_OK;
	case OPT_DESCRIPTION:
		o->s.name = value;
		return EXIT_OK;
	case OPT_WAIT:
		o->wait = true;
		return EXIT_OK;
	default:
		if ((o->s.count = parse_count(value)) < 1 || o->s.count > 10000000)
			return cli_usage_error(c->cmd->name, "--count takes 1 to 10000000, not '%s'", value);
		return EXIT_OK;
	}
}

/* ==== following a job (--wait) ==== */

static volatile sig_atomic_t interrupted;
static void on_int(int sig) { (void)sig; interrupted = 1; }
static void ignore_notify(void *ctx, const char *ch, const char *payload) { (void)ctx; (void)ch; (void)payload; }

/* Prints what is new of the job's output from *offset, in slices, until caught up. */
static void print_new_output(db *d, int64_t id, int64_t total, int64_t *offset, bool tty)
{
	while (*offset < total) {
		job_output o;
		if (jobs_output_range(d, id, *offset, 256 * 1024, &o) < 0)
			break;
		bool empty = o.len == 0;
		if (tty)
			cli_put_text(stdout, (const char *)o.data, o.len, 1);
		else
			fwrite(o.data, 1, o.len, stdout);
		*offset += (int64_t)o.len;
		job_output_release(&o);
		if (empty)
			break;
	}
	fflush(stdout);
}

/* Follows the job live until it ends; its outcome is the exit code. */
static int follow(db *d, int64_t id)
{
	bool tty = isatty(STDOUT_FILENO);
	int64_t offset = 0;
	char channel[64];
	int known = jobs_output_channel(d, id, channel, sizeof channel);
	if (known < 0 || (known == 0 && db_listen(d, channel) < 0) || db_listen(d, "jobdeck_jobs") < 0)
		return cli_db_fail(d);
	signals_on_stop(on_int);
	for (;;) {
		job_detail j;
		if (jobs_get(d, id, &j) < 0) {
			if (db_failure(d) == DB_FAIL_CONNECT) {
				sleep(1);
				continue;
			}
			return cli_db_fail(d);
		}
		print_new_output(d, id, j.output_bytes, &offset, tty);
		if (ferror(stdout)) {   /* nobody reads any more (a closed pipe) */
			job_detail_release(&j);
			return EXIT_RUNTIME;
		}
		job_status st = j.row.status;
		if (st != JOB_RUNNING) {
			const char *note = j.nnotes ? j.notes[j.nnotes - 1] : "";
			cli_error("job %lld %s%s%s", (long long)id, job_status_name(st), *note ? ": " : "", note);
			job_detail_release(&j);
			return st == JOB_COMPLETED ? EXIT_OK : EXIT_RUNTIME;
		}
		job_detail_release(&j);
		if (interrupted) {
			cli_error("stopped following job %lld; it goes on (jobdeck show %lld)", (long long)id, (long long)id);
			return EXIT_RUNTIME;
		}
		struct pollfd p = { db_socket(d), POLLIN, 0 };
		if (p.fd >= 0)
			poll(&p, 1, 1000);
		else
			sleep(1);
		db_notifies(d, ignore_notify, NULL);
	}
}

/* ==== handing over ==== */

/* Ends the jobs gearmand did not take and says so; EXIT_RUNTIME. */
static int not_queued(db *d, const int64_t *ids, size_t n, const char *why, int64_t left)
{
	if (jobs_fail_unqueued(d, ids, n, why) < 0)
		cli_error("submit: %s", db_error(d));
	for (size_t i = 0; i < n; i++)
		printf("%lld\n", (long long)ids[i]);
	fflush(stdout);
	if (n == 1)
		cli_error("job %lld: Could not queue the job: %s", (long long)ids[0], why);
	else
		cli_error("%zu jobs (%lld to %lld): Could not queue the job: %s", n, (long long)ids[0],
			  (long long)ids[n - 1], why);
	if (left > 0)
		cli_error("submit: stopped; the other %lld job%s were not recorded", (long long)left, left == 1 ? "" : "s");
	return EXIT_RUNTIME;
}

/* Records the jobs and hands them to gearmand, SUBMIT_CHUNK at a time: one statement and
 * one pipelined hand-over per chunk. Prints each id; *last gets the last. Jobs gearmand did
 * not take end as Error with the reason, and nothing after them is recorded. */
static int hand_over_all(db *d, submission *s, const submit_probe *p, int64_t *last)
{
	size_t cap = s->count < SUBMIT_CHUNK ? (size_t)s->count : SUBMIT_CHUNK;
	int64_t *ids = xcalloc(cap, sizeof *ids), *failed = xcalloc(cap, sizeof *failed);
	bool *ok = xcalloc(cap, sizeof *ok);
	queue *q = queue_open(config_gearman_servers());
	int rc = EXIT_OK;
	for (int64_t done = 0; done < s->count && rc == EXIT_OK; done += (int64_t)cap) {
		size_t n = s->count - done < (int64_t)cap ? (size_t)(s->count - done) : cap;
		if (submit_record(d, s, p, n, ids) < 0) {
			cli_error("submit: %s", db_error(d));
			rc = EXIT_RUNTIME;
			break;
		}
		char qerr[600] = "";
		if (p->reachable)
			queue_submit_many(q, s->fn, ids, n, 5000, ok, qerr, sizeof qerr);
		size_t nfailed = 0, nok = 0;
		for (size_t i = 0; i < n; i++) {
			if (p->reachable && ok[i])
				ids[nok++] = ids[i];
			else
				failed[nfailed++] = ids[i];
		}
		for (size_t i = 0; i < nok; i++)
			printf("%lld\n", (long long)ids[i]);
		fflush(stdout);
		*last = ids[n - 1];
		if (nfailed)
			rc = not_queued(d, failed, nfailed, p->reachable ? qerr : p->error, s->count - done - (int64_t)n);
	}
	queue_close(q);
	free(ok);
	free(failed);
	free(ids);
	return rc;
}

struct paused_by {
	const char *route;
	char *by;
	size_t n;
};

static void note_paused(void *ctx, const char *route, const char *by, jd_time at)
{
	struct paused_by *p = ctx;
	(void)at;
	if (strcmp(route, p->route) == 0)
		snprintf(p->by, p->n, "%s", by);
}

/* Whether the submission's route is paused, and by whom. */
static bool route_paused(db *d, const submission *s, char *by, size_t n)
{
	struct paused_by p = { s->route, by, n };
	by[0] = '\0';
	return jobs_paused(d, s->ns, note_paused, &p) == 0 && by[0];
}

static int submit_run(cmd_ctx *c, void *state)
{
	struct submit_opts *o = state;
	submission *s = &o->s;
	tasks t = { NULL, 0 };
	char err[600];
	int rc = EXIT_OK;
	s->type = c->args[0];
	if (o->wait && s->count > 1)
		rc = cli_usage_error(c->cmd->name, "--wait follows one job; it cannot go with --count");
	else if (tasks_load(config_tasks_file(), !config_tasks_file_set(), &t, err, sizeof err) < 0)
		rc = (cli_error("submit: %s", err), EXIT_RUNTIME);
	else if (submission_check(s, &t, config_namespace(), err, sizeof err) < 0)
		rc = cli_usage_error(c->cmd->name, "%s", err);
	else if (submission_open_input(s, err, sizeof err) < 0)
		rc = (cli_error("submit: %s", err), EXIT_RUNTIME);
	db *d = rc == EXIT_OK ? cli_connect() : NULL;
	if (rc == EXIT_OK && !d)
		rc = EXIT_RUNTIME;
	if (d) {
		submit_probe p;
		int64_t last = 0;
		if (submit_prepare(d, s, config_gearman_servers(), &p) < 0)
			rc = (cli_error("submit: %s", db_error(d)), EXIT_RUNTIME);
		else
			rc = hand_over_all(d, s, &p, &last);
		char by[64];
		if (rc == EXIT_OK && route_paused(d, s, by, sizeof by))
			cli_error("%s: Paused by %s; it waits until 'jobdeck resume %s'", s->count == 1 ? "the job" : "the jobs",
				  by, s->route);
		else if (rc == EXIT_OK && p.no_worker && s->count == 1)
			cli_error("job %lld: " JOBS_WAITING_NOTE ": none is connected for %s", (long long)last, s->route);
		else if (rc == EXIT_OK && p.no_worker)
			cli_error("%lld jobs: " JOBS_WAITING_NOTE ": none is connected for %s", (long long)s->count, s->route);
		if (rc == EXIT_OK && o->wait)
			rc = follow(d, last);
		db_close(d);
	}
	tasks_release(&t);
	submission_release(s);
	return rc;
}

/* The types, from the registry, after the rest of the help. */
static void submit_help_types(FILE *f)
{
	fputs("\nTypes:\n", f);
	for (size_t i = 0; i < jobtypes_count; i++)
		fprintf(f, "  %-19s %s\n", jobtypes[i].name, jobtypes[i].help);
	fputs("  TASK                a task of the task file (JOBDECK_CONFIG), as command\n", f);
}

static const cmd_option submit_options[] = {
	{ "object", OPT_OBJECT, "ID", "the record the job concerns" },
	{ "param", OPT_PARAM, "KEY=VALUE", "a parameter of the type (again for more)" },
	{ "description", OPT_DESCRIPTION, "TEXT", "the job's name (default: the type's)" },
	{ "wait", OPT_WAIT, NULL, "follow the job and exit with its outcome (0 Completed, 1 Error)" },
	{ "count", OPT_COUNT, "N", "record N identical jobs, handed over in batches" },
	{ NULL, 0, NULL, NULL },
};

/* submit connects itself: everything it can check is checked first */
const command cmd_submit = {
	.name = "submit",
	.summary = "queue a job for the workers",
	.synopsis = "TYPE [--object ID] [--param KEY=VALUE]... [--description TEXT] [--wait | --count N]",
	.about = "Records a job as you and hands it to the workers through gearmand. Prints the job's\n"
		"id (each id, with --count). Every parameter is checked by the type's rules first, so\n"
		"nothing invalid is recorded. A file parameter (csv-import's file) is read here, with\n"
		"your rights, and stored with the job: the worker reads it from the database, never\n"
		"from a path.\n",
	.options = submit_options,
	.min_args = 1,
	.max_args = 1,
	.state_size = sizeof(struct submit_opts),
	.init = submit_init,
	.option = submit_option,
	.run = submit_run,
	.help_more = submit_help_types,
};
