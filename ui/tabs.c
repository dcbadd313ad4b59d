/* tabs.c — the tab line (see tabs.h). */
#include "tabs.h"

#include <stdio.h>
#include <string.h>

#include "cell.h"
#include "draw.h"
#include "ui.h"

/* With a filter: how many jobs of tab t it matches ("1,234", "10,000+", "…" until
 * counted). */
static void count_text(const ui_model *m, int t, char *out, size_t n)
{
	if (!m->filtered_ok) {
		snprintf(out, n, "…");
		return;
	}
	long long v = (long long)m->filtered[t];
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", v);
	size_t len = strlen(digits), k = 0;
	char grouped[40];
	for (size_t i = 0; i < len && k + 2 < sizeof grouped; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	snprintf(out, n, "%s%s", grouped, v >= UI_COUNT_CAP ? "+" : "");
}

/* Tab t's label: its name and count; with a filter, how many of them it matches
 * ("3 of 8", or "3/8" when short). */
static void tab_label(const ui_model *m, int t, bool short_of, char *buf, size_t n)
{
	if (m->loaded && m->filter[0]) {
		char of[64];
		count_text(m, t, of, sizeof of);
		snprintf(buf, n, " %d %s (%s%s%lld) ", t + 1, jobs_tab_name((jobs_tab)t), of,
			 short_of ? "/" : " of ", (long long)m->counts[t]);
	} else if (m->loaded) {
		snprintf(buf, n, " %d %s (%lld) ", t + 1, jobs_tab_name((jobs_tab)t), (long long)m->counts[t]);
	} else {
		snprintf(buf, n, " %d %s ", t + 1, jobs_tab_name((jobs_tab)t));
	}
}

void tabs_draw(ui_model *m, int y, int width)
{
	int x = 1;
	char buf[128], filter[1100] = "";
	if (m->filter[0]) {
		strbuf sb = STRBUF_INIT;
		cell_clean(m->filter, strlen(m->filter), &sb);
		snprintf(filter, sizeof filter, " Filter: %s ", sb.buf ? sb.buf : "");
		sb_release(&sb);
	}
	/* "N of M" when the labels and the filter fit, else "N/M" */
	int need = 1 + cell_width(filter);
	for (int t = 0; t < JOBS_NTABS; t++) {
		tab_label(m, t, false, buf, sizeof buf);
		need += cell_width(buf) + 1;
	}
	for (int t = 0; t < JOBS_NTABS; t++) {
		m->tab_x[t] = x;
		tab_label(m, t, need > width, buf, sizeof buf);
		draw_seg(y, &x, width, buf, t == (int)m->tab ? draw_attr(ROLE_TAB_ACTIVE) : A_NORMAL);
		draw_seg(y, &x, width, " ", A_NORMAL);
	}
	m->tab_x[JOBS_NTABS] = x;
	if (filter[0])
		draw_seg(y, &x, width, filter, draw_attr(ROLE_WARN));
}

void tabs_switch(ui *u, int t)
{
	ui_model *m = &u->m;
	if (t < 0)
		t += JOBS_NTABS;
	t %= JOBS_NTABS;
	m->tab = (jobs_tab)t;
	m->focus = KEYS_TABLE;
	m->sel = 0;
	m->top = 0;
	job_list_release(&m->rows);
	m->loaded = false;
	u->nheld = 0;
	ui_request_view(u, SESSION_TOP);
}

int tabs_click(ui *u, int x)
{
	const ui_model *m = &u->m;
	for (int t = 0; t < JOBS_NTABS; t++) {
		if (x >= m->tab_x[t] && x < m->tab_x[t + 1] - 1) {
			tabs_switch(u, t);
			return UI_HANDLED | UI_REDRAW;
		}
	}
	return 0;
}

static int to_tab(ui *u, int t)
{
	tabs_switch(u, t);
	return UI_HANDLED | UI_REDRAW;
}

int tabs_first(ui *u) { return to_tab(u, JOBS_TAB_ALL); }
int tabs_second(ui *u) { return to_tab(u, JOBS_TAB_ACTIVE); }
int tabs_third(ui *u) { return to_tab(u, JOBS_TAB_FAILED); }
int tabs_next(ui *u) { return to_tab(u, (int)u->m.tab + 1); }
int tabs_previous(ui *u) { return to_tab(u, (int)u->m.tab - 1); }
