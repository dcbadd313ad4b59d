/* actions.c — keys of the whole dashboard (see actions.h). */
#include "actions.h"

#include <curses.h>

#include "help.h"
#include "ui.h"

int actions_refresh(ui *u)
{
	ui_message(u, false, "%s", UI_REFRESHING);
	ui_request_view(u, SESSION_AT);
	u->refresh_seq = u->view_seq;
	ui_arm_timer(u);
	return UI_HANDLED | UI_REDRAW;
}

int actions_auto(ui *u)
{
	ui_model *m = &u->m;
	m->auto_on = !m->auto_on;
	ui_arm_timer(u);
	if (m->auto_on)
		ui_message(u, false, "Auto refresh on: live updates, and every %d s.", m->interval);
	else
		ui_message(u, false, "Auto refresh off: r refreshes.");
	return UI_HANDLED | UI_REDRAW | (m->auto_on ? UI_FETCH : 0);
}

static int set_interval(ui *u, int seconds)
{
	ui_model *m = &u->m;
	m->interval = seconds < 1 ? 1 : seconds > 3600 ? 3600 : seconds;
	ui_arm_timer(u);
	ui_message(u, false, "Auto refresh every %d s.", m->interval);
	return UI_HANDLED | UI_REDRAW;
}

int actions_faster(ui *u) { return set_interval(u, u->m.interval - 1); }
int actions_slower(ui *u) { return set_interval(u, u->m.interval + 1); }

int actions_help(ui *u)
{
	u->overlay = &help_view;
	u->m.help_scroll = 0;
	return UI_HANDLED | UI_REDRAW;
}

int actions_quit(ui *u)
{
	(void)u;
	return UI_HANDLED | UI_QUIT;
}

int actions_redraw(ui *u)
{
	(void)u;
	clearok(curscr, TRUE);
	return UI_HANDLED | UI_REDRAW;
}
