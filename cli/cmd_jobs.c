/* cmd_jobs.c — the commands that read and tidy jobs: list, show, clear, cancel, export,
 * download. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulk.h"
#include "config.h"
#include "download.h"
#include "export.h"
#include "jobs.h"
#include "jsonout.h"
#include "kit.h"
#include "text.h"
#include "util.h"

/* ==== the tab and filter options of list and export ==== */

enum { OPT_ALL = OPT_LONG(1), OPT_ACTIVE, OPT_FAILED, OPT_FILTER, OPT_LIMIT, OPT_RAW, OPT_FORCE, OPT_JSON,
       OPT_OUTPUT, OPT_FORMAT };

#define TAB_OPTIONS \
	{ "all", OPT_ALL, NULL, "every job you may see (the default)" }, \
	{ "active", OPT_ACTIVE, NULL, "running jobs only" }, \
	{ "failed", OPT_FAILED, NULL, "failed jobs only" }, \
	{ "filter", OPT_FILTER, "TEXT", "text, and fields: user:U type:T status:S since:2d record:R (-field: not)" }

/* 1 when key was a tab or filter option (taken into q), 0 when it was not, or a usage
 * error's exit code (above 1) for a filter that does not parse. */
static int tab_option(const cmd_ctx *c, jobs_query *q, int key, const char *value)
{
	char err[300];
	switch (key) {
	case OPT_ALL: q->tab = JOBS_TAB_ALL; return 1;
	case OPT_ACTIVE: q->tab = JOBS_TAB_ACTIVE; return 1;
	case OPT_FAILED: q->tab = JOBS_TAB_FAILED; return 1;
	case OPT_FILTER:
		if (jobs_filter_check(value, err, sizeof err) < 0)
			return cli_usage_error(c->cmd->name, "--filter: %s", err);
		q->filter = value;
		return 1;
	default: return 0;
	}
}

/* ==== list ==== */

struct list_opts {
	jobs_query q;
	int64_t limit;
	bool json;
};

static void list_init(void *state)
{
	struct list_opts *o = state;
	o->q = (jobs_query){ JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
	o->limit = 50;
}

static int list_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct list_opts *o = state;
	int t = tab_option(c, &o->q, key, value);
	if (t)
		return t == 1 ? EXIT_OK : t;
	if (key == OPT_JSON) {
		o->json = true;
		return EXIT_OK;
	}
	if ((o->limit = parse_count(value)) < 0)
		return cli_usage_error(c->cmd->name, "--limit takes a whole number, not '%s'", value);
	return EXIT_OK;
}

/* Pads or cuts a sanitised cell to width display columns (ASCII-width estimate for the CLI;
 * the dashboard measures wide characters properly). */
static void print_cell(const char *s, int width, int last)
{
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)s, strlen(s), &sb, 0);
	const char *t = sb.buf ? sb.buf : "";
	if (last) {
		fputs(t, stdout);
	} else {
		int cols = 0;
		const unsigned char *p = (const unsigned char *)t;
		while (*p && cols < width) {
			unsigned cp;
			int k = text_utf8_decode(p, strlen((const char *)p), &cp);
			int len = k > 0 ? k : 1;
			fwrite(p, 1, (size_t)len, stdout);
			p += len;
			cols++;
		}
		for (; cols < width + 2; cols++)
			putchar(' ');
	}
	sb_release(&sb);
}

static void list_row(const job_row *r)
{
	char start[32], end[32], info[160], id[24];
	fmt_local(r->created_at, start, sizeof start);
	fmt_local(r->completed_at, end, sizeof end);
	if (r->download_path) {
		char size[32];
		fmt_size(r->download_size, size, sizeof size);
		snprintf(info, sizeof info, "Download (%s)", size);
	} else {
		snprintf(info, sizeof info, "%s", r->first_info);
	}
	snprintf(id, sizeof id, "%lld", (long long)r->id);
	print_cell(id, 8, 0);
	print_cell(start, 19, 0);
	print_cell(end, 19, 0);
	print_cell(r->name, 28, 0);
	print_cell(job_status_name(r->status), 9, 0);
	print_cell(r->username ? r->username : JOBS_CMDLINE_USER, 12, 0);
	print_cell(info, 0, 1);
	putchar('\n');
}

