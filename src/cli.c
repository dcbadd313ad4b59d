/* cli.c — the command-line tasks: migrate, user, demo-seed, list, show, clear, export. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "export.h"
#include "jobs.h"
#include "migrate.h"
#include "text.h"
#include "util.h"

extern const char demo_seed_sql[];

/* ==== shared ==== */

void cli_put_text(FILE *f, const char *s, size_t n, int keep_lines)
{
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)s, n, &sb, keep_lines);
	fwrite(sb.buf ? sb.buf : "", 1, sb.len, f);
	sb_release(&sb);
}

/* Formats a message onto standard error as one sanitised line: database errors and job
 * strings end up in these messages. */
__attribute__((format(printf, 1, 0)))
static void put_message(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	cli_put_text(stderr, s, (size_t)n, 0);
	free(s);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("jobdeck: ", stderr);
	va_start(ap, fmt);
	put_message(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "jobdeck %s: ", cmd);
	va_start(ap, fmt);
	put_message(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'jobdeck %s --help'.\n", cmd);
	return EXIT_USAGE;
}

db *cli_connect(void)
{
	db *d = db_open(config_conninfo);
	if (!db_connected(d)) {
		cli_error("%s", db_error(d));
		db_close(d);
		return NULL;
	}
	return d;
}

int cli_db_fail(db *d)
{
	cli_error("%s", db_error(d));
	return EXIT_RUNTIME;
}

/* getopt_long with the conventions every command shares: --help prints help and exits 0,
 * a bad option prints usage and returns EXIT_USAGE. Returns -1 at the end of options, '?'
 * for an error (already reported), 'h' for help (already printed). */
static int next_opt(int argc, char **argv, const char *shortopts, const struct option *longopts,
		    const char *help)
{
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h') {
		fputs(help, stdout);
		return 'h';
	}
	if (c == '?' || c == ':') {
		fprintf(stderr, "Try 'jobdeck %s --help'.\n", argv[0]);
		return '?';
	}
	return c;
}

#define OPT_DONE(c) ((c) == 'h' ? EXIT_OK : EXIT_USAGE)

/* Options that choose a tab and filter, shared by list and export. */
static int tab_option(int c, jobs_query *q)
{
	switch (c) {
	case 'A': q->tab = JOBS_TAB_ALL; return 1;
	case 'a': q->tab = JOBS_TAB_ACTIVE; return 1;
	case 'F': q->tab = JOBS_TAB_FAILED; return 1;
	case 'f': q->filter = optarg; return 1;
	default: return 0;
	}
}

#define TAB_LONGOPTS \
	{ "all", no_argument, NULL, 'A' }, \
	{ "active", no_argument, NULL, 'a' }, \
	{ "failed", no_argument, NULL, 'F' }, \
	{ "filter", required_argument, NULL, 'f' }, \
	{ "help", no_argument, NULL, 'h' }

/* ==== migrate ==== */

