/* dashboard.h — the dashboard's one entry point: run it on a database session. */
#ifndef JOBDECK_UI_DASHBOARD_H
#define JOBDECK_UI_DASHBOARD_H

#include <stdbool.h>

#include "prefs.h"
#include "session.h"

/* How the dashboard starts (the command line's options). */
typedef struct ui_options {
	int interval;          /* auto refresh period, seconds, 1 to 3600 */
	bool color;            /* false: monochrome */
	bool mouse;            /* false: leave the terminal's mouse alone */
	bool readonly;         /* no clearing, no cancelling */
	bool auto_on;          /* auto refresh on at start */
	const char *filter;    /* the filter at start; NULL: none */
	const prefs_colour *theme;   /* PREFS_NROLES colours (those not set: the defaults); or NULL */
} ui_options;

/* Runs the dashboard on the terminal (standard input and output, with the locale set by
 * setlocale(LC_ALL, "")) until the user quits or a signal ends it. Every query goes through
 * s, which stays the caller's to stop afterwards; user and admin say who s is connected as,
 * shown until the session reports its own state. The terminal is restored before it
 * returns, and on SIGINT, SIGTERM, SIGHUP and crashes. Returns 0 when the user quit,
 * 128 + N after signal N, 1 when its loop failed, or -1 with errno when it could not start
 * (nothing printed: the caller says so). */
int ui_dashboard(session *s, const char *user, bool admin, const ui_options *o);

#endif
