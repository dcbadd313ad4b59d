/* question.c — the y/N question (see question.h). */
#include "question.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"

#include "ui.h"

void question_open(ui *u, const ui_asker *a, const char *label)
{
	prompt_open(u, a, label, NULL);
	u->prompt = &question_view;
}

static bool shown(const ui *u)
{
	return u->prompt == &question_view;
}

/* The question, shortened in its middle when the line is too narrow, so that its answer
 * keys ("[y/N]", at its end) always show. */
static void draw(ui *u)
{
	const ui_model *m = &u->m;
	int y = LINES - 1, width = COLS;
	strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	cell_clean(m->prompt_label, strlen(m->prompt_label), &sb);
	const char *t = sb.buf ? sb.buf : "";
	const char *keys = strrchr(t, '[');
	int room = width - 3;
	if (keys && cell_width(t) > room) {
		int kw = cell_width(keys);
		size_t k = cell_prefix(t, room - kw - 2 > 1 ? room - kw - 2 : 1);
		sb_addf(&out, "%.*s… %s", (int)k, t, keys);
		t = out.buf;
	}
	int x = 1;
	draw_fill(y, 0, width, A_NORMAL);
	draw_seg(y, &x, width, t, draw_attr(ROLE_WARN));
	sb_release(&sb);
	sb_release(&out);
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
