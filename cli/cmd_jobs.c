/* cmd_jobs.c — the commands that read and tidy jobs: list, show, clear, cancel, export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "jobs.h"
#include "kit.h"
#include "text.h"
#include "util.h"

/* ==== the tab and filter options of list and export ==== */

enum { OPT_ALL = OPT_LONG(1), OPT_ACTIVE, OPT_FAILED, OPT_FILTER, OPT_LIMIT, OPT_RAW, OPT_FORCE };

#define TAB_OPTIONS \
	{ "all", OPT_ALL, NULL, "every job you may see (the default)" }, \
	{ "active", OPT_ACTIVE, NULL, "running jobs only" }, \
	{ "failed", OPT_FAILED, NULL, "failed jobs only" }, \
	{ "filter", OPT_FILTER, "TEXT", "jobs whose name, info, user or type contain TEXT" }

/* 1 when key was a tab or filter option (taken into q), else 0. */
static int tab_option(jobs_query *q, int key, const char *value)
{
	switch (key) {
	case OPT_ALL: q->tab = JOBS_TAB_ALL; return 1;
	case OPT_ACTIVE: q->tab = JOBS_TAB_ACTIVE; return 1;
	case OPT_FAILED: q->tab = JOBS_TAB_FAILED; return 1;
	case OPT_FILTER: q->filter = value; return 1;
	default: return 0;
	}
}

/* ==== list ==== */