static int list_json_row(void *ctx, const job_detail *j)
{
	jsonout_job(ctx, j);
	return ferror((FILE *)ctx) || ferror(stdout) ? 1 : 0;
}

/* One object a line, streamed from the database as export streams: memory stays flat. */
static int list_json(cmd_ctx *c, const struct list_opts *o)
{
	FILE *f = cli_json_out();
	int rc = jobs_each_detail(c->d, &o->q, o->limit, list_json_row, f);
	cli_json_done(f);
	return rc < 0 ? cli_db_fail(c->d) : EXIT_OK;
}

static int list_run(cmd_ctx *c, void *state)
{
	struct list_opts *o = state;
	if (o->json)
		return list_json(c, o);
	static const char *const heads[] = { "ID", "Start date", "End date", "Job name", "Status", "User", "Info" };
	static const int widths[] = { 8, 19, 19, 28, 9, 12, 0 };
	/* page through with keysets, so --limit 0 over millions of rows stays flat */
	int64_t shown = 0;
	jobs_cursor cur = { NULL, 0 };
	int rc = 0;
	for (;;) {
		int want = o->limit == 0 || o->limit - shown > 500 ? 500 : (int)(o->limit - shown);
		job_list l;
		if ((rc = jobs_page(c->d, &o->q, cur.key ? &cur : NULL, false, want, &l)) < 0)
			break;
		if (shown == 0 && l.n) {   /* the header only over rows: a script reading none gets nothing */
			for (size_t i = 0; i < ARRAY_SIZE(heads); i++)
				print_cell(heads[i], widths[i], i + 1 == ARRAY_SIZE(heads));
			putchar('\n');
		}
		for (size_t i = 0; i < l.n; i++)
			list_row(&l.rows[i]);
		shown += (int64_t)l.n;
		if (l.n > 0) {
			free(cur.key);
			cur.key = xstrdup(l.rows[l.n - 1].sort_key);
			cur.id = l.rows[l.n - 1].id;
		}
		int more = (int)l.n == want && (o->limit == 0 || shown < o->limit);
		job_list_release(&l);
		if (!more)
			break;
	}
	free(cur.key);
	if (rc < 0)
		return cli_db_fail(c->d);
	if (shown == 0)   /* said to a person; standard output stays empty for a script */
		fputs("There are no jobs to report on.\n", isatty(STDOUT_FILENO) ? stdout : stderr);
	return EXIT_OK;
}

