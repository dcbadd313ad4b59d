/* record.c — the record card (see record.h). */
#include "record.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"
#include "ui.h"

int record_open(ui *u)
{
	ui_model *m = &u->m;
	const job_row *sel = model_selected(m);
	if (!sel || !sel->object_id)
		ui_message(u, false, "This job concerns no record.");
	else if (!m->has_detail || m->detail.row.id != sel->id)
		ui_message(u, false, "Still reading this job; try again in a moment.");
	else if (!m->detail.record_identifier)
		ui_message(u, true, "The record of this job no longer exists or is not visible to you.");
	else
		u->overlay = &record_view;
	return UI_HANDLED | UI_REDRAW;
}

static bool shown(const ui *u)
{
	return u->overlay == &record_view;
}

/* One line of the card: text through the sanitiser, fitted between the frame's sides. */
static void card_line(int y, int x, int w, const char *text, attr_t attr)
{
	strbuf sb = STRBUF_INIT;
	cell_clean(text, strlen(text), &sb);
	draw_fit(y, x + 2, w - 4, sb.buf ? sb.buf : "", attr);
	sb_release(&sb);
}

static void draw(ui *u)
{
	const ui_model *m = &u->m;
	if (!m->has_detail)
		return;
	const job_detail *d = &m->detail;
	int w = COLS - 8 < 70 ? COLS - 8 : 70;
	int y = LINES / 2 - 4, x = (COLS - w) / 2;
	draw_frame(y, x, 8, w, " Record — Esc closes ");
	char buf[700];
	snprintf(buf, sizeof buf, "Identifier  %s", d->record_identifier ? d->record_identifier : "");
	card_line(y + 2, x, w, buf, A_BOLD);
	snprintf(buf, sizeof buf, "Title       %s", d->record_title ? d->record_title : "");
	card_line(y + 3, x, w, buf, A_NORMAL);
	snprintf(buf, sizeof buf, "Record id   %lld", (long long)d->row.object_id);
	draw_fit(y + 4, x + 2, w - 4, buf, A_NORMAL);
	strbuf sb = STRBUF_INIT;
	cell_clean(d->row.name, strlen(d->row.name), &sb);
	snprintf(buf, sizeof buf, "Concerned by job %lld: %s", (long long)d->row.id, sb.buf ? sb.buf : "");
	sb_release(&sb);
	draw_fit(y + 5, x + 2, w - 4, buf, draw_attr(ROLE_DIM));
}

/* Moves do nothing here, q quits, Ctrl-L redraws; any other key closes the card. */
static int action(ui *u, ui_action act)
{
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_PGUP: case ACT_PGDN:
		return UI_HANDLED | UI_REDRAW;
	case ACT_QUIT:
		return UI_HANDLED | UI_QUIT;
	case ACT_REDRAW:
		return UI_HANDLED | UI_REDRAW;
	default:
		u->overlay = NULL;
		return UI_HANDLED | UI_REDRAW;
	}
}

const ui_view record_view = {
	.name = "record card",
	.layer = UI_LAYER_OVERLAY,
	.place = KEYS_ANY,
	.shown = shown,
	.draw = draw,
	.action = action,
	.unbound = ui_close_overlay,   /* any key that names no request closes it too */
};
