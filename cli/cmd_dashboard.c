/* cmd_dashboard.c — `jobdeck [dashboard]`: its options, its checks, its connection; then the
 * dashboard (ui/) on a database session (src/session). */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dashboard.h"
#include "kit.h"
#include "session.h"
#include "util.h"

#include <term.h>   /* last: its macros (lines, columns...) would rename the fields above */

enum { OPT_INTERVAL = OPT_LONG(1), OPT_NO_COLOR, OPT_NO_COLOUR, OPT_NO_MOUSE, OPT_READONLY, OPT_NO_AUTO };

static void dash_init(void *state)
{
	*(ui_options *)state = (ui_options){ 5, config_color(), true, false, true };
}

static int dash_option(cmd_ctx *c, void *state, int key, const char *value)
{
	ui_options *o = state;
	int64_t s;
	switch (key) {
	case OPT_INTERVAL:
		if ((s = parse_count(value)) < 1 || s > 3600)
			return cli_usage_error(c->cmd->name, "--interval takes whole seconds from 1 to 3600, not '%s'", value);
		o->interval = (int)s;
		break;
	case OPT_NO_COLOR: case OPT_NO_COLOUR: o->color = false; break;
	case OPT_NO_MOUSE: o->mouse = false; break;
	case OPT_READONLY: o->readonly = true; break;
	default: o->auto_on = false; break;
	}
	return EXIT_OK;
}

static int dash_run(cmd_ctx *c, void *state)
{
	(void)c;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the dashboard needs a terminal; 'jobdeck list' prints jobs without one");
		return EXIT_USAGE;
	}
	setlocale(LC_ALL, "");
	/* a terminal that cannot move the cursor (TERM=dumb, unknown) cannot show a screen */
	int term_err = 0;
	const char *term = getenv("TERM");
	if (setupterm(NULL, STDOUT_FILENO, &term_err) != OK) {
		cli_error("the dashboard cannot use the terminal type '%s' (TERM): it is unknown here;"
			  " 'jobdeck list' prints jobs without a screen", term && *term ? term : "(unset)");
		return EXIT_RUNTIME;
	}
	char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		cli_error("TERM=%s cannot move the cursor, which the dashboard needs; 'jobdeck list'"
			  " prints jobs without it", term && *term ? term : "(unset)");
		del_curterm(cur_term);
		return EXIT_RUNTIME;
	}
	del_curterm(cur_term);
	cur_term = NULL;
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
	int rc = ui_dashboard(s, user, admin, state);
	int err = errno;
	session_stop(s);
	if (rc < 0) {
		cli_error("cannot start: %s", strerror(err));
		return EXIT_RUNTIME;
	}
	return rc;
}

static const cmd_option dash_options[] = {
	{ "interval", OPT_INTERVAL, "SECONDS", "auto refresh period (default 5)" },
	{ "no-auto", OPT_NO_AUTO, NULL, "start with auto refresh off" },
	{ "no-color", OPT_NO_COLOR, NULL, "a monochrome screen (as NO_COLOR)" },
	{ "no-colour", OPT_NO_COLOUR, NULL, "the same" },
	{ "no-mouse", OPT_NO_MOUSE, NULL, "leave the terminal's mouse alone" },
	{ "readonly", OPT_READONLY, NULL, "no clearing, cancelling or retrying" },
	{ NULL, 0, NULL, NULL },
};

/* the dashboard connects itself: without a terminal it refuses before it does */
const command cmd_dashboard = {
	.name = "dashboard",
	.summary = "the terminal dashboard (the default)",
	.synopsis = "[--interval SECONDS] [--no-auto] [--no-color] [--no-mouse] [--readonly]",
	.about = "The dashboard: the jobs you may see, live, with their details and console output.\n"
		"Auto refresh is on (live updates, and every 5 s as a fallback) unless --no-auto;\n"
		"--interval sets its period. --readonly removes clearing and cancelling.\n"
		"NO_COLOR or --no-color give a monochrome screen. Press ? inside for every key.\n",
	.options = dash_options,
	.state_size = sizeof(ui_options),
	.init = dash_init,
	.option = dash_option,
	.run = dash_run,
};
