/* statusbar.h — the header line and the footer (keys or a message; an open prompt is drawn
 * over the footer by its view). */
#ifndef JOBDECK_UI_STATUSBAR_H
#define JOBDECK_UI_STATUSBAR_H

#include "model.h"

/* The header: product, user and role, auto refresh, last refresh, connection. */
void statusbar_header(const ui_model *m, int y, int width);
/* The footer: the message if there is one, else the keys that work right now, generated
 * from the key table. */
void statusbar_footer(const ui_model *m, int y, int width);

#endif
