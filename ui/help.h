/* help.h — the help overlay: every key, generated from the key table. */
#ifndef JOBDECK_UI_HELP_H
#define JOBDECK_UI_HELP_H

#include "model.h"
#include "view.h"

/* The view (an overlay; ? opens it, see actions_help). */
extern const ui_view help_view;

/* How many lines the help has for this model (readonly leaves some keys out). */
int help_count(const ui_model *m);

#endif