int cmd_migrate(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	static const char help[] =
		"usage: jobdeck migrate\n\n"
		"Creates or updates the jobdeck schema in the database. Safe to run again: each\n"
		"migration runs once, in its own transaction. Needs a role that may create roles\n"
		"and schemas (the database owner or a superuser).\n";
	int c;
	while ((c = next_opt(argc, argv, "h", lo, help)) != -1)
		return OPT_DONE(c);
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int applied, rc = migrate_run(d, &applied);
	if (rc < 0) {
		cli_db_fail(d);
	} else if (applied) {
		printf("applied %d migration%s; schema at version %d\n", applied, applied == 1 ? "" : "s",
		       migrate_version(d));
	} else {
		printf("schema up to date at version %d\n", migrate_version(d));
	}
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* ==== user ==== */

int cmd_user(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "admin", no_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	static const char help[] =
		"usage: jobdeck user add NAME [--admin]\n\n"
		"Creates a login role NAME that may use jobdeck, as an administrator with --admin.\n"
		"Only administrators may add users; the database checks this itself.\n";
	int c, admin = 0;
	while ((c = next_opt(argc, argv, "h", lo, help)) != -1) {
		if (c == 'a')
			admin = 1;
		else
			return OPT_DONE(c);
	}
	if (optind + 2 != argc || strcmp(argv[optind], "add") != 0)
		return cli_usage_error(argv[0], "expected: user add NAME [--admin]");
	const char *name = argv[optind + 1];
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

/* ==== demo-seed ==== */

int cmd_demo_seed(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	static const char help[] =
		"usage: jobdeck demo-seed\n\n"
		"Loads demonstration data: login roles admin (administrator), alice, bob and worker,\n"
		"a tree of archival records, and a few hundred past jobs with console output.\n"
		"Run as the database owner after 'jobdeck migrate'. Replaces earlier demo data.\n";
	int c;
	while ((c = next_opt(argc, argv, "h", lo, help)) != -1)
		return OPT_DONE(c);
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int rc = db_script(d, demo_seed_sql);
	if (rc < 0)
		cli_db_fail(d);
	else
		printf("demo data loaded: users admin, alice, bob, worker\n");
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* ==== list ==== */

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
			int len = 1;
			unsigned cp;
			int k = text_utf8_decode(p, strlen((const char *)p), &cp);
			if (k > 0)
				len = k;
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
	char start[32], end[32], info[160];
	fmt_local(r->created_at, start, sizeof start);
	fmt_local(r->completed_at, end, sizeof end);
	if (r->download_path) {
		char size[32];
		fmt_size(r->download_size, size, sizeof size);
		snprintf(info, sizeof info, "Download (%s)", size);
	} else {
		snprintf(info, sizeof info, "%s", r->first_info);
	}
	char id[24];
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

int cmd_list(int argc, char **argv)
{
	static const struct option lo[] = { TAB_LONGOPTS, { "limit", required_argument, NULL, 'n' }, { 0 } };
	static const char help[] =
		"usage: jobdeck list [--all|--active|--failed] [--filter TEXT] [--limit N]\n\n"
		"Lists the jobs you may see, newest first: all of them (the default), the running\n"
		"ones, or the failed ones; --filter keeps those whose name, info or user contain\n"
		"TEXT. At most N rows (default 50; 0 for all).\n";
	jobs_query q = { JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
	int64_t limit = 50;
	int c;
	while ((c = next_opt(argc, argv, "h", lo, help)) != -1) {
		if (tab_option(c, &q))
			continue;
		if (c == 'n') {
			if ((limit = parse_count(optarg)) < 0)
				return cli_usage_error(argv[0], "--limit takes a whole number, not '%s'", optarg);
			continue;
		}
		return OPT_DONE(c);
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	print_cell("ID", 8, 0);
	print_cell("Start date", 19, 0);
	print_cell("End date", 19, 0);
	print_cell("Job name", 28, 0);
	print_cell("Status", 9, 0);
	print_cell("User", 12, 0);
	print_cell("Info", 0, 1);
	putchar('\n');
	/* page through with keysets, so --limit 0 over millions of rows stays flat */
	int64_t shown = 0;
	jobs_cursor cur = { NULL, 0 };
	int rc = 0;
	for (;;) {
		int want = limit == 0 || limit - shown > 500 ? 500 : (int)(limit - shown);
		job_list l;
		if ((rc = jobs_page(d, &q, cur.key ? &cur : NULL, false, want, &l)) < 0)
			break;
		for (size_t i = 0; i < l.n; i++)
			list_row(&l.rows[i]);
		shown += (int64_t)l.n;
		if (l.n > 0) {
			free(cur.key);
			cur.key = xstrdup(l.rows[l.n - 1].sort_key);
			cur.id = l.rows[l.n - 1].id;
		}
		int more = (int)l.n == want && (limit == 0 || shown < limit);
		job_list_release(&l);
		if (!more)
			break;
	}
	free(cur.key);
	if (rc < 0) {
		cli_db_fail(d);
	} else if (shown == 0) {
		printf("There are no jobs to report on.\n");
	}
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* ==== show ==== */

struct show_ctx {
	int raw;
	int last_nl;
};

static int show_chunk(void *ctx, const unsigned char *p, size_t n)
{
	struct show_ctx *s = ctx;
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

int cmd_show(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "raw", no_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	static const char help[] =
		"usage: jobdeck show [--raw] ID\n\n"
		"Shows every detail of job ID and its full console output. Control characters and\n"
		"bytes that are not UTF-8, in the output and in every other field, are shown as\n"
		"visible placeholders. --raw writes the output exactly as stored, to a pipe or a\n"
		"file only (a terminal would act on its escapes). A job you may not see is reported\n"
		"as not found.\n";
	int c, raw = 0;
	while ((c = next_opt(argc, argv, "h", lo, help)) != -1) {
		if (c == 'r')
			raw = 1;
		else
			return OPT_DONE(c);
	}
	if (optind + 1 != argc)
		return cli_usage_error(argv[0], "expected one job ID");
	int64_t id = parse_count(argv[optind]);
	if (id <= 0)
		return cli_usage_error(argv[0], "'%s' is not a job ID", argv[optind]);
	if (raw && isatty(STDOUT_FILENO)) {
		fputs("jobdeck show: --raw writes the exact bytes, which a terminal would act on; "
		      "pipe or redirect it (| less, > FILE)\n", stderr);
		return EXIT_USAGE;
	}
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	job_detail j;
	if (jobs_get(d, id, &j) < 0) {
		cli_db_fail(d);
		db_close(d);
		return EXIT_RUNTIME;
	}
	char a[40], b[40], dur[32];
	fmt_local(j.row.created_at, a, sizeof a);
	/* every string here came from a job or its submitter: none reaches stdout raw */
	printf("Job %lld: ", (long long)id);
	show_text(j.row.name);
	putchar('\n');
	show_field("Type:", j.row.type);
	printf("  Status:     %s\n", job_status_name(j.row.status));
	show_field("User:", j.row.username ? j.row.username : JOBS_CMDLINE_USER);
	if (j.record_identifier) {
		fputs("  Record:     ", stdout);
		show_text(j.record_identifier);
		fputs(" — ", stdout);
		show_text(j.record_title ? j.record_title : "");
		putchar('\n');
	}
	printf("  Started:    %s\n", a);
	fmt_local(j.row.completed_at, b, sizeof b);
	printf("  Ended:      %s\n", b);
	if (j.row.started_at != JD_TIME_NONE) {
		jd_time end = j.row.completed_at != JD_TIME_NONE ? j.row.completed_at : jd_now();
		fmt_duration(end - j.row.started_at, dur, sizeof dur);
		printf("  Duration:   %s\n", dur);
	}
	show_field("Worker:", j.worker ? j.worker : "-");
	if (j.cancel_requested_by) {
		fputs("  Cancel:     requested by ", stdout);
		show_text(j.cancel_requested_by);
		fputs("; the worker is stopping it\n", stdout);
	}
	printf("  Attempts:   %d of %d\n", j.attempts, j.max_attempts);
	if (j.row.download_path) {
		char size[32];
		fmt_size(j.row.download_size, size, sizeof size);
		fputs("  Download:   ", stdout);
		show_text(j.row.download_path);
		printf(" (%s)\n", size);
	}
	show_field("Parameters:", j.params ? j.params : "{}");
	for (size_t i = 0; i < j.nnotes; i++)
		show_field(i == 0 ? "Info:" : "", j.notes[i]);
	printf("\nConsole output (%lld bytes):\n", (long long)j.output_bytes);
	fflush(stdout);
	struct show_ctx s = { raw, 1 };
	int rc = jobs_output_each(d, id, show_chunk, &s);
	if (!s.last_nl && !raw)
		putchar('\n');
	if (rc < 0)
		cli_db_fail(d);
	job_detail_release(&j);
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* ==== clear ==== */

int cmd_clear(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "yes", no_argument, NULL, 'y' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	static const char help[] =
		"usage: jobdeck clear [--yes]\n\n"
		"Removes your completed and failed jobs, with their console output and the files they\n"
		"produced. An administrator's clear also removes inactive command-line jobs. Running\n"
		"jobs and other users' jobs always stay. Asks first on a terminal; without one it\n"
		"needs --yes.\n";
	int c, yes = 0;
	while ((c = next_opt(argc, argv, "hy", lo, help)) != -1) {
		if (c == 'y')
			yes = 1;
		else
			return OPT_DONE(c);
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if (!yes && !isatty(STDIN_FILENO)) {
		cli_error("clear: refusing to clear without a terminal to ask on; use --yes");
		return EXIT_USAGE;
	}
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int64_t n;
	if (jobs_clear_count(d, &n) < 0) {
		cli_db_fail(d);
		db_close(d);
		return EXIT_RUNTIME;
	}
	if (!yes) {
		if (n == 0) {
			printf("You have no inactive jobs to clear.\n");
			db_close(d);
			return EXIT_OK;
		}
		printf("Clear %lld inactive job%s%s? Running jobs and other users' jobs stay. [y/N] ",
		       (long long)n, n == 1 ? "" : "s",
		       db_is_admin(d) ? " (yours and command-line jobs)" : "");
		fflush(stdout);
		char line[16];
		if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y')) {
			printf("Nothing cleared.\n");
			db_close(d);
			return EXIT_OK;
		}
	}
	int64_t removed;
	int rc = jobs_clear(d, &removed);
	if (rc < 0)
		cli_db_fail(d);
	else
		printf("Cleared %lld job%s.\n", (long long)removed, removed == 1 ? "" : "s");
	/* their console output goes now too, rather than at some later purge */
	if (rc == 0) {
		fflush(stdout);
		if (jobs_output_purge(d, 0, NULL) < 0)
			cli_error("clear: their console output is left for a later clear: %s", db_error(d));
	}
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* ==== cancel ==== */

int cmd_cancel(int argc, char **argv)
{
	static const struct option lo[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	static const char help[] =
		"usage: jobdeck cancel ID...\n\n"
		"Cancels jobs. One that has not started ends at once; a running one's worker stops it\n"
		"(a command gets SIGTERM, then SIGKILL five seconds later). Either way it ends as Error\n"
		"with an Info line naming who cancelled it. You may cancel your own jobs; an\n"
		"administrator may cancel any. Exits 1 when a job could not be cancelled (not found,\n"
		"or already ended).\n";
	int c;
	while ((c = next_opt(argc, argv, "h", lo, help)) != -1)
		return OPT_DONE(c);
	if (optind >= argc)
		return cli_usage_error(argv[0], "expected at least one job ID");
	for (int i = optind; i < argc; i++)
		if (parse_count(argv[i]) <= 0)
			return cli_usage_error(argv[0], "'%s' is not a job ID", argv[i]);
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		int64_t id = parse_count(argv[i]);
		jobs_cancel_result res;
		if (jobs_cancel(d, id, &res) < 0) {
			cli_db_fail(d);
			rc = EXIT_RUNTIME;
			break;
		}
		switch (res) {
		case JOBS_CANCEL_DONE:
			printf("job %lld: cancelled before it started\n", (long long)id);
			break;
		case JOBS_CANCEL_REQUESTED:
			printf("job %lld: its worker was asked to stop it\n", (long long)id);
			break;
		case JOBS_CANCEL_ENDED:
			cli_error("cancel: job %lld has already ended", (long long)id);
			rc = EXIT_RUNTIME;
			break;
		case JOBS_CANCEL_MISSING:
			cli_error("cancel: job %lld not found", (long long)id);
			rc = EXIT_RUNTIME;
			break;
		}
	}
	db_close(d);
	return rc;
}

/* ==== export ==== */

int cmd_export(int argc, char **argv)
{
	static const struct option lo[] = {
		TAB_LONGOPTS, { "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'x' }, { 0 }
	};
	static const char help[] =
		"usage: jobdeck export [--all|--active|--failed] [--filter TEXT] [-o FILE] [--force]\n\n"
		"Writes the jobs you may see as CSV with the columns\n"
		"  " EXPORT_HEADER "\n"
		"Times are ISO 8601 with their offset; command-line jobs show the user 'Command line'.\n"
		"FILE defaults to jobdeck-job-history-YYYY-MM-DD.csv; '-' writes to standard output.\n"
		"An existing file is never replaced without --force.\n";
	jobs_query q = { JOBS_TAB_ALL, NULL, JOBS_SORT_START, false };
	const char *path = NULL;
	int c, force = 0;
	while ((c = next_opt(argc, argv, "ho:", lo, help)) != -1) {
		if (tab_option(c, &q))
			continue;
		if (c == 'o')
			path = optarg;
		else if (c == 'x')
			force = 1;
		else
			return OPT_DONE(c);
	}
	if (optind < argc)
		return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	char def[64];
	if (!path) {
		export_default_name(def, sizeof def);
		path = def;
	}
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	int64_t rows;
	char err[600];
	int rc = export_to_path(d, &q, path, force, &rows, err, sizeof err);
	if (rc < 0)
		cli_error("export: %s", err);
	else if (strcmp(path, "-") != 0)
		printf("Exported %lld job%s to %s\n", (long long)rows, rows == 1 ? "" : "s", path);
	db_close(d);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}
