/* kit.c — see kit.h. */
#include "kit.h"

#include <getopt.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "jsonout.h"
#include "text.h"
#include "util.h"

/* ==== messages ==== */

void cli_put_text(FILE *f, const char *s, size_t n, int keep_lines)
{
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)s, n, &sb, keep_lines);
	fwrite(sb.buf ? sb.buf : "", 1, sb.len, f);
	sb_release(&sb);
}

FILE *cli_json_out(void)
{
	FILE *f = isatty(STDOUT_FILENO) ? jsonout_screen(stdout) : NULL;
	return f ? f : stdout;
}

void cli_json_done(FILE *f)
{
	if (f != stdout)
		fclose(f);
	fflush(stdout);
}

/* Formats a message onto standard error as one sanitised line: database errors and job
 * strings end up in these messages. */
__attribute__((format(printf, 1, 0)))
static void put_message(const char *fmt, va_list ap)
{
	char *s = xvasprintf(fmt, ap);
	cli_put_text(stderr, s, strlen(s), 0);
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

int64_t cli_job_id(const cmd_ctx *c, const char *s)
{
	int64_t id = parse_count(s);
	if (id > 0)
		return id;
	cli_usage_error(c->cmd->name, "'%s' is not a job ID", s);
	return -1;
}

/* ==== help ==== */

static const cmd_option help_option = { "help", 'h', NULL, "this help" };

static void option_line(const cmd_option *o, FILE *f)
{
	char left[64];
	int n = o->key > 0 && o->key < 256 ? snprintf(left, sizeof left, "-%c, --%s", o->key, o->name)
					   : snprintf(left, sizeof left, "    --%s", o->name);
	if (o->arg && n > 0 && (size_t)n < sizeof left)
		snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg);
	fprintf(f, "  %-24s %s\n", left, o->help);
}

void kit_help(const command *cmd, FILE *f)
{
	fprintf(f, "usage: jobdeck %s%s%s\n\n%s", cmd->name, cmd->synopsis[0] ? " " : "", cmd->synopsis,
		cmd->about);
	fputs("\nOptions:\n", f);
	for (const cmd_option *o = cmd->options; o && o->name; o++)
		option_line(o, f);
	option_line(&help_option, f);
	if (cmd->help_more)
		cmd->help_more(f);
}

/* ==== running a command ==== */

/* getopt_long's tables from the command's options (and --help). Caller frees both. */
static struct option *long_options(const command *cmd, char **shortopts)
{
	size_t n = 0;
	for (const cmd_option *o = cmd->options; o && o->name; o++)
		n++;
	struct option *lo = xcalloc(n + 2, sizeof *lo);
	strbuf so = STRBUF_INIT;
	sb_adds(&so, cmd->stop_at_args ? "+:h" : ":h");
	for (size_t i = 0; i < n; i++) {
		const cmd_option *o = &cmd->options[i];
		lo[i] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->key };
		if (o->key > 0 && o->key < 256) {
			sb_addc(&so, (char)o->key);
			if (o->arg)
				sb_addc(&so, ':');
		}
	}
	lo[n] = (struct option){ help_option.name, no_argument, NULL, 'h' };
	*shortopts = sb_detach(&so);
	return lo;
}

/* Parses argv into the command's state and c's arguments. EXIT_OK to go on, -1 when --help
 * was answered, else a usage error's exit code (reported). */
static int parse(const command *cmd, int argc, char **argv, void *state, cmd_ctx *c)
{
	char *shortopts;
	struct option *lo = long_options(cmd, &shortopts);
	int rc = EXIT_OK, key;
	opterr = 0;
	optind = 1;
	while (rc == EXIT_OK && (key = getopt_long(argc, argv, shortopts, lo, NULL)) != -1) {
		if (key == 'h') {
			kit_help(cmd, stdout);
			rc = -1;
		} else if (key == '?') {
			rc = cli_usage_error(cmd->name, "unknown option '%s'", argv[optind - 1]);
		} else if (key == ':') {
			rc = cli_usage_error(cmd->name, "option '%s' needs a value", argv[optind - 1]);
		} else {
			rc = cmd->option(c, state, key, optarg);
		}
	}
	free(lo);
	free(shortopts);
	if (rc != EXIT_OK)
		return rc;
	c->args = argv + optind;
	c->nargs = argc - optind;
	if (c->nargs < cmd->min_args)
		return cli_usage_error(cmd->name, "expected %s", cmd->synopsis);
	if (cmd->max_args >= 0 && c->nargs > cmd->max_args)
		return cli_usage_error(cmd->name, "unexpected argument '%s'", c->args[cmd->max_args]);
	return EXIT_OK;
}

int kit_run(const command *cmd, int argc, char **argv)
{
	void *state = xcalloc(1, cmd->state_size ? cmd->state_size : 1);
	if (cmd->init)
		cmd->init(state);
	cmd_ctx c = { cmd, NULL, 0, NULL };
	int rc = parse(cmd, argc, argv, state, &c);
	if (rc == EXIT_OK && cmd->connects && !(c.d = cli_connect()))
		rc = EXIT_RUNTIME;
	if (rc == EXIT_OK)
		rc = cmd->run(&c, state);
	if (c.d)
		db_close(c.d);
	free(state);
	return rc < 0 ? EXIT_OK : rc;
}
