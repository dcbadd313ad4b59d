/* question.c — the y/N question (see question.h). */
#include "ui/question.h"

#include <curses.h>
#include <stdio.h>

#include "ui/ui.h"

void question_open(ui *u, const ui_asker *a, const char *label)
{
	prompt_open(u, a, label, NULL);
	u->prompt = &question_view;
}

static bool shown(const ui *u)
{
	return u->prompt == &question_view;
}

static void draw(ui *u)
{
	prompt_draw_label(&u->m, LINES - 1, COLS);
}

static int input(ui *u, bool is_key, wint_t code)
{
	const ui_asker *a = u->asker;
	if (is_key && code == KEY_RESIZE)
		return UI_HANDLED;
	prompt_close(u);
	if (!is_key && (code == 'y' || code == 'Y'))
		return a->accept(u, "");
	return a->cancel(u);
}

const ui_view question_view = {
	.name = "y/N question",
	.layer = UI_LAYER_PROMPT,
	.place = 0,
	.shown = shown,
	.draw = draw,
	.input = input,
};
