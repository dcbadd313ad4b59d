/* cmd_dashboard.c — `jobdeck [dashboard]`: its options, its checks, its connection.
 *
 * The one file under ui/ that uses the command layer (cli_*) and the database (db_*): it
 * turns the command line into ui_options, opens the connection, hands it to a session and
 * runs the dashboard on it. It belongs with the other commands and moves out of ui/ when
 * the command line gets a layer of its own; the rest of ui/ sees only the session. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "session.h"
#include "ui/dashboard.h"

static const char help[] =
	"usage: jobdeck [--db CONNINFO] [--interval SECONDS] [--no-auto] [--no-color]\n"
	"               [--no-mouse] [--readonly]\n\n"
	"The dashboard: the jobs you may see, live, with their details and console output.\n"
	"Auto refresh is on (live updates, and every 5 s as a fallback) unless --no-auto;\n"
	"--interval sets its period. --readonly removes clearing and cancelling.\n"
	"NO_COLOR or --no-color give a monochrome screen. Press ? inside for every key.\n";

/* Fills o from the command line. -1 when the caller should return *rc (help printed, or a
 * usage error reported), else 0. */
static int parse_options(int argc, char **argv, ui_options *o, int *rc)
{
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "no-mouse", no_argument, NULL, 'M' },
		{ "readonly", no_argument, NULL, 'r' },
		{ "no-auto", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'i': {
			int64_t s = parse_count(optarg);
			if (s < 1 || s > 3600) {
				*rc = cli_usage_error("dashboard", "--interval takes whole seconds from 1 to 3600, not '%s'",
						      optarg);
				return -1;
			}
			o->interval = (int)s;
			break;
		}
		case 'C': o->color = false; break;
		case 'M': o->mouse = false; break;
		case 'r': o->readonly = true; break;
		case 'A': o->auto_on = false; break;
		case 'h':
			fputs(help, stdout);
			*rc = EXIT_OK;
			return -1;
		default:
			fprintf(stderr, "Try 'jobdeck --help'.\n");
			*rc = EXIT_USAGE;
			return -1;
		}
	}
	if (optind < argc) {
		*rc = cli_usage_error("dashboard", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

int cmd_dashboard(int argc, char **argv)
{
	ui_options o = { 5, !getenv("NO_COLOR") || !*getenv("NO_COLOR"), true, false, true };
	int rc;
	if (parse_options(argc, argv, &o, &rc) < 0)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the dashboard needs a terminal; 'jobdeck list' prints jobs without one");
		return EXIT_USAGE;
	}
	setlocale(LC_ALL, "");
	/* the first connection is made here so that a wrong database or role is one clear
	 * line before the screen opens, not a dashboard that can never connect */
	db *d = cli_connect();
	if (!d)
		return EXIT_RUNTIME;
	char user[64];
	snprintf(user, sizeof user, "%s", db_user(d));
	bool admin = db_is_admin(d);
	session *s = session_start(d);
	if (!s) {
		cli_error("cannot start the database thread: %s", strerror(errno));
		db_close(d);
		return EXIT_RUNTIME;
	}
	rc = ui_dashboard(s, user, admin, &o);
	int err = errno;
	session_stop(s);
	if (rc < 0) {
		cli_error("cannot start: %s", strerror(err));
		return EXIT_RUNTIME;
	}
	return rc;
}
