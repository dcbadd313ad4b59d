/* table.h — the jobs table: a pane of columns and rows, the selection, the query's filter
 * and sort. */
#ifndef JOBDECK_UI_TABLE_H
#define JOBDECK_UI_TABLE_H

#include "model.h"
#include "view.h"

struct ui;

/* The view (a pane, place KEYS_TABLE). */
extern const ui_view table_view;

/* Draws the column headings at y and the rows in m->rows_y .. rows_y + rows_h. */
void table_draw(const ui_model *m, int y, int width);
/* Keeps the selected row inside the rows shown. */
void table_scroll_to_sel(ui_model *m);

/* Key handlers (ui/keys.c): move the selection, reading the first or last rows when the
 * move goes past what has been read; held until the first page is here. UI_* flags. */
int table_up(struct ui *u);
int table_down(struct ui *u);
int table_page_up(struct ui *u);
int table_page_down(struct ui *u);
int table_top(struct ui *u);
int table_bottom(struct ui *u);
/* Enter: into the detail pane of the selected job. */
int table_enter(struct ui *u);
/* Esc: clears the filter. */
int table_clear_filter(struct ui *u);
/* /: the filter prompt, which filters as one types. */
int table_filter(struct ui *u);
/* s, S: the next sort column; the order reversed. */
int table_sort(struct ui *u);
int table_reverse(struct ui *u);

#endif
