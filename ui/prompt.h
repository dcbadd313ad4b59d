/* prompt.h — the footer's line prompt (filter, export path), and what every prompt shares
 * with the y/N question (ui/question.h): a label and an asker, which says what the answer
 * does. */
#ifndef JOBDECK_UI_PROMPT_H
#define JOBDECK_UI_PROMPT_H

#include "model.h"
#include "view.h"

struct ui;

/* What a prompt does with its answer, given by whoever opens it. The prompt is closed
 * before accept or cancel run (either may open another). Each returns UI_* flags. */
typedef struct ui_asker {
	int (*accept)(struct ui *u, const char *text);   /* Enter on a line (its text); y ("") */
	int (*cancel)(struct ui *u);                      /* Esc; any key but y on a question */
	int (*edited)(struct ui *u, const char *text);    /* a line's text changed; NULL: redraw */
} ui_asker;

/* The view (a prompt on the footer line). */
extern const ui_view prompt_view;

/* Opens the line prompt with a label and initial text (NULL: empty); a takes the answer.
 * Clears the footer's message. */
void prompt_open(struct ui *u, const ui_asker *a, const char *label, const char *text);
/* Closes whichever prompt is open. */
void prompt_close(struct ui *u);
/* Draws the label at the start of footer line y (through the sanitiser) and returns the
 * column after it and its space. */
int prompt_draw_label(const ui_model *m, int y, int width);

#endif
