/* detail.h — the detail pane: the selected job's fields and its console output. */
#ifndef JOBDECK_UI_DETAIL_H
#define JOBDECK_UI_DETAIL_H

#include "session.h"
#include "model.h"
#include "view.h"

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

/* ==== search in the output (ui-detail) ==== */

/* How many match offsets a search keeps. */
#define DETAIL_SEARCH_MAX 10000

/* / asks for a text and searches the job's whole stored output (through the session);
 * n and N go to the next and previous match, reading more of the tail when a match lies
 * before what was read (up to TAIL_MAX; past that the message points to `jobdeck show`).
 * Esc (detail_back) clears the search first. */
int detail_search(struct ui *u);
int detail_next_match(struct ui *u);
int detail_prev_match(struct ui *u);
/* The answer to a search (ui_apply). */
void detail_searched(struct ui *u, session_result *r);
/* Scrolls to the current match and says which it is, or asks for more output (UI_FETCH)
 * and sets m->search_jump so that it is called again when that output is here. */
int detail_search_show(struct ui *u);
/* Forgets the search (another job selected, Esc). */
void detail_search_reset(ui_model *m);

#endif
