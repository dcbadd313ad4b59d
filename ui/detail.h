/* detail.h — the detail pane: the selected job's fields and its console output. */
#ifndef JOBDECK_UI_DETAIL_H
#define JOBDECK_UI_DETAIL_H

#include "ui/model.h"
#include "ui/view.h"

struct ui;

/* The view (a pane, place KEYS_DETAIL). */
extern const ui_view detail_view;

/* Draws the pane in m->detail_y .. detail_y + detail_h, width columns wide. Rewraps the
 * output when the width changed (hence the non-const model). */
void detail_draw(ui_model *m, int width);
/* Rebuilds the wrapped output lines from m->output for the given width. */
void detail_wrap(ui_model *m, int width);
/* Frees the wrapped lines. */
void detail_release_lines(ui_model *m);

/* Key handlers (ui/keys.c), UI_* flags: scroll the output by a line, a page, to its start
 * or end (scrolling up to the top of what has been read asks for four times as much);
 * f follows live output (on/off); Esc goes back to the table. */
int detail_up(struct ui *u);
int detail_down(struct ui *u);
int detail_page_up(struct ui *u);
int detail_page_down(struct ui *u);
int detail_top(struct ui *u);
int detail_bottom(struct ui *u);
int detail_follow(struct ui *u);
int detail_back(struct ui *u);

#endif
