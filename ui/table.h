/* table.h — the jobs table: columns, rows, moving the selection. */
#ifndef JOBDECK_UI_TABLE_H
#define JOBDECK_UI_TABLE_H

#include "ui/model.h"

/* Draws the column headings at y and the rows in m->rows_y .. rows_y + rows_h. */
void table_draw(const ui_model *m, int y, int width);
/* Moves the selection for ACT_UP/DOWN/PGUP/PGDN/TOP/BOTTOM. Returns UI_* flags; a move to
 * rows not yet read sets *mode_top / *mode_bottom for the loop to fetch them. */
int table_key(ui_model *m, ui_action act, int *want_top, int *want_bottom);
/* Selects the row shown on screen line y (a mouse click); flags. */
int table_click(ui_model *m, int y);
/* Keeps the selected row inside the rows shown. */
void table_scroll_to_sel(ui_model *m);
/* The text of the Info cell for a row ("Download (12 KB)" or the first note). */
void table_info(const job_row *r, char *out, size_t n);
/* The Status cell, with the record marker. */
void table_status(const job_row *r, char *out, size_t n);

#endif
