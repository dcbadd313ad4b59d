/* actions.h — the keys that belong to the whole dashboard rather than to one view:
 * refresh, auto refresh and its period, help, quit, redraw. Key handlers for ui/keys.c;
 * each returns UI_* flags. */
#ifndef JOBDECK_UI_ACTIONS_H
#define JOBDECK_UI_ACTIONS_H

struct ui;

/* r: reads the view again now and restarts the auto refresh timer. */
int actions_refresh(struct ui *u);
/* a: auto refresh on or off (on: reads at once). */
int actions_auto(struct ui *u);
/* -, +: the auto refresh period one second shorter or longer (1 to 3600 s). */
int actions_faster(struct ui *u);
int actions_slower(struct ui *u);
/* ?: opens the help overlay at its top. */
int actions_help(struct ui *u);
/* q: quits. */
int actions_quit(struct ui *u);
/* Ctrl-L: repaints the whole terminal. */
int actions_redraw(struct ui *u);

#endif
