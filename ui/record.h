/* record.h — the record card: the record the selected job concerns, over the screen. */
#ifndef JOBDECK_UI_RECORD_H
#define JOBDECK_UI_RECORD_H

#include "view.h"

struct ui;

/* The view (an overlay). */
extern const ui_view record_view;

/* o: opens the card, or says why not (no record, its details still on their way, a record
 * the user may not see). UI_* flags. */
int record_open(struct ui *u);

#endif
