/* help.c — the help overlay (see help.h). */
#include "help.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"
#include "ui.h"

/* Line i of the help text; false past the end. Every row with a help line that could be
 * offered at all (readonly still hides clearing and cancelling), in the table's order. */
static bool help_line(const ui_model *m, int i, char *out, size_t n)
{
	keys_ctx ctx = { KEYS_ANY, m->readonly, true, true, true, true, false, false,
			 .failed = true, .marked = true, .searching = true };
	int nb;
	const key_binding *t = keys_table(&nb);
	int k = 0;
	for (int b = 0; b < nb; b++) {
		if (!t[b].help || !keys_available(&t[b], &ctx))
			continue;
		if (k++ == i) {
			const char *where = t[b].where == KEYS_DETAIL ? " (detail)" : "";
			strbuf sb = STRBUF_INIT;
			cell_fit(t[b].names, 10, &sb);   /* by display width: the arrows are multibyte */
			snprintf(out, n, "%s %s%s", sb.buf ? sb.buf : "", t[b].help, where);
			sb_release(&sb);
			return true;
		}
	}
	static const char *const tail[] = {
		"↗ after a status: the job concerns a record (o opens it).",
		"Mouse: click a tab or a row; the wheel scrolls.",
	};
	int j = i - k;
	if (j >= 0 && j < (int)(sizeof tail / sizeof *tail)) {
		snprintf(out, n, "%s", tail[j]);
		return true;
	}
	return false;
}

int help_count(const ui_model *m)
{
	char buf[200];
	int i = 0;
	while (help_line(m, i, buf, sizeof buf))
		i++;
	return i;
}

static bool shown(const ui *u)
{
	return u->overlay == &help_view;
}

static void draw(ui *u)
{
	const ui_model *m = &u->m;
	int total = help_count(m);
	int w = COLS - 4 < 76 ? COLS - 4 : 76;
	int h = total + 2 < LINES - 2 ? total + 2 : LINES - 2;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	draw_frame(y, x, h, w, " Keys — Esc or ? closes ");
	char buf[200];
	for (int r = 0; r < h - 2; r++) {
		if (!help_line(m, m->help_scroll + r, buf, sizeof buf))
			break;
		draw_fit(y + 1 + r, x + 2, w - 4, buf, A_NORMAL);
	}
	if (m->help_scroll + h - 2 < total) {
		int tx = x + w - 12;
		draw_seg(y + h - 1, &tx, x + w - 1, " ↓ more ", draw_attr(ROLE_KEY));
	}
}

/* Moves scroll the help, q quits, Ctrl-L redraws; any other key closes it. */
static int action(ui *u, ui_action act)
{
	ui_model *m = &u->m;
	int page = LINES - 6 > 1 ? LINES - 6 : 1;
	int max = help_count(m) - (LINES - 4);
	if (max < 0)
		max = 0;
	switch (act) {
	case ACT_UP: m->help_scroll--; break;
	case ACT_DOWN: m->help_scroll++; break;
	case ACT_PGUP: m->help_scroll -= page; break;
	case ACT_PGDN: m->help_scroll += page; break;
	case ACT_QUIT: return UI_HANDLED | UI_QUIT;
	case ACT_REDRAW: return UI_HANDLED | UI_REDRAW;
	default:
		u->overlay = NULL;
		return UI_HANDLED | UI_REDRAW;
	}
	if (m->help_scroll > max)
		m->help_scroll = max;
	if (m->help_scroll < 0)
		m->help_scroll = 0;
	return UI_HANDLED | UI_REDRAW;
}

const ui_view help_view = {
	.name = "help",
	.layer = UI_LAYER_OVERLAY,
	.place = KEYS_ANY,
	.shown = shown,
	.draw = draw,
	.action = action,
	.unbound = ui_close_overlay,   /* any key that names no request closes it too */
};
