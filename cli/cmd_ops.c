/* cmd_ops.c — the commands that run the machinery: workers, queues, pause, resume, prune. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "jobs.h"
#include "jobtypes/jobtypes.h"
#include "jsonout.h"
#include "kit.h"
#include "metrics.h"
#include "queue.h"
#include "tasks.h"
#include "util.h"
#include "workers.h"

/* ==== workers ==== */

/* "4s", "3m", "2h" ago */
static void age(jd_time since, char *out, size_t n)
{
	int64_t s = (jd_now() - since) / 1000000;
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, n, "%llds", (long long)s);
	else if (s < 7200)
		snprintf(out, n, "%lldm", (long long)(s / 60));
	else
		snprintf(out, n, "%lldh", (long long)(s / 3600));
}

static void print_workers(const worker_list *l)
{
	printf("%-24s %-12s %7s %-7s %5s %6s %6s %5s  %-19s %-s\n", "WORKER", "HOST", "PID", "STATE", "PROCS",
	       "DONE", "FAILED", "BEAT", "STARTED", "JOBS / TYPES");
	for (size_t i = 0; i < l->n; i++) {
		const worker_row *w = &l->v[i];
		char beat[16], started[32];
		age(w->heartbeat_at, beat, sizeof beat);
		fmt_local(w->started_at, started, sizeof started);
		printf("%-24.24s %-12.12s %7d %-7s %5d %6lld %6lld %5s  %-19s ", w->id, w->host, w->pid,
		       worker_state_name(w->state), w->concurrency, (long long)w->completed, (long long)w->failed, beat,
		       started);
		if (w->current[0])
			printf("running %s; ", w->current);
		printf("%s\n", w->routes);
	}
	if (l->n == 0)
		printf("No worker has registered in the last day.\n");
}

static void print_throughput(const throughput *t)
{
	int64_t done = 0, failed = 0;
	for (int i = 0; i < THROUGHPUT_MINUTES; i++) {
		done += t->completed[i];
		failed += t->failed[i];
	}
	strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	workers_sparkline(t->completed, THROUGHPUT_MINUTES, &a);
	workers_sparkline(t->failed, THROUGHPUT_MINUTES, &b);
	printf("\nJobs ended per minute over the last hour (oldest left):\n");
	printf("  Completed %6lld |%s|\n", (long long)done, a.buf ? a.buf : "");
	printf("  Error     %6lld |%s|\n", (long long)failed, b.buf ? b.buf : "");
	if (t->waited)
		printf("Wait from queued to started, last 15 minutes (%lld jobs): p50 %.2f s, p95 %.2f s\n",
		       (long long)t->waited, t->wait_p50, t->wait_p95);
	else
		printf("No job started in the last 15 minutes.\n");
	sb_release(&a);
	sb_release(&b);
}

enum { OPT_JSON = OPT_LONG(1) };

/* --json: the option of workers and queues */
struct json_opt {
	bool json;
};

static int json_option(cmd_ctx *c, void *state, int key, const char *value)
{
	(void)c;
	(void)key;
	(void)value;
	((struct json_opt *)state)->json = true;
	return EXIT_OK;
}

static int workers_run(cmd_ctx *c, void *state)
{
	const struct json_opt *o = state;
	if (!db_is_admin(c->d)) {
		cli_error("workers: only administrators see the workers");
		return EXIT_RUNTIME;
	}
	worker_list l;
	throughput t;
	if (o->json) {
		if (workers_list(c->d, config_heartbeat_timeout(), &l) < 0)
			return cli_db_fail(c->d);
		FILE *f = cli_json_out();
		for (size_t i = 0; i < l.n; i++)
			jsonout_worker(f, &l.v[i]);
		cli_json_done(f);
		worker_list_release(&l);
		return EXIT_OK;
	}
	if (workers_list(c->d, config_heartbeat_timeout(), &l) < 0 || workers_throughput(c->d, &t) < 0)
		return cli_db_fail(c->d);
	print_workers(&l);
	print_throughput(&t);
	worker_list_release(&l);
	return EXIT_OK;
}

