/* detail.h — the detail pane: the selected job's fields and its console output. */
#ifndef JOBDECK_UI_DETAIL_H
#define JOBDECK_UI_DETAIL_H

#include "ui/model.h"

/* Draws the pane in m->detail_y .. detail_y + detail_h, width columns wide. Rewraps the
 * output when the width changed (hence the non-const model). */
void detail_draw(ui_model *m, int width);
/* Rebuilds the wrapped output lines from m->output for the given width. */
void detail_wrap(ui_model *m, int width);
/* Frees the wrapped lines. */
void detail_release_lines(ui_model *m);
/* Scrolls the output for the movement actions and toggles following with ACT_FOLLOW.
 * Sets *want_more when the view reached the top of the output read so far and more exists. */
int detail_key(ui_model *m, ui_action act, int *want_more);
/* Rows of the pane taken by the fields above the output. */
int detail_header_rows(void);

#endif
