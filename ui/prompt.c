/* prompt.c — see prompt.h. */
#include "ui/prompt.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ui/cell.h"
#include "ui/draw.h"

bool prompt_is_line(const ui_model *m)
{
	return m->prompt == PROMPT_FILTER || m->prompt == PROMPT_EXPORT;
}

void prompt_open(ui_model *m, ui_prompt_kind kind, const char *label, const char *text)
{
	m->prompt = kind;
	snprintf(m->prompt_label, sizeof m->prompt_label, "%s", label);
	snprintf(m->prompt_buf, sizeof m->prompt_buf, "%s", text ? text : "");
	m->message[0] = '\0';
}

void prompt_close(ui_model *m)
{
	m->prompt = PROMPT_NONE;
	m->prompt_buf[0] = '\0';
}

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

prompt_outcome prompt_key(ui_model *m, bool is_key, wint_t code)
{
	if (!is_key && code == 27)
		return PROMPT_CANCEL;
	if (!prompt_is_line(m)) {
		if (!is_key && (code == 'y' || code == 'Y'))
			return PROMPT_ACCEPT;
		if (is_key && code == KEY_RESIZE)
			return PROMPT_IGNORED;
		return PROMPT_CANCEL;
	}
	if ((!is_key && (code == '\n' || code == '\r')) || (is_key && code == KEY_ENTER))
		return PROMPT_ACCEPT;
	if ((is_key && code == KEY_BACKSPACE) || (!is_key && (code == 127 || code == 8))) {
		backspace(m->prompt_buf);
		return PROMPT_EDITED;
	}
	if (!is_key && code == 21) {        /* Ctrl-U */
		m->prompt_buf[0] = '\0';
		return PROMPT_EDITED;
	}
	if (!is_key && code == 23) {        /* Ctrl-W: the last word */
		size_t n = strlen(m->prompt_buf);
		while (n > 0 && m->prompt_buf[n - 1] == ' ')
			n--;
		while (n > 0 && m->prompt_buf[n - 1] != ' ' && m->prompt_buf[n - 1] != '/')
			n--;
		m->prompt_buf[n] = '\0';
		return PROMPT_EDITED;
	}
	if (is_key || code < 32 || code == 127)
		return PROMPT_IGNORED;
	char mb[MB_LEN_MAX + 1];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = wcrtomb(mb, (wchar_t)code, &st);
	size_t n = strlen(m->prompt_buf);
	if (k == (size_t)-1 || n + k + 1 > sizeof m->prompt_buf)
		return PROMPT_IGNORED;
	memcpy(m->prompt_buf + n, mb, k);
	m->prompt_buf[n + k] = '\0';
	return PROMPT_EDITED;
}

void prompt_draw(const ui_model *m, int y, int width)
{
	int x = 1;
	strbuf sb = STRBUF_INIT;
	cell_clean(m->prompt_label, strlen(m->prompt_label), &sb);
	draw_fill(y, 0, width, A_NORMAL);
	draw_seg(y, &x, width, sb.buf ? sb.buf : "", draw_attr(ROLE_WARN));
	draw_seg(y, &x, width, " ", A_NORMAL);
	if (prompt_is_line(m)) {
		sb_reset(&sb);
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
	}
	sb_release(&sb);
}
