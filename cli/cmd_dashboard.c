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
#include "prefs.h"
#include "session.h"
#include "util.h"

#include <term.h>   /* last: its macros (lines, columns...) would rename the fields above */

enum { OPT_INTERVAL = OPT_LONG(1), OPT_NO_COLOR, OPT_NO_COLOUR, OPT_NO_MOUSE, OPT_READONLY, OPT_NO_AUTO,
       OPT_CONFIG, OPT_AUTO, OPT_MOUSE };

/* The options as given; what the command line leaves unset comes from the settings file. */
struct dash_state {
	int interval;          /* 0: not given */
	int auto_on, mouse;    /* 0, 1; -1: not given */
	bool no_color, readonly;
	const char *config;    /* --config; NULL: the default file, if there is one */
};

static void dash_init(void *state)
{
	struct dash_state *o = state;
	o->auto_on = o->mouse = -1;
}

static int dash_option(cmd_ctx *c, void *state, int key, const char *value)
{
	struct dash_state *o = state;
	int64_t s;
	switch (key) {
	case OPT_INTERVAL:
		if ((s = parse_count(value)) < 1 || s > 3600)
			return cli_usage_error(c->cmd->name, "--interval takes whole seconds from 1 to 3600, not '%s'", value);
		o->interval = (int)s;
		break;
	case OPT_NO_COLOR: case OPT_NO_COLOUR: o->no_color = true; break;
	case OPT_MOUSE: case OPT_NO_MOUSE: o->mouse = key == OPT_MOUSE; break;
	case OPT_AUTO: case OPT_NO_AUTO: o->auto_on = key == OPT_AUTO; break;
	case OPT_READONLY: o->readonly = true; break;
	default: o->config = value; break;
	}
	return EXIT_OK;
}

/* Reads the settings file into p: the one --config names (which must exist), else the
 * default one when it exists. EXIT_OK, or EXIT_USAGE with the reason printed. */
static int load_settings(const struct dash_state *o, prefs *p)
{
	char err[512];
	char *path = o->config ? xstrdup(o->config) : config_settings_file();
	int rc = path ? prefs_load(path, !o->config, p, err, sizeof err) : 0;
	free(path);
	if (rc < 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The command line over the environment over the settings file over the defaults. */
static ui_options options_of(const struct dash_state *o, const prefs *p)
{
	ui_options u = { 5, config_color() && !o->no_color, true, o->readonly, true, p->filter, p->colour };
	if (p->interval)
		u.interval = p->interval;
	if (o->interval)
		u.interval = o->interval;
	if (p->auto_refresh >= 0)
		u.auto_on = p->auto_refresh;
	if (o->auto_on >= 0)
		u.auto_on = o->auto_on;
	if (p->mouse >= 0)
		u.mouse = p->mouse;
	if (o->mouse >= 0)
		u.mouse = o->mouse;
	config_set_export_dir(p->export_dir);
	return u;
}

static int dash_start(const struct dash_state *o, const prefs *p)
{
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
	ui_options uo = options_of(o, p);
	int rc = ui_dashboard(s, user, admin, &uo);
	int err = errno;
	session_stop(s);
	if (rc < 0) {
		cli_error("cannot start: %s", strerror(err));
		return EXIT_RUNTIME;
	}
	return rc;
}

static int dash_run(cmd_ctx *c, void *state)
{
	(void)c;
	const struct dash_state *o = state;
	/* a settings file that cannot serve is one line before anything else */
	prefs p;
	prefs_init(&p);
	int rc = load_settings(o, &p);
	if (rc == EXIT_OK)
		rc = dash_start(o, &p);
	config_set_export_dir(NULL);
	prefs_release(&p);
	return rc;
}

static const cmd_option dash_options[] = {
	{ "interval", OPT_INTERVAL, "SECONDS", "auto refresh period (default 5)" },
	{ "no-auto", OPT_NO_AUTO, NULL, "start with auto refresh off" },
	{ "auto", OPT_AUTO, NULL, "start with auto refresh on (the default)" },
	{ "no-color", OPT_NO_COLOR, NULL, "a monochrome screen (as NO_COLOR)" },
	{ "no-colour", OPT_NO_COLOUR, NULL, "the same" },
	{ "no-mouse", OPT_NO_MOUSE, NULL, "leave the terminal's mouse alone" },
	{ "mouse", OPT_MOUSE, NULL, "take the terminal's mouse (the default)" },
	{ "readonly", OPT_READONLY, NULL, "no clearing, cancelling or retrying" },
	{ "config", OPT_CONFIG, "FILE", "the settings file (default ~/.config/jobdeck/config)" },
	{ NULL, 0, NULL, NULL },
};

/* the dashboard connects itself: without a terminal it refuses before it does */
const command cmd_dashboard = {
	.name = "dashboard",
	.summary = "the terminal dashboard (the default)",
	.synopsis = "[--interval SECONDS] [--[no-]auto] [--no-color] [--[no-]mouse] [--readonly] [--config FILE]",
	.about = "The dashboard: the jobs you may see, live, with their details and console output.\n"
		"Auto refresh is on (live updates, and every 5 s as a fallback) unless --no-auto;\n"
		"--interval sets its period. --readonly removes clearing and cancelling.\n"
		"NO_COLOR or --no-color give a monochrome screen. Press ? inside for every key.\n"
		"Settings (interval, auto refresh, mouse, the filter at start, the export folder,\n"
		"colours) come from ~/.config/jobdeck/config ($XDG_CONFIG_HOME/jobdeck/config) or\n"
		"--config FILE; the command line and JOBDECK_EXPORT_DIR, NO_COLOR override it\n"
		"(--auto and --mouse turn on what the file turns off).\n",
	.options = dash_options,
	.state_size = sizeof(struct dash_state),
	.init = dash_init,
	.option = dash_option,
	.run = dash_run,
};
