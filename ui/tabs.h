/* tabs.h — the tab line: All / Active / Failed jobs with their counts. */
#ifndef JOBDECK_UI_TABS_H
#define JOBDECK_UI_TABS_H

#include "ui/model.h"

/* Draws the tabs at y and records where each starts (for mouse clicks) in m->tab_x. */
void tabs_draw(ui_model *m, int y, int width);
/* The tab under column x, or -1. */
int tabs_hit(const ui_model *m, int x);

#endif
