/* help.c — see help.h. */
#include "ui/help.h"

#include <stdio.h>
#include <string.h>

#include "ui/cell.h"
#include "ui/draw.h"

/* Line i of the help text; false past the end. */
static bool help_line(const ui_model *m, int i, char *out, size_t n, bool *title)
{
	keys_ctx ctx = { KEYS_BOTH, m->readonly, true, true, true, true };
	int nb;
	const key_binding *t = keys_table(&nb);
	int k = 0;
	*title = false;
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
	bool title;
	int i = 0;
	while (help_line(m, i, buf, sizeof buf, &title))
		i++;
	return i;
}

void help_draw(const ui_model *m, int lines, int cols)
{
	if (m->overlay == OVERLAY_HELP) {
		int total = help_count(m);
		int w = cols - 4 < 76 ? cols - 4 : 76;
		int h = total + 2 < lines - 2 ? total + 2 : lines - 2;
		int y = (lines - h) / 2, x = (cols - w) / 2;
		draw_frame(y, x, h, w, " Keys — Esc or ? closes ");
		char buf[200];
		bool title;
		for (int r = 0; r < h - 2; r++) {
			if (!help_line(m, m->help_scroll + r, buf, sizeof buf, &title))
				break;
			draw_fit(y + 1 + r, x + 2, w - 4, buf, A_NORMAL);
		}
		if (m->help_scroll + h - 2 < total) {
			int tx = x + w - 12;
			draw_seg(y + h - 1, &tx, x + w - 1, " ↓ more ", draw_attr(ROLE_KEY));
		}
		return;
	}
	if (m->overlay == OVERLAY_RECORD && m->has_detail) {
		const job_detail *d = &m->detail;
		int w = cols - 8 < 70 ? cols - 8 : 70;
		int y = lines / 2 - 4, x = (cols - w) / 2;
		draw_frame(y, x, 8, w, " Record — Esc closes ");
		char buf[700];
		strbuf sb = STRBUF_INIT;
		const char *id = d->record_identifier ? d->record_identifier : "";
		const char *ti = d->record_title ? d->record_title : "";
		snprintf(buf, sizeof buf, "Identifier  %s", id);
		cell_clean(buf, strlen(buf), &sb);
		draw_fit(y + 2, x + 2, w - 4, sb.buf ? sb.buf : "", A_BOLD);
		sb_reset(&sb);
		snprintf(buf, sizeof buf, "Title       %s", ti);
		cell_clean(buf, strlen(buf), &sb);
		draw_fit(y + 3, x + 2, w - 4, sb.buf ? sb.buf : "", A_NORMAL);
		sb_reset(&sb);
		snprintf(buf, sizeof buf, "Record id   %lld", (long long)d->row.object_id);
		draw_fit(y + 4, x + 2, w - 4, buf, A_NORMAL);
		cell_clean(d->row.name, strlen(d->row.name), &sb);
		snprintf(buf, sizeof buf, "Concerned by job %lld: %s", (long long)d->row.id, sb.buf ? sb.buf : "");
		draw_fit(y + 5, x + 2, w - 4, buf, draw_attr(ROLE_DIM));
		sb_release(&sb);
	}
}

int help_key(ui_model *m, ui_action act, int lines)
{
	int page = lines - 6 > 1 ? lines - 6 : 1;
	int max = help_count(m) - (lines - 4);
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
		m->overlay = OVERLAY_NONE;
		return UI_HANDLED | UI_REDRAW;
	}
	if (m->help_scroll > max)
		m->help_scroll = max;
	if (m->help_scroll < 0)
		m->help_scroll = 0;
	return UI_HANDLED | UI_REDRAW;
}
