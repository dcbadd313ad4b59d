/* prompt.c — the line prompt (see prompt.h). */
#include "prompt.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"
#include "ui.h"

void prompt_open(ui *u, const ui_asker *a, const char *label, const char *text)
{
	ui_model *m = &u->m;
	u->prompt = &prompt_view;
	u->asker = a;
	snprintf(m->prompt_label, sizeof m->prompt_label, "%s", label);
	snprintf(m->prompt_buf, sizeof m->prompt_buf, "%s", text ? text : "");
	m->message[0] = '\0';
}

void prompt_close(ui *u)
{
	u->prompt = NULL;
	u->asker = NULL;
	u->m.prompt_buf[0] = '\0';
}

int prompt_draw_label(const ui_model *m, int y, int width)
{
	int x = 1;
	strbuf sb = STRBUF_INIT;
	cell_clean(m->prompt_label, strlen(m->prompt_label), &sb);
	draw_fill(y, 0, width, A_NORMAL);
	draw_seg(y, &x, width, sb.buf ? sb.buf : "", draw_attr(ROLE_WARN));
	draw_seg(y, &x, width, " ", A_NORMAL);
	sb_release(&sb);
	return x;
}

/* ==== editing ==== */

/* Removes the last UTF-8 character. */
static void backspace(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	s[n] = '\0';
}

/* Removes the last word (and the spaces after it); a '/' ends a word, for paths. */
static void erase_word(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (n > 0 && s[n - 1] != ' ' && s[n - 1] != '/')
		n--;
	s[n] = '\0';
}

/* Appends a typed character; false when it does not fit or cannot be encoded. */
static bool add_char(char *s, size_t size, wint_t code)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = wcrtomb(mb, (wchar_t)code, &st);
	size_t n = strlen(s);
	if (k == (size_t)-1 || n + k + 1 > size)
		return false;
	memcpy(s + n, mb, k);
	s[n + k] = '\0';
	return true;
}

/* Backspace, Ctrl-U (all) and Ctrl-W (a word) edit; printable characters are added.
 * True when the text changed. */
static bool edit(char *s, size_t size, bool is_key, wint_t code)
{
	if ((is_key && code == KEY_BACKSPACE) || (!is_key && (code == 127 || code == 8))) {
		backspace(s);
		return true;
	}
	if (!is_key && code == 21) {        /* Ctrl-U */
		s[0] = '\0';
		return true;
	}
	if (!is_key && code == 23) {        /* Ctrl-W */
		erase_word(s);
		return true;
	}
	if (is_key || code < 32 || code == 127)
		return false;
	return add_char(s, size, code);
}

/* ==== the view ==== */

static bool shown(const ui *u)
{
	return u->prompt == &prompt_view;
}

/* The label, then the end of the text, where the cursor stays (shown). */
static void draw(ui *u)
{
	const ui_model *m = &u->m;
	int y = LINES - 1, width = COLS;
	int x = prompt_draw_label(m, y, width);
	strbuf sb = STRBUF_INIT;
	cell_clean(m->prompt_buf, strlen(m->prompt_buf), &sb);
	const char *t = sb.buf ? sb.buf : "";
	/* keep the end of a long text in view, where the cursor is */
	int room = width - x - 1;
	while (cell_width(t) > room && *t) {
		t++;
		while (((unsigned char)*t & 0xC0) == 0x80)
			t++;
	}
	draw_seg(y, &x, width, t, A_NORMAL);
	move(y, x < width ? x : width - 1);
	sb_release(&sb);
	curs_set(1);
}

/* Esc cancels, Enter accepts, anything else edits the text. */
static int input(ui *u, bool is_key, wint_t code)
{
	ui_model *m = &u->m;
	const ui_asker *a = u->asker;
	if (!is_key && code == 27) {
		prompt_close(u);
		return a->cancel(u);
	}
	if ((!is_key && (code == '\n' || code == '\r')) || (is_key && code == KEY_ENTER)) {
		char text[sizeof m->prompt_buf];
		snprintf(text, sizeof text, "%s", m->prompt_buf);
		prompt_close(u);
		return a->accept(u, text);
	}
	if (!edit(m->prompt_buf, sizeof m->prompt_buf, is_key, code))
		return UI_HANDLED;
	return a->edited ? a->edited(u, m->prompt_buf) : UI_HANDLED | UI_REDRAW;
}

const ui_view prompt_view = {
	.name = "line prompt",
	.layer = UI_LAYER_PROMPT,
	.place = 0,
	.shown = shown,
	.draw = draw,
	.input = input,
};
