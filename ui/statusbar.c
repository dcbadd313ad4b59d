/* statusbar.c — header and footer (see statusbar.h). */
#include "statusbar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cell.h"
#include "draw.h"

void statusbar_header(const ui_model *m, int y, int width)
{
	attr_t h = draw_attr(ROLE_HEADER);
	char buf[160], conn[64];
	bool wide = width >= 100;
	draw_fill(y, 0, width, h);
	/* the connection state first, right-aligned: it is never crowded out */
	if (m->connected)
		snprintf(conn, sizeof conn, "● connected ");
	else if (m->ever_connected)
		snprintf(conn, sizeof conn, "⟳ reconnecting… ");
	else
		snprintf(conn, sizeof conn, "⟳ connecting… ");
	int cw = cell_width(conn);
	int cx = width - cw;
	draw_seg(y, &cx, width, conn, h | (m->connected ? 0 : A_BOLD));
	int maxx = width - cw - 1;
	int x = 0;
	draw_seg(y, &x, maxx, " jobdeck ", h | A_BOLD);
	strbuf user = STRBUF_INIT;
	cell_clean(m->user, strlen(m->user), &user);
	snprintf(buf, sizeof buf, " %s (%s) ", user.buf ? user.buf : "", m->admin ? "administrator" : "user");
	sb_release(&user);
	draw_seg(y, &x, maxx, buf, h);
	if (m->auto_on)
		snprintf(buf, sizeof buf, " %s ● ON %ds ", wide ? "Auto refresh" : "auto", m->interval);
	else
		snprintf(buf, sizeof buf, " %s ○ OFF ", wide ? "Auto refresh" : "auto");
	draw_seg(y, &x, maxx, buf, h | (m->auto_on ? A_BOLD : 0));
	/* operations: the marks, before the time so that they stay in view */
	if (m->mark_all && m->mark_all_n < 0) {
		draw_seg(y, &x, maxx, " all marked (counting…) ", h | A_BOLD);
	} else if (model_marked(m) > 0 || m->mark_all) {
		snprintf(buf, sizeof buf, " %lld marked ", (long long)model_marked(m));
		draw_seg(y, &x, maxx, buf, h | A_BOLD);
	}
	if (m->last_refresh != JD_TIME_NONE) {
		char t[40];
		fmt_local(m->last_refresh, t, sizeof t);
		snprintf(buf, sizeof buf, wide ? " Refreshed %s " : " last %s ", strlen(t) >= 19 ? t + 11 : t);
		draw_seg(y, &x, maxx, buf, h);
	}
}

/* The keys that work now, from the key table, in its order: pinned ones (help, quit) always,
 * the others as far as room is left for those. */
static void footer_keys(const ui_model *m, int y, int width)
{
	keys_ctx ctx = model_keys_ctx(m);
	int n;
	const key_binding *t = keys_table(&n);
	int reserve = 0;
	for (int i = 0; i < n; i++)
		if (t[i].pinned && keys_available(&t[i], &ctx) && keys_label(&t[i], &ctx))
			reserve += cell_width(t[i].names) + 1 + cell_width(keys_label(&t[i], &ctx)) + 2;
	int x = 1;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			const char *label = keys_label(&t[i], &ctx);
			if (!label || !keys_available(&t[i], &ctx) || t[i].pinned != (pass == 1))
				continue;
			int w = cell_width(t[i].names) + 1 + cell_width(label) + 2;
			if (x + w > width - (pass == 0 ? reserve : 0))
				continue;
			draw_seg(y, &x, width, t[i].names, draw_attr(ROLE_KEY));
			draw_seg(y, &x, width, " ", A_NORMAL);
			draw_seg(y, &x, width, label, A_NORMAL);
			draw_seg(y, &x, width, "  ", A_NORMAL);
		}
	}
}

void statusbar_footer(const ui_model *m, int y, int width)
{
	if (m->message[0]) {
		strbuf sb = STRBUF_INIT;
		cell_clean(m->message, strlen(m->message), &sb);
		draw_fit(y, 1, width - 1, sb.buf ? sb.buf : "",
			 m->message_error ? draw_attr(ROLE_ERROR) : draw_attr(ROLE_OK) | A_BOLD);
		sb_release(&sb);
		return;
	}
	footer_keys(m, y, width);
}
