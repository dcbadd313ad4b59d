/* tabs.h — the tab line (All / Active / Failed jobs with their counts) and switching tabs. */
#ifndef JOBDECK_UI_TABS_H
#define JOBDECK_UI_TABS_H

#include "model.h"

struct ui;

/* Draws the tabs at y and records where each starts (for mouse clicks) in m->tab_x. */
void tabs_draw(ui_model *m, int y, int width);
/* A click on the tab line at column x: switches to the tab there; 0 when there is none. */
int tabs_click(struct ui *u, int x);
/* Switches to tab t (wrapping round at either end): the table from its top, focused; the
 * keys held for the old tab are dropped. */
void tabs_switch(struct ui *u, int t);

/* Key handlers (ui/keys.c), UI_* flags: 1, 2, 3; Tab and Shift-Tab. */
int tabs_first(struct ui *u);
int tabs_second(struct ui *u);
int tabs_third(struct ui *u);
int tabs_next(struct ui *u);
int tabs_previous(struct ui *u);

#endif
