/* prompt.h — the footer's questions: a line of text (filter, export path) or y/N. */
#ifndef JOBDECK_UI_PROMPT_H
#define JOBDECK_UI_PROMPT_H

#include <wchar.h>

#include "ui/model.h"

typedef enum prompt_outcome {
	PROMPT_IGNORED, PROMPT_EDITED, PROMPT_ACCEPT, PROMPT_CANCEL,
} prompt_outcome;

/* Opens a prompt of the given kind with a label and initial text (NULL: empty). */
void prompt_open(ui_model *m, ui_prompt_kind kind, const char *label, const char *text);
void prompt_close(ui_model *m);
/* Feeds one key: is_key says code is a curses KEY_* code, else a character. Line prompts
 * edit their text (Backspace, Ctrl-U, Ctrl-W); y/N prompts accept only y or Y. */
prompt_outcome prompt_key(ui_model *m, bool is_key, wint_t code);
void prompt_draw(const ui_model *m, int y, int width);
/* Whether the prompt takes a line of text (and so shows the cursor). */
bool prompt_is_line(const ui_model *m);

#endif
