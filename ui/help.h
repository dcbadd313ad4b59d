/* help.h — overlays: the key help (generated from the key table) and the record card. */
#ifndef JOBDECK_UI_HELP_H
#define JOBDECK_UI_HELP_H

#include "ui/model.h"

/* Draws the open overlay, if any, over the screen (lines x cols). */
void help_draw(const ui_model *m, int lines, int cols);
/* A key while an overlay is open: scrolls the help or closes it. Returns UI_* flags. */
int help_key(ui_model *m, ui_action act, int lines);
/* How many lines the help has (for tests and scrolling). */
int help_count(const ui_model *m);

#endif