static const cmd_option json_options[] = {
	{ "json", OPT_JSON, NULL, "one JSON object per line, for scripts (jobdeck(1): JSON)" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_workers = {
	.name = "workers",
	.summary = "the workers, what they run, and how fast (administrators)",
	.synopsis = "[--json]",
	.about = "Lists every worker process that registered in the last day: its host and pid, state\n"
		"(idle, busy, paused: every type it serves is paused, lost: silent for\n"
		"JOBDECK_HEARTBEAT_TIMEOUT, stopped), its processes, jobs completed and failed since it\n"
		"started, its last beat, and what it runs. Then jobs ended per minute over the last\n"
		"hour and how long jobs waited for a worker, from the jobs' own times. --json writes\n"
		"one JSON object per worker and line instead, with the fields of the table.\n",
	.options = json_options,
	.connects = true,
	.state_size = sizeof(struct json_opt),
	.option = json_option,
	.run = workers_run,
};

/* ==== queues ==== */

struct queues_ctx {
	char prefix[80];           /* NAMESPACE: */
	strbuf lines;              /* the functions of the server being read */
	FILE *json;                /* --json: where the objects go; NULL: the table */
	char **paused;             /* --json: the paused routes */
	size_t npaused;
};

static bool is_paused(const struct queues_ctx *q, const char *route)
{
	for (size_t i = 0; i < q->npaused; i++)
		if (strcmp(q->paused[i], route) == 0)
			return true;
	return false;
}

static void queue_line(void *ctx, const char *function, const queue_fstat *st)
{
	struct queues_ctx *q = ctx;
	if (strncmp(function, q->prefix, strlen(q->prefix)) != 0)
		return;   /* another installation's */
	if (q->json) {
		sb_add(&q->lines, function, strlen(function) + 1);
		sb_add(&q->lines, st, sizeof *st);
		return;
	}
	sb_addf(&q->lines, "  %-40s %7lld %8lld %8lld\n", function, (long long)(st->total - st->running),
		(long long)st->running, (long long)st->workers);
}

/* --json: the functions of one server, held in lines as NAME NUL queue_fstat. */
static void queue_server_json(struct queues_ctx *q, const char *server, const char *error)
{
	if (error)
		cli_error("queues: gearmand %s: unreachable (%s)", server, error);
	for (size_t at = 0; at < q->lines.len;) {
		const char *fn = q->lines.buf + at;
		queue_fstat st;
		at += strlen(fn) + 1;
		memcpy(&st, q->lines.buf + at, sizeof st);
		at += sizeof st;
		const char *route = fn + strlen(q->prefix);
		jsonout_queue(q->json, server, fn, route, &st, is_paused(q, route));
	}
	sb_reset(&q->lines);
}

static void queue_server(void *sctx, const char *server, const char *error)
{
	struct queues_ctx *q = sctx;
	if (q->json) {
		queue_server_json(q, server, error);
		return;
	}
	if (error) {
		printf("gearmand %s: unreachable (%s)\n", server, error);
	} else {
		printf("gearmand %s: reachable\n", server);
		printf("  %-40s %7s %8s %8s\n", "FUNCTION", "QUEUED", "RUNNING", "WORKERS");
		fputs(q->lines.len ? q->lines.buf : "  (no function of this namespace)\n", stdout);
	}
	sb_reset(&q->lines);
}

struct paused_ctx {
	const char *ns;
	int n;
};

static void paused_line(void *ctx, const char *route, const char *by, jd_time at)
{
	struct paused_ctx *p = ctx;
	char when[40];
	fmt_local(at, when, sizeof when);
	printf("  %s:%s, by %s since %s\n", p->ns, route, by, when);
	p->n++;
}

static void paused_route(void *ctx, const char *route, const char *by, jd_time at)
{
	struct queues_ctx *q = ctx;
	(void)by;
	(void)at;
	q->paused = xrealloc(q->paused, (q->npaused + 1) * sizeof *q->paused);
	q->paused[q->npaused++] = xstrdup(route);
}

/* One object per function of this namespace and server, with whether its route is paused. */
static int queues_json(cmd_ctx *c, struct queues_ctx *q)
{
	if (jobs_paused(c->d, config_namespace(), paused_route, q) < 0)
		return cli_db_fail(c->d);
	q->json = cli_json_out();
	int answered = queue_status_by_server(config_gearman_servers(), 2000, queue_server, q, queue_line, q);
	cli_json_done(q->json);
	sb_release(&q->lines);
	for (size_t i = 0; i < q->npaused; i++)
		free(q->paused[i]);
	free(q->paused);
	return answered > 0 ? EXIT_OK : EXIT_RUNTIME;
}

static int queues_run(cmd_ctx *c, void *state)
{
	const struct json_opt *o = state;
	struct queues_ctx q;
	memset(&q, 0, sizeof q);
	snprintf(q.prefix, sizeof q.prefix, "%s:", config_namespace());
	sb_init(&q.lines);
	if (o->json)
		return queues_json(c, &q);
	int answered = queue_status_by_server(config_gearman_servers(), 2000, queue_server, &q, queue_line, &q);
	sb_release(&q.lines);
	struct paused_ctx p = { config_namespace(), 0 };
	printf("\nPaused:\n");
	if (jobs_paused(c->d, config_namespace(), paused_line, &p) < 0)
		return cli_db_fail(c->d);
	if (!p.n)
		printf("  nothing\n");
	return answered > 0 ? EXIT_OK : EXIT_RUNTIME;
}

const command cmd_queues = {
	.name = "queues",
	.summary = "gearmand's queues for this namespace, and what is paused",
	.synopsis = "[--json]",
	.about = "Asks every gearmand of JOBDECK_GEARMAN for its status: whether it answers and, for\n"
		"each function of this namespace (NAMESPACE:TYPE), the jobs queued, running, and the\n"
		"workers connected. Then the paused job types. Exits 1 when no gearmand answers.\n"
		"--json writes one JSON object per function and server and line instead (server,\n"
		"function, route, queued, running, workers, paused); an unreachable server is one line\n"
		"on standard error.\n",
	.options = json_options,
	.connects = true,
	.state_size = sizeof(struct json_opt),
	.option = json_option,
	.run = queues_run,
};

/* ==== metrics ==== */

static int metrics_run(cmd_ctx *c, void *state)
{
	(void)state;
	strbuf out = STRBUF_INIT;
	/* collected whole first: a failure leaves standard output empty, so a textfile
	 * collector's file is never replaced by half a scrape */
	int rc = metrics_collect(c->d, config_gearman_servers(), config_namespace(), config_heartbeat_timeout(), &out);
	if (rc == 0)
		fwrite(out.buf ? out.buf : "", 1, out.len, stdout);
	sb_release(&out);
	if (rc < 0)
		return cli_db_fail(c->d);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

const command cmd_metrics = {
	.name = "metrics",
	.summary = "jobdeck's state for Prometheus (text exposition format)",
	.synopsis = "",
	.about = "Writes metrics in the Prometheus text format: jobs by status, jobs ended in the last\n"
		"minute, a histogram of how long the jobs that ended in the last hour ran, the age of\n"
		"the oldest job waiting to start, gearmand's queued, running and workers per function\n"
		"of this namespace (and whether each gearmand answered), and the workers by state.\n"
		"An administrator or a worker sees every job and the workers; a user their own jobs\n"
		"only, and no workers (jobdeck_scope_all says which). For node_exporter's textfile\n"
		"collector, see the README. Exits 1, writing nothing, when the database fails.\n",
	.connects = true,
	.run = metrics_run,
};

/* ==== pause, resume ==== */

/* The route TYPE names: a built-in type, command:TASK, or a task of the task file. */
static int route_of(const cmd_ctx *c, const char *type, char *out, size_t n)
{
	tasks t = { NULL, 0 };
	char err[600];
	if (tasks_load(config_tasks_file(), !config_tasks_file_set(), &t, err, sizeof err) < 0) {
		cli_error("%s: %s", c->cmd->name, err);
		return EXIT_RUNTIME;
	}
	int rc = EXIT_OK;
	if (jobtype_find(type) && strcmp(type, "command") != 0)
		snprintf(out, n, "%s", type);
	else if (strncmp(type, "command:", 8) == 0 && tasks_valid_name(type + 8))
		snprintf(out, n, "%s", type);
	else if (tasks_find(&t, type))
		queue_route("command", type, out, n);
	else
		rc = cli_usage_error(c->cmd->name, "unknown job type '%s' (a built-in type, a task, or command:TASK)", type);
	tasks_release(&t);
	return rc;
}

static int pause_or_resume(cmd_ctx *c, bool pause)
{
	char route[160];
	int rc = route_of(c, c->args[0], route, sizeof route);
	if (rc != EXIT_OK)
		return rc;
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int64_t waiting;
	const char *ns = config_namespace();
	if ((pause ? jobs_pause(d, ns, route, &waiting) : jobs_resume(d, ns, route, &waiting)) < 0) {
		rc = cli_db_fail(d);
	} else if (pause) {
		printf("Paused %s:%s: workers stop taking it within a second; %lld job%s wait%s.\n", ns, route,
		       (long long)waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "");
	} else {
		printf("Resumed %s:%s: workers take it again; %lld job%s wait%s for one.\n", ns, route,
		       (long long)waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "");
	}
	db_close(d);
	return rc;
}

static int pause_run(cmd_ctx *c, void *state)
{
	(void)state;
	return pause_or_resume(c, true);
}

static int resume_run(cmd_ctx *c, void *state)
{
	(void)state;
	return pause_or_resume(c, false);
}

/* pause and resume connect themselves: the type is checked first */
const command cmd_pause = {
	.name = "pause",
	.summary = "stop workers taking a job type (administrators)",
	.synopsis = "TYPE",
	.about = "Workers stop taking jobs of TYPE (a built-in type, a task, or command:TASK) within a\n"
		"second; gearmand keeps them, and they say \"Paused by NAME\" until 'jobdeck resume'.\n",
	.min_args = 1,
	.max_args = 1,
	.run = pause_run,
};

const command cmd_resume = {
	.name = "resume",
	.summary = "let workers take a paused job type again (administrators)",
	.synopsis = "TYPE",
	.about = "Workers take jobs of TYPE again, those that waited first.\n",
	.min_args = 1,
	.max_args = 1,
	.run = resume_run,
};

/* ==== prune ==== */

struct prune_opts {
	jd_time before;
	int status;               /* -1: completed and failed */
	bool dry_run, yes, given;
};

enum { OPT_OLDER = OPT_LONG(1), OPT_FAILED_ONLY, OPT_COMPLETED_ONLY, OPT_DRY_RUN };

static void prune_init(void *state)
{
	((struct prune_opts *)state)->status = -1;
}

static int prune_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct prune_opts *o = state;
	jd_time s;
	switch (key) {
	case OPT_OLDER:
		if ((s = parse_span(value)) < 0)
			return cli_usage_error(c->cmd->name, "--older-than takes a span such as 90d, 12h or 2w, not '%s'", value);
		o->before = jd_now() - s;
		o->given = true;
		return EXIT_OK;
	case OPT_FAILED_ONLY: o->status = JOB_ERROR; return EXIT_OK;
	case OPT_COMPLETED_ONLY: o->status = JOB_COMPLETED; return EXIT_OK;
	case OPT_DRY_RUN: o->dry_run = true; return EXIT_OK;
	default: o->yes = true; return EXIT_OK;
	}
}

static int prune_run(cmd_ctx *c, void *state)
{
	struct prune_opts *o = state;
	if (!o->given)
		return cli_usage_error(c->cmd->name, "expected --older-than SPAN");
	int64_t n, removed, total = 0;
	if (jobs_prune_count(c->d, o->before, o->status, &n) < 0)
		return cli_db_fail(c->d);
	const char *what = o->status == JOB_ERROR ? "failed " : o->status == JOB_COMPLETED ? "completed " : "";
	if (o->dry_run) {
		printf("%lld %sjob%s would be removed.\n", (long long)n, what, n == 1 ? "" : "s");
		return EXIT_OK;
	}
	/* batches of a thousand, each its own statement: pages and clears go on meanwhile */
	do {
		if (jobs_prune(c->d, o->before, o->status, 1000, &removed) < 0) {
			printf("Removed %lld job%s before the failure.\n", (long long)total, total == 1 ? "" : "s");
			return cli_db_fail(c->d);
		}
		total += removed;
	} while (removed > 0);
	jobs_output_purge(c->d, 0, NULL);
	printf("Removed %lld %sjob%s.\n", (long long)total, what, total == 1 ? "" : "s");
	return EXIT_OK;
}

static const cmd_option prune_options[] = {
	{ "older-than", OPT_OLDER, "SPAN", "jobs that ended longer ago than SPAN (90d, 12h, 2w, 30m)" },
	{ "failed", OPT_FAILED_ONLY, NULL, "failed jobs only" },
	{ "completed", OPT_COMPLETED_ONLY, NULL, "completed jobs only" },
	{ "dry-run", OPT_DRY_RUN, NULL, "say how many would go, remove nothing" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_prune = {
	.name = "prune",
	.summary = "remove old inactive jobs of every user (administrators)",
	.synopsis = "--older-than SPAN [--failed|--completed] [--dry-run]",
	.about = "Removes the inactive jobs of every user that ended longer ago than SPAN, with their\n"
		"console output, input files and downloads, a thousand at a time so the dashboard\n"
		"stays responsive. Running jobs always stay. Says how many went; --dry-run only says\n"
		"how many would. JOBDECK_RETENTION does the same by itself, in the workers' sweep.\n",
	.options = prune_options,
	.connects = true,
	.state_size = sizeof(struct prune_opts),
	.init = prune_init,
	.option = prune_option,
	.run = prune_run,
};