static const cmd_option list_options[] = {
	TAB_OPTIONS,
	{ "limit", OPT_LIMIT, "N", "at most N rows (default 50; 0: all)" },
	{ "json", OPT_JSON, NULL, "one JSON object per job and line, for scripts (jobdeck(1): JSON)" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_list = {
	.name = "list",
	.summary = "list jobs as a table",
	.synopsis = "[--all|--active|--failed] [--filter TEXT] [--limit N] [--json]",
	.about = "Lists the jobs you may see, newest first: all of them (the default), the running\n"
		"ones, or the failed ones; --filter keeps those whose name, info, user or type contain\n"
		"TEXT. --json writes one JSON object per job and line (NDJSON) with every field, the\n"
		"job-controlled text exact.\n",
	.options = list_options,
	.connects = true,
	.state_size = sizeof(struct list_opts),
	.init = list_init,
	.option = list_option,
	.run = list_run,
};

/* ==== show ==== */

struct show_opts {
	bool raw, json, output;
	int last_nl;
};

static int show_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct show_opts *s = state;
	(void)c;
	(void)value;
	if (key == OPT_RAW)
		s->raw = true;
	else if (key == OPT_JSON)
		s->json = true;
	else
		s->output = true;
	return EXIT_OK;
}

static int show_chunk(void *ctx, const unsigned char *p, size_t n)
{
	struct show_opts *s = ctx;
	if (n == 0)
		return 0;
	if (s->raw)
		fwrite(p, 1, n, stdout);
	else
		cli_put_text(stdout, (const char *)p, n, 1);
	s->last_nl = p[n - 1] == '\n';
	return ferror(stdout) ? 1 : 0;
}

/* A job-controlled string on one line of show, through the sanitiser. */
static void show_text(const char *s)
{
	cli_put_text(stdout, s, strlen(s), 0);
}

/* "  Label:      value" with the value through the sanitiser. */
static void show_field(const char *label, const char *value)
{
	printf("  %-11s ", label);
	show_text(value);
	putchar('\n');
}

/* Every field of the job; every string in it came from a job or its submitter, so none
 * reaches standard output raw. */
static void show_details(int64_t id, const job_detail *j)
{
	char a[40], b[40], dur[32];
	printf("Job %lld: ", (long long)id);
	show_text(j->row.name);
	putchar('\n');
	show_field("Type:", j->row.type);
	printf("  Status:     %s\n", job_status_name(j->row.status));
	show_field("User:", j->row.username ? j->row.username : JOBS_CMDLINE_USER);
	if (j->record_identifier) {
		fputs("  Record:     ", stdout);
		show_text(j->record_identifier);
		fputs(" — ", stdout);
		show_text(j->record_title ? j->record_title : "");
		putchar('\n');
	}
	fmt_local(j->row.created_at, a, sizeof a);
	printf("  Started:    %s\n", a);
	fmt_local(j->row.completed_at, b, sizeof b);
	printf("  Ended:      %s\n", b);
	if (j->row.started_at != JD_TIME_NONE) {
		jd_time end = j->row.completed_at != JD_TIME_NONE ? j->row.completed_at : jd_now();
		fmt_duration(end - j->row.started_at, dur, sizeof dur);
		printf("  Duration:   %s\n", dur);
	}
	show_field("Worker:", j->worker ? j->worker : "-");
	if (j->cancel_requested_by) {
		fputs("  Cancel:     requested by ", stdout);
		show_text(j->cancel_requested_by);
		fputs("; the worker is stopping it\n", stdout);
	}
	printf("  Attempts:   %d of %d\n", j->attempts, j->max_attempts);
	if (j->row.download_path) {
		char size[32];
		fmt_size(j->row.download_size, size, sizeof size);
		fputs("  Download:   ", stdout);
		show_text(j->row.download_path);
		printf(" (%s)\n", size);
	}
	show_field("Parameters:", j->params ? j->params : "{}");
	for (size_t i = 0; i < j->nnotes; i++)
		show_field(i == 0 ? "Info:" : "", j->notes[i]);
}

static int show_run(cmd_ctx *c, void *state)
{
	struct show_opts *s = state;
	int64_t id = cli_job_id(c, c->args[0]);
	if (id < 0)
		return EXIT_USAGE;
	if (s->output && !s->json)
		return cli_usage_error(c->cmd->name, "--output goes with --json");
	if (s->raw && s->json)
		return cli_usage_error(c->cmd->name, "--raw and --json do not go together");
	if (s->raw && isatty(STDOUT_FILENO)) {
		fputs("jobdeck show: --raw writes the exact bytes, which a terminal would act on; "
		      "pipe or redirect it (| less, > FILE)\n", stderr);
		return EXIT_USAGE;
	}
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	job_detail j;
	int rc = jobs_get(d, id, &j);
	if (rc == 0 && s->json) {
		FILE *f = cli_json_out();
		if (s->output)
			rc = jsonout_job_output(f, d, &j);
		else
			jsonout_job(f, &j);
		cli_json_done(f);
		job_detail_release(&j);
	} else if (rc == 0) {
		show_details(id, &j);
		printf("\nConsole output (%lld bytes):\n", (long long)j.output_bytes);
		fflush(stdout);
		s->last_nl = 1;
		rc = jobs_output_each(d, id, show_chunk, s);
		if (!s->last_nl && !s->raw)
			putchar('\n');
		job_detail_release(&j);
	}
	if (rc < 0)
		cli_db_fail(d);
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

static const cmd_option show_options[] = {
	{ "raw", OPT_RAW, NULL, "the console output exactly as stored (to a pipe or a file only)" },
	{ "json", OPT_JSON, NULL, "the job as one JSON object, for scripts (jobdeck(1): JSON)" },
	{ "output", OPT_OUTPUT, NULL, "with --json: the console output too, its exact bytes escaped" },
	{ NULL, 0, NULL, NULL },
};

/* show connects itself: a --raw to a terminal is refused before it does */
const command cmd_show = {
	.name = "show",
	.summary = "one job's details and console output",
	.synopsis = "[--raw | --json [--output]] ID",
	.about = "Shows every detail of job ID and its full console output. Control characters and\n"
		"bytes that are not UTF-8, in the output and in every other field, are shown as\n"
		"visible placeholders. --raw writes the output exactly as stored, to a pipe or a\n"
		"file only (a terminal would act on its escapes). --json writes the job as one JSON\n"
		"object instead, with the console output as \"output\" when --output is given. A job\n"
		"you may not see is reported as not found.\n",
	.options = show_options,
	.min_args = 1,
	.max_args = 1,
	.state_size = sizeof(struct show_opts),
	.option = show_option,
	.run = show_run,
};

/* ==== acting on many: clear, cancel, retry ==== */

/* The options of clear, cancel and retry: IDs, or a tab and filter (the "chosen" jobs). */
struct act_opts {
	jobs_query q;
	bool chosen;             /* a tab or filter option was given */
	bool yes;
};

enum { OPT_YES = 'y' };

static void act_init(void *state)
{
	((struct act_opts *)state)->q = (jobs_query){ JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
}

static int act_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct act_opts *o = state;
	if (key == OPT_YES) {
		o->yes = true;
		return EXIT_OK;
	}
	int t = tab_option(c, &o->q, key, value);
	o->chosen = true;
	return t == 1 ? EXIT_OK : t;
}

/* Asks label on the terminal; true for yes. */
static bool confirm(const char *label)
{
	printf("%s [y/N] ", label);
	fflush(stdout);
	char line[16];
	return fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
}

/* "12 jobs will be cleared; ..." as a question. */
static bool confirm_plan(const char *text)
{
	char label[500];
	snprintf(label, sizeof label, "%s. Go on?", text);
	label[0] = (char)toupper((unsigned char)label[0]);
	return confirm(label);
}

/* A question needs a terminal, or --yes. EXIT_OK, or the usage error. */
static int can_ask(const cmd_ctx *c, const struct act_opts *o)
{
	if (o->yes || isatty(STDIN_FILENO))
		return EXIT_OK;
	cli_error("%s: refusing to %s without a terminal to ask on; use --yes", c->cmd->name, c->cmd->name);
	return EXIT_USAGE;
}

/* Plans action on the jobs of the query (or of the IDs), asks, acts, and says what happened. */
static int act_on_many(cmd_ctx *c, struct act_opts *o, bulk_action action, const int64_t *ids, size_t n)
{
	int rc = can_ask(c, o);
	if (rc != EXIT_OK)
		return rc;
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	bulk_plan p;
	char text[400];
	if ((ids ? bulk_plan_ids(d, action, ids, n, &p) : bulk_plan_query(d, action, &o->q, &p)) < 0) {
		rc = cli_db_fail(d);
		db_close(d);
		return rc;
	}
	bulk_plan_text(&p, text, sizeof text);
	bulk_result r;
	if (p.n == 0) {
		printf("Nothing to %s: %s.\n", bulk_verb(action), text);
		rc = ids ? EXIT_RUNTIME : EXIT_OK;
	} else if (!o->yes && !confirm_plan(text)) {
		printf("Nothing done.\n");
	} else if (bulk_run(d, &p, config_gearman_servers(), &r) < 0) {
		rc = cli_db_fail(d);
	} else {
		char skips[300];
		bulk_skips_text(&p, skips, sizeof skips);
		printf("%s %lld job%s", action == BULK_CLEAR ? "Cleared" : action == BULK_CANCEL ? "Cancelled" : "Retried",
		       (long long)r.done, r.done == 1 ? "" : "s");
		if (r.refused)
			printf("; %lld refused (changed meanwhile)", (long long)r.refused);
		printf("%s%s.\n", skips[0] ? "; skipped: " : "", skips);
		if (r.queued_failed) {
			cli_error("%s: %lld new job%s could not be handed to gearmand (%s); the workers' sweep will",
				  c->cmd->name, (long long)r.queued_failed, r.queued_failed == 1 ? "" : "s", r.error);
		}
		if (action == BULK_CLEAR)
			jobs_output_purge(d, 0, NULL);
		rc = (ids && (r.refused || p.n < n)) ? EXIT_RUNTIME : EXIT_OK;
	}
	bulk_plan_release(&p);
	db_close(d);
	return rc;
}

/* The IDs given as arguments; NULL with a usage error reported (or none given). */
static int64_t *id_args(cmd_ctx *c, size_t *n)
{
	int64_t *v = xcalloc((size_t)c->nargs + 1, sizeof *v);
	for (int i = 0; i < c->nargs; i++)
		if ((v[i] = cli_job_id(c, c->args[i])) < 0) {
			free(v);
			return NULL;
		}
	*n = (size_t)c->nargs;
	return v;
}

/* ==== clear ==== */

static int clear_all(struct act_opts *o)
{
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int64_t n, removed;
	int rc = EXIT_OK;
	char label[200];
	if (jobs_clear_count(d, &n) < 0) {
		rc = cli_db_fail(d);
	} else if (!o->yes && n == 0) {
		printf("You have no inactive jobs to clear.\n");
	} else if (!o->yes && (snprintf(label, sizeof label, "Clear %lld inactive job%s%s? Running jobs and other users' jobs stay.",
					   (long long)n, n == 1 ? "" : "s", db_is_admin(d) ? " (yours and command-line jobs)" : ""),
			       !confirm(label))) {
		printf("Nothing cleared.\n");
	} else if (jobs_clear(d, &removed) < 0) {
		rc = cli_db_fail(d);
	} else {
		printf("Cleared %lld job%s.\n", (long long)removed, removed == 1 ? "" : "s");
		/* their console output goes now too, rather than at some later purge */
		fflush(stdout);
		if (jobs_output_purge(d, 0, NULL) < 0)
			cli_error("clear: their console output is left for a later clear: %s", db_error(d));
	}
	db_close(d);
	return rc;
}

static int clear_run(cmd_ctx *c, void *state)
{
	struct act_opts *o = state;
	int rc = can_ask(c, o);
	if (rc != EXIT_OK)
		return rc;
	return o->chosen ? act_on_many(c, o, BULK_CLEAR, NULL, 0) : clear_all(o);
}

static const cmd_option clear_options[] = {
	{ "yes", OPT_YES, NULL, "do not ask (needed without a terminal)" },
	TAB_OPTIONS,
	{ NULL, 0, NULL, NULL },
};

/* clear connects itself: without a terminal and --yes it refuses before it does */
const command cmd_clear = {
	.name = "clear",
	.summary = "remove your inactive jobs",
	.synopsis = "[--yes] [--all|--active|--failed] [--filter TEXT]",
	.about = "Removes your completed and failed jobs, with their console output and the files they\n"
		"produced; with a tab or --filter, only those of them. An administrator's clear also\n"
		"removes inactive command-line jobs. Running jobs and other users' jobs always stay,\n"
		"and the question says how many are skipped and why. Asks first on a terminal;\n"
		"without one it needs --yes.\n",
	.options = clear_options,
	.state_size = sizeof(struct act_opts),
	.init = act_init,
	.option = act_option,
	.run = clear_run,
};

/* ==== cancel ==== */

/* One job, as before: says what became of it. */
static int cancel_one(db *d, int64_t id)
{
	jobs_cancel_result res;
	if (jobs_cancel(d, id, &res) < 0)
		return -1;
	switch (res) {
	case JOBS_CANCEL_DONE:
		printf("job %lld: cancelled before it started\n", (long long)id);
		return 0;
	case JOBS_CANCEL_REQUESTED:
		printf("job %lld: its worker was asked to stop it\n", (long long)id);
		return 0;
	case JOBS_CANCEL_REQUESTED_RUN:
		printf("job %lld: its command-line run was asked to stop it\n", (long long)id);
		return 0;
	case JOBS_CANCEL_ENDED:
		cli_error("cancel: job %lld has already ended", (long long)id);
		return 1;
	default:
		cli_error("cancel: job %lld not found", (long long)id);
		return 1;
	}
}

static int cancel_run(cmd_ctx *c, void *state)
{
	struct act_opts *o = state;
	if (o->chosen && c->nargs)
		return cli_usage_error(c->cmd->name, "give job IDs or a tab and filter, not both");
	if (o->chosen)
		return act_on_many(c, o, BULK_CANCEL, NULL, 0);
	if (!c->nargs)
		return cli_usage_error(c->cmd->name, "expected job IDs, or --active/--filter");
	size_t n;
	int64_t *ids = id_args(c, &n);
	if (!ids)
		return EXIT_USAGE;
	db *d = cli_connect();
	int rc = d ? EXIT_OK : EXIT_RUNTIME;
	for (size_t i = 0; d && i < n; i++) {
		int k = cancel_one(d, ids[i]);
		if (k < 0) {
			rc = cli_db_fail(d);
			break;
		}
		if (k > 0)
			rc = EXIT_RUNTIME;
	}
	if (d)
		db_close(d);
	free(ids);
	return rc;
}

static const cmd_option cancel_options[] = {
	TAB_OPTIONS,
	{ "yes", OPT_YES, NULL, "with a tab or filter: do not ask" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_cancel = {
	.name = "cancel",
	.summary = "cancel jobs that are waiting or running",
	.synopsis = "ID... | [--active] [--filter TEXT] [--yes]",
	.about = "Cancels jobs. One that has not started ends at once; a running one's worker stops it\n"
		"(a command gets SIGTERM, then SIGKILL five seconds later). Either way it ends as Error\n"
		"with an Info line naming who cancelled it. You may cancel your own jobs; an\n"
		"administrator may cancel any. With a tab or --filter instead of IDs, every running\n"
		"job among them, after a question. Exits 1 when a job could not be cancelled (not\n"
		"found, or already ended).\n",
	.options = cancel_options,
	.max_args = -1,
	.state_size = sizeof(struct act_opts),
	.init = act_init,
	.option = act_option,
	.run = cancel_run,
};

/* ==== retry ==== */

static int retry_run(cmd_ctx *c, void *state)
{
	struct act_opts *o = state;
	if (o->chosen && c->nargs)
		return cli_usage_error(c->cmd->name, "give job IDs or a tab and filter, not both");
	if (o->chosen)
		return act_on_many(c, o, BULK_RETRY, NULL, 0);
	if (!c->nargs)
		return cli_usage_error(c->cmd->name, "expected job IDs, or --failed/--filter");
	size_t n;
	int64_t *ids = id_args(c, &n);
	if (!ids)
		return EXIT_USAGE;
	db *d = cli_connect();
	jobs_retry_result *v = NULL;
	size_t k = 0;
	int rc = !d ? EXIT_RUNTIME : jobs_retry(d, ids, n, &v, &k) < 0 ? cli_db_fail(d) : EXIT_OK;
	for (size_t i = 0; i < k; i++) {
		long long id = (long long)v[i].old_id;
		switch (v[i].outcome) {
		case JOBS_RETRY_DONE:
			printf("job %lld: retried as job %lld\n", id, (long long)v[i].new_id);
			break;
		case JOBS_RETRY_NOT_FAILED:
			cli_error("retry: job %lld did not fail; only failed jobs are retried", id);
			rc = EXIT_RUNTIME;
			break;
		case JOBS_RETRY_CMDLINE:
			cli_error("retry: job %lld is a command-line run; no worker can run it again (run it with jobdeck run)", id);
			rc = EXIT_RUNTIME;
			break;
		case JOBS_RETRY_MISSING:
			cli_error("retry: job %lld not found", id);
			rc = EXIT_RUNTIME;
			break;
		}
	}
	bulk_result r;
	memset(&r, 0, sizeof r);
	bulk_hand_over(config_gearman_servers(), v, k, &r);
	if (r.queued_failed) {
		cli_error("retry: %lld new job%s could not be handed to gearmand (%s); the workers' sweep will",
			  (long long)r.queued_failed, r.queued_failed == 1 ? "" : "s", r.error);
		rc = EXIT_RUNTIME;
	}
	free(v);
	free(ids);
	if (d)
		db_close(d);
	return rc;
}

static const cmd_option retry_options[] = {
	TAB_OPTIONS,
	{ "yes", OPT_YES, NULL, "with a tab or filter: do not ask" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_retry = {
	.name = "retry",
	.summary = "run failed jobs again, as new jobs",
	.synopsis = "ID... | [--failed] [--filter TEXT] [--yes]",
	.about = "Records a new job for each failed job, with the same type, record, parameters and\n"
		"input file, owned by you; the new job says \"Retry of job N\" and the old one \"Retried\n"
		"as job M\". You retry your own jobs; an administrator any. A job that did not fail, and\n"
		"a command-line run, are refused with the reason. With a tab or --filter instead of\n"
		"IDs, every failed job among them, after a question.\n",
	.options = retry_options,
	.max_args = -1,
	.state_size = sizeof(struct act_opts),
	.init = act_init,
	.option = act_option,
	.run = retry_run,
};

/* ==== export ==== */

struct export_opts {
	jobs_query q;
	const char *path;
	bool force;
	export_format format;
};

static void export_init(void *state)
{
	((struct export_opts *)state)->q = (jobs_query){ JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
}

static int export_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct export_opts *o = state;
	int t = tab_option(c, &o->q, key, value);
	if (t)
		return t == 1 ? EXIT_OK : t;
	if (key == 'o') {
		o->path = value;
	} else if (key == OPT_FORMAT) {
		if (strcmp(value, "csv") == 0)
			o->format = EXPORT_CSV;
		else if (strcmp(value, "json") == 0)
			o->format = EXPORT_JSON;
		else
			return cli_usage_error(c->cmd->name, "--format takes csv or json, not '%s'", value);
	} else {
		o->force = true;
	}
	return EXIT_OK;
}

static int export_run(cmd_ctx *c, void *state)
{
	struct export_opts *o = state;
	char def[64];
	if (!o->path) {
		export_default_name(def, sizeof def);
		char *dot = strrchr(def, '.');
		if (o->format == EXPORT_JSON && dot)
			snprintf(dot, sizeof def - (size_t)(dot - def), ".ndjson");
		o->path = def;
	}
	int64_t rows;
	char err[600];
	if (export_to_path_as(c->d, &o->q, o->format, o->path, o->force, &rows, err, sizeof err) < 0) {
		cli_error("export: %s", err);
		return EXIT_RUNTIME;
	}
	if (strcmp(o->path, "-") != 0)
		printf("Exported %lld job%s to %s\n", (long long)rows, rows == 1 ? "" : "s", o->path);
	return EXIT_OK;
}

static const cmd_option export_options[] = {
	TAB_OPTIONS,
	{ "output", 'o', "FILE", "where to write ('-': standard output)" },
	{ "force", OPT_FORCE, NULL, "replace FILE if it exists" },
	{ "format", OPT_FORMAT, "FORMAT", "csv (the default) or json (one object per job and line)" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_export = {
	.name = "export",
	.summary = "write the job history as CSV or JSON",
	.synopsis = "[--all|--active|--failed] [--filter TEXT] [-o FILE] [--force] [--format csv|json]",
	.about = "Writes the jobs you may see as CSV with the columns\n"
		"  " EXPORT_HEADER "\n"
		"Times are ISO 8601 with their offset; command-line jobs show the user 'Command line'.\n"
		"FILE defaults to jobdeck-job-history-YYYY-MM-DD.csv; '-' writes to standard output,\n"
		"where a terminal gets every cell through the sanitiser and a pipe the exact bytes.\n"
		"An existing file is never replaced without --force. --format json writes one JSON\n"
		"object per job and line instead (NDJSON, the fields of list --json; the default\n"
		"file name ends in .ndjson).\n",
	.options = export_options,
	.connects = true,
	.state_size = sizeof(struct export_opts),
	.init = export_init,
	.option = export_option,
	.run = export_run,
};

/* ==== download ==== */

struct download_opts {
	const char *path;
	bool force;
};

static int download_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct download_opts *o = state;
	(void)c;
	if (key == 'o')
		o->path = value;
	else
		o->force = true;
	return EXIT_OK;
}

static int download_run(cmd_ctx *c, void *state)
{
	struct download_opts *o = state;
	int64_t id = cli_job_id(c, c->args[0]);
	if (id < 0)
		return EXIT_USAGE;
	bool to_stdout = o->path && strcmp(o->path, "-") == 0;
	if (to_stdout && isatty(STDOUT_FILENO)) {
		fputs("jobdeck download: -o - writes the file's exact bytes, which a terminal would act on; "
		      "pipe or redirect it (| less, > FILE)\n", stderr);
		return EXIT_USAGE;
	}
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int64_t bytes;
	char saved[1024], err[1200];
	int rc = download_to_path(d, id, o->path, o->force, &bytes, saved, sizeof saved, err, sizeof err);
	db_close(d);
	if (rc < 0) {
		cli_error("download: %s", err);
		return EXIT_RUNTIME;
	}
	if (!to_stdout) {
		printf("Saved %lld byte%s to ", (long long)bytes, bytes == 1 ? "" : "s");
		cli_put_text(stdout, saved, strlen(saved), 0);
		putchar('\n');
	}
	return EXIT_OK;
}

static const cmd_option download_options[] = {
	{ "output", 'o', "FILE", "where to save it ('-': standard output, a pipe or a file only)" },
	{ "force", OPT_FORCE, NULL, "replace FILE if it exists" },
	{ NULL, 0, NULL, NULL },
};

/* download connects itself: a -o - to a terminal is refused before it does */
const command cmd_download = {
	.name = "download",
	.summary = "save the file a job produced",
	.synopsis = "ID [-o FILE] [--force]",
	.about = "Saves the file job ID produced (a finding aid, an export, a report, a task's\n"
		"{output}) from the database, on any machine. FILE defaults to the file's stored name\n"
		"(<stem>-<id>.<ext>) in the current folder; '-' writes the exact bytes to standard\n"
		"output, to a pipe or a file only. An existing file is never replaced without --force,\n"
		"and a file appears only when whole. A job you may not see is reported as not found;\n"
		"a job that made no file, or whose file was made before files were stored in the\n"
		"database, says so.\n",
	.options = download_options,
	.min_args = 1,
	.max_args = 1,
	.state_size = sizeof(struct download_opts),
	.option = download_option,
	.run = download_run,
};