struct list_opts {
	jobs_query q;
	int64_t limit;
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
	if (tab_option(&o->q, key, value))
		return EXIT_OK;
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

static int list_run(cmd_ctx *c, void *state)
{
	struct list_opts *o = state;
	static const char *const heads[] = { "ID", "Start date", "End date", "Job name", "Status", "User", "Info" };
	static const int widths[] = { 8, 19, 19, 28, 9, 12, 0 };
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++)
		print_cell(heads[i], widths[i], i + 1 == ARRAY_SIZE(heads));
	putchar('\n');
	/* page through with keysets, so --limit 0 over millions of rows stays flat */
	int64_t shown = 0;
	jobs_cursor cur = { NULL, 0 };
	int rc = 0;
	for (;;) {
		int want = o->limit == 0 || o->limit - shown > 500 ? 500 : (int)(o->limit - shown);
		job_list l;
		if ((rc = jobs_page(c->d, &o->q, cur.key ? &cur : NULL, false, want, &l)) < 0)
			break;
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
	if (shown == 0)
		printf("There are no jobs to report on.\n");
	return EXIT_OK;
}

static const cmd_option list_options[] = {
	TAB_OPTIONS,
	{ "limit", OPT_LIMIT, "N", "at most N rows (default 50; 0: all)" },
	{ NULL, 0, NULL, NULL },
};

const command cmd_list = {
	.name = "list",
	.summary = "list jobs as a table",
	.synopsis = "[--all|--active|--failed] [--filter TEXT] [--limit N]",
	.about = "Lists the jobs you may see, newest first: all of them (the default), the running\n"
		"ones, or the failed ones; --filter keeps those whose name, info, user or type contain\n"
		"TEXT.\n",
	.options = list_options,
	.connects = true,
	.state_size = sizeof(struct list_opts),
	.init = list_init,
	.option = list_option,
	.run = list_run,
};

/* ==== show ==== */

struct show_opts {
	bool raw;
	int last_nl;
};

static int show_option(cmd_ctx *c, void *state, int key, const char *value)
{
	(void)c;
	(void)key;
	(void)value;
	((struct show_opts *)state)->raw = true;
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
	if (rc == 0) {
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
	{ NULL, 0, NULL, NULL },
};

/* show connects itself: a --raw to a terminal is refused before it does */
const command cmd_show = {
	.name = "show",
	.summary = "one job's details and console output",
	.synopsis = "[--raw] ID",
	.about = "Shows every detail of job ID and its full console output. Control characters and\n"
		"bytes that are not UTF-8, in the output and in every other field, are shown as\n"
		"visible placeholders. --raw writes the output exactly as stored, to a pipe or a\n"
		"file only (a terminal would act on its escapes). A job you may not see is reported\n"
		"as not found.\n",
	.options = show_options,
	.min_args = 1,
	.max_args = 1,
	.state_size = sizeof(struct show_opts),
	.option = show_option,
	.run = show_run,
};

/* ==== clear ==== */

static int yes_option(cmd_ctx *c, void *state, int key, const char *value)
{
	(void)c;
	(void)key;
	(void)value;
	*(bool *)state = true;
	return EXIT_OK;
}

/* Asks on the terminal; true for yes. */
static bool confirm_clear(db *d, int64_t n)
{
	printf("Clear %lld inactive job%s%s? Running jobs and other users' jobs stay. [y/N] ",
	       (long long)n, n == 1 ? "" : "s", db_is_admin(d) ? " (yours and command-line jobs)" : "");
	fflush(stdout);
	char line[16];
	return fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
}

static int clear_run(cmd_ctx *c, void *state)
{
	bool yes = *(bool *)state;
	if (!yes && !isatty(STDIN_FILENO)) {
		cli_error("clear: refusing to clear without a terminal to ask on; use --yes");
		return EXIT_USAGE;
	}
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int64_t n, removed;
	int rc = EXIT_OK;
	if (jobs_clear_count(d, &n) < 0) {
		rc = cli_db_fail(d);
	} else if (!yes && n == 0) {
		printf("You have no inactive jobs to clear.\n");
	} else if (!yes && !confirm_clear(d, n)) {
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

static const cmd_option clear_options[] = {
	{ "yes", 'y', NULL, "do not ask (needed without a terminal)" },
	{ NULL, 0, NULL, NULL },
};

/* clear connects itself: without a terminal and --yes it refuses before it does */
const command cmd_clear = {
	.name = "clear",
	.summary = "remove your inactive jobs",
	.synopsis = "[--yes]",
	.about = "Removes your completed and failed jobs, with their console output and the files they\n"
		"produced. An administrator's clear also removes inactive command-line jobs. Running\n"
		"jobs and other users' jobs always stay. Asks first on a terminal; without one it\n"
		"needs --yes.\n",
	.options = clear_options,
	.state_size = sizeof(bool),
	.option = yes_option,
	.run = clear_run,
};

/* ==== cancel ==== */

static int cancel_run(cmd_ctx *c, void *state)
{
	(void)state;
	for (int i = 0; i < c->nargs; i++)
		if (cli_job_id(c, c->args[i]) < 0)
			return EXIT_USAGE;
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int rc = EXIT_OK;
	for (int i = 0; i < c->nargs; i++) {
		long long id = (long long)parse_count(c->args[i]);
		jobs_cancel_result res;
		if (jobs_cancel(d, id, &res) < 0) {
			rc = cli_db_fail(d);
			break;
		}
		switch (res) {
		case JOBS_CANCEL_DONE:
			printf("job %lld: cancelled before it started\n", id);
			break;
		case JOBS_CANCEL_REQUESTED:
			printf("job %lld: its worker was asked to stop it\n", id);
			break;
		case JOBS_CANCEL_ENDED:
			cli_error("cancel: job %lld has already ended", id);
			rc = EXIT_RUNTIME;
			break;
		case JOBS_CANCEL_MISSING:
			cli_error("cancel: job %lld not found", id);
			rc = EXIT_RUNTIME;
			break;
		}
	}
	db_close(d);
	return rc;
}

/* cancel connects itself: every ID is checked first */
const command cmd_cancel = {
	.name = "cancel",
	.summary = "cancel jobs that are waiting or running",
	.synopsis = "ID...",
	.about = "Cancels jobs. One that has not started ends at once; a running one's worker stops it\n"
		"(a command gets SIGTERM, then SIGKILL five seconds later). Either way it ends as Error\n"
		"with an Info line naming who cancelled it. You may cancel your own jobs; an\n"
		"administrator may cancel any. Exits 1 when a job could not be cancelled (not found,\n"
		"or already ended).\n",
	.min_args = 1,
	.max_args = -1,
	.run = cancel_run,
};

/* ==== export ==== */

struct export_opts {
	jobs_query q;
	const char *path;
	bool force;
};

static void export_init(void *state)
{
	((struct export_opts *)state)->q = (jobs_query){ JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
}

static int export_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct export_opts *o = state;
	(void)c;
	if (tab_option(&o->q, key, value))
		return EXIT_OK;
	if (key == 'o')
		o->path = value;
	else
		o->force = true;
	return EXIT_OK;
}

static int export_run(cmd_ctx *c, void *state)
{
	struct export_opts *o = state;
	char def[64];
	if (!o->path) {
		export_default_name(def, sizeof def);
		o->path = def;
	}
	int64_t rows;
	char err[600];
	if (export_to_path(c->d, &o->q, o->path, o->force, &rows, err, sizeof err) < 0) {
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
	{ NULL, 0, NULL, NULL },
};

const command cmd_export = {
	.name = "export",
	.summary = "write the job history as CSV",
	.synopsis = "[--all|--active|--failed] [--filter TEXT] [-o FILE] [--force]",
	.about = "Writes the jobs you may see as CSV with the columns\n"
		"  " EXPORT_HEADER "\n"
		"Times are ISO 8601 with their offset; command-line jobs show the user 'Command line'.\n"
		"FILE defaults to jobdeck-job-history-YYYY-MM-DD.csv; '-' writes to standard output,\n"
		"where a terminal gets every cell through the sanitiser and a pipe the exact bytes.\n"
		"An existing file is never replaced without --force.\n",
	.options = export_options,
	.connects = true,
	.state_size = sizeof(struct export_opts),
	.init = export_init,
	.option = export_option,
	.run = export_run,
};
