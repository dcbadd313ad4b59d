/* question.h — the footer's y/N question (clear, cancel, overwrite). */
#ifndef JOBDECK_UI_QUESTION_H
#define JOBDECK_UI_QUESTION_H

#include "prompt.h"

/* The view (a prompt on the footer line). */
extern const ui_view question_view;

/* Asks label on the footer line; y or Y accepts, any other key cancels (a->accept gets "").
 * Clears the footer's message. */
void question_open(struct ui *u, const ui_asker *a, const char *label);

#endif
